/**
 * One entry point for every format. Which formats a return may take is the contract's business
 * (corporate: CSV, XLSX, JSON; meeting pack: PDF, XLSX); the writers themselves take any document.
 */
import type { ReturnDocument, ReturnFormat } from '../../../preload/contract/schemas/returns';
import { writeCsv } from './csv';
import { writeJson } from './json';
import { writePdf } from './pdf';
import { writeXlsx } from './xlsx';

export async function renderReturn(doc: ReturnDocument, format: ReturnFormat): Promise<Buffer> {
  switch (format) {
    case 'csv':
      return writeCsv(doc);
    case 'json':
      return writeJson(doc);
    case 'xlsx':
      return writeXlsx(doc);
    case 'pdf':
      return writePdf(doc);
  }
}
