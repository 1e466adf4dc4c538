/**
 * Returns (domain.md "Returns and exports"): pick the corporate return for a period or the
 * prioritisation meeting pack as of a day, and the disclosure rules; preview it as tables and
 * charts exactly as main publishes it (withheld figures arrive as "<5" and stay so); then save it
 * to a file with a purpose and a recipient, which main writes to the audit log as a disclosure
 * and to the export register below. Nothing here counts or suppresses anything: main does.
 */
import '../../components/matrix.css';
import '../disruptions/disruptions.css';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ColDef } from 'ag-grid-community';
import { contract, type Role, type SessionUser } from '../../../../preload/contract';
import {
  CORPORATE_FORMATS,
  exportInput,
  MEETING_PACK_FORMATS,
  periodText,
  RETURN_KIND_LABELS,
  type ExportRegisterRow,
  type ExportResult,
  type ReportTable,
  type ReturnDocument,
  type ReturnFormat,
  type ReturnKind,
} from '../../../../preload/contract/schemas/returns';
import { call, messageOf } from '../../app/api';
import { Alert, ScreenHeading, SelectField, Status, TextField } from '../../app/components';
import { formatBytes, formatUkDateTime } from '../../app/format';
import type { FieldErrors } from '../../app/forms';
import { DataGrid } from '../../app/grid';
import { ownFormatting } from '../../components/columns';
import { formatDay, readDays, todayIso, todayUk } from '../../components/dates';
import { schemaErrors } from '../../app/forms';
import { FormDialog } from '../../components/FormDialog';
import { Tabs } from '../../components/Tabs';
import { RadioGroup } from '../disruptions/RadioGroup';
import {
  customId,
  financialYearName,
  financialYearOf,
  PERIOD_KIND_LABELS,
  QUARTER_LABELS,
  quarterId,
  quarterOf,
  recentFinancialYears,
  recentMonths,
  type PeriodKind,
} from './period';

// Chart.js is only needed for a preview: loaded when the first one is shown.
const ReturnCharts = lazy(() => import('./ReturnCharts'));

type Rules = 'internal' | 'public';

const RULE_OPTIONS: { value: Rules; label: string; detail: string }[] = [
  { value: 'internal', label: 'Internal', detail: 'counts of 1 to 4 shown as “<5”, with secondary suppression; no percentage on fewer than 10' },
  { value: 'public', label: 'Public', detail: 'counts under 10 withheld, the rest rounded to the nearest 5' },
];

const FORMAT_LABELS: Record<ReturnFormat, string> = { pdf: 'PDF (for print)', xlsx: 'XLSX spreadsheet', csv: 'CSV', json: 'JSON' };
const KIND_SHORT: Record<string, string> = { corporate: 'Corporate return', meeting_pack: 'Meeting pack' };

/** Whether the contract lets this role call the channel (main checks again on every call). */
function mayCall(channel: keyof typeof contract, role: Role): boolean {
  const access = contract[channel].access;
  return access === 'user' || access === 'public' || access.includes(role);
}

/**
 * Who may save which return. The corporate return goes to whoever the contract allows; the
 * meeting pack names networks, so main lets only the analysts and supervisors who prepare the
 * meeting save it (main/services/returns.service.ts). Mirrored here to hide a button that would
 * only be refused.
 */
function maySave(kind: ReturnKind, role: Role): boolean {
  return mayCall('returns:export', role) && (kind === 'corporate' || role === 'analyst' || role === 'supervisor');
}

/** Supervisors and administrators see every export; everyone else sees their own (main decides). */
const SEES_WHOLE_REGISTER: readonly Role[] = ['administrator', 'supervisor'];

/** The folder part of a path, whichever separator the workstation uses. */
function folderOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i > 0 ? path.slice(0, i + 1) : '';
}

interface Request {
  kind: ReturnKind;
  rules: Rules;
  /** Corporate return: the period id. */
  period?: string;
  /** Meeting pack: the as-of day; today when absent. */
  asOf?: string;
}

