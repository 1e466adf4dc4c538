/** The claim's card header: reference, network, activity, and its status, levels and durability review. */
import { ScreenHeading } from '../../app/components';
import { formatDay } from '../../components/dates';
import type { DisruptionRecord } from './claim';
import { DURABILITY_LABELS, levelLabel, statusLabel, type Level } from './labels';

export function ClaimHeader({ d, networkLabel }: { d: DisruptionRecord; networkLabel: string }) {
  const finalLevel = (d.levelAfterReview ?? d.level) as Level;
  return (
    <header className="card-header" aria-label="Claim summary">
      <div className="card-title">
        <span className="card-ref">{d.reference}</span>
        <ScreenHeading>{`Disruption of ${networkLabel}`}</ScreenHeading>
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
  );
}
