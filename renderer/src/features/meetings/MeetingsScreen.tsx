/**
 * Prioritisation meetings (docs/specification.md, "Meeting"): holding one freezes every network's score, band,
 * owner and plan status as of the meeting day, so the next meeting pack can show what moved.
 * Keepers hold a meeting (today, or a past day that has none); everyone sees those held.
 */
import '../../components/matrix.css';
import '../disruptions/disruptions.css';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { ColDef } from 'ag-grid-community';
import type { Output, SessionUser } from '../../../../preload/contract';
import { call, messageOf } from '../../app/api';
import { Alert, ConfirmDialog, ScreenHeading, Status, TextField } from '../../app/components';
import { formatUkDateTime } from '../../app/format';
import { useSubmit } from '../../app/forms';
import { DataGrid } from '../../app/grid';
import { ownFormatting } from '../../components/columns';
import { formatDay, readDays, todayIso, todayUk } from '../../components/dates';
import { abilitiesOf } from '../../components/roles';
import { dayFilterParams } from '../matrix/matrix.columns';

type Meeting = Output<'meetings:list'>[number];

const columns: ColDef<Meeting>[] = ownFormatting<Meeting>([
  {
    field: 'heldOn',
    headerName: 'Meeting date',
    width: 170,
    sort: 'desc',
    valueFormatter: (p) => formatDay(p.value as string),
    filter: 'agDateColumnFilter',
    filterParams: dayFilterParams,
    getQuickFilterText: (p) => formatDay(p.value as string),
  },
  { field: 'heldBy', headerName: 'Held by', width: 170 },
  { field: 'heldAt', headerName: 'Recorded at', width: 180, valueFormatter: (p) => formatUkDateTime(p.value as string), filter: false },
  { field: 'networkCount', headerName: 'Networks frozen', width: 160, type: 'numericColumn', filter: 'agNumberColumnFilter' },
  { colId: 'model', headerName: 'Model and weights', flex: 1, minWidth: 220, valueGetter: (p) => (p.data ? `${p.data.model}, ${p.data.weightTableId} ${p.data.weightTableVersion}` : '') },
]);

export function MeetingsScreen({ user, stateOwner }: { user: SessionUser; stateOwner: string }) {
  const { canKeep } = abilitiesOf(user);
  const [meetings, setMeetings] = useState<Meeting[] | null>(null);
  const [networkCount, setNetworkCount] = useState<number | null>(null);
  const [heldOnText, setHeldOnText] = useState(todayUk());
  const [pending, setPending] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit();
  const grid = useMemo(() => columns, []);

  const load = useCallback(async () => {
    try {
      setMeetings(await call('meetings:list'));
      setFailure(null);
    } catch (e) {
      setFailure(messageOf(e));
    }
  }, [setFailure]);

  useEffect(() => {
    void load();
  }, [load]);

  function ask(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    setFailure(null);
    const { days, errors: dayErrors } = readDays({ heldOn: heldOnText }, ['heldOn']);
    if (dayErrors.heldOn || !days.heldOn) {
      setErrors(dayErrors.heldOn ? { heldOn: dayErrors.heldOn } : {});
      return;
    }
    if (days.heldOn > todayIso()) {
      setErrors({ heldOn: 'A meeting cannot be held on a future date.' });
      return;
    }
    if (meetings?.some((m) => m.heldOn === days.heldOn)) {
      setErrors({ heldOn: `A meeting was already held on ${formatDay(days.heldOn)}.` });
      return;
    }
    setErrors({});
    setPending(days.heldOn);
    // How many networks the snapshot will hold, for the confirmation.
    call('networks:list', {})
      .then((n) => setNetworkCount(n.length))
      .catch(() => setNetworkCount(null));
  }

  async function hold() {
    if (!pending) return;
    await run(
      async () => {
        const m = await call('meetings:hold', pending === todayIso() ? {} : { heldOn: pending });
        setNotice(`Meeting of ${formatDay(m.heldOn)} held: ${m.networkCount} ${m.networkCount === 1 ? 'network' : 'networks'} frozen with their score, band, owner and plan status.`);
        setPending(null);
        await load();
      },
      () => setPending(null),
    );
  }

  const last = meetings?.[0];
  return (
    <>
      <ScreenHeading>Meetings</ScreenHeading>
      <p className="muted">
        The monthly prioritisation meeting. Holding it freezes every network’s score, band, owner and plan status for that day; the next
        meeting pack shows the movement since. {last ? `The last meeting was on ${formatDay(last.heldOn)}.` : 'No meeting has been held yet.'}
      </p>
      {failure && <Alert>{failure}</Alert>}
      {notice && <Status>{notice}</Status>}
      {canKeep && (
        <form className="panel-form" onSubmit={ask} noValidate aria-label="Hold a meeting">
          <TextField label="Meeting date" hint="dd/mm/yyyy; today or a past day" inputMode="numeric" value={heldOnText} onChange={(e) => setHeldOnText(e.target.value)} error={errors.heldOn} autoComplete="off" />
          <div className="actions">
            <button type="submit" className="primary" disabled={isBusy}>
              Hold meeting…
            </button>
          </div>
        </form>
      )}
      <DataGrid<Meeting>
        gridId="meetings"
        stateOwner={stateOwner}
        label="Meetings held"
        emptyText="No meetings held yet."
        rows={meetings}
        columns={grid}
        getRowId={(p) => p.data.id}
      />
      <ConfirmDialog
        isOpen={pending !== null}
        title={`Hold the prioritisation meeting of ${formatDay(pending)}?`}
        confirmLabel={isBusy ? 'Holding…' : 'Hold meeting'}
        isBusy={isBusy}
        onConfirm={() => void hold()}
        onCancel={() => setPending(null)}
      >
        <p>
          Every network’s score, band, owner and plan status as of {formatDay(pending)} is frozen
          {networkCount === null ? '' : ` (${networkCount} ${networkCount === 1 ? 'network' : 'networks'})`}. A meeting cannot be held twice on
          one day, and a snapshot is never changed afterwards.
        </p>
      </ConfirmDialog>
    </>
  );
}