const registerColumns: ColDef<ExportRegisterRow>[] = ownFormatting<ExportRegisterRow>([
  { field: 'at', headerName: 'Saved', width: 165, sort: 'desc', valueFormatter: (p) => formatUkDateTime(p.value as string), getQuickFilterText: (p) => formatUkDateTime(p.value as string), filter: false },
  { field: 'userName', headerName: 'By', width: 135 },
  { field: 'kind', headerName: 'Return', width: 140, valueFormatter: (p) => KIND_SHORT[p.value as string] ?? (p.value as string), filterValueGetter: (p) => (p.data ? (KIND_SHORT[p.data.kind] ?? p.data.kind) : '') },
  { field: 'period', headerName: 'Period or as of', width: 140, valueFormatter: (p) => (/^\d{4}-\d{2}-\d{2}$/.test(p.value as string) ? formatDay(p.value as string) : (p.value as string)) },
  { field: 'format', headerName: 'Format', width: 95, valueFormatter: (p) => String(p.value ?? '').toUpperCase() },
  { field: 'ruleSet', headerName: 'Rules', width: 100 },
  { field: 'copyNumber', headerName: 'Copy', width: 85, type: 'numericColumn', filter: 'agNumberColumnFilter' },
  { field: 'purpose', headerName: 'Purpose', width: 200, wrapText: true, autoHeight: true },
  { field: 'recipient', headerName: 'Recipient', width: 200, wrapText: true, autoHeight: true },
  { field: 'fileName', headerName: 'File', width: 230 },
  { field: 'bytes', headerName: 'Size', width: 95, type: 'numericColumn', filter: 'agNumberColumnFilter', valueFormatter: (p) => formatBytes(p.value as number) },
  { field: 'sha256', headerName: 'SHA-256', width: 180, cellClass: 'mono-cell' },
]);

