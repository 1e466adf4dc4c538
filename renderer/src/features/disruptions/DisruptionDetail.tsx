/**
 * One disruption claim: the record, its workflow so far as a timeline, harm before and after for
 * each network (pending until six months after the activity), the outcomes, and its audit trail;
 * with the workflow actions the signed-in user may take on a claim in this state.
 *
 * Everything comes in one read (`disruptions:get`: the claim, its networks by name and the
 * intelligence it cites), recorded as one consultation of the claim. The buttons are the
 * workflow's own answer for this user today (claim.ts actionsFor); main decides again on every
 * request, knowing both people's units, and refuses anything the workflow does not allow
 * (preload/contract/disruption-workflow.ts). Its refusal is shown as it is, in an alert, beside
 * the action that was refused.
 */
import { useCallback, useEffect, useState } from 'react';
import type { SessionUser } from '../../../../preload/contract';
import { ukToday } from '../../../../preload/contract/uk-time';
import { call, messageOf } from '../../app/api';
import { Alert, Status } from '../../app/components';
import { useSubmit } from '../../app/forms';
import type { ReferenceLookup } from '../../components/reference';
import { actionsFor, networkLabeller, type Detail, type DisruptionRecord } from './claim';
import { ClaimActionsBar, type ClaimDialog } from './ClaimActionsBar';
import { ClaimAuditTrail } from './ClaimAuditTrail';
import { ClaimFacts } from './ClaimFacts';
import { ClaimHeader } from './ClaimHeader';
import { HarmTable } from './HarmTable';
import { OutcomesSection } from './OutcomesTable';
import { DurabilityDialog, ReasonDialog, ValidateDialog } from './WorkflowDialogs';
import { WorkflowTimeline } from './WorkflowTimeline';
import { EraseButton, erasedMessage } from '../erasures/EraseDialog';

export type { Detail, DisruptionRecord };

export function DisruptionDetail(props: {
  id: string;
  user: SessionUser;
  stateOwner: string;
  reference: ReferenceLookup;
  notice?: string | null;
  onBack: () => void;
  onEdit: (record: DisruptionRecord) => void;
  onOpenNetwork: (id: string) => void;
  /** The draft claim was erased: the list is shown again with what went. */
  onErased: (message: string) => void;
}) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(props.notice ?? null);
  const [pending, setPending] = useState<'submit' | 'endorse' | null>(null);
  const [dialog, setDialog] = useState<ClaimDialog | null>(null);
  const { isBusy, failure: refusal, setFailure: setRefusal, run } = useSubmit();

  const load = useCallback(async () => {
    try {
      setDetail(await call('disruptions:get', { id: props.id }));
      setFailure(null);
    } catch (e) {
      setFailure(messageOf(e));
    }
  }, [props.id]);

  useEffect(() => {
    void load();
  }, [load]);

  async function step(action: 'submit' | 'endorse', done: string) {
    if (!detail) return;
    setPending(action);
    setNotice(null);
    await run(async () => {
      await call('disruptions:transition', { id: detail.disruption.id, action, reason: '' });
      setNotice(done);
      await load();
    });
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
  const can = actionsFor(d, props.user, ukToday(new Date()));
  const networkLabel = networkLabeller(detail.networks);
  const drafted = detail.audit.filter((a) => a.action === 'collect').at(-1);
  const claimantName = detail.claimantName || drafted?.userName || 'the claimant';
  const hasActions = can.canEdit || can.canSubmit || can.canEndorse || can.canDecide || can.canReview;

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
      <ClaimHeader d={d} networkLabel={networkLabel(d.primaryNetworkId)} />

      {notice && <Status>{notice}</Status>}
      {failure && <Alert>{failure}</Alert>}
      {hasActions && (
        <ClaimActionsBar
          d={d}
          can={can}
          pending={isBusy ? pending : null}
          isBusy={isBusy}
          refusal={refusal}
          onEdit={() => props.onEdit(d)}
          onStep={(action, done) => void step(action, done)}
          onDialog={setDialog}
        />
      )}

      {d.status === 'draft' && (
        <div className="toolbar">
          <EraseButton user={props.user} target={{ kind: 'claim', ref: d.id, label: d.reference }} onErased={(r) => props.onErased(erasedMessage(r))} text="Erase draft…" />
        </div>
      )}

      <div className="detail-columns">
        <ClaimFacts d={d} claimantName={claimantName} intelligence={detail.intelligence} reference={props.reference} networkLabel={networkLabel} onOpenNetwork={props.onOpenNetwork} />
        <WorkflowTimeline d={d} steps={detail.steps} drafted={drafted} claimantName={claimantName} />
      </div>

      <HarmTable harm={detail.harm} networkLabel={networkLabel} />
      <OutcomesSection outcomes={d.outcomes} />
      <ClaimAuditTrail entries={detail.audit} stateOwner={props.stateOwner} />

      {dialog?.kind === 'validate' && <ValidateDialog record={d} onDone={(m) => void onDialogDone(m)} />}
      {dialog?.kind === 'reason' && <ReasonDialog record={d} action={dialog.action} onDone={(m) => void onDialogDone(m)} />}
      {dialog?.kind === 'review' && <DurabilityDialog record={d} onDone={(m) => void onDialogDone(m)} />}
    </div>
  );
}
