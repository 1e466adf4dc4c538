/**
 * Gang flags on this network's members and offences. An analyst proposes a flag with its
 * criteria (two independent graded sources, or a self-admission); a supervisor confirms it from
 * the Flags queue. A confirmed flag on an offence proposes the offence's link to this network.
 */
import { useMemo, useState } from 'react';
import { flagDraft } from '../../../../preload/contract/schemas/matrix';
import { call } from '../../app/api';
import { SelectField } from '../../app/components';
import { schemaErrors, useSubmit, type FieldErrors } from '../../app/forms';
import { DataGrid } from '../../app/grid';
import { FormDialog } from '../../components/FormDialog';
import { fitsWithoutScrolling, type CardContext, type Flag } from './card';
import { IntelligenceChoices } from './IntelligenceChoices';
import { flagColumns } from './network.columns';
import { recordedThisSession } from './session-offences';

export function FlagsTab(ctx: CardContext & { stateOwner: string }) {
  const [isProposing, setProposing] = useState(false);
  const subjectLabel = useMemo(() => {
    const people = new Map(ctx.card.members.map((m) => [m.personId, `${m.personReference} ${m.personName}${m.isUnder18 ? ' (under 18)' : ''}`]));
    const offences = new Map([...recordedThisSession, ...ctx.card.offences].map((o) => [o.id, `${o.crimeReference} ${ctx.reference.categoryLabel(o.category)}`]));
    return (f: Flag) =>
      (f.subjectType === 'person' ? people.get(f.subjectId) : offences.get(f.subjectId)) ??
      (f.subjectType === 'person' ? 'A person not currently linked here' : 'An offence not linked here yet');
  }, [ctx.card, ctx.reference]);
  const columns = useMemo(() => flagColumns(subjectLabel), [subjectLabel]);

  return (
    <>
      <p className="muted">Flags are confirmed, expired or removed by a supervisor on the Flags screen.</p>
      {ctx.abilities.canKeep && (
        <div className="toolbar">
          <button type="button" className="primary" onClick={() => setProposing(true)}>
            Propose flag
          </button>
        </div>
      )}
      <DataGrid<Flag>
        gridId="network-flags"
        stateOwner={ctx.stateOwner}
        label="Gang flags"
        emptyText="No gang flags on this network's members or offences."
        rows={ctx.card.flags}
        columns={columns}
        getRowId={(p) => p.data.id}
        isCompact={fitsWithoutScrolling(ctx.card.flags)}
      />
      {isProposing && <ProposeFlagForm {...ctx} onDone={() => setProposing(false)} />}
    </>
  );
}

/** A refusal that names no field belongs beside the intelligence; a flag already current on the subject (a conflict), beside the subject. */
const FLAG_REFUSALS = { fallbackField: 'intelIds', codeToField: { conflict: 'subjectId' } };

function ProposeFlagForm(ctx: CardContext & { onDone: () => void }) {
  const [subjectType, setSubjectType] = useState<'person' | 'offence'>('person');
  const [subjectId, setSubjectId] = useState('');
  const [isSelfAdmission, setSelfAdmission] = useState(false);
  const [intelIds, setIntelIds] = useState<string[]>([]);
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit(FLAG_REFUSALS);
  const subjects =
    subjectType === 'person'
      ? ctx.card.members.filter((m) => m.status !== 'ended').map((m) => ({ id: m.personId, label: `${m.personReference} ${m.personName}${m.isUnder18 ? ' (under 18)' : ''}` }))
      : [
          ...ctx.card.offences.map((o) => ({ id: o.id, label: `${o.crimeReference} ${ctx.reference.categoryLabel(o.category)}` })),
          // An offence not yet linked here: confirming its flag proposes the link to this network.
          ...recordedThisSession
            .filter((o) => !ctx.card.offences.some((c) => c.id === o.id))
            .map((o) => ({ id: o.id, label: `${o.crimeReference} ${ctx.reference.categoryLabel(o.category)} (not linked yet)` })),
        ];

  async function submit() {
    setFailure(null);
    const parsed = flagDraft.safeParse({ subjectType, subjectId, networkId: ctx.card.network.id, isSelfAdmission, intelIds });
    const next: FieldErrors = parsed.success ? {} : schemaErrors(parsed.error);
    if (!subjectId) next.subjectId = subjectType === 'person' ? 'Choose a member.' : 'Choose an offence.';
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    await run(async () => {
      await call('flags:propose', parsed.data);
      const s = subjects.find((x) => x.id === subjectId);
      ctx.notify(`Gang flag proposed on ${s?.label ?? 'the record'}. A supervisor confirms it from the Flags queue.`);
      await ctx.reload();
      ctx.onDone();
    });
  }

  return (
    <FormDialog isOpen title="Propose a gang flag" submitLabel="Propose flag" isBusy={isBusy} failure={failure} wide onSubmit={() => void submit()} onCancel={ctx.onDone}>
      <fieldset className="field radio-group">
        <legend>Flag on</legend>
        <div className="checkbox-items">
          {(['person', 'offence'] as const).map((t) => (
            <div className="checkbox-item" key={t}>
              <input
                id={`flag-on-${t}`}
                type="radio"
                name="flag-subject-type"
                checked={subjectType === t}
                onChange={() => {
                  setSubjectType(t);
                  setSubjectId('');
                }}
              />
              <label htmlFor={`flag-on-${t}`}>{t === 'person' ? 'A member (gang-associated nominal)' : 'An offence (gang-related)'}</label>
            </div>
          ))}
        </div>
      </fieldset>
      <SelectField label={subjectType === 'person' ? 'Member' : 'Offence'} value={subjectId} onChange={(e) => setSubjectId(e.target.value)} error={errors.subjectId}>
        <option value="">Choose…</option>
        {subjects.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
          </option>
        ))}
      </SelectField>
      <div className="checkbox">
        <input id="flag-self-admission" type="checkbox" checked={isSelfAdmission} onChange={(e) => setSelfAdmission(e.target.checked)} />
        <label htmlFor="flag-self-admission">Self-admission</label>
      </div>
      <IntelligenceChoices ctx={ctx} legend="Supporting intelligence" hint="Two graded items from independent sources, unless there is a self-admission." selected={intelIds} onChange={setIntelIds} error={errors.intelIds} />
    </FormDialog>
  );
}
