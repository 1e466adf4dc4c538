/**
 * People on the register (nominals): reference, name, date of birth and age with the under-18
 * marker, sex, current links and gang-flag status. Opening a person (Enter or double-click) shows
 * their record, links and flags; opening them is recorded as a consultation.
 */
import '../../components/matrix.css';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Output, SessionUser } from '../../../../preload/contract';
import { call, messageOf } from '../../app/api';
import { Alert, ScreenHeading, Status } from '../../app/components';
import { formatUkDateTime } from '../../app/format';
import { DataGrid } from '../../app/grid';
import { ageOn, formatDay, todayIso } from '../../components/dates';
import { FLAG_CRITERIA_LABELS, FLAG_STATUS_LABELS, LINK_STATUS_LABELS, memberRoleLabel, SEX_LABELS, BASIS_LABELS } from '../../components/labels';
import { Under18Marker } from '../../components/markers';
import { isReasonRequired, ReasonDialog } from '../../components/ReasonDialog';
import { abilitiesOf } from '../../components/roles';
import { OFFICER_ETHNICITY_LABELS, SELF_ETHNICITY_LABELS } from '../../../../preload/contract/vocabulary';
import { peopleColumns, type PersonRow } from './people.columns';
import { PersonForm } from './PersonForm';
import { EraseButton, erasedMessage } from '../erasures/EraseDialog';
import { mayErase } from '../../../../preload/contract/permissions';

type PersonCard = Output<'people:get'>;

export function PeopleScreen({ user, stateOwner, onOpenNetwork }: { user: SessionUser; stateOwner: string; onOpenNetwork: (id: string) => void }) {
  const { canKeep } = abilitiesOf(user);
  const [rows, setRows] = useState<PersonRow[] | null>(null);
  const [quickFilter, setQuickFilter] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const columns = useMemo(() => peopleColumns(), []);

  const load = useCallback(async () => {
    try {
      setRows(await call('people:list'));
      setFailure(null);
    } catch (e) {
      setFailure(messageOf(e));
    }
  }, []);

  useEffect(() => {
    if (!openId) void load();
  }, [load, openId]);

  if (openId) {
    return (
      <PersonView
        id={openId}
        user={user}
        onBack={() => setOpenId(null)}
        onOpenNetwork={onOpenNetwork}
        onErased={(message) => {
          setNotice(message);
          setOpenId(null);
        }}
      />
    );
  }

  return (
    <>
      <ScreenHeading>People</ScreenHeading>
      <p className="muted">People are never scored or banded; only networks are. Under-18s are marked wherever they appear.</p>
      {failure && <Alert>{failure}</Alert>}
      {notice && <Status>{notice}</Status>}
      <div className="field quick-filter">
        <label htmlFor="people-quick-filter">Find a person</label>
        <input id="people-quick-filter" type="search" value={quickFilter} onChange={(e) => setQuickFilter(e.target.value)} autoComplete="off" />
      </div>
      <div className="split">
        <DataGrid<PersonRow>
          gridId="people"
          stateOwner={stateOwner}
          label="People"
          emptyText={canKeep ? 'No people yet. Use the form to add the first.' : 'No people yet.'}
          rows={rows}
          columns={columns}
          getRowId={(p) => p.data.id}
          quickFilterText={quickFilter}
          onRowActivated={(r) => setOpenId(r.id)}
        />
        {canKeep && (
          <PersonForm
            onSaved={async (p) => {
              setNotice(`${p.reference} ${p.name} added.`);
              await load();
            }}
          />
        )}
      </div>
      <p className="muted grid-help">Enter or double-click opens a person's record.</p>
    </>
  );
}

