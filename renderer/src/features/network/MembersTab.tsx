/**
 * Members: who is linked to the network, in what role, on what basis, and when each link is due
 * for review (3 months for under-18s, 6 otherwise, set by main). Linking needs two graded items
 * from independent sources or a self-admission; main refuses anything less and says why, beside
 * the intelligence chosen. A victim / at-risk link is for safeguarding and never scores. A link
 * is reviewed in the review dialog (features/reviews), on its evidence.
 */
import { useEffect, useState } from 'react';
import type { Output } from '../../../../preload/contract';
import { MEMBER_ROLES, membershipDraft } from '../../../../preload/contract/schemas/matrix';
import { call, messageOf } from '../../app/api';
import { SelectField, TextField } from '../../app/components';
import { envelopeErrors, schemaErrors, useSubmit, type FieldErrors } from '../../app/forms';
import { DataGrid } from '../../app/grid';
import { readDays, todayUk } from '../../components/dates';
import { FormDialog } from '../../components/FormDialog';
import { memberRoleLabel } from '../../components/labels';
import { fitsWithoutScrolling, type CardContext, type Member } from './card';
import { IntelligenceChoices } from './IntelligenceChoices';
import { ReviewDialog } from '../reviews/ReviewDialog';
import { memberColumns } from './network.columns';

type Person = Output<'people:list'>[number];

export function MembersTab(ctx: CardContext & { stateOwner: string }) {
  const { card, abilities } = ctx;
  const [selected, setSelected] = useState<Member | null>(null);
  const [dialog, setDialog] = useState<'link' | 'end' | 'review' | null>(null);
  const current = selected ? (card.members.find((m) => m.id === selected.id) ?? null) : null;
  const isLive = current !== null && current.status !== 'ended';

  return (
    <>
      <p className="muted">
        A member link needs at least two graded intelligence items from independent sources, or a self-admission. Victim / at-risk links are kept
        for safeguarding and never add to the score.
      </p>
      {abilities.canKeep && (
        <div className="toolbar">
          <button type="button" className="primary" onClick={() => setDialog('link')}>
            Link a person
          </button>
          <button type="button" onClick={() => setDialog('review')} disabled={current?.status !== 'confirmed'}>
            Record link review…
          </button>
          <button type="button" className="danger" onClick={() => setDialog('end')} disabled={!isLive}>
            End link…
          </button>
          <span className="muted">{current ? `Selected: ${current.personReference} ${current.personName}` : 'Select a member to review or end their link.'}</span>
        </div>
      )}
      <DataGrid<Member>
        gridId="network-members"
        stateOwner={ctx.stateOwner}
        label="Members"
        emptyText="No one is linked to this network."
        rows={card.members}
        columns={memberColumns}
        getRowId={(p) => p.data.id}
        isSelectable
        onSelected={setSelected}
        isCompact={fitsWithoutScrolling(card.members)}
        getRowClass={(p) => (p.data?.status === 'ended' ? 'row-ended' : undefined)}
      />
      {dialog === 'link' && <LinkPersonForm {...ctx} onDone={() => setDialog(null)} />}
      {dialog === 'end' && current && <EndLinkForm {...ctx} member={current} onDone={() => setDialog(null)} />}
      {dialog === 'review' && current && (
        <ReviewDialog
          kind="membership"
          id={current.id}
          title={`${current.personReference} ${current.personName}`}
          isSupervisor={abilities.canSupervise}
          onDone={(message) => {
            setDialog(null);
            if (message) {
              ctx.notify(`${current.personReference}: ${message}`);
              void ctx.reload();
            }
          }}
        />
      )}
    </>
  );
}

/** The member-link rule's refusal names no field: it belongs beside the intelligence chosen. */
const LINK_REFUSALS = { fallbackField: 'intelIds' };

