/**
 * The matrix: every network with its score, parts, band, confidence and trend; quick filter,
 * column filters, sorting and keyboard navigation; Enter or a double click opens the card. The
 * as-of date rescores the view for that day in main (nothing is stored); "Rescore all" stores
 * today's scores for every network.
 */
import '../../components/matrix.css';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { MatrixRow, SessionUser } from '../../../../preload/contract';
import { call, messageOf } from '../../app/api';
import { Alert, ScreenHeading, Status, TextField } from '../../app/components';
import { parseUkDate } from '../../app/format';
import { DataGrid } from '../../app/grid';
import { BAD_DAY, formatDay, todayIso } from '../../components/dates';
import { abilitiesOf } from '../../components/roles';
import { useReference } from '../../components/reference';
import { matrixColumns } from './matrix.columns';
import { NetworkForm } from './NetworkForm';

/**
 * The quick filter and as-of date survive opening a card and coming back (column state is kept
 * by the grid). Module state, so locking, which reloads the page, clears it.
 */
const remembered: { quickFilter: string; asOfText: string; asOf: string | null } = { quickFilter: '', asOfText: '', asOf: null };

export function MatrixScreen({ user, stateOwner, onOpenNetwork }: { user: SessionUser; stateOwner: string; onOpenNetwork: (id: string) => void }) {
  const { canKeep } = abilitiesOf(user);
  const { reference, failure: referenceFailure } = useReference();
  const [rows, setRows] = useState<MatrixRow[] | null>(null);
  /** The day the rows were scored for; null means today's stored scores. */
  const [asOf, setAsOf] = useState<string | null>(null);
  const [asOfText, setAsOfText] = useState(remembered.asOfText);
  const [asOfError, setAsOfError] = useState<string | undefined>();
  const [quickFilter, setQuickFilter] = useState(remembered.quickFilter);
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isLoading, setLoading] = useState(false);
  const [isRescoring, setRescoring] = useState(false);
  const [isCreating, setCreating] = useState(false);

  const load = useCallback(async (day: string | null) => {
    setLoading(true);
    setFailure(null);
    try {
      setRows(await call('networks:list', day ? { asOf: day } : {}));
      setAsOf(day);
      remembered.asOf = day;
    } catch (e) {
      setFailure(messageOf(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(remembered.asOf);
  }, [load]);

  useEffect(() => {
    remembered.quickFilter = quickFilter;
    remembered.asOfText = asOfText;
  }, [quickFilter, asOfText]);

  function applyAsOf(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    if (!asOfText.trim()) {
      setAsOfError(undefined);
      void load(null);
      return;
    }
    const day = parseUkDate(asOfText);
    if (!day) {
      setAsOfError(BAD_DAY);
      return;
    }
    setAsOfError(undefined);
    void load(day === todayIso() ? null : day);
  }

  function backToToday() {
    setAsOfText('');
    setAsOfError(undefined);
    void load(null);
  }

  async function rescoreAll() {
    setRescoring(true);
    setNotice(null);
    setFailure(null);
    try {
      const r = await call('networks:rescore-all', {});
      setNotice(`Rescored ${r.scored} ${r.scored === 1 ? 'network' : 'networks'} as of today; ${r.changed} changed.`);
      setAsOfText('');
      await load(null);
    } catch (e) {
      setFailure(messageOf(e));
    } finally {
      setRescoring(false);
    }
  }

  const columns = useMemo(() => matrixColumns(reference), [reference]);
  // Every row carries the day it was scored for; the newest stored one names "today's" view.
  const scoredOn = asOf ?? rows?.reduce<string | null>((d, r) => (d === null || r.asOf > d ? r.asOf : d), null) ?? null;
  const summary = rows ? `${rows.length} ${rows.length === 1 ? 'network' : 'networks'}` : '';

  return (
    <>
      <ScreenHeading>Matrix</ScreenHeading>
      {referenceFailure && <Alert>{referenceFailure}</Alert>}
      <div className="matrix-controls">
        <form className="asof" onSubmit={applyAsOf} noValidate aria-label="Score as of a date">
          <TextField
            label="Score as of"
            hint="dd/mm/yyyy; leave empty for today"
            inputMode="numeric"
            className="narrow"
            value={asOfText}
            onChange={(e) => setAsOfText(e.target.value)}
            error={asOfError}
          />
          <div className="asof-actions">
            <button type="submit" disabled={isLoading}>
              Show scores
            </button>
            {asOf && (
              <button type="button" onClick={backToToday} disabled={isLoading}>
                Back to today
              </button>
            )}
          </div>
        </form>
        <div className="field quick-filter">
          <label htmlFor="matrix-quick-filter">Find in the matrix</label>
          <div className="field-hint">Matches any column: reference, name, borough, owner…</div>
          <input id="matrix-quick-filter" type="search" value={quickFilter} onChange={(e) => setQuickFilter(e.target.value)} autoComplete="off" />
        </div>
        {canKeep && (
          <div className="matrix-actions">
            <button type="button" className="primary" onClick={() => setCreating(true)} disabled={!reference}>
              New network
            </button>
            <button type="button" onClick={() => void rescoreAll()} disabled={isRescoring}>
              {isRescoring ? 'Rescoring…' : 'Rescore all'}
            </button>
          </div>
        )}
      </div>
      <p className={`asof-banner${asOf ? ' asof-past' : ''}`} role="status" aria-busy={isLoading || isRescoring}>
        {isRescoring
          ? 'Rescoring every network. This can take a few seconds on a large vault.'
          : isLoading
            ? 'Loading…'
            : scoredOn
              ? `Scored as of ${formatDay(scoredOn)}${asOf ? ' (computed for this view only; stored scores are unchanged)' : ''}. ${summary}.`
              : summary}
      </p>
      {failure && <Alert>{failure}</Alert>}
      {notice && <Status>{notice}</Status>}
      <DataGrid<MatrixRow>
        gridId="matrix"
        stateOwner={stateOwner}
        label="Networks"
        emptyText={canKeep ? 'No networks yet. Use “New network” to add the first.' : 'No networks yet.'}
        // Borough names come from the reference lists: rows wait for them, so no cell shows a code.
        rows={reference ? rows : null}
        columns={columns}
        getRowId={(p) => p.data.id}
        quickFilterText={quickFilter}
        onRowActivated={(r) => onOpenNetwork(r.id)}
      />
      <p className="muted grid-help">Enter or double-click opens a network's card. Arrow keys move between cells.</p>
      {isCreating && reference && (
        <NetworkForm
          isOpen
          reference={reference}
          onSaved={(n) => {
            setCreating(false);
            onOpenNetwork(n.id);
          }}
          onCancel={() => setCreating(false)}
        />
      )}
    </>
  );
}
