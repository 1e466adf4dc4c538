/**
 * A network's card: header with band, score, confidence and review; then tabs for the score
 * taken apart (with its history chart), members, offences, intelligence, ratings, flags, band
 * overrides and this record's audit trail. Every change is made through main, which rescores the
 * network in the same transaction; the card is then read again.
 */
import '../../components/matrix.css';
import { useCallback, useEffect, useState } from 'react';
import type { SessionUser } from '../../../../preload/contract';
import { call, messageOf } from '../../app/api';
import { Alert, ScreenHeading, Status } from '../../app/components';
import { formatDay } from '../../components/dates';
import { CONFIDENCE_LABELS, NETWORK_STATUS_LABELS, networkTypeLabel } from '../../components/labels';
import { BandChip, OverdueMarker } from '../../components/markers';
import { fixed } from '../../components/numbers';
import { useReference } from '../../components/reference';
import { abilitiesOf } from '../../components/roles';
import { Tabs } from '../../components/Tabs';
import { isReasonRequired, ReasonDialog } from '../../components/ReasonDialog';
import { NetworkForm } from '../matrix/NetworkForm';
import { EraseButton, erasedMessage } from '../erasures/EraseDialog';
import { NetworkDisruptions, PlanStatusControl } from '../disruptions/NetworkDisruptions';
import { AuditTab } from './AuditTab';
import type { Card, CardContext } from './card';
import { FlagsTab } from './FlagsTab';
import { IntelligenceTab } from './IntelligenceTab';
import { MembersTab } from './MembersTab';
import { ReviewDialog } from '../reviews/ReviewDialog';
import { OffencesTab } from './OffencesTab';
import { OverridesTab } from './OverridesTab';
import { RatingsTab } from './RatingsTab';
import { ScoreTab } from './ScoreTab';

type TabId = 'score' | 'members' | 'offences' | 'intelligence' | 'ratings' | 'flags' | 'overrides' | 'disruptions' | 'audit';

