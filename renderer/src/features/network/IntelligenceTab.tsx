/**
 * Intelligence held against the network, graded 3x5x2 (source 1–3, intelligence A–E, handling
 * P/C); a legacy 5x5x5 grade is kept exactly as recorded and never converted. Items from the same
 * source count as one source wherever independence matters.
 */
import { useState } from 'react';
import { intelligenceDraft } from '../../../../preload/contract/schemas/matrix';
import { call } from '../../app/api';
import { SelectField, TextField } from '../../app/components';
import { schemaErrors, useSubmit, withoutField, type FieldErrors } from '../../app/forms';
import { DataGrid } from '../../app/grid';
import { readDays, todayUk } from '../../components/dates';
import { FormDialog } from '../../components/FormDialog';
import { HANDLING_LABELS, INTEL_GRADE_LABELS, SOURCE_GRADE_LABELS } from '../../components/labels';
import { TextAreaField } from '../../components/TextAreaField';
import { fitsWithoutScrolling, type CardContext, type Intelligence } from './card';
import { intelligenceColumns } from './network.columns';
import { EraseButton, erasedMessage } from '../erasures/EraseDialog';
import { mayErase } from '../../../../preload/contract/permissions';

export function IntelligenceTab(ctx: CardContext & { stateOwner: string }) {
  const [isRecording, setRecording] = useState(false);
  const [selected, setSelected] = useState<Intelligence | null>(null);
  const current = selected ? (ctx.card.intelligence.find((i) => i.id === selected.id) ?? null) : null;
  const canErase = mayErase(ctx.me.role);
  return (
    <>
      {ctx.abilities.canKeep && (
        <div className="toolbar">
          <button type="button" className="primary" onClick={() => setRecording(true)}>
            Record intelligence
          </button>
        </div>
      )}
      {canErase && (
        <div className="toolbar">
          <EraseButton
            user={ctx.me}
            target={{ kind: 'intelligence', ref: current?.id ?? '', label: current?.reference ?? '' }}
            disabled={!current}
            text="Erase item…"
            onErased={(r) => {
              setSelected(null);
              ctx.notify(erasedMessage(r));
              void ctx.reload();
            }}
          />
          <span className="muted">{current ? `Selected: ${current.reference}` : 'Select an item to erase it.'}</span>
        </div>
      )}
      <DataGrid<Intelligence>
        gridId="network-intelligence"
        stateOwner={ctx.stateOwner}
        label="Intelligence"
        emptyText="No intelligence is held against this network."
        rows={ctx.card.intelligence}
        columns={intelligenceColumns}
        getRowId={(p) => p.data.id}
        isSelectable={canErase}
        onSelected={setSelected}
        isCompact={fitsWithoutScrolling(ctx.card.intelligence)}
      />
      {isRecording && <RecordIntelligenceForm {...ctx} onDone={() => setRecording(false)} />}
    </>
  );
}

/** A reference already recorded is refused as a conflict, beside the reference. */
const CONFLICT_ON_REFERENCE = { codeToField: { conflict: 'reference' } };

function RecordIntelligenceForm(ctx: CardContext & { onDone: () => void }) {
  const [form, setForm] = useState({ reference: '', itemDate: todayUk(), sourceRef: '', summary: '', grading: '3x5x2', sourceGrade: '', intelGrade: '', handling: '', legacyGrade: '' });
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit(CONFLICT_ON_REFERENCE);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [key]: e.target.value }));
    setErrors(withoutField(key));
  };
  const is3x5x2 = form.grading === '3x5x2';

  async function submit() {
    setFailure(null);
    const { days, errors: dayErrors } = readDays({ itemDate: form.itemDate }, ['itemDate']);
    const parsed = intelligenceDraft.safeParse({
      reference: form.reference,
      itemDate: days.itemDate ?? '',
      sourceRef: form.sourceRef,
      summary: form.summary,
      grading: form.grading,
      sourceGrade: is3x5x2 && form.sourceGrade ? Number(form.sourceGrade) : null,
      intelGrade: is3x5x2 && form.intelGrade ? form.intelGrade : null,
      handling: is3x5x2 && form.handling ? form.handling : null,
      legacyGrade: is3x5x2 ? null : form.legacyGrade || null,
      networkIds: [ctx.card.network.id],
    });
    const next: FieldErrors = parsed.success ? {} : schemaErrors(parsed.error);
    if (dayErrors.itemDate) next.itemDate = dayErrors.itemDate;
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    await run(async () => {
      const item = await call('intelligence:create', parsed.data);
      ctx.notify(`Intelligence ${item.reference} recorded.`);
      await ctx.reload();
      ctx.onDone();
    });
  }

  return (
    <FormDialog isOpen title="Record intelligence" submitLabel="Record intelligence" isBusy={isBusy} failure={failure} wide onSubmit={() => void submit()} onCancel={ctx.onDone}>
      <div className="form-grid">
        <TextField label="Reference" value={form.reference} onChange={set('reference')} error={errors.reference} autoComplete="off" maxLength={40} />
        <TextField label="Date" hint="dd/mm/yyyy" inputMode="numeric" value={form.itemDate} onChange={set('itemDate')} error={errors.itemDate} />
        <TextField
          label="Source"
          hint="Who or what it came from. Items with the same source count as one source."
          value={form.sourceRef}
          onChange={set('sourceRef')}
          error={errors.sourceRef}
          autoComplete="off"
          maxLength={80}
        />
      </div>
      <TextAreaField label="Summary" value={form.summary} onChange={set('summary')} error={errors.summary} maxLength={2000} />
      <fieldset className="field radio-group">
        <legend>Grading</legend>
        <div className="checkbox-items">
          <div className="checkbox-item">
            <input id="grading-3x5x2" type="radio" name="grading" value="3x5x2" checked={is3x5x2} onChange={set('grading')} />
            <label htmlFor="grading-3x5x2">3x5x2</label>
          </div>
          <div className="checkbox-item">
            <input id="grading-5x5x5" type="radio" name="grading" value="5x5x5" checked={!is3x5x2} onChange={set('grading')} />
            <label htmlFor="grading-5x5x5">Legacy 5x5x5, as recorded</label>
          </div>
        </div>
      </fieldset>
      {is3x5x2 ? (
        <div className="form-grid">
          <SelectField label="Source grade" value={form.sourceGrade} onChange={set('sourceGrade')} error={errors.sourceGrade}>
            <option value="">Choose…</option>
            {([1, 2, 3] as const).map((g) => (
              <option key={g} value={g}>
                {SOURCE_GRADE_LABELS[g]}
              </option>
            ))}
          </SelectField>
          <SelectField label="Intelligence grade" value={form.intelGrade} onChange={set('intelGrade')} error={errors.intelGrade}>
            <option value="">Choose…</option>
            {(['A', 'B', 'C', 'D', 'E'] as const).map((g) => (
              <option key={g} value={g}>
                {INTEL_GRADE_LABELS[g]}
              </option>
            ))}
          </SelectField>
          <SelectField label="Handling" value={form.handling} onChange={set('handling')} error={errors.handling}>
            <option value="">Choose…</option>
            {(['P', 'C'] as const).map((g) => (
              <option key={g} value={g}>
                {HANDLING_LABELS[g]}
              </option>
            ))}
          </SelectField>
        </div>
      ) : (
        <TextField
          label="Grade as recorded"
          hint="For example B2 4. Kept exactly as written; a legacy grade cannot support a rating."
          className="narrow"
          value={form.legacyGrade}
          onChange={set('legacyGrade')}
          error={errors.legacyGrade}
          maxLength={20}
        />
      )}
    </FormDialog>
  );
}
