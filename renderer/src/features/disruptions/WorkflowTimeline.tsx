/** "Workflow": the claim's steps so far as a timeline, drafting first, and what happens next. */
import type { AuditRow } from '../../../../preload/contract';
import { formatUkDateTime } from '../../app/format';
import { formatDay } from '../../components/dates';
import type { Detail, DisruptionRecord } from './claim';
import { DURABILITY_LABELS, levelLabel, STEP_LABELS } from './labels';

export function WorkflowTimeline(props: { d: DisruptionRecord; steps: Detail['steps']; drafted: AuditRow | undefined; claimantName: string }) {
  const { d } = props;
  return (
    <section className="section" aria-labelledby="claim-workflow-heading">
      <h2 id="claim-workflow-heading">Workflow</h2>
      <ol className="timeline" aria-label="Workflow steps">
        <li>
          <span className="when">{formatUkDateTime(props.drafted?.at ?? d.createdAt)}</span>
          <span className="what">
            <strong>Drafted</strong> by {props.claimantName}, claimed {levelLabel(d.claimedLevel).toLowerCase()}
          </span>
        </li>
        {props.steps.map((s, i) => (
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
  );
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
