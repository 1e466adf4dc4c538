/**
 * Offences linked to the network. Recording an offence and linking it are separate decisions:
 * an offence is a fact; the link to this network is an analyst's judgement with a rationale and
 * at least one graded intelligence item, and only a confirmed link scores. Links proposed by a
 * confirmed gang flag on an offence wait here for an analyst to confirm or reject.
 */
import { useMemo, useState } from 'react';
import { offenceDraft, offenceLinkDraft, STAGES, WEAPONS } from '../../../../preload/contract/schemas/matrix';
import { call, messageOf } from '../../app/api';
import { SelectField, TextField } from '../../app/components';
import { schemaErrors, useSubmit, withoutField, type FieldErrors } from '../../app/forms';
import { DataGrid } from '../../app/grid';
import { formatDay, readDays } from '../../components/dates';
import { FormDialog } from '../../components/FormDialog';
import { stageLabel, STAGE_LABELS, WEAPON_LABELS } from '../../components/labels';
import { fixed } from '../../components/numbers';
import { TextAreaField } from '../../components/TextAreaField';
import { fitsWithoutScrolling, type CardContext, type CardOffence, type OffenceRecord } from './card';
import { IntelligenceChoices } from './IntelligenceChoices';
import { EraseButton, erasedMessage } from '../erasures/EraseDialog';
import { mayErase } from '../../../../preload/contract/permissions';
import { offenceColumns } from './network.columns';
import { uniqueOffences, useOffenceSearch } from './offence-search';
import { recordedThisSession } from './session-offences';

type Dialog = { kind: 'record' } | { kind: 'link'; offenceId?: string } | { kind: 'stage'; offence: CardOffence } | null;