function LinkPersonForm(ctx: CardContext & { onDone: () => void }) {
  const [people, setPeople] = useState<Person[] | null>(null);
  const [personId, setPersonId] = useState('');
  const [role, setRole] = useState('');
  const [isSelfAdmission, setSelfAdmission] = useState(false);
  const [intelIds, setIntelIds] = useState<string[]>([]);
  const [startDate, setStartDate] = useState(todayUk());
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit(LINK_REFUSALS);
  const linked = new Set(ctx.card.members.filter((m) => m.status !== 'ended').map((m) => m.personId));

  useEffect(() => {
    call('people:list')
      .then(setPeople)
      .catch((e: unknown) => setFailure(messageOf(e)));
  }, []);

  async function submit() {
    setFailure(null);
    const { days, errors: dayErrors } = readDays({ startDate }, ['startDate']);
    const parsed = membershipDraft.safeParse({ personId, networkId: ctx.card.network.id, role, isSelfAdmission, intelIds, startDate: days.startDate ?? '' });
    const next: FieldErrors = parsed.success ? {} : schemaErrors(parsed.error);
    if (!personId) next.personId = 'Choose a person.';
    if (dayErrors.startDate) next.startDate = dayErrors.startDate;
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    await run(async () => {
      const m = await call('memberships:create', parsed.data);
      const person = people?.find((p) => p.id === m.personId);
      ctx.notify(`${person ? `${person.reference} ${person.name}` : 'The person'} linked as ${memberRoleLabel(m.role).toLowerCase()}.`);
      await ctx.reload();
      ctx.onDone();
    });
  }

  return (
    <FormDialog isOpen title="Link a person" submitLabel="Link person" isBusy={isBusy} failure={failure} wide onSubmit={() => void submit()} onCancel={ctx.onDone}>
      <div className="form-grid">
        <SelectField label="Person" value={personId} onChange={(e) => setPersonId(e.target.value)} error={errors.personId} hint="People are added on the People screen.">
          <option value="">{people ? 'Choose a person…' : 'Loading…'}</option>
          {people?.map((p) => (
            <option key={p.id} value={p.id} disabled={linked.has(p.id)}>
              {p.reference} {p.name}
              {p.isUnder18 ? ' (under 18)' : ''}
              {linked.has(p.id) ? ' – already linked' : ''}
            </option>
          ))}
        </SelectField>
        <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value)} error={errors.role}>
          <option value="">Choose a role…</option>
          {MEMBER_ROLES.map((r) => (
            <option key={r} value={r}>
              {memberRoleLabel(r)}
            </option>
          ))}
        </SelectField>
        <TextField label="Start date" hint="dd/mm/yyyy" inputMode="numeric" value={startDate} onChange={(e) => setStartDate(e.target.value)} error={errors.startDate} />
      </div>
      <div className="checkbox">
        <input id="member-self-admission" type="checkbox" checked={isSelfAdmission} onChange={(e) => setSelfAdmission(e.target.checked)} />
        <label htmlFor="member-self-admission">The person has admitted membership (self-admission)</label>
      </div>
      <IntelligenceChoices ctx={ctx} legend="Supporting intelligence" hint="Graded items held against this network. Two from independent sources are needed unless there is a self-admission." selected={intelIds} onChange={setIntelIds} error={errors.intelIds} />
    </FormDialog>
  );
}

function EndLinkForm(ctx: CardContext & { member: Member; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  async function submit() {
    setFailure(null);
    if (!reason.trim()) {
      setError('Give a reason.');
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      await call('memberships:end', { id: ctx.member.id, reason });
      ctx.notify(`Link for ${ctx.member.personReference} ended.`);
      await ctx.reload();
      ctx.onDone();
    } catch (e) {
      const fields = envelopeErrors(e);
      if (fields.reason) setError(fields.reason);
      else setFailure(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <FormDialog isOpen title={`End the link for ${ctx.member.personReference} ${ctx.member.personName}?`} submitLabel="End link" isBusy={isBusy} failure={failure} onSubmit={() => void submit()} onCancel={ctx.onDone}>
      <p>The link stays on record as ended; it is recorded in the audit log with your reason.</p>
      <TextField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} error={error} autoComplete="off" maxLength={1000} />
    </FormDialog>
  );
}
