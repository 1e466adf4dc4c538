/**
 * One disruption claim: the record, its workflow so far as a timeline, harm before and after for
 * each network (pending until six months after the activity), the outcomes, and its audit trail;
 * with the workflow actions the signed-in user's role may take on a claim in this state.
 *
 * The buttons follow role and status only. Main decides: it knows units, who endorsed, and the
 * dates, and refuses anything the workflow does not allow (preload/contract/disruption-workflow.ts).
 * Its refusal is shown as it is, in an alert, beside the action that was refused.
 */
import { useCallback, useEffect, useState } from 'react';
import type { NetworkCard, Output, SessionUser } from '../../../../preload/contract';
import { DISRUPTION_LEVELS, durabilityInput, FIREARM_TYPES, transitionInput } from '../../../../preload/contract/schemas/disruptions';
import { call, messageOf } from '../../app/api';
import { Alert, ScreenHeading, SelectField, Status } from '../../app/components';
import { formatUkDateTime } from '../../app/format';
import type { FieldErrors } from '../../app/forms';
import { DataGrid } from '../../app/grid';
import { formatDay, todayIso } from '../../components/dates';
import { schemaErrors } from '../../app/forms';
import { FormDialog } from '../../components/FormDialog';
import { gradeText } from '../../components/labels';
import { fixed } from '../../components/numbers';
import type { ReferenceLookup } from '../../components/reference';
import { TextAreaField } from '../../components/TextAreaField';
import { auditColumns } from '../audit/audit.columns';
import { RadioGroup } from './RadioGroup';
import {
  DURABILITY_LABELS,
  FIREARM_LABELS,
  FOUR_P_LABELS,
  grams,
  LEVEL_RANK,
  levelLabel,
  OUTCOME_GROUPS,
  outcomeText,
  statusLabel,
  STEP_LABELS,
  tacticLabel,
  TACTICS_BY_GROUP,
  type Level,
} from './labels';

export type Detail = Output<'disruptions:get'>;
export type DisruptionRecord = Detail['disruption'];
type Intelligence = NetworkCard['intelligence'][number];
type NetworkInfo = { id: string; reference: string; name: string };

type Dialog = { kind: 'validate' } | { kind: 'reason'; action: 'return' | 'reject' } | { kind: 'review' } | null;

/** What this user's role may try on a claim in this state (main has the last word). */
export function actionsFor(d: DisruptionRecord, user: SessionUser, today: string) {
  const isClaimant = d.claimantId === user.id;
  const isKeeper = user.role === 'analyst' || user.role === 'supervisor';
  const isOpenToClaimant = d.status === 'draft' || d.status === 'returned';
  return {
    canEdit: isClaimant && isKeeper && isOpenToClaimant,
    canSubmit: isClaimant && isKeeper && isOpenToClaimant,
    canEndorse: user.role === 'supervisor' && !isClaimant && d.status === 'submitted',
    canDecide: user.role === 'validator' && d.status === 'endorsed',
    canReview: user.role === 'validator' && d.status === 'validated' && !d.durabilityOutcome && Boolean(d.durabilityDueOn) && d.durabilityDueOn! <= today,
  };
}

