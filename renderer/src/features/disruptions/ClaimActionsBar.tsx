/**
 * The workflow actions the claim's screen offers (claim.ts actionsFor asks the workflow which),
 * and main's refusal of the last one tried, shown as it is.
 */
import { Alert } from '../../app/components';
import type { ClaimActions, DisruptionRecord } from './claim';

export type ClaimDialog = { kind: 'validate' } | { kind: 'reason'; action: 'return' | 'reject' } | { kind: 'review' };

export function ClaimActionsBar(props: {
  d: DisruptionRecord;
  can: ClaimActions;
  /** The step under way, if any: every button waits for it. */
  pending: 'submit' | 'endorse' | null;
  isBusy: boolean;
  refusal: string | null;
  onEdit: () => void;
  onStep: (action: 'submit' | 'endorse', done: string) => void;
  onDialog: (dialog: ClaimDialog) => void;
}) {
  const { d, can, isBusy } = props;
  return (
    <section className="workflow-actions" aria-label="Actions on this claim">
      <div className="toolbar">
        {can.canEdit && (
          <button type="button" onClick={props.onEdit} disabled={isBusy}>
            Edit claim
          </button>
        )}
        {can.canSubmit && (
          <button type="button" className="primary" onClick={() => props.onStep('submit', `${d.reference} submitted. A supervisor in ${d.claimingUnit} can now endorse it.`)} disabled={isBusy}>
            {props.pending === 'submit' ? 'Submitting…' : d.status === 'returned' ? 'Resubmit for endorsement' : 'Submit for endorsement'}
          </button>
        )}
        {can.canEndorse && (
          <>
            <button type="button" className="primary" onClick={() => props.onStep('endorse', `${d.reference} endorsed. It now waits for an independent validator.`)} disabled={isBusy}>
              {props.pending === 'endorse' ? 'Endorsing…' : 'Endorse'}
            </button>
            <button type="button" onClick={() => props.onDialog({ kind: 'reason', action: 'return' })} disabled={isBusy}>
              Return to the claimant…
            </button>
          </>
        )}
        {can.canDecide && (
          <>
            <button type="button" className="primary" onClick={() => props.onDialog({ kind: 'validate' })} disabled={isBusy}>
              Validate…
            </button>
            <button type="button" onClick={() => props.onDialog({ kind: 'reason', action: 'return' })} disabled={isBusy}>
              Return to the claimant…
            </button>
            <button type="button" className="danger" onClick={() => props.onDialog({ kind: 'reason', action: 'reject' })} disabled={isBusy}>
              Reject…
            </button>
          </>
        )}
        {can.canReview && (
          <button type="button" className="primary" onClick={() => props.onDialog({ kind: 'review' })} disabled={isBusy}>
            Record durability review…
          </button>
        )}
      </div>
      {props.refusal && (
        <Alert>
          <strong>Not done.</strong> {props.refusal}
        </Alert>
      )}
    </section>
  );
}
