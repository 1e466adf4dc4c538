/**
 * The network list (issue 10, "No informal lists"): every network's reference, name and score as
 * of a day, as the CLI's `networks` command exports it. It was once printed to a file or a
 * terminal with nothing to say what it was; it is now an export like every return: the header
 * block with the protective marking, the numbered copy, the audit head and the destroy-after day,
 * and a 'disclose' entry and an export register row (main/services/returns.service.ts).
 *
 * Pure: the matrix's rows go in, one table comes out.
 *
 * What is in it, and why: network references and names, and the figures of each score (score,
 * effective and computed band, confidence, the three parts, the day it is as of). Nothing about
 * people: no member, no lead officer, no unit or borough, no under-18 counts. A score is a figure
 * about a network, not an aggregate of people, so it is published as it is (no disclosure control
 * applies); the list is record-level and is exported under the internal rules only
 * (preload/contract/schemas/returns.ts exportInput).
 */
import { BAND_LABELS, CONFIDENCE_LABELS } from '../../preload/contract/vocabulary';
import type { MatrixRow } from '../../preload/contract';
import type { ReportColumn, ReportSection, ReturnCharts } from '../../preload/contract/schemas/returns';
import { dateCell, formatScore, numberCell, textCell } from './cells';

/** The columns, keyed as the command printed them before it was an export. */
export const NETWORK_LIST_COLUMNS: readonly ReportColumn[] = [
  { key: 'reference', label: 'Reference', kind: 'text' },
  { key: 'name', label: 'Name', kind: 'text' },
  { key: 'score', label: 'Score', kind: 'score' },
  { key: 'band', label: 'Band', kind: 'text' },
  { key: 'computedBand', label: 'Computed band', kind: 'text' },
  { key: 'confidence', label: 'Confidence', kind: 'text' },
  { key: 'ehPts', label: 'Evidenced harm points', kind: 'score' },
  { key: 'ahPts', label: 'Assessed harm points', kind: 'score' },
  { key: 'capPts', label: 'Capability points', kind: 'score' },
  { key: 'asOf', label: 'Score as of', kind: 'date' },
];

/** The fields of a matrix row the list may hold: nothing else is read. */
export type NetworkListRow = Pick<MatrixRow, 'reference' | 'name' | 'score' | 'band' | 'computedBand' | 'confidence' | 'ehPts' | 'ahPts' | 'capPts' | 'asOf'>;

export function buildNetworkList(rows: readonly NetworkListRow[], asOf: string): { sections: ReportSection[]; charts: ReturnCharts } {
  const sorted = [...rows].sort((a, b) => (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0));
  const code = (value: string, label: string) => ({ text: label, value, isSuppressed: false });
  return {
    sections: [
      {
        id: 'networks',
        title: 'Networks',
        notes: [
          `Every network in the vault with its score as of ${dateCell(asOf).text}: the stored score where it is as of that day, otherwise scored for that day (nothing stored).`,
          'Network references and names only: nothing about any person.',
        ],
        tables: [
          {
            id: 'networks',
            title: 'Networks and their scores',
            notes: [],
            columns: [...NETWORK_LIST_COLUMNS],
            rows: sorted.map((r) => ({
              cells: [
                textCell(r.reference),
                textCell(r.name),
                numberCell(r.score, formatScore(r.score)),
                code(r.band, BAND_LABELS[r.band]),
                code(r.computedBand, BAND_LABELS[r.computedBand]),
                code(r.confidence, CONFIDENCE_LABELS[r.confidence]),
                numberCell(r.ehPts, formatScore(r.ehPts)),
                numberCell(r.ahPts, formatScore(r.ahPts)),
                numberCell(r.capPts, formatScore(r.capPts)),
                dateCell(r.asOf),
              ],
              isTotal: false,
            })),
            emptyText: 'The vault holds no networks.',
          },
        ],
      },
    ],
    charts: { disruptionsPerMonth: [], networksByBand: [] },
  };
}