export function DisruptionDetail(props: {
  id: string;
  user: SessionUser;
  stateOwner: string;
  reference: ReferenceLookup;
  notice?: string | null;
  onBack: () => void;
  onEdit: (record: DisruptionRecord) => void;
  onOpenNetwork: (id: string) => void;
}) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [networks, setNetworks] = useState<Map<string, NetworkInfo>>(new Map());
  const [intelligence, setIntelligence] = useState<Map<string, Intelligence>>(new Map());
  const [failure, setFailure] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(props.notice ?? null);
  const [busy, setBusy] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [isHidingConsults, setHidingConsults] = useState(true);

  const load = useCallback(async () => {
    try {
      const d = await call('disruptions:get', { id: props.id });
      setDetail(d);
      setFailure(null);
      return d;
    } catch (e) {
      setFailure(messageOf(e));
      return null;
    }
  }, [props.id]);

  // The networks' names and the intelligence cited come from the networks' cards.
  useEffect(() => {
    let isCurrent = true;
    void load().then(async (d) => {
      if (!d || !isCurrent) return;
      const ids = [d.disruption.primaryNetworkId, ...d.disruption.otherNetworkIds];
      const cards = await Promise.all(ids.map((id) => call('networks:get', { id }).catch(() => null)));
      if (!isCurrent) return;
      const nets = new Map<string, NetworkInfo>();
      const intel = new Map<string, Intelligence>();
      for (const c of cards) {
        if (!c) continue;
        nets.set(c.network.id, { id: c.network.id, reference: c.network.reference, name: c.network.name });
        for (const i of c.intelligence) intel.set(i.id, i);
      }
      setNetworks(nets);
      setIntelligence(intel);
    });
    return () => {
      isCurrent = false;
    };
  }, [load]);

  async function step(action: 'submit' | 'endorse', done: string) {
    if (!detail) return;
    setBusy(action);
    setRefusal(null);
    setNotice(null);
    try {
      await call('disruptions:transition', { id: detail.disruption.id, action, reason: '' });
      setNotice(done);
      await load();
    } catch (e) {
      setRefusal(messageOf(e));
    } finally {
      setBusy(null);
    }
  }

  const back = (
    <button type="button" className="link back" onClick={props.onBack}>
      ← Back to disruptions
    </button>
  );
  if (!detail) {
    return (
      <>
        {back}
        {failure ? <Alert>{failure}</Alert> : <p aria-busy="true">Loading the claim…</p>}
      </>
    );
  }

  const d = detail.disruption;
  const today = todayIso();
  const can = actionsFor(d, props.user, today);
  const netLabel = (id: string) => {
    const n = networks.get(id);
    return n ? `${n.reference} ${n.name}` : '…';
  };
  const drafted = detail.audit.filter((a) => a.action === 'collect').at(-1);
  const claimantName = detail.claimantName || drafted?.userName || 'the claimant';
  const finalLevel = (d.levelAfterReview ?? d.level) as Level;
  const hasActions = can.canEdit || can.canSubmit || can.canEndorse || can.canDecide || can.canReview;
  const audit = isHidingConsults ? detail.audit.filter((a) => a.action !== 'consult') : detail.audit;

  async function onDialogDone(message: string | null) {
    setDialog(null);
    if (message) {
      setNotice(message);
      setRefusal(null);
      await load();
    }
  }

  return (
    <div className="disruption-detail">
      {back}
      <header className="card-header" aria-label="Claim summary">
        <div className="card-title">
          <span className="card-ref">{d.reference}</span>
          <ScreenHeading>{`Disruption of ${netLabel(d.primaryNetworkId)}`}</ScreenHeading>
          <span className="muted">
            {d.operationReference ? `Operation ${d.operationReference} · ` : ''}
            {formatDay(d.activityStart)} to {formatDay(d.activityEnd)}
          </span>
        </div>
        <dl className="card-figures">
          <div>
            <dt>Status</dt>
            <dd>
              <span className={`status-chip status-${d.status}`} data-testid="disruption-status">
                {statusLabel(d.status)}
              </span>
            </dd>
          </div>
          <div>
            <dt>Claimed level</dt>
            <dd data-testid="claimed-level">{levelLabel(d.claimedLevel)}</dd>
          </div>
          <div>
            <dt>Level</dt>
            <dd data-testid="disruption-level">
              {levelLabel(finalLevel)}
              {d.durabilityOutcome && d.durabilityOutcome !== 'confirmed' ? ` (${DURABILITY_LABELS[d.durabilityOutcome]?.toLowerCase()} at review)` : ''}
            </dd>
          </div>
          <div>
            <dt>Durability review</dt>
            <dd>
              {d.durabilityOutcome
                ? `${DURABILITY_LABELS[d.durabilityOutcome] ?? d.durabilityOutcome} ${formatDay(d.reviewedOn)}`
                : d.durabilityDueOn
                  ? `Due ${formatDay(d.durabilityDueOn)}`
                  : 'After validation'}
            </dd>
          </div>
        </dl>
      </header>

      {notice && <Status>{notice}</Status>}
      {failure && <Alert>{failure}</Alert>}
      {hasActions && (
        <section className="workflow-actions" aria-label="Actions on this claim">
          <div className="toolbar">
            {can.canEdit && (
              <button type="button" onClick={() => props.onEdit(d)} disabled={busy !== null}>
                Edit claim
              </button>
            )}
            {can.canSubmit && (
              <button type="button" className="primary" onClick={() => void step('submit', `${d.reference} submitted. A supervisor in ${d.claimingUnit} can now endorse it.`)} disabled={busy !== null}>
                {busy === 'submit' ? 'Submitting…' : d.status === 'returned' ? 'Resubmit for endorsement' : 'Submit for endorsement'}
              </button>
            )}
            {can.canEndorse && (
              <>
                <button type="button" className="primary" onClick={() => void step('endorse', `${d.reference} endorsed. It now waits for an independent validator.`)} disabled={busy !== null}>
                  {busy === 'endorse' ? 'Endorsing…' : 'Endorse'}
                </button>
                <button type="button" onClick={() => setDialog({ kind: 'reason', action: 'return' })} disabled={busy !== null}>
                  Return to the claimant…
                </button>
              </>
            )}
            {can.canDecide && (
              <>
                <button type="button" className="primary" onClick={() => setDialog({ kind: 'validate' })} disabled={busy !== null}>
                  Validate…
                </button>
                <button type="button" onClick={() => setDialog({ kind: 'reason', action: 'return' })} disabled={busy !== null}>
                  Return to the claimant…
                </button>
                <button type="button" className="danger" onClick={() => setDialog({ kind: 'reason', action: 'reject' })} disabled={busy !== null}>
                  Reject…
                </button>
              </>
            )}
            {can.canReview && (
              <button type="button" className="primary" onClick={() => setDialog({ kind: 'review' })} disabled={busy !== null}>
                Record durability review…
              </button>
            )}
          </div>
          {refusal && (
            <Alert>
              <strong>Not done.</strong> {refusal}
            </Alert>
          )}
        </section>
      )}

      <div className="detail-columns">
        <section className="section" aria-labelledby="claim-record-heading">
          <h2 id="claim-record-heading">The claim</h2>
          <dl className="facts claim-facts">
            <dt>Primary network</dt>
            <dd>
              <NetworkLink id={d.primaryNetworkId} label={netLabel(d.primaryNetworkId)} onOpen={props.onOpenNetwork} />
            </dd>
            <dt>Other networks</dt>
            <dd>
              {d.otherNetworkIds.length === 0
                ? 'None'
                : d.otherNetworkIds.map((id, i) => (
                    <span key={id}>
                      {i > 0 && ', '}
                      <NetworkLink id={id} label={netLabel(id)} onOpen={props.onOpenNetwork} />
                    </span>
                  ))}
            </dd>
            <dt>Operation</dt>
            <dd>{d.operationReference || 'None recorded'}</dd>
            <dt>Activity</dt>
            <dd>
              {formatDay(d.activityStart)} to {formatDay(d.activityEnd)}
            </dd>
            <dt>Claimed by</dt>
            <dd>
              {claimantName}, {props.reference.businessGroupName(d.claimingBusinessGroup)} ({d.claimingBusinessGroup}) / {d.claimingUnit}
            </dd>
            <dt>Partner reference</dt>
            <dd>{d.partnerReference ?? 'None'}</dd>
            {d.decisionReason && (
              <>
                <dt>{d.status === 'rejected' ? 'Reason for rejection' : 'Reason returned'}</dt>
                <dd>{d.decisionReason}</dd>
              </>
            )}
          </dl>
          <h3>Tactics</h3>
          <ul className="tactic-summary">
            {TACTICS_BY_GROUP.filter((g) => g.tactics.some((t) => d.tactics.includes(t))).map((g) => (
              <li key={g.group}>
                <strong>{FOUR_P_LABELS[g.group]}:</strong> {g.tactics.filter((t) => d.tactics.includes(t)).map(tacticLabel).join('; ')}
              </li>
            ))}
          </ul>
          <h3>Impact narrative</h3>
          <p className="narrative">{d.impactNarrative}</p>
          <h3>Supporting intelligence</h3>
          {d.intelIds.length === 0 ? (
            <p className="muted">None cited.</p>
          ) : (
            <ul className="plain-list intel-cited">
              {d.intelIds.map((id) => {
                const i = intelligence.get(id);
                return (
                  <li key={id}>
                    {i ? (
                      <span>
                        <strong>{i.reference}</strong> {gradeText(i)}, {formatDay(i.itemDate)}: {i.summary}
                      </span>
                    ) : (
                      <span className="muted">An item not held against these networks.</span>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </section>

        <section className="section" aria-labelledby="claim-workflow-heading">
          <h2 id="claim-workflow-heading">Workflow</h2>
          <ol className="timeline" aria-label="Workflow steps">
            <li>
              <span className="when">{formatUkDateTime(drafted?.at ?? d.createdAt)}</span>
              <span className="what">
                <strong>Drafted</strong> by {claimantName}, claimed {levelLabel(d.claimedLevel).toLowerCase()}
              </span>
            </li>
            {detail.steps.map((s, i) => (
              <li key={i} className={`step-${s.action}`}>
                <span className="when">{formatUkDateTime(s.at)}</span>
                <span className="what">
                  <strong>{STEP_LABELS[s.action] ?? s.action}</strong> by {s.userName}
                  {s.action === 'review' && s.level ? `: level ${levelLabel(s.level).toLowerCase()}` : ''}
                  {s.action === 'validate' && s.level ? ` at ${levelLabel(s.level).toLowerCase()}` : ''}
                  {s.reason ? <span className="reason">Reason: {s.reason}</span> : null}
                </span>
              </li>
            ))}
            <li className="next">
              <span className="when">Next</span>
              <span className="what">{nextStep(d)}</span>
            </li>
          </ol>
        </section>
      </div>

      <section className="section" aria-labelledby="claim-harm-heading">
        <h2 id="claim-harm-heading">Harm before and after</h2>
        <p className="muted">
          Undecayed Σ w × s of each network’s confirmed offences in the six months before the activity began and the six months after it
          ended, in harm-days.
        </p>
        <div className="table-scroll">
          <table className="data-table" aria-label="Harm before and after">
            <thead>
              <tr>
                <th scope="col">Network</th>
                <th scope="col">Six months before</th>
                <th scope="col" className="num">
                  Harm before
                </th>
                <th scope="col">Six months after</th>
                <th scope="col" className="num">
                  Harm after
                </th>
                <th scope="col" className="num">
                  Change
                </th>
              </tr>
            </thead>
            <tbody>
              {detail.harm.map((h) => (
                <tr key={h.networkId}>
                  <th scope="row">{netLabel(h.networkId)}</th>
                  <td className="nowrap">
                    {formatDay(h.windowBefore.from)} to {formatDay(dayBefore(h.windowBefore.to))}
                  </td>
                  <td className="num">{fixed(h.before, 2)}</td>
                  <td className="nowrap">
                    {formatDay(dayAfter(h.windowAfter.from))} to {formatDay(h.windowAfter.to)}
                  </td>
                  <td className="num" data-testid="harm-after">
                    {h.isPending || h.after === null ? <span className="pending">Pending until {formatDay(h.windowAfter.to)}</span> : fixed(h.after, 2)}
                  </td>
                  <td className="num">{h.isPending || h.after === null ? '—' : changeText(h.before, h.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="section" aria-labelledby="claim-outcomes-heading">
        <h2 id="claim-outcomes-heading">Outcomes</h2>
        <Outcomes outcomes={d.outcomes} />
      </section>

      <section className="section" aria-labelledby="claim-audit-heading">
        <h2 id="claim-audit-heading">Audit trail</h2>
        <div className="toolbar">
          <div className="checkbox">
            <input id="disruption-audit-hide-consults" type="checkbox" checked={isHidingConsults} onChange={(e) => setHidingConsults(e.target.checked)} />
            <label htmlFor="disruption-audit-hide-consults">Hide consultations (claim opened)</label>
          </div>
          <span className="muted">
            {audit.length} of {detail.audit.length} {detail.audit.length === 1 ? 'entry' : 'entries'}, newest first.
          </span>
        </div>
        <DataGrid
          gridId="disruption-audit"
          stateOwner={props.stateOwner}
          label="Audit trail for this claim"
          emptyText="No audit entries."
          rows={audit}
          columns={auditColumns}
          getRowId={(p) => String(p.data.seq)}
          isCompact
        />
      </section>

      {dialog?.kind === 'validate' && <ValidateDialog record={d} onDone={(m) => void onDialogDone(m)} />}
      {dialog?.kind === 'reason' && <ReasonDialog record={d} action={dialog.action} onDone={(m) => void onDialogDone(m)} />}
      {dialog?.kind === 'review' && <DurabilityDialog record={d} onDone={(m) => void onDialogDone(m)} />}
    </div>
  );
}

function NetworkLink({ id, label, onOpen }: { id: string; label: string; onOpen: (id: string) => void }) {
  return (
    <button type="button" className="link" onClick={() => onOpen(id)}>
      {label}
    </button>
  );
}

/** The windows main reports are half-open ([from, to) before, (from, to] after); shown as whole days. */
function dayBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function changeText(before: number, after: number): string {
  const diff = after - before;
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '';
  const pct = before > 0 ? ` (${sign}${fixed(Math.abs(diff / before) * 100, 0)}%)` : '';
  return `${sign}${fixed(Math.abs(diff), 2)}${pct}`;
}

function nextStep(d: DisruptionRecord): string {
  switch (d.status) {
    case 'draft':
      return 'The claimant submits the claim for endorsement.';
    case 'submitted':
      return `A supervisor in ${d.claimingUnit}, other than the claimant, endorses it or returns it with a reason.`;
    case 'endorsed':
      return `An independent validator (not the claimant or the endorser, and from a unit other than ${d.claimingUnit}) validates, returns or rejects it.`;
    case 'returned':
      return 'The claimant edits the claim and resubmits it.';
    case 'rejected':
      return 'None: a rejected claim is final and is never counted.';
    case 'validated':
      return d.durabilityOutcome
        ? `None: the durability review is recorded (${DURABILITY_LABELS[d.durabilityOutcome]?.toLowerCase() ?? d.durabilityOutcome}).`
        : `An independent validator records the durability review, due ${formatDay(d.durabilityDueOn)}.`;
    default:
      return '';
  }
}

/** The outcomes that are not zero, as a table; money as £1,234. */
function Outcomes({ outcomes }: { outcomes: Record<string, unknown> }) {
  const rows: { label: string; value: string }[] = [];
  for (const g of OUTCOME_GROUPS) {
    for (const f of g.fields) {
      const v = Number(outcomes[f.key] ?? 0);
      if (v) rows.push({ label: f.label.replace(' (£)', ''), value: outcomeText(v, f.kind) });
    }
  }
  const firearms = (outcomes.firearms ?? {}) as Record<string, number>;
  for (const t of FIREARM_TYPES) if (firearms[t]) rows.push({ label: FIREARM_LABELS[t], value: outcomeText(firearms[t], 'count') });
  const drugs = (outcomes.drugs ?? []) as { substance: string; drugClass: string; grams: number }[];
  for (const dr of drugs) rows.push({ label: `${dr.substance} (class ${dr.drugClass})`, value: grams(dr.grams) });
  if (rows.length === 0) return <p className="muted">No outcomes recorded.</p>;
  return (
    <table className="data-table outcomes-table" aria-label="Outcomes">
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            <th scope="row">{r.label}</th>
            <td className="num">{r.value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ValidateDialog({ record, onDone }: { record: DisruptionRecord; onDone: (message: string | null) => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  async function submit() {
    setBusy(true);
    setFailure(null);
    try {
      const r = await call('disruptions:transition', { id: record.id, action: 'validate', reason: '' });
      onDone(`${r.reference} validated at ${levelLabel(r.level).toLowerCase()}. It now counts in returns; its durability review is due ${formatDay(r.durabilityDueOn)}.`);
    } catch (e) {
      setFailure(messageOf(e));
      setBusy(false);
    }
  }
  return (
    <FormDialog isOpen title={`Validate ${record.reference}?`} submitLabel="Validate" busyLabel="Validating…" isBusy={isBusy} failure={failure} onSubmit={() => void submit()} onCancel={() => onDone(null)}>
      <p>
        You confirm the claim is supported at the claimed level, <strong>{levelLabel(record.claimedLevel).toLowerCase()}</strong>. Once validated
        it counts in returns, and a durability review falls due six months from today. If the level is not supported, return the claim with a
        reason instead.
      </p>
    </FormDialog>
  );
}

function ReasonDialog({ record, action, onDone }: { record: DisruptionRecord; action: 'return' | 'reject'; onDone: (message: string | null) => void }) {
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  async function submit() {
    setFailure(null);
    const parsed = transitionInput.safeParse({ id: record.id, action, reason });
    if (!parsed.success) {
      setErrors(schemaErrors(parsed.error));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const r = await call('disruptions:transition', parsed.data);
      onDone(action === 'return' ? `${r.reference} returned to the claimant.` : `${r.reference} rejected. It will not be counted.`);
    } catch (e) {
      setFailure(messageOf(e));
      setBusy(false);
    }
  }
  return (
    <FormDialog
      isOpen
      title={action === 'return' ? `Return ${record.reference} to the claimant` : `Reject ${record.reference}`}
      submitLabel={action === 'return' ? 'Return claim' : 'Reject claim'}
      isBusy={isBusy}
      failure={failure}
      onSubmit={() => void submit()}
      onCancel={() => onDone(null)}
    >
      <p>
        {action === 'return'
          ? 'The claimant can edit the claim and submit it again. Say what needs to change.'
          : 'A rejected claim is final and is never counted. Say why it does not stand.'}{' '}
        The reason is kept with the claim and in the audit log.
      </p>
      <TextAreaField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} error={errors.reason} maxLength={2000} />
    </FormDialog>
  );
}

function DurabilityDialog({ record, onDone }: { record: DisruptionRecord; onDone: (message: string | null) => void }) {
  const [outcome, setOutcome] = useState('confirmed');
  const [level, setLevel] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const current = record.level as Level;
  const levels = DISRUPTION_LEVELS.filter((l) => (outcome === 'downgraded' ? LEVEL_RANK[l] < LEVEL_RANK[current] : LEVEL_RANK[l] > LEVEL_RANK[current]));
  async function submit() {
    setFailure(null);
    const parsed = durabilityInput.safeParse({ id: record.id, outcome, level: outcome === 'confirmed' || !level ? undefined : level, reason });
    if (!parsed.success) {
      setErrors(schemaErrors(parsed.error));
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const r = await call('disruptions:review', parsed.data);
      onDone(`Durability review of ${r.reference} recorded: ${DURABILITY_LABELS[r.durabilityOutcome ?? outcome]?.toLowerCase()}, level ${levelLabel(r.levelAfterReview ?? r.level).toLowerCase()}.`);
    } catch (e) {
      setFailure(messageOf(e));
      setBusy(false);
    }
  }
  return (
    <FormDialog isOpen title={`Durability review of ${record.reference}`} submitLabel="Record review" isBusy={isBusy} failure={failure} onSubmit={() => void submit()} onCancel={() => onDone(null)}>
      <p>
        Six months on, is the network still disrupted at the validated level, <strong>{levelLabel(current).toLowerCase()}</strong>?
      </p>
      <RadioGroup
        legend="Outcome"
        name="durability-outcome"
        value={outcome}
        options={[
          { value: 'confirmed', label: 'Confirmed', detail: 'the level stands' },
          { value: 'downgraded', label: 'Downgraded', detail: 'the effect was smaller or shorter' },
          { value: 'upgraded', label: 'Upgraded', detail: 'the effect was greater or lasted longer' },
        ]}
        onChange={(v) => {
          setOutcome(v);
          setLevel('');
          setErrors({});
        }}
        error={errors.outcome}
      />
      {outcome !== 'confirmed' && (
        <SelectField label="New level" value={level} onChange={(e) => setLevel(e.target.value)} error={errors.level}>
          <option value="">Choose a level…</option>
          {levels.map((l) => (
            <option key={l} value={l}>
              {levelLabel(l)}
            </option>
          ))}
        </SelectField>
      )}
      <TextAreaField
        label={outcome === 'confirmed' ? 'Notes (optional)' : 'Reason for the change of level'}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={errors.reason}
        maxLength={2000}
      />
    </FormDialog>
  );
}
