/**
 * JSON: the machine-readable form. The marking comes first (and again last, as the other formats
 * carry it at top and bottom), then the header object, the sections with every cell as
 * `{ text, value, isSuppressed }` (value null when withheld), and the chart series.
 * JSON is not opened by spreadsheets, so text is kept exactly as published. Beside the marking,
 * `destroyAfter` tells whoever holds the copy, as a UK date, when it must be destroyed ("Destroy
 * after: 30/07/2026"); the header holds the same day as an ISO date for a machine.
 */
import type { ReturnDocument } from '../../../preload/contract/schemas/returns';
import { destroyAfterLine } from '../header';

export const JSON_FORMAT_VERSION = 1;

export function writeJson(doc: ReturnDocument): Buffer {
  const body = {
    marking: doc.header.marking,
    ...(doc.header.destroyAfter === null ? {} : { destroyAfter: destroyAfterLine(doc.header) }),
    format: { name: 'harm-matrix-return', version: JSON_FORMAT_VERSION },
    header: doc.header,
    sections: doc.sections,
    charts: doc.charts,
    markingEnd: doc.header.marking,
  };
  return Buffer.from(`${JSON.stringify(body, null, 2)}\n`, 'utf8');
}
