/**
 * The network card's Disruptions section: every claim naming this network (as primary or as
 * another network), in the disruptions grid's columns, with "Claim a disruption" starting a claim
 * for this network; and the plan status control the card shows in its facts.
 */
import './disruptions.css';
import { useEffect, useMemo, useState } from 'react';
import type { DisruptionRow, NetworkCard, SessionUser } from '../../../../preload/contract';
import { PLAN_STATUSES } from '../../../../preload/contract/schemas/disruptions';
import { call, messageOf } from '../../app/api';
import { Alert } from '../../app/components';
import { useSubmit } from '../../app/forms';
import { DataGrid } from '../../app/grid';
import type { ReferenceLookup } from '../../components/reference';
import { abilitiesOf } from '../../components/roles';
import { disruptionColumns } from './disruptions.columns';
import { LEVEL_RANK, levelLabel, PLAN_STATUS_LABELS, type Level, type PlanStatus } from './labels';

export function NetworkDisruptions(props: {
  networkId: string;
  user: SessionUser;
  stateOwner: string;
  reference: ReferenceLookup;
  onClaim: (networkId: string) => void;
  onOpen: (id: string) => void;
}) {
  const { canKeep } = abilitiesOf(props.user);
  const [rows, setRows] = useState<DisruptionRow[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const columns = useMemo(() => disruptionColumns(props.reference), [props.reference]);

  useEffect(() => {
    let isCurrent = true;
    call('disruptions:list', { view: 'all', networkId: props.networkId })
      .then((r) => isCurrent && setRows(r))
      .catch((e: unknown) => isCurrent && setFailure(messageOf(e)));
    return () => {
      isCurrent = false;
    };
  }, [props.networkId]);

  const validated = (rows ?? []).filter((r) => r.status === 'validated');
  const highest = validated.reduce<Level | null>((h, r) => (h === null || LEVEL_RANK[r.level] > LEVEL_RANK[h] ? r.level : h), null);
  const last = validated.reduce<DisruptionRow | null>((l, r) => (l === null || (r.activityEnd ?? '') > (l.activityEnd ?? '') ? r : l), null);

  return (
    <>
      <div className="toolbar">
        <span className="muted" data-testid="network-disruption-summary">
          {rows === null
            ? 'Loading…'
            : rows.length === 0
              ? 'No disruption has been claimed against this network.'
              : `${rows.length} ${rows.length === 1 ? 'claim' : 'claims'}; ${validated.length} validated${highest ? `, highest level ${levelLabel(highest).toLowerCase()}` : ''}${last ? `, last ${last.reference}` : ''}.`}
        </span>
        {canKeep && (
          <button type="button" className="primary" onClick={() => props.onClaim(props.networkId)}>
            Claim a disruption
          </button>
        )}
      </div>
      {failure && <Alert>{failure}</Alert>}
      <DataGrid<DisruptionRow>
        gridId="network-disruptions"
        stateOwner={props.stateOwner}
        label="Disruptions of this network"
        emptyText="No disruptions claimed."
        rows={rows}
        columns={columns}
        getRowId={(p) => p.data.id}
        onRowActivated={(r) => props.onOpen(r.id)}
        isCompact
        getRowClass={(p) => (p.data?.status === 'rejected' ? 'row-ended' : undefined)}
      />
      <p className="muted grid-help">Enter or double-click opens a claim.</p>
    </>
  );
}

/**
 * The network's plan status, read from the card when main includes it. Until the contract's
 * network record carries `planStatus`, the latest value is read from the network's own audit
 * trail (main writes "plan status set to …" there), so the control never claims a status it does
 * not know.
 */
export function planStatusOf(card: NetworkCard): PlanStatus | null {
  const direct = (card.network as { planStatus?: string }).planStatus;
  if (direct && (PLAN_STATUSES as readonly string[]).includes(direct)) return direct as PlanStatus;
  for (const a of card.audit) {
    const m = / plan status set to (.+)$/.exec(a.summary);
    if (m) {
      const words = m[1]!.trim().replace(/ /g, '_');
      if ((PLAN_STATUSES as readonly string[]).includes(words)) return words as PlanStatus;
    }
  }
  return null;
}

export function PlanStatusControl(props: { card: NetworkCard; user: SessionUser; onSaved: (message: string) => void }) {
  const { canKeep } = abilitiesOf(props.user);
  const known = planStatusOf(props.card);
  const [value, setValue] = useState<string>(known ?? 'none');
  const [saved, setSaved] = useState<PlanStatus | null>(known);
  const { isBusy, failure, run } = useSubmit();
  const current = saved ?? known;

  if (!canKeep) return <span data-testid="plan-status">{current ? PLAN_STATUS_LABELS[current] : PLAN_STATUS_LABELS.none}</span>;

  async function save() {
    await run(async () => {
      const r = await call('networks:set-plan-status', { id: props.card.network.id, planStatus: value as PlanStatus });
      setSaved(r.planStatus as PlanStatus);
      props.onSaved(`Plan status set to “${PLAN_STATUS_LABELS[r.planStatus as PlanStatus] ?? r.planStatus}”.`);
    });
  }

  return (
    <span className="plan-status">
      <select aria-label="Plan status" value={value} onChange={(e) => setValue(e.target.value)} disabled={isBusy}>
        {PLAN_STATUSES.map((p) => (
          <option key={p} value={p}>
            {PLAN_STATUS_LABELS[p]}
          </option>
        ))}
      </select>
      <button type="button" onClick={() => void save()} disabled={isBusy || value === (current ?? 'none')}>
        {isBusy ? 'Saving…' : 'Set plan status'}
      </button>
      {failure && <span className="field-error">{failure}</span>}
    </span>
  );
}
