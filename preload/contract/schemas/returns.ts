/**
 * Returns and exports (docs/specification.md, "Returns and exports"; issue 4): the shapes that cross IPC for
 * the returns screen (preview), the export itself and the export register. Shared by the contract,
 * the renderer's returns form and the CLI. Pure zod (the period parser is pure too).
 *
 * A return is a `ReturnDocument`: a header block, sections of tables, and two chart series. Every
 * figure in it has already been through disclosure control in main: a withheld figure arrives as
 * `{ text: '<5' or '[c]', value: null, isSuppressed: true }`, so nothing on the screen or in a
 * file can show what it was.
 */
import { z } from 'zod';
import { safeParsePeriod } from '../periods';
import { BANDS, isoDay } from './matrix';
import { plainText } from '../text';

/**
 * What may leave the vault as an export. The network list (every network's reference, name and
 * score, as the CLI's `networks` command writes it) is an export like the returns: there is no
 * informal list.
 */
export const RETURN_KINDS = ['corporate', 'meeting_pack', 'network_list'] as const;
export type ReturnKind = (typeof RETURN_KINDS)[number];
export const RETURN_KIND_LABELS: Record<ReturnKind, string> = {
  corporate: 'Corporate return',
  meeting_pack: 'Prioritisation meeting pack',
  network_list: 'Network list',
};

export const CORPORATE_FORMATS = ['csv', 'xlsx', 'json'] as const;
export const MEETING_PACK_FORMATS = ['pdf', 'xlsx'] as const;
export const NETWORK_LIST_FORMATS = ['csv', 'json'] as const;
export const RETURN_FORMATS = ['csv', 'xlsx', 'json', 'pdf'] as const;
export type ReturnFormat = (typeof RETURN_FORMATS)[number];

/** Disclosure rule sets by name; main records the exact id and version (internal-1, public-1). */
export const RULE_NAMES = ['internal', 'public'] as const;
export const ruleName = z.enum(RULE_NAMES, 'Choose internal or public disclosure rules.');

const noControlChars = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

/** A period as typed: 2026-05, 2025/26-Q3, 2025/26, 2026-01-01..2026-03-31 (preload/contract/periods.ts). */
export const periodText = z
  .string()
  .trim()
  .min(1, 'Enter a period, for example 2025/26 or 2026-05.')
  .max(40, 'Use a period like 2025/26, 2025/26-Q3, 2026-05 or 2026-01-01..2026-03-31.')
  .superRefine((text, ctx) => {
    const parsed = safeParsePeriod(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
  });

/** Why the export is made and who receives it: both are written to the audit log and the register. */
const disclosureText = (what: string) =>
  plainText(z.string().trim().min(5, `Give the ${what} in at least 5 characters.`).max(500, `Use at most 500 characters for the ${what}.`), {
    control: `The ${what} must be on one line, without control characters.`,
    invisible: `The ${what} must not hold invisible formatting characters (such as a right-to-left override or a zero-width space).`,
  });
export const exportPurpose = disclosureText('purpose');
export const exportRecipient = disclosureText('recipient');

/** Where to write: a new file whose name ends in the format's extension (checked with the format). */
const exportPath = z
  .string()
  .trim()
  .min(1, 'Enter where to save the file.')
  .max(4096, 'That path is too long.')
  .refine(noControlChars, 'That path has characters a file name cannot have.');

export const previewInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('corporate'), period: periodText, rules: ruleName }).strict(),
  z.object({ kind: z.literal('meeting_pack'), asOf: isoDay.optional(), rules: ruleName }).strict(),
]);
export type PreviewInput = z.input<typeof previewInput>;

/**
 * An export: the kind and format go together (corporate return: CSV, XLSX or JSON, for a period;
 * meeting pack: PDF or XLSX, as of a day, today when not given; network list: CSV or JSON, as of a
 * day, under the internal rules only, being record-level), and the file name ends in the
 * format's extension. Purpose and recipient are required.
 */
export const exportInput = z
  .object({
    kind: z.enum(RETURN_KINDS, 'Choose the corporate return or the meeting pack.'),
    format: z.enum(RETURN_FORMATS, 'Choose a format.'),
    period: periodText.optional(),
    asOf: isoDay.optional(),
    path: exportPath,
    rules: ruleName,
    purpose: exportPurpose,
    recipient: exportRecipient,
  })
  .strict()
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (v.kind === 'corporate') {
      if (!(CORPORATE_FORMATS as readonly string[]).includes(v.format)) issue('format', 'The corporate return is saved as CSV, XLSX or JSON.');
      if (v.period === undefined) issue('period', 'Enter a period, for example 2025/26 or 2026-05.');
      if (v.asOf !== undefined) issue('asOf', 'The corporate return is for a period, not an as-of date.');
    } else if (v.kind === 'meeting_pack') {
      if (!(MEETING_PACK_FORMATS as readonly string[]).includes(v.format)) issue('format', 'The meeting pack is saved as PDF or XLSX.');
      if (v.period !== undefined) issue('period', 'The meeting pack is as of a date, not for a period.');
    } else {
      if (!(NETWORK_LIST_FORMATS as readonly string[]).includes(v.format)) issue('format', 'The network list is saved as CSV or JSON.');
      if (v.period !== undefined) issue('period', 'The network list is as of a date, not for a period.');
      if (v.rules !== 'internal') issue('rules', 'The network list names every network: it is exported under the internal rules only, never for publication.');
    }
    if (!v.path.toLowerCase().endsWith(`.${v.format}`)) issue('path', `A ${v.format.toUpperCase()} file name ends in .${v.format}.`);
  });
export type ExportInput = z.input<typeof exportInput>;