export function OffencesTab(ctx: CardContext & { stateOwner: string }) {
  const { card, abilities, reference } = ctx;
  const [dialog, setDialog] = useState<Dialog>(null);
  const [selected, setSelected] = useState<CardOffence | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busyLink, setBusyLink] = useState<string | null>(null);
  const columns = useMemo(() => offenceColumns(reference), [reference]);
  const proposed = card.offences.filter((o) => o.linkStatus === 'proposed');
  const current = selected ? (card.offences.find((o) => o.linkId === selected.linkId) ?? null) : null;

  async function decide(o: CardOffence, decision: 'confirmed' | 'rejected') {
    setBusyLink(o.linkId);
    setFailure(null);
    try {
      await call('offences:decide-link', { id: o.linkId, decision });
      ctx.notify(`Link to offence ${o.crimeReference} ${decision}.`);
      await ctx.reload();
    } catch (e) {
      setFailure(messageOf(e));
    } finally {
      setBusyLink(null);
    }
  }

  // The offence itself, with every network's link to it (supervisors and administrators only).
  const eraseOffence = (
    <EraseButton
      user={ctx.me}
      target={{ kind: 'offence', ref: current?.id ?? '', label: current?.crimeReference ?? '' }}
      disabled={!current}
      text="Erase offence…"
      onErased={(r) => {
        setSelected(null);
        ctx.notify(erasedMessage(r));
        void ctx.reload();
      }}
    />
  );

  return (
    <>
      {abilities.canKeep && (
        <div className="toolbar">
          <button type="button" className="primary" onClick={() => setDialog({ kind: 'record' })}>
            Record offence
          </button>
          <button type="button" onClick={() => setDialog({ kind: 'link' })}>
            Link offence
          </button>
          <button type="button" onClick={() => current && setDialog({ kind: 'stage', offence: current })} disabled={!current}>
            Change stage…
          </button>
          {eraseOffence}
          <span className="muted">{current ? `Selected: ${current.crimeReference}` : mayErase(ctx.me.role) ? 'Select an offence to change its evidential stage or erase it.' : 'Select an offence to change its evidential stage.'}</span>
        </div>
      )}
      {!abilities.canKeep && mayErase(ctx.me.role) && (
        <div className="toolbar">
          {eraseOffence}
          <span className="muted">{current ? `Selected: ${current.crimeReference}` : 'Select an offence to erase it.'}</span>
        </div>
      )}
      {failure && <p className="field-error">{failure}</p>}
      {proposed.length > 0 && (
        <section className="proposed" aria-labelledby="proposed-links-heading">
          <h2 id="proposed-links-heading">Proposed links awaiting a decision</h2>
          <ul className="plain-list">
            {proposed.map((o) => (
              <li key={o.linkId}>
                <span>
                  <strong>{o.crimeReference}</strong> {reference.categoryLabel(o.category)}, {formatDay(o.offenceDate)}, {stageLabel(o.stage)}. {o.rationale}
                </span>
                {abilities.canKeep && (
                  <span className="row-actions">
                    <button type="button" onClick={() => void decide(o, 'confirmed')} disabled={busyLink !== null} aria-label={`Confirm link to ${o.crimeReference}`}>
                      Confirm
                    </button>
                    <button type="button" className="danger" onClick={() => void decide(o, 'rejected')} disabled={busyLink !== null} aria-label={`Reject link to ${o.crimeReference}`}>
                      Reject
                    </button>
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <DataGrid<CardOffence>
        gridId="network-offences"
        stateOwner={ctx.stateOwner}
        label="Offences"
        emptyText="No offences are linked to this network."
        rows={card.offences}
        columns={columns}
        getRowId={(p) => p.data.linkId}
        isSelectable
        onSelected={setSelected}
        isCompact={fitsWithoutScrolling(card.offences)}
        getRowClass={(p) => (p.data?.linkStatus === 'rejected' ? 'row-ended' : undefined)}
      />
      {dialog?.kind === 'record' && (
        <RecordOffenceForm
          {...ctx}
          onRecorded={(o) => {
            recordedThisSession.push(o);
            ctx.notify(`Offence ${o.crimeReference} recorded. Link it to this network with a rationale and graded intelligence.`);
            setDialog({ kind: 'link', offenceId: o.id });
          }}
          onDone={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'link' && <LinkOffenceForm {...ctx} offenceId={dialog.offenceId} onDone={() => setDialog(null)} />}
      {dialog?.kind === 'stage' && <StageForm {...ctx} offence={dialog.offence} onDone={() => setDialog(null)} />}
    </>
  );
}

/** A crime reference already recorded is refused as a conflict, beside the reference. */
const CONFLICT_ON_CRIME_REFERENCE = { codeToField: { conflict: 'crimeReference' } };
/** A link refused for its intelligence (main names no field) belongs beside the items cited; a conflict, beside the offence. */
const LINK_REFUSALS = { fallbackField: 'intelIds', codeToField: { conflict: 'offenceId' } };

function RecordOffenceForm(ctx: CardContext & { onRecorded: (o: OffenceRecord) => void; onDone: () => void }) {
  const ref = ctx.reference;
  const [form, setForm] = useState({
    crimeReference: '',
    hoCode: '',
    category: '',
    offenceDate: '',
    borough: ctx.card.network.leadBorough,
    stage: '',
    weapon: 'none',
  });
  const [isVictimUnder20, setVictimUnder20] = useState(false);
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit(CONFLICT_ON_CRIME_REFERENCE);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [key]: e.target.value }));
    setErrors(withoutField(key));
  };

  async function submit() {
    setFailure(null);
    const { days, errors: dayErrors } = readDays({ offenceDate: form.offenceDate }, ['offenceDate']);
    const parsed = offenceDraft.safeParse({ ...form, offenceDate: days.offenceDate ?? '', isVictimUnder20 });
    const next: FieldErrors = parsed.success ? {} : schemaErrors(parsed.error);
    if (dayErrors.offenceDate) next.offenceDate = dayErrors.offenceDate;
    if (!form.category) next.category = 'Choose a category.';
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    await run(async () => ctx.onRecorded(await call('offences:create', parsed.data)));
  }

  return (
    <FormDialog isOpen title="Record an offence" submitLabel="Record offence" isBusy={isBusy} failure={failure} wide onSubmit={() => void submit()} onCancel={ctx.onDone}>
      <div className="form-grid">
        <TextField label="Crime reference" value={form.crimeReference} onChange={set('crimeReference')} error={errors.crimeReference} autoComplete="off" maxLength={40} />
        <TextField label="Home Office code" hint="Optional" value={form.hoCode} onChange={set('hoCode')} error={errors.hoCode} autoComplete="off" maxLength={12} />
        <SelectField label="Category" value={form.category} onChange={set('category')} error={errors.category} hint={`Weights from table ${ref.weightTable.id} ${ref.weightTable.version}, in harm-days.`}>
          <option value="">Choose a category…</option>
          {ref.categories.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label} ({fixed(c.weight, 2)})
            </option>
          ))}
        </SelectField>
        <TextField label="Offence date" hint="dd/mm/yyyy" inputMode="numeric" value={form.offenceDate} onChange={set('offenceDate')} error={errors.offenceDate} />
        <SelectField label="Borough" value={form.borough} onChange={set('borough')} error={errors.borough}>
          <option value="">Choose a borough…</option>
          {ref.boroughs.map((b) => (
            <option key={b.code} value={b.code}>
              {b.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Evidential stage" value={form.stage} onChange={set('stage')} error={errors.stage}>
          <option value="">Choose a stage…</option>
          {STAGES.map((s) => (
            <option key={s} value={s}>
              {STAGE_LABELS[s]}
            </option>
          ))}
        </SelectField>
        <SelectField label="Weapon involved" value={form.weapon} onChange={set('weapon')} error={errors.weapon}>
          {WEAPONS.map((w) => (
            <option key={w} value={w}>
              {WEAPON_LABELS[w]}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="checkbox">
        <input id="offence-victim-u20" type="checkbox" checked={isVictimUnder20} onChange={(e) => setVictimUnder20(e.target.checked)} />
        <label htmlFor="offence-victim-u20">Victim under 20</label>
      </div>
    </FormDialog>
  );
}

function LinkOffenceForm(ctx: CardContext & { offenceId?: string; onDone: () => void }) {
  const linked = new Set(ctx.card.offences.map((o) => o.id));
  const search = useOffenceSearch();
  const [offenceId, setOffenceId] = useState(ctx.offenceId ?? '');
  /** The offence chosen, kept on offer when a later search no longer finds it. */
  const [picked, setPicked] = useState<OffenceRecord | null>(null);
  const [rationale, setRationale] = useState('');
  const [intelIds, setIntelIds] = useState<string[]>([]);
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit(LINK_REFUSALS);
  const matches = search.result?.matches ?? [];
  const choices = uniqueOffences([recordedThisSession, picked ? [picked] : [], matches]).filter((o) => !linked.has(o.id) || o.id === ctx.offenceId);

  async function submit() {
    setFailure(null);
    const parsed = offenceLinkDraft.safeParse({ offenceId, networkId: ctx.card.network.id, rationale, intelIds });
    const next: FieldErrors = parsed.success ? {} : schemaErrors(parsed.error);
    if (!offenceId) next.offenceId = 'Choose an offence.';
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    await run(async () => {
      await call('offences:link', parsed.data);
      const o = choices.find((c) => c.id === offenceId);
      ctx.notify(o ? `Offence ${o.crimeReference} linked to ${ctx.card.network.reference}.` : `Offence linked to ${ctx.card.network.reference}.`);
      await ctx.reload();
      ctx.onDone();
    });
  }

  return (
    <FormDialog isOpen title="Link an offence to this network" submitLabel="Link offence" isBusy={isBusy} failure={failure} wide onSubmit={() => void submit()} onCancel={ctx.onDone}>
      <TextField
        label="Find by crime reference"
        hint="Type the start of a crime reference, then Find."
        value={search.text}
        onChange={(e) => search.setText(e.target.value)}
        onKeyDown={(e) => {
          // Enter searches here; it would otherwise submit the link.
          if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
          e.preventDefault();
          void search.find();
        }}
        error={search.error}
        autoComplete="off"
        maxLength={40}
      />
      <div className="toolbar">
        <button type="button" onClick={() => void search.find()} disabled={search.isSearching}>
          {search.isSearching ? 'Finding…' : 'Find'}
        </button>
        <span className="muted" aria-live="polite">
          {search.result && searchSummary(search.result.crimeReference, matches.length, matches.filter((o) => !linked.has(o.id)).length)}
        </span>
      </div>
      <SelectField
        label="Offence"
        value={offenceId}
        onChange={(e) => {
          setOffenceId(e.target.value);
          setPicked(choices.find((o) => o.id === e.target.value) ?? null);
        }}
        error={errors.offenceId}
        hint="Offences recorded since you unlocked, and those found by crime reference."
      >
        <option value="">{choices.length ? 'Choose an offence…' : 'No unlinked offences: find one or record one first'}</option>
        {choices.map((o) => (
          <option key={o.id} value={o.id}>
            {o.crimeReference} – {ctx.reference.categoryLabel(o.category)}, {formatDay(o.offenceDate)}, {stageLabel(o.stage)}
          </option>
        ))}
      </SelectField>
      <TextAreaField label="Rationale" hint="Why this offence is attributed to this network." value={rationale} onChange={(e) => setRationale(e.target.value)} error={errors.rationale} maxLength={1000} />
      <IntelligenceChoices ctx={ctx} legend="Graded intelligence cited" hint="At least one graded item." selected={intelIds} onChange={setIntelIds} error={errors.intelIds} />
    </FormDialog>
  );
}

/** What a search found, in the words beside the Find button. */
function searchSummary(crimeReference: string, found: number, unlinked: number): string {
  if (found === 0) return `No crime reference starts with “${crimeReference}”.`;
  if (unlinked === 0) return found === 1 ? 'The offence found is already linked to this network.' : `The ${found} offences found are all linked to this network already.`;
  const offences = `${unlinked} ${unlinked === 1 ? 'offence' : 'offences'}`;
  return found === unlinked ? `${offences} found: choose under Offence.` : `${offences} found that are not linked here yet: choose under Offence.`;
}

function StageForm(ctx: CardContext & { offence: CardOffence; onDone: () => void }) {
  const [stage, setStage] = useState<string>(ctx.offence.stage);
  const [failure, setFailure] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  async function submit() {
    setFailure(null);
    setBusy(true);
    try {
      await call('offences:set-stage', { id: ctx.offence.id, stage: stage as (typeof STAGES)[number] });
      ctx.notify(`Offence ${ctx.offence.crimeReference} is now ${stageLabel(stage).toLowerCase()}.`);
      await ctx.reload();
      ctx.onDone();
    } catch (e) {
      setFailure(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <FormDialog isOpen title={`Change the stage of ${ctx.offence.crimeReference}`} submitLabel="Change stage" isBusy={isBusy} failure={failure} onSubmit={() => void submit()} onCancel={ctx.onDone}>
      <p className="muted">Every network this offence is linked to is rescored.</p>
      <SelectField label="Evidential stage" value={stage} onChange={(e) => setStage(e.target.value)}>
        {STAGES.map((s) => (
          <option key={s} value={s}>
            {STAGE_LABELS[s]}
          </option>
        ))}
      </SelectField>
    </FormDialog>
  );
}
