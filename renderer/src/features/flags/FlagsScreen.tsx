/**
 * Gang flags on people and offences. Everyone sees all flags; supervisors also get the queue
 * (proposed flags to confirm, confirmed flags due for review) and confirm, expire or remove them
 * with a reason. Main confirms a flag only when its criteria are met and says so if not.
 */
import '../../components/matrix.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Output, SessionUser } from '../../../../preload/contract';
import { call, messageOf } from '../../app/api';
import { Alert, ScreenHeading, Status, TextField } from '../../app/components';
import { DataGrid } from '../../app/grid';
import { FormDialog } from '../../components/FormDialog';
import { abilitiesOf } from '../../components/roles';
import { Tabs } from '../../components/Tabs';
import { flagsColumns, type FlagRow } from './flags.columns';

type View = 'all' | 'queue';

export function FlagsScreen({ user, stateOwner }: { user: SessionUser; stateOwner: string }) {
  const { canSupervise } = abilitiesOf(user);
  const [view, setView] = useState<View>(canSupervise ? 'queue' : 'all');
  const [flags, setFlags] = useState<Output<'flags:list'> | null>(null);
  const [networks, setNetworks] = useState<Map<string, string> | null>(null);
  const [selected, setSelected] = useState<FlagRow | null>(null);
  const [quickFilter, setQuickFilter] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [ending, setEnding] = useState<'expired' | 'removed' | null>(null);
  const [isBusy, setBusy] = useState(false);

  const load = useCallback(async (v: View) => {
    setFlags(null);
    setSelected(null);
    try {
      setFlags(await call('flags:list', { view: v }));
      setFailure(null);
    } catch (e) {
      setFailure(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void load(view);
  }, [load, view]);

  useEffect(() => {
    call('networks:list', {})
      .then((list) => setNetworks(new Map(list.map((n) => [n.id, n.reference]))))
      .catch(() => setNetworks(new Map()));
  }, []);

  const columns = useMemo(() => flagsColumns(), []);
  // Shown once both lists are in, so every row has its network's reference from the start.
  const rows = useMemo<FlagRow[] | null>(
    () => (flags && networks ? flags.map((f) => ({ ...f, networkReference: f.networkId ? (networks.get(f.networkId) ?? '') : '' })) : null),
    [flags, networks],
  );
  const current = selected && rows?.find((r) => r.id === selected.id);
  const isCurrentFlag = current && (current.status === 'proposed' || current.status === 'confirmed');

  async function confirm() {
    if (!current) return;
    setBusy(true);
    setFailure(null);
    setNotice(null);
    try {
      await call('flags:confirm', { id: current.id });
      setNotice(`Flag on ${current.subjectLabel} confirmed.`);
      await load(view);
    } catch (e) {
      setFailure(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const tabs = canSupervise
    ? [
        { id: 'queue' as const, label: 'Flags queue' },
        { id: 'all' as const, label: 'All flags' },
      ]
    : [{ id: 'all' as const, label: 'All flags' }];

  const grid = (
    <>
      <div className="toolbar">
        <div className="field quick-filter inline">
          <label htmlFor="flags-quick-filter">Find a flag</label>
          <input id="flags-quick-filter" type="search" value={quickFilter} onChange={(e) => setQuickFilter(e.target.value)} autoComplete="off" />
        </div>
        {canSupervise && (
          <>
            <button type="button" className="primary" onClick={() => void confirm()} disabled={!current || current.status !== 'proposed' || isBusy}>
              Confirm flag
            </button>
            <button type="button" onClick={() => setEnding('expired')} disabled={!isCurrentFlag || isBusy}>
              Expire…
            </button>
            <button type="button" className="danger" onClick={() => setEnding('removed')} disabled={!isCurrentFlag || isBusy}>
              Remove…
            </button>
          </>
        )}
        <span className="muted">{current ? `Selected: ${current.subjectLabel}` : canSupervise ? 'Select a flag to act on it.' : ''}</span>
      </div>
      <DataGrid<FlagRow>
        // ag-grid reads the empty-grid text and saved column state only when a grid is built:
        // one grid per tab, so switching tabs does not keep the other tab's.
        key={view}
        gridId={view === 'queue' ? 'flags-queue' : 'flags'}
        stateOwner={stateOwner}
        label={view === 'queue' ? 'Flags queue' : 'Gang flags'}
        emptyText={view === 'queue' ? 'Nothing waiting: no proposed flags and none due for review.' : 'No gang flags yet.'}
        rows={rows}
        columns={columns}
        getRowId={(p) => p.data.id}
        quickFilterText={quickFilter}
        isSelectable={canSupervise}
        onSelected={setSelected}
      />
    </>
  );

  return (
    <>
      <ScreenHeading>Flags</ScreenHeading>
      <p className="muted">
        A flag needs at least two independent graded sources or a self-admission, and a supervisor to confirm it. Confirmed flags are reviewed
        every 6 months (3 for under-18s).
      </p>
      {failure && <Alert>{failure}</Alert>}
      {notice && <Status>{notice}</Status>}
      {tabs.length > 1 ? (
        <Tabs label="Flag views" tabs={tabs} current={view} onChange={setView}>
          {grid}
        </Tabs>
      ) : (
        grid
      )}
      {ending && current && (
        <EndFlagForm
          flag={current}
          status={ending}
          onDone={async (message) => {
            setEnding(null);
            if (message) {
              setNotice(message);
              await load(view);
            }
          }}
        />
      )}
    </>
  );
}

function EndFlagForm({ flag, status, onDone }: { flag: FlagRow; status: 'expired' | 'removed'; onDone: (message: string | null) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const verb = status === 'expired' ? 'Expire' : 'Remove';

  async function submit() {
    setFailure(null);
    if (!reason.trim()) {
      setError('Give a reason.');
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      await call('flags:end', { id: flag.id, status, reason });
      onDone(`Flag on ${flag.subjectLabel} ${status}.`);
    } catch (e) {
      setFailure(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <FormDialog isOpen title={`${verb} the flag on ${flag.subjectLabel}?`} submitLabel={`${verb} flag`} isBusy={isBusy} failure={failure} onSubmit={() => void submit()} onCancel={() => onDone(null)}>
      <p>{status === 'expired' ? 'The flag has served its purpose or was not re-validated at review.' : 'The flag should not have been made or no longer holds.'} Your reason is recorded in the audit log.</p>
      <TextField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} error={error} autoComplete="off" maxLength={1000} />
    </FormDialog>
  );
}
