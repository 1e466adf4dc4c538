/** The claim form's "Outcomes": counts and amounts by group, firearms by type, and drugs seized row by row. */
import { useRef } from 'react';
import { DRUG_CLASSES, FIREARM_TYPES } from '../../../../preload/contract/schemas/disruptions';
import { SelectField, TextField } from '../../app/components';
import type { FieldErrors } from '../../app/forms';
import { newDrugKey, type ClearErrors, type FormState, type SetForm } from './claim-draft';
import { FIREARM_LABELS, OUTCOME_GROUPS, type OutcomeKind } from './labels';

export function OutcomeFields({ form, setForm, errors, clear }: { form: FormState; setForm: SetForm; errors: FieldErrors; clear: ClearErrors }) {
  return (
    <section className="section form-section" aria-labelledby="claim-outcomes-heading">
      <h2 id="claim-outcomes-heading">Outcomes</h2>
      <p className="muted">Counts and amounts the activity achieved. Leave a field empty for none.</p>
      <div className="outcome-groups">
        {OUTCOME_GROUPS.slice(0, 2).map((g) => (
          <OutcomeFieldset key={g.legend} legend={g.legend} fields={g.fields} form={form} setForm={setForm} errors={errors} clear={clear} />
        ))}
        <OutcomeFieldset
          legend="Firearms by type"
          fields={FIREARM_TYPES.map((t) => ({ key: `firearms.${t}`, label: FIREARM_LABELS[t], kind: 'count' as const }))}
          form={form}
          setForm={setForm}
          errors={errors}
          clear={clear}
        />
        {OUTCOME_GROUPS.slice(2).map((g) => (
          <OutcomeFieldset key={g.legend} legend={g.legend} fields={g.fields} form={form} setForm={setForm} errors={errors} clear={clear} />
        ))}
      </div>
      <DrugRows form={form} setForm={setForm} errors={errors} clear={clear} />
    </section>
  );
}

function OutcomeFieldset(props: {
  legend: string;
  fields: { key: string; label: string; kind: OutcomeKind }[];
  form: FormState;
  setForm: SetForm;
  errors: FieldErrors;
  clear: ClearErrors;
}) {
  return (
    <fieldset className="field outcome-group">
      <legend>{props.legend}</legend>
      <div className="outcome-grid">
        {props.fields.map((f) => (
          <TextField
            key={f.key}
            label={f.label}
            inputMode={f.kind === 'count' ? 'numeric' : 'decimal'}
            className="outcome-field"
            value={props.form.outcomes[f.key] ?? ''}
            onChange={(e) => {
              const value = e.target.value;
              props.setForm((s) => ({ ...s, outcomes: { ...s.outcomes, [f.key]: value } }));
              props.clear(`outcomes.${f.key}`);
            }}
            error={props.errors[`outcomes.${f.key}`]}
            autoComplete="off"
          />
        ))}
      </div>
    </fieldset>
  );
}

/** Drugs seized, one row per substance and class, added and removed as needed. */
function DrugRows({ form, setForm, errors, clear }: { form: FormState; setForm: SetForm; errors: FieldErrors; clear: ClearErrors }) {
  const addRef = useRef<HTMLButtonElement>(null);
  const update = (key: number, field: 'substance' | 'drugClass' | 'grams', value: string, index: number) => {
    setForm((f) => ({ ...f, drugs: f.drugs.map((d) => (d.key === key ? { ...d, [field]: value } : d)) }));
    clear(`outcomes.drugs.${index}.${field}`);
  };
  return (
    <fieldset className="field drugs" aria-describedby={errors['outcomes.drugs'] ? 'drugs-error' : undefined}>
      <legend>Drugs seized</legend>
      {form.drugs.length === 0 && <p className="muted">No drugs recorded.</p>}
      {form.drugs.map((d, i) => (
        <div className="drug-row" key={d.key} role="group" aria-label={`Drug seizure ${i + 1}`}>
          <TextField
            label="Substance"
            value={d.substance}
            onChange={(e) => update(d.key, 'substance', e.target.value, i)}
            error={errors[`outcomes.drugs.${i}.substance`]}
            autoComplete="off"
            maxLength={60}
          />
          <SelectField label="Class" value={d.drugClass} onChange={(e) => update(d.key, 'drugClass', e.target.value, i)} error={errors[`outcomes.drugs.${i}.drugClass`]}>
            <option value="">Choose…</option>
            {DRUG_CLASSES.map((c) => (
              <option key={c} value={c}>
                Class {c}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Grams"
            inputMode="decimal"
            value={d.grams}
            onChange={(e) => update(d.key, 'grams', e.target.value, i)}
            error={errors[`outcomes.drugs.${i}.grams`]}
            autoComplete="off"
          />
          <button
            type="button"
            className="drug-remove"
            aria-label={`Remove drug seizure ${i + 1}${d.substance ? ` (${d.substance})` : ''}`}
            onClick={() => {
              setForm((f) => ({ ...f, drugs: f.drugs.filter((x) => x.key !== d.key) }));
              // Row numbers shift: errors keyed by index no longer line up with their rows.
              clear(...Object.keys(errors).filter((k) => k.startsWith('outcomes.drugs')));
              addRef.current?.focus();
            }}
          >
            Remove
          </button>
        </div>
      ))}
      {errors['outcomes.drugs'] && (
        <p id="drugs-error" className="field-error">
          {errors['outcomes.drugs']}
        </p>
      )}
      <button
        ref={addRef}
        type="button"
        onClick={() => setForm((f) => ({ ...f, drugs: [...f.drugs, { key: newDrugKey(), substance: '', drugClass: '', grams: '' }] }))}
        disabled={form.drugs.length >= 50}
      >
        Add a drug seizure
      </button>
    </fieldset>
  );
}
