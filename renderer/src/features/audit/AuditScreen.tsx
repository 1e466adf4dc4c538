/**
 * Supervisors and administrators: the audit log, filtered in main by user, action, entity type
 * and date range, shown newest first; and a check of the whole hash chain.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { AUDIT_ACTIONS, type AuditRow, type Input, type Output } from '../../../../preload/contract';
import { call, messageOf } from '../../app/api';
import { Alert, ScreenHeading, SelectField, Status, TextField } from '../../app/components';
import { parseUkDate } from '../../app/format';
import { DataGrid } from '../../app/grid';
import { ACTION_LABELS, auditColumns, KNOWN_ENTITY_TYPES, type AuditAction } from './audit.columns';
import { AnchorDialog, type AnchorWritten } from './AnchorDialog';

type Filter = Input<'audit:list'>;
type Verification = Output<'audit:verify'>;

const EMPTY_FORM = { userName: '', action: '', entityType: '', from: '', to: '' };

const BAD_DATE = 'Enter a date as dd/mm/yyyy, for example 30/06/2026.';

/** The filter for main, or the errors to show beside the date fields. */
function toFilter(form: typeof EMPTY_FORM): { filter: Filter; errors: { from?: string; to?: string } } {
  const filter: Filter = {};
  const errors: { from?: string; to?: string } = {};
  if (form.userName.trim()) filter.userName = form.userName.trim();
  if (form.action) filter.action = form.action as AuditAction;
  if (form.entityType.trim()) filter.entityType = form.entityType.trim();
  for (const key of ['from', 'to'] as const) {
    if (!form[key].trim()) continue;
    const iso = parseUkDate(form[key]);
    if (iso) filter[key] = iso;
    else errors[key] = BAD_DATE;
  }
  if (filter.from && filter.to && filter.from > filter.to) errors.to = 'This date is before the "from" date.';
  return { filter, errors };
}

export function AuditScreen({ stateOwner, folderHint }: { stateOwner: string; folderHint: string }) {
  const [form, setForm] = useState(EMPTY_FORM);
  const [rows, setRows] = useState<AuditRow[] | null>(null);
  const [knownUsers, setKnownUsers] = useState<string[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [dateErrors, setDateErrors] = useState<{ from?: string; to?: string }>({});
  const [isLoading, setLoading] = useState(false);
  const [verification, setVerification] = useState<Verification | null>(null);
  const [isVerifying, setVerifying] = useState(false);
  const [isAnchoring, setAnchoring] = useState(false);
  const [anchor, setAnchor] = useState<AnchorWritten | null>(null);

  const load = useCallback(async (filter: Filter) => {
    setLoading(true);
    setFailure(null);
    try {
      const result = await call('audit:list', filter);
      setRows(result);
      setKnownUsers((prev) => [...new Set([...prev, ...result.map((r) => r.userName).filter((n): n is string => Boolean(n))])].sort());
    } catch (e) {
      setFailure(messageOf(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load({});
  }, [load]);

  function apply(e: FormEvent) {
    e.preventDefault();
    const { filter, errors } = toFilter(form);
    setDateErrors(errors);
    if (errors.from || errors.to) return;
    void load(filter);
  }

  function clear() {
    setForm(EMPTY_FORM);
    setDateErrors({});
    void load({});
  }

  async function verify() {
    setVerifying(true);
    setVerification(null);
    setFailure(null);
    try {
      setVerification(await call('audit:verify'));
    } catch (e) {
      setFailure(messageOf(e));
    } finally {
      setVerifying(false);
    }
  }

  const set = (key: keyof typeof EMPTY_FORM) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const count = useMemo(() => (rows ? `${rows.length} ${rows.length === 1 ? 'entry' : 'entries'}, newest first.` : ''), [rows]);

  return (
    <>
      <ScreenHeading>Audit log</ScreenHeading>
      <form className="filters" onSubmit={apply} noValidate aria-label="Audit filters">
        <TextField label="User" value={form.userName} onChange={set('userName')} list="audit-users" autoComplete="off" />
        <datalist id="audit-users">
          {knownUsers.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <SelectField label="Action" value={form.action} onChange={set('action')}>
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {ACTION_LABELS[a]}
            </option>
          ))}
        </SelectField>
        <TextField label="Entity type" value={form.entityType} onChange={set('entityType')} list="audit-entities" autoComplete="off" />
        <datalist id="audit-entities">
          {KNOWN_ENTITY_TYPES.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <TextField label="From" hint="dd/mm/yyyy" inputMode="numeric" value={form.from} onChange={set('from')} error={dateErrors.from} />
        <TextField label="To" hint="dd/mm/yyyy" inputMode="numeric" value={form.to} onChange={set('to')} error={dateErrors.to} />
        <div className="filter-actions">
          <button type="submit" className="primary" disabled={isLoading}>
            Apply filters
          </button>
          <button type="button" onClick={clear} disabled={isLoading}>
            Clear
          </button>
        </div>
      </form>
      {failure && <Alert>{failure}</Alert>}
      <div className="toolbar">
        <span className="muted" role="status" aria-busy={isLoading}>
          {isLoading ? 'Loading…' : count}
        </span>
        <button type="button" onClick={() => void verify()} disabled={isVerifying}>
          {isVerifying ? 'Verifying…' : 'Verify chain'}
        </button>
        <button type="button" onClick={() => { setAnchor(null); setAnchoring(true); }}>
          Write audit anchor
        </button>
      </div>
      {isAnchoring && (
        <AnchorDialog
          folderHint={folderHint}
          onDone={(result) => {
            setAnchoring(false);
            setAnchor(result);
            // The anchor's own entry is in the log now: show it.
            if (result) void load(toFilter(form).filter);
          }}
        />
      )}
      {anchor && (
        <Status>
          Audit anchor written to <span className="mono">{anchor.path}</span>: entry {anchor.seq}, hash <span className="mono">{anchor.hash}</span>. Keep it where no user of this vault can
          change it.
        </Status>
      )}
      {verification &&
        (verification.isIntact ? (
          <Status>
            The audit chain is intact: all {verification.count} entries check out, and their signatures with them
            {verification.beforeSigning > 0 ? ` (entries 1 to ${verification.beforeSigning} are from before signing and have the chain's check only)` : ''}.
          </Status>
        ) : (
          <Alert>
            The audit chain is broken at entry {verification.firstBrokenSeq}
            {verification.reason ? `: ${verification.reason}` : '.'} Tell your supervisor and do not rely on entries from there on.
          </Alert>
        ))}
      <DataGrid<AuditRow> gridId="audit" stateOwner={stateOwner} label="Audit entries" emptyText="No entries match these filters." rows={rows} columns={auditColumns} getRowId={(p) => String(p.data.seq)} />
    </>
  );
}