/* ---- The document -------------------------------------------------------------------------- */

/** One figure or label as published. */
export const reportCell = z.object({
  /** What a person reads: "12", "<5", "[c]", "£1,234", "30/06/2026", "CN-2026-0042". */
  text: z.string(),
  /** The machine value: a number for a published figure, ISO text for a date, null when withheld or empty. */
  value: z.union([z.number(), z.string(), z.null()]),
  /** True for a figure withheld by disclosure control. */
  isSuppressed: z.boolean(),
  /** A percentage (value 0–100), in a column of counts: spreadsheets format it as one. */
  isPercent: z.boolean().optional(),
});
export type ReportCell = z.infer<typeof reportCell>;

export const COLUMN_KINDS = ['text', 'count', 'money', 'amount', 'percent', 'date', 'score'] as const;
export const reportColumn = z.object({ key: z.string(), label: z.string(), kind: z.enum(COLUMN_KINDS) });
export type ReportColumn = z.infer<typeof reportColumn>;

export const reportRow = z.object({ cells: z.array(reportCell), isTotal: z.boolean() });
export type ReportRow = z.infer<typeof reportRow>;

export const reportTable = z.object({
  id: z.string(),
  title: z.string(),
  notes: z.array(z.string()),
  columns: z.array(reportColumn),
  rows: z.array(reportRow),
  /** Shown in place of rows when there are none: "No claims are awaiting validation." */
  emptyText: z.string(),
});
export type ReportTable = z.infer<typeof reportTable>;

export const reportSection = z.object({ id: z.string(), title: z.string(), notes: z.array(z.string()), tables: z.array(reportTable) });
export type ReportSection = z.infer<typeof reportSection>;

/** An audit log head named outside the vault: which vault, and its last entry's number and hash. */
export const auditHeadRef = z.object({ vaultId: z.string(), seq: z.number().int().positive(), hash: z.string().regex(/^[0-9a-f]{64}$/) });
export type AuditHeadRef = z.infer<typeof auditHeadRef>;

export const returnHeader = z.object({
  kind: z.enum(RETURN_KINDS),
  title: z.string(),
  /** Corporate return: the period's canonical id (2025/26) and label; null for the meeting pack. */
  periodId: z.string().nullable(),
  periodLabel: z.string().nullable(),
  periodFrom: z.string().nullable(),
  periodTo: z.string().nullable(),
  /** The day the figures describe: the pack's as-of date; for a return, the day the matrix population is taken. */
  asOf: z.string(),
  /** The meeting the pack compares with (ISO day), or null when there was none. */
  previousMeeting: z.string().nullable(),
  generatedAt: z.string(),
  generatedBy: z.string(),
  model: z.string(),
  weightTable: z.object({ id: z.string(), version: z.string() }),
  ruleSet: z.object({ id: z.string(), version: z.number(), description: z.string() }),
  countingRules: z.object({ id: z.string(), description: z.string() }).nullable(),
  marking: z.string(),
  /** The numbered copy; null in a preview, which is not a copy. */
  copyNumber: z.number().int().nullable(),
  /**
   * The audit log's head (last entry) as it stood just before this copy's own 'disclose' entry, and
   * the vault it belongs to: a copy handed out is an anchor of the log outside the vault. Null in a preview.
   */
  auditHead: auditHeadRef.nullable(),
  /**
   * The day (ISO) after which this copy must be destroyed: printed in the copy as a UK date and
   * kept in the export register. Null in a preview, which is not a copy.
   */
  destroyAfter: isoDay.nullable(),
});
export type ReturnHeader = z.infer<typeof returnHeader>;

/** A charted figure: null when withheld (draw a gap and show `text`). */
const chartValue = z.object({ value: z.number().nullable(), text: z.string() });

export const returnCharts = z.object({
  /** Disruption events per month of validation, by level (the return's period; the pack's last 12 months). */
  disruptionsPerMonth: z.array(
    z.object({ month: z.string(), label: z.string(), major: chartValue, moderate: chartValue, minor: chartValue }),
  ),
  /** Networks on the matrix (active and dormant) by effective band. */
  networksByBand: z.array(z.object({ band: z.enum(BANDS), label: z.string(), value: z.number().nullable(), text: z.string() })),
});
export type ReturnCharts = z.infer<typeof returnCharts>;

export const returnDocument = z.object({ header: returnHeader, sections: z.array(reportSection), charts: returnCharts });
export type ReturnDocument = z.infer<typeof returnDocument>;

export const exportResult = z.object({
  path: z.string(),
  fileName: z.string(),
  kind: z.enum(RETURN_KINDS),
  format: z.enum(RETURN_FORMATS),
  bytes: z.number().int(),
  sha256: z.string(),
  copyNumber: z.number().int(),
  /** The day (ISO) after which the copy must be destroyed, as printed in it. */
  destroyAfter: isoDay,
});
export type ExportResult = z.infer<typeof exportResult>;

export const exportRegisterRow = z.object({
  id: z.string(),
  at: z.string(),
  userName: z.string(),
  kind: z.string(),
  /** The period id (corporate) or the as-of day (meeting pack). */
  period: z.string(),
  format: z.string(),
  ruleSet: z.string(),
  purpose: z.string(),
  recipient: z.string(),
  copyNumber: z.number().int(),
  fileName: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
  /** The audit head printed in the copy (null for copies made before the head was printed). */
  auditHeadSeq: z.number().int().nullable(),
  auditHeadHash: z.string().nullable(),
  /** The day (ISO) after which the copy must be destroyed, as printed in it (null for copies made before the date was printed). */
  destroyAfter: z.string().nullable(),
});
export type ExportRegisterRow = z.infer<typeof exportRegisterRow>;