export function ReturnsScreen({ user, stateOwner, exportFolderHint }: { user: SessionUser; stateOwner: string; exportFolderHint: string }) {
  const today = todayIso();
  const [kind, setKind] = useState<ReturnKind>('corporate');
  const [rules, setRules] = useState<Rules>('internal');
  const [periodKind, setPeriodKind] = useState<PeriodKind>('financial_year');
  const [month, setMonth] = useState(today.slice(0, 7));
  const [quarterYear, setQuarterYear] = useState(String(financialYearOf(today)));
  const [quarter, setQuarter] = useState(String(quarterOf(today)));
  const [financialYear, setFinancialYear] = useState(String(financialYearOf(today)));
  const [customFrom, setCustomFrom] = useState('');
  const [customTo, setCustomTo] = useState('');
  const [asOfText, setAsOfText] = useState(todayUk());
  const [errors, setErrors] = useState<FieldErrors>({});
  const [preview, setPreview] = useState<{ request: Request; document: ReturnDocument } | null>(null);
  const [isPreviewing, setPreviewing] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [isSaving, setSaving] = useState(false);
  const [saved, setSaved] = useState<ExportResult | null>(null);
  const [register, setRegister] = useState<ExportRegisterRow[] | null>(null);
  const [registerFind, setRegisterFind] = useState('');
  const [tab, setTab] = useState<'prepare' | 'register'>('prepare');
  const previewRef = useRef<HTMLElement>(null);
  const months = useMemo(() => recentMonths(today), [today]);
  const years = useMemo(() => recentFinancialYears(today), [today]);

  const loadRegister = useCallback(async () => {
    try {
      setRegister(await call('exports:list', {}));
    } catch (e) {
      setFailure(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void loadRegister();
  }, [loadRegister]);

  /** The request as chosen, or field errors. */
  function readRequest(): Request | null {
    const next: FieldErrors = {};
    let request: Request | null = null;
    if (kind === 'corporate') {
      let period = '';
      if (periodKind === 'month') period = month;
      else if (periodKind === 'quarter') period = quarterId(Number(quarterYear), Number(quarter));
      else if (periodKind === 'financial_year') period = financialYearName(Number(financialYear));
      else {
        const { days, errors: dayErrors } = readDays({ customFrom, customTo }, ['customFrom', 'customTo']);
        Object.assign(next, dayErrors);
        if (days.customFrom && days.customTo) {
          if (days.customTo < days.customFrom) next.customTo = 'The end date is before the start date.';
          else period = customId(days.customFrom, days.customTo);
        }
      }
      if (period) {
        const checked = periodText.safeParse(period);
        if (!checked.success) next[periodKind === 'custom' ? 'customTo' : 'period'] = checked.error.issues[0]?.message ?? 'That period is not valid.';
        else request = { kind, rules, period: checked.data };
      }
    } else {
      const { days, errors: dayErrors } = readDays({ asOf: asOfText }, ['asOf']);
      Object.assign(next, dayErrors);
      if (days.asOf && days.asOf > today) next.asOf = 'The meeting pack cannot be as of a future date.';
      else if (days.asOf) request = { kind, rules, asOf: days.asOf };
    }
    setErrors(next);
    return Object.keys(next).length === 0 ? request : null;
  }

  async function showPreview(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    setSaved(null);
    const request = readRequest();
    if (!request) return;
    setPreviewing(true);
    try {
      const document =
        request.kind === 'corporate'
          ? await call('returns:preview', { kind: 'corporate', period: request.period!, rules: request.rules })
          : await call('returns:preview', { kind: 'meeting_pack', rules: request.rules, ...(request.asOf && request.asOf !== today ? { asOf: request.asOf } : {}) });
      setPreview({ request, document });
      // Take the reader (and the keyboard) to what they asked for.
      requestAnimationFrame(() => previewRef.current?.focus());
    } catch (err) {
      setFailure(messageOf(err));
    } finally {
      setPreviewing(false);
    }
  }

  return (
    <div className="returns-layout">
      <ScreenHeading>Returns</ScreenHeading>
      <p className="muted">
        Aggregated returns only: no person appears in any of them. Every figure passes disclosure control in the vault before it is shown or
        saved, and every saved file is recorded as a disclosure with its purpose and recipient.
      </p>
      {failure && <Alert>{failure}</Alert>}

      <Tabs
        label="Returns"
        tabs={[
          { id: 'prepare', label: 'Prepare a return' },
          { id: 'register', label: register ? `Export register (${register.length})` : 'Export register' },
        ]}
        current={tab}
        onChange={setTab}
      >
        {tab === 'prepare' && (
          <>
            <form className="return-request" onSubmit={(e) => void showPreview(e)} noValidate aria-labelledby="return-request-heading">
              <h2 id="return-request-heading">What to produce</h2>
              <RadioGroup
                legend="Return"
                name="return-kind"
                value={kind}
                options={[
                  { value: 'corporate', label: RETURN_KIND_LABELS.corporate, detail: 'networks disrupted, outcomes and the matrix population for a period' },
                  { value: 'meeting_pack', label: RETURN_KIND_LABELS.meeting_pack, detail: 'Band A and B, movement since the last meeting, claims and reviews due' },
                ]}
                onChange={(v) => {
                  setKind(v as ReturnKind);
                  setErrors({});
                }}
              />
              {kind === 'corporate' ? (
                <>
                  <RadioGroup
                    legend="Period"
                    name="period-kind"
                    value={periodKind}
                    options={(Object.keys(PERIOD_KIND_LABELS) as PeriodKind[]).map((k) => ({ value: k, label: PERIOD_KIND_LABELS[k] }))}
                    onChange={(v) => {
                      setPeriodKind(v as PeriodKind);
                      setErrors({});
                    }}
                  />
                  <div className="form-grid">
                    {periodKind === 'month' && (
                      <SelectField label="Month" value={month} onChange={(e) => setMonth(e.target.value)} error={errors.period}>
                        {months.map((m) => (
                          <option key={m.id} value={m.id}>
                            {m.label}
                          </option>
                        ))}
                      </SelectField>
                    )}
                    {periodKind === 'quarter' && (
                      <>
                        <SelectField label="Financial year" value={quarterYear} onChange={(e) => setQuarterYear(e.target.value)}>
                          {years.map((y) => (
                            <option key={y.start} value={y.start}>
                              {y.id}
                            </option>
                          ))}
                        </SelectField>
                        <SelectField label="Quarter" value={quarter} onChange={(e) => setQuarter(e.target.value)} error={errors.period}>
                          {([1, 2, 3, 4] as const).map((q) => (
                            <option key={q} value={q}>
                              {QUARTER_LABELS[q]}
                            </option>
                          ))}
                        </SelectField>
                      </>
                    )}
                    {periodKind === 'financial_year' && (
                      <SelectField label="Financial year" hint="1 April to 31 March" value={financialYear} onChange={(e) => setFinancialYear(e.target.value)} error={errors.period}>
                        {years.map((y) => (
                          <option key={y.start} value={y.start}>
                            {y.id}
                          </option>
                        ))}
                      </SelectField>
                    )}
                    {periodKind === 'custom' && (
                      <>
                        <TextField label="From" hint="dd/mm/yyyy" inputMode="numeric" value={customFrom} onChange={(e) => setCustomFrom(e.target.value)} error={errors.customFrom} autoComplete="off" />
                        <TextField label="To" hint="dd/mm/yyyy, inclusive" inputMode="numeric" value={customTo} onChange={(e) => setCustomTo(e.target.value)} error={errors.customTo} autoComplete="off" />
                      </>
                    )}
                  </div>
                </>
              ) : (
                <div className="form-grid">
                  <TextField label="As of" hint="dd/mm/yyyy; today for the coming meeting" inputMode="numeric" value={asOfText} onChange={(e) => setAsOfText(e.target.value)} error={errors.asOf} autoComplete="off" />
                </div>
              )}
              <RadioGroup legend="Disclosure rules" name="rules" value={rules} options={RULE_OPTIONS} onChange={(v) => setRules(v as Rules)} />
              <div className="actions">
                <button type="submit" className="primary" disabled={isPreviewing}>
                  {isPreviewing ? 'Preparing the preview…' : 'Preview'}
                </button>
              </div>
            </form>

            {preview && (
              <section className="return-preview" ref={previewRef} tabIndex={-1} aria-labelledby="return-preview-heading">
                <div className="toolbar">
                  <h2 id="return-preview-heading">{preview.document.header.title}</h2>
                  {maySave(preview.request.kind, user.role) && (
                    <button type="button" className="primary toolbar-end" onClick={() => setSaving(true)}>
                      Save…
                    </button>
                  )}
                </div>
                <ReturnHeaderFacts document={preview.document} />
                {saved && <SavedFile result={saved} />}
                <Suspense fallback={<p aria-busy="true">Loading the charts…</p>}>
                  <ReturnCharts charts={preview.document.charts} />
                </Suspense>
                {preview.document.sections.map((s) => (
                  <section key={s.id} className="section return-section" aria-labelledby={`return-section-${s.id}`}>
                    <h2 id={`return-section-${s.id}`}>{s.title}</h2>
                    {s.notes.map((n, i) => (
                      <p key={i} className="muted">
                        {n}
                      </p>
                    ))}
                    <div className="return-tables">
                      {s.tables.map((t) => (
                        <ReturnTable key={t.id} table={t} />
                      ))}
                    </div>
                  </section>
                ))}
              </section>
            )}
          </>
        )}
        {tab === 'register' && (
          <>
            <p className="muted">
              {SEES_WHOLE_REGISTER.includes(user.role)
                ? 'Every return saved from this vault: who, when, what, why and for whom.'
                : 'The returns you have saved: when, what, why and for whom. Supervisors see everyone’s.'}
            </p>
            <div className="toolbar register-toolbar">
              <div className="field quick-filter inline">
                <label htmlFor="register-find">Find in the register</label>
                <input id="register-find" type="search" value={registerFind} onChange={(e) => setRegisterFind(e.target.value)} autoComplete="off" />
              </div>
            </div>
            <DataGrid<ExportRegisterRow>
              gridId="export-register"
              stateOwner={stateOwner}
              label="Export register"
              emptyText="Nothing has been exported yet."
              rows={register}
              columns={registerColumns}
              getRowId={(p) => p.data.id}
              quickFilterText={registerFind}
            />
          </>
        )}
      </Tabs>

      {isSaving && preview && (
        <SaveDialog
          request={preview.request}
          folder={folderOf(exportFolderHint)}
          document={preview.document}
          onDone={async (result) => {
            setSaving(false);
            if (result) {
              setSaved(result);
              await loadRegister();
            }
          }}
        />
      )}
    </div>
  );
}

function ReturnHeaderFacts({ document }: { document: ReturnDocument }) {
  const h = document.header;
  return (
    <dl className="return-header" aria-label="Return header">
      <dt>{h.kind === 'corporate' ? 'Period' : 'As of'}</dt>
      <dd data-testid="return-period">{h.kind === 'corporate' ? `${h.periodLabel ?? h.periodId ?? ''} (${formatDay(h.periodFrom)} to ${formatDay(h.periodTo)})` : formatDay(h.asOf)}</dd>
      <dt>Marking</dt>
      <dd>{h.marking}</dd>
      <dt>Disclosure rules</dt>
      <dd data-testid="return-rules">
        {h.ruleSet.id}: {h.ruleSet.description}
      </dd>
      <dt>{h.kind === 'corporate' ? 'Counting rules' : 'Previous meeting'}</dt>
      <dd>{h.kind === 'corporate' ? (h.countingRules ? `${h.countingRules.id}: ${h.countingRules.description}` : '—') : h.previousMeeting ? formatDay(h.previousMeeting) : 'None held before'}</dd>
      <dt>Model and weights</dt>
      <dd>
        {h.model}, {h.weightTable.id} {h.weightTable.version}
      </dd>
      <dt>Prepared</dt>
      <dd>
        {formatUkDateTime(h.generatedAt)} by {h.generatedBy} (a preview, not a numbered copy)
      </dd>
    </dl>
  );
}

/** A published table as main laid it out; withheld figures keep their text ("<5") and a marker class. */
function ReturnTable({ table }: { table: ReportTable }) {
  const numeric = new Set(['count', 'money', 'amount', 'percent', 'score']);
  return (
    <div className="return-table">
      <h3 id={`return-table-${table.id}`}>{table.title}</h3>
      {table.notes.map((n, i) => (
        <p key={i} className="muted">
          {n}
        </p>
      ))}
      {table.rows.length === 0 ? (
        <p className="muted">{table.emptyText}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" aria-labelledby={`return-table-${table.id}`} data-table-id={table.id}>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th scope="col" key={c.key} className={numeric.has(c.kind) ? 'num' : undefined}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r, i) => (
                <tr key={i} className={r.isTotal ? 'total-row' : undefined}>
                  {r.cells.map((cell, j) => {
                    const col = table.columns[j];
                    const className = [col && numeric.has(col.kind) ? 'num' : '', cell.isSuppressed ? 'suppressed' : ''].filter(Boolean).join(' ') || undefined;
                    return j === 0 ? (
                      <th scope="row" key={j} className={className}>
                        {cell.text}
                      </th>
                    ) : (
                      <td key={j} className={className} title={cell.isSuppressed ? 'Withheld by disclosure control' : undefined}>
                        {cell.text}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function SavedFile({ result }: { result: ExportResult }) {
  return (
    <div className="saved-file" role="status" data-testid="saved-file">
      <p>
        <strong>Saved copy {result.copyNumber}</strong> ({result.format.toUpperCase()}, {formatBytes(result.bytes)}) to <span className="path">{result.path}</span>
      </p>
      <p>
        SHA-256: <span className="hash" data-testid="saved-sha256">{result.sha256}</span>
      </p>
    </div>
  );
}

function SaveDialog(props: { request: Request; folder: string; document: ReturnDocument; onDone: (result: ExportResult | null) => void | Promise<void> }) {
  const { request } = props;
  const formats: readonly ReturnFormat[] = request.kind === 'corporate' ? CORPORATE_FORMATS : MEETING_PACK_FORMATS;
  const [format, setFormat] = useState<ReturnFormat>(formats[0]!);
  const baseName = request.kind === 'corporate' ? `corporate-return-${(request.period ?? '').replace(/[/.]+/g, '-')}` : `meeting-pack-${request.asOf ?? todayIso()}`;
  const [path, setPath] = useState(`${props.folder}${baseName}.${formats[0]}`);
  const [purpose, setPurpose] = useState('');
  const [recipient, setRecipient] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [elapsed, setElapsed] = useState(0);

  useEffect(() => {
    if (startedAt === null) return;
    const timer = setInterval(() => setElapsed(Math.floor((Date.now() - startedAt) / 1000)), 500);
    return () => clearInterval(timer);
  }, [startedAt]);

  function changeFormat(next: ReturnFormat) {
    // Keep the file name in step with the format while it still ends in the old extension.
    setPath((p) => (p.toLowerCase().endsWith(`.${format}`) ? `${p.slice(0, -format.length)}${next}` : p));
    setFormat(next);
    setErrors({});
  }

  async function submit() {
    setFailure(null);
    const parsed = exportInput.safeParse({
      kind: request.kind,
      format,
      ...(request.kind === 'corporate' ? { period: request.period } : request.asOf && request.asOf !== todayIso() ? { asOf: request.asOf } : {}),
      path,
      rules: request.rules,
      purpose,
      recipient,
    });
    if (!parsed.success) {
      setErrors(schemaErrors(parsed.error));
      return;
    }
    setErrors({});
    setStartedAt(Date.now());
    setElapsed(0);
    try {
      const result = await call('returns:export', parsed.data);
      await props.onDone(result);
    } catch (e) {
      setFailure(messageOf(e));
      setStartedAt(null);
    }
  }

  const isBusy = startedAt !== null;
  return (
    <FormDialog
      isOpen
      title={`Save the ${request.kind === 'corporate' ? 'corporate return' : 'meeting pack'}`}
      submitLabel="Save"
      busyLabel="Saving…"
      isBusy={isBusy}
      failure={failure}
      wide
      onSubmit={() => void submit()}
      onCancel={() => void props.onDone(null)}
    >
      <p>
        {props.document.header.title}
        {request.kind === 'corporate' ? `, ${props.document.header.periodLabel ?? request.period}` : `, as of ${formatDay(props.document.header.asOf)}`}, under the{' '}
        {request.rules} disclosure rules. The file is a numbered copy marked {props.document.header.marking}.
      </p>
      <RadioGroup legend="Format" name="export-format" value={format} options={formats.map((f) => ({ value: f, label: FORMAT_LABELS[f] }))} onChange={(v) => changeFormat(v as ReturnFormat)} error={errors.format} />
      <TextField label="Save to" hint="The full path of a new file; an existing file is never overwritten." className="mono" value={path} onChange={(e) => setPath(e.target.value)} error={errors.path} autoComplete="off" />
      <TextField label="Purpose" hint="Why it is disclosed, e.g. “Monthly performance return”." value={purpose} onChange={(e) => setPurpose(e.target.value)} error={errors.purpose} autoComplete="off" maxLength={500} />
      <TextField label="Recipient" hint="Who receives it, e.g. “Performance Unit, SCD”." value={recipient} onChange={(e) => setRecipient(e.target.value)} error={errors.recipient} autoComplete="off" maxLength={500} />
      {isBusy && (
        <div className="progress" role="status" aria-live="polite">
          <progress aria-label="Saving the file" />
          <p>
            Writing the {format.toUpperCase()} and recording the disclosure…{elapsed > 0 ? ` ${elapsed} s` : ''}
          </p>
        </div>
      )}
    </FormDialog>
  );
}