function PersonView({
  id,
  user,
  onBack,
  onOpenNetwork,
  onErased,
}: {
  id: string;
  user: SessionUser;
  onBack: () => void;
  onOpenNetwork: (id: string) => void;
  /** The person was erased: the record closes, and the list (read again) says what went. */
  onErased: (message: string) => void;
}) {
  const { canKeep } = abilitiesOf(user);
  const [card, setCard] = useState<PersonCard | null>(null);
  const [networks, setNetworks] = useState<Map<string, { reference: string; name: string }>>(new Map());
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [isEditing, setEditing] = useState(false);
  /** Main asked for a reason: this person is restricted and none was given since the last unlock. */
  const [isAskingReason, setAskingReason] = useState(false);

  // The person first: the networks' names are fetched (and that view recorded) only once the
  // person has opened, not each time a reason is asked for.
  const open = useCallback(
    async (reason?: string) => {
      const person = await call('people:get', reason === undefined ? { id } : { id, reason });
      const list = await call('networks:list', {});
      setCard(person);
      setNetworks(new Map(list.map((n) => [n.id, { reference: n.reference, name: n.name }])));
      setAskingReason(false);
      setFailure(null);
    },
    [id],
  );

  const load = useCallback(async () => {
    try {
      await open();
    } catch (e) {
      if (isReasonRequired(e)) setAskingReason(true);
      else setFailure(messageOf(e));
    }
  }, [open]);

  useEffect(() => {
    void load();
  }, [load]);

  const back = (
    <button type="button" className="link back" onClick={onBack}>
      ← Back to people
    </button>
  );
  if (!card || isAskingReason) {
    return (
      <>
        {back}
        {failure ? <Alert>{failure}</Alert> : isAskingReason ? <p className="muted">A reason is needed to open this person's record.</p> : <p aria-busy="true">Loading…</p>}
        <ReasonDialog isOpen={isAskingReason} what="this person's record" onGiven={open} onCancel={onBack} />
      </>
    );
  }
  const p = card.person;
  const age = ageOn(p.dateOfBirth, todayIso());

  return (
    <>
      {back}
      <ScreenHeading>
        {p.reference} {p.name}
      </ScreenHeading>
      {p.isUnder18 && <Under18Marker />}
      {failure && <Alert>{failure}</Alert>}
      {notice && <Status>{notice}</Status>}
      <div className="split">
        <div className="person-main">
          <dl className="facts">
            <dt>Date of birth</dt>
            <dd>{p.dateOfBirth ? `${formatDay(p.dateOfBirth)} (age ${age})` : 'Not known'}</dd>
            <dt>Sex</dt>
            <dd>{SEX_LABELS[p.sex as keyof typeof SEX_LABELS] ?? p.sex}</dd>
            <dt>Self-defined ethnicity</dt>
            <dd>{p.ethnicitySelf ? `${p.ethnicitySelf} ${SELF_ETHNICITY_LABELS[p.ethnicitySelf as keyof typeof SELF_ETHNICITY_LABELS] ?? ''}` : 'Not recorded'}</dd>
            <dt>Officer-defined ethnicity</dt>
            <dd>{p.ethnicityOfficer ? (OFFICER_ETHNICITY_LABELS[p.ethnicityOfficer as keyof typeof OFFICER_ETHNICITY_LABELS] ?? p.ethnicityOfficer) : 'Not recorded'}</dd>
            <dt>Recorded</dt>
            <dd>{formatUkDateTime(p.createdAt)}</dd>
          </dl>
          <h2>Links to networks</h2>
          {card.memberships.length === 0 ? (
            <p className="muted">Not linked to any network.</p>
          ) : (
            <table className="data-table" aria-label="Links to networks">
              <thead>
                <tr>
                  <th scope="col">Network</th>
                  <th scope="col">Role</th>
                  <th scope="col">Basis</th>
                  <th scope="col">Status</th>
                  <th scope="col">Start</th>
                  <th scope="col">Review by</th>
                </tr>
              </thead>
              <tbody>
                {card.memberships.map((m) => {
                  const n = networks.get(m.networkId);
                  return (
                    <tr key={m.id}>
                      <th scope="row">
                        <button type="button" className="link" onClick={() => onOpenNetwork(m.networkId)}>
                          {n ? `${n.reference} ${n.name}` : 'Open network'}
                        </button>
                      </th>
                      <td>{memberRoleLabel(m.role)}</td>
                      <td>{BASIS_LABELS[m.basis] ?? m.basis}</td>
                      <td>{LINK_STATUS_LABELS[m.status] ?? m.status}</td>
                      <td>{formatDay(m.startDate)}</td>
                      <td>{formatDay(m.reviewOn)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <h2>Gang flags</h2>
          {card.flags.length === 0 ? (
            <p className="muted">No gang flags.</p>
          ) : (
            <table className="data-table" aria-label="Gang flags">
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Criteria</th>
                  <th scope="col">Proposed</th>
                  <th scope="col">Confirmed</th>
                  <th scope="col">Review by</th>
                </tr>
              </thead>
              <tbody>
                {card.flags.map((f) => (
                  <tr key={f.id}>
                    <th scope="row">{FLAG_STATUS_LABELS[f.status] ?? f.status}</th>
                    <td>{FLAG_CRITERIA_LABELS[f.criteria] ?? f.criteria}</td>
                    <td>{formatUkDateTime(f.proposedAt)}</td>
                    <td>{f.confirmedAt ? formatUkDateTime(f.confirmedAt) : '—'}</td>
                    <td>{formatDay(f.reviewOn)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        {canKeep &&
          (isEditing ? (
            <PersonForm
              existing={p}
              onSaved={async (saved) => {
                setEditing(false);
                setNotice(`${saved.reference} saved.`);
                await load();
              }}
              onCancel={() => setEditing(false)}
            />
          ) : (
            <div className="panel">
              <button type="button" onClick={() => setEditing(true)}>
                Edit this person
              </button>
            </div>
          ))}
        {mayErase(user.role) && !isEditing && (
          <div className="panel">
            <EraseButton user={user} target={{ kind: 'person', ref: p.id, label: p.reference }} onErased={(r) => onErased(erasedMessage(r))} />
          </div>
        )}
      </div>
    </>
  );
}
