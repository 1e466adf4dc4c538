/**
 * "The claim": networks, operation, activity, who claimed it, the decision's reason, tactics by
 * the 4Ps, the impact narrative and the intelligence it cites (as main sends it with the detail).
 */
import { formatDay } from '../../components/dates';
import { gradeText } from '../../components/labels';
import type { ReferenceLookup } from '../../components/reference';
import type { CitedIntelligence, DisruptionRecord } from './claim';
import { FOUR_P_LABELS, tacticLabel, TACTICS_BY_GROUP } from './labels';

export function ClaimFacts(props: {
  d: DisruptionRecord;
  claimantName: string;
  intelligence: readonly CitedIntelligence[];
  reference: ReferenceLookup;
  networkLabel: (id: string) => string;
  onOpenNetwork: (id: string) => void;
}) {
  const { d, networkLabel } = props;
  const cited = new Map(props.intelligence.map((i) => [i.id, i]));
  return (
    <section className="section" aria-labelledby="claim-record-heading">
      <h2 id="claim-record-heading">The claim</h2>
      <dl className="facts claim-facts">
        <dt>Primary network</dt>
        <dd>
          <NetworkLink id={d.primaryNetworkId} label={networkLabel(d.primaryNetworkId)} onOpen={props.onOpenNetwork} />
        </dd>
        <dt>Other networks</dt>
        <dd>
          {d.otherNetworkIds.length === 0
            ? 'None'
            : d.otherNetworkIds.map((id, i) => (
                <span key={id}>
                  {i > 0 && ', '}
                  <NetworkLink id={id} label={networkLabel(id)} onOpen={props.onOpenNetwork} />
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
          {props.claimantName}, {props.reference.businessGroupName(d.claimingBusinessGroup)} ({d.claimingBusinessGroup}) / {d.claimingUnit}
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
            const i = cited.get(id);
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
  );
}

function NetworkLink({ id, label, onOpen }: { id: string; label: string; onOpen: (id: string) => void }) {
  return (
    <button type="button" className="link" onClick={() => onOpen(id)}>
      {label}
    </button>
  );
}