export function NetworkCardScreen(props: {
  networkId: string;
  user: SessionUser;
  stateOwner: string;
  onBack: () => void;
  /** Start a disruption claim for this network (the disruptions screen, prefilled). */
  onClaimDisruption: (networkId: string) => void;
  onOpenDisruption: (id: string) => void;
  /** The network was erased: the card closes, and the matrix says what went. */
  onErased: (message: string) => void;
}) {
  const { reference, failure: referenceFailure } = useReference();
  const [card, setCard] = useState<Card | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tab, setTab] = useState<TabId>('score');
  const [isEditing, setEditing] = useState(false);
  const [isReviewing, setReviewing] = useState(false);
  /** Main asked for a reason: this network is restricted and none was given since the last unlock. */
  const [isAskingReason, setAskingReason] = useState(false);
  const abilities = abilitiesOf(props.user);

  const open = useCallback(
    async (reason?: string) => {
      setCard(await call('networks:get', reason === undefined ? { id: props.networkId } : { id: props.networkId, reason }));
      setAskingReason(false);
      setFailure(null);
    },
    [props.networkId],
  );

  // Also after every change: main asks for the reason again only after a lock, or when the change
  // made the network restricted (an under-18 linked, say).
  const reload = useCallback(async () => {
    try {
      await open();
    } catch (e) {
      if (isReasonRequired(e)) setAskingReason(true);
      else setFailure(messageOf(e));
    }
  }, [open]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const back = (
    <button type="button" className="link back" onClick={props.onBack}>
      ← Back to the matrix
    </button>
  );

  const reasonDialog = <ReasonDialog isOpen={isAskingReason} what="this network" onGiven={open} onCancel={props.onBack} />;

  if (!card || !reference || isAskingReason) {
    return (
      <>
        {back}
        {failure || referenceFailure ? (
          <Alert>{failure ?? referenceFailure}</Alert>
        ) : isAskingReason ? (
          <p className="muted">A reason is needed to open this network.</p>
        ) : (
          <p aria-busy="true">Loading the card…</p>
        )}
        {reasonDialog}
      </>
    );
  }

  const n = card.network;
  const x = card.explanation;
  const ctx: CardContext = {
    card,
    reference,
    me: props.user,
    abilities,
    reload,
    notify: (m) => setNotice(m),
  };
  const live = card.members.filter((m) => m.status !== 'ended');
  const tabs: { id: TabId; label: string }[] = [
    { id: 'score', label: 'Score' },
    { id: 'members', label: `Members (${live.length})` },
    { id: 'offences', label: `Offences (${card.offences.length})` },
    { id: 'intelligence', label: `Intelligence (${card.intelligence.length})` },
    { id: 'ratings', label: 'Ratings' },
    { id: 'flags', label: `Flags (${card.flags.length})` },
    { id: 'overrides', label: 'Band override' },
    { id: 'disruptions', label: 'Disruptions' },
    { id: 'audit', label: 'Audit trail' },
  ];
  const isOverride = x ? x.parts.effectiveBand !== x.parts.band : false;

  return (
    <>
      {back}
      <header className="card-header" aria-label="Network summary">
        <div className="card-title">
          <span className="card-ref">{n.reference}</span>
          <ScreenHeading>{n.name}</ScreenHeading>
          <span className="muted">
            {networkTypeLabel(n.type)} · {NETWORK_STATUS_LABELS[n.status as keyof typeof NETWORK_STATUS_LABELS] ?? n.status}
            {n.aliases ? ` · also known as ${n.aliases}` : ''}
          </span>
        </div>
        <dl className="card-figures">
          <div>
            <dt>Band</dt>
            <dd data-testid="card-band">
              <BandChip band={x?.parts.effectiveBand ?? 'below_threshold'} isOverride={isOverride} />
            </dd>
          </div>
          <div>
            <dt>Score</dt>
            <dd className="figure" data-testid="card-score">
              {fixed(x?.parts.score ?? 0, 1)}
            </dd>
          </div>
          <div>
            <dt>Confidence</dt>
            <dd data-testid="card-confidence">{CONFIDENCE_LABELS[x?.parts.confidence ?? 'low']}</dd>
          </div>
          <div>
            <dt>Next review</dt>
            <dd>
              {formatDay(n.nextReviewOn)} {n.isOverdue && <OverdueMarker />}
            </dd>
          </div>
        </dl>
        <div className="card-actions">
          {abilities.canKeep && (
            <>
              <button type="button" onClick={() => setReviewing(true)} disabled={n.status === 'archived'}>
                Record review…
              </button>
              <button type="button" onClick={() => setEditing(true)}>
                Edit details
              </button>
            </>
          )}
          <EraseButton user={props.user} target={{ kind: 'network', ref: n.id, label: n.reference }} onErased={(r) => props.onErased(erasedMessage(r))} />
        </div>
      </header>
      <dl className="card-facts">
        <dt>Lead borough</dt>
        <dd>{reference.boroughName(n.leadBorough)}</dd>
        <dt>Other boroughs</dt>
        <dd>{n.otherBoroughs.length ? n.otherBoroughs.map((b) => reference.boroughName(b)).join(', ') : 'None'}</dd>
        <dt>Owner</dt>
        <dd>{[`${reference.businessGroupName(n.businessGroup)} (${n.businessGroup})`, n.unit, n.leadOfficer].filter(Boolean).join(' / ')}</dd>
        <dt>Last reviewed</dt>
        <dd>{n.lastReviewedOn ? formatDay(n.lastReviewedOn) : 'Not yet reviewed'}</dd>
        <dt>Plan status</dt>
        <dd>
          <PlanStatusControl card={card} user={props.user} onSaved={(m) => setNotice(m)} />
        </dd>
      </dl>
      {failure && <Alert>{failure}</Alert>}
      {notice && <Status>{notice}</Status>}
      <Tabs label="Network card sections" tabs={tabs} current={tab} onChange={setTab}>
        {tab === 'score' && <ScoreTab {...ctx} stateOwner={props.stateOwner} />}
        {tab === 'members' && <MembersTab {...ctx} stateOwner={props.stateOwner} />}
        {tab === 'offences' && <OffencesTab {...ctx} stateOwner={props.stateOwner} />}
        {tab === 'intelligence' && <IntelligenceTab {...ctx} stateOwner={props.stateOwner} />}
        {tab === 'ratings' && <RatingsTab {...ctx} />}
        {tab === 'flags' && <FlagsTab {...ctx} stateOwner={props.stateOwner} />}
        {tab === 'overrides' && <OverridesTab {...ctx} />}
        {tab === 'disruptions' && (
          <NetworkDisruptions
            networkId={n.id}
            user={props.user}
            stateOwner={props.stateOwner}
            reference={reference}
            onClaim={props.onClaimDisruption}
            onOpen={props.onOpenDisruption}
          />
        )}
        {tab === 'audit' && <AuditTab {...ctx} stateOwner={props.stateOwner} />}
      </Tabs>
      {isReviewing && (
        <ReviewDialog
          kind="network"
          id={n.id}
          title={`${n.reference} ${n.name}`}
          isSupervisor={abilities.canSupervise}
          onDone={(message) => {
            setReviewing(false);
            if (message) {
              setNotice(message);
              void reload();
            }
          }}
        />
      )}
      {isEditing && (
        <NetworkForm
          isOpen
          reference={reference}
          existing={n}
          onSaved={(saved) => {
            setEditing(false);
            setNotice(`${saved.reference} saved.`);
            void reload();
          }}
          onCancel={() => setEditing(false)}
        />
      )}
    </>
  );
}
