/**
 * Add or edit a person (a nominal): name, date of birth (age and the under-18 marker follow from
 * it), sex, and the two ethnicity codes kept for disproportionality monitoring. Validated with the
 * contract's `personDraft`; main's field errors land beside the same fields.
 */
import { useState } from 'react';
import type { Output } from '../../../../preload/contract';
import { OFFICER_ETHNICITY, personDraft, SELF_ETHNICITY, SEXES } from '../../../../preload/contract/schemas/matrix';
import { call } from '../../app/api';
import { Alert, SelectField, TextField } from '../../app/components';
import { schemaErrors, useSubmit, withoutField, type FieldErrors } from '../../app/forms';
import { formatDay, readDays } from '../../components/dates';
import { SEX_LABELS } from '../../components/labels';
import { OFFICER_ETHNICITY_LABELS, SELF_ETHNICITY_LABELS } from '../../../../preload/contract/vocabulary';

type PersonRecord = Output<'people:create'>;

/** Main's one refusal that names no field (a date of birth in the future) belongs beside the date. */
const PERSON_REFUSALS = { fallbackField: 'dateOfBirth' };

export function PersonForm(props: { existing?: PersonRecord; onSaved: (p: PersonRecord) => void | Promise<void>; onCancel?: () => void }) {
  const e0 = props.existing;
  const [form, setForm] = useState({
    name: e0?.name ?? '',
    dateOfBirth: formatDay(e0?.dateOfBirth),
    sex: e0?.sex ?? 'unknown',
    ethnicitySelf: e0?.ethnicitySelf ?? '',
    ethnicityOfficer: e0?.ethnicityOfficer ?? '',
  });
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit(PERSON_REFUSALS);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [key]: e.target.value }));
    setErrors(withoutField(key));
  };

  async function submit() {
    setFailure(null);
    const { days, errors: dayErrors } = readDays({ dateOfBirth: form.dateOfBirth }, []);
    const parsed = personDraft.safeParse({
      name: form.name,
      dateOfBirth: days.dateOfBirth,
      sex: form.sex,
      ethnicitySelf: form.ethnicitySelf || null,
      ethnicityOfficer: form.ethnicityOfficer || null,
    });
    const next: FieldErrors = parsed.success ? {} : schemaErrors(parsed.error);
    if (dayErrors.dateOfBirth) next.dateOfBirth = dayErrors.dateOfBirth;
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    await run(async () => {
      const saved = e0 ? await call('people:update', { id: e0.id, draft: parsed.data }) : await call('people:create', parsed.data);
      if (!e0) setForm({ name: '', dateOfBirth: '', sex: 'unknown', ethnicitySelf: '', ethnicityOfficer: '' });
      await props.onSaved(saved);
    });
  }

  return (
    <form
      className="panel"
      noValidate
      aria-labelledby="person-form-heading"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="person-form-heading">{e0 ? `Edit ${e0.reference}` : 'Add a person'}</h2>
      <TextField label="Name" value={form.name} onChange={set('name')} error={errors.name} autoComplete="off" maxLength={120} />
      <TextField
        label="Date of birth"
        hint="dd/mm/yyyy; leave empty if not known. Under-18s are marked wherever they appear."
        inputMode="numeric"
        className="narrow"
        value={form.dateOfBirth}
        onChange={set('dateOfBirth')}
        error={errors.dateOfBirth}
      />
      <SelectField label="Sex" value={form.sex} onChange={set('sex')} error={errors.sex}>
        {SEXES.map((s) => (
          <option key={s} value={s}>
            {SEX_LABELS[s]}
          </option>
        ))}
      </SelectField>
      <p className="field-hint">Ethnicity is kept only to monitor fairness and is never shown below aggregate level in any export.</p>
      <SelectField label="Self-defined ethnicity" value={form.ethnicitySelf} onChange={set('ethnicitySelf')} error={errors.ethnicitySelf}>
        <option value="">Not recorded</option>
        {SELF_ETHNICITY.map((c) => (
          <option key={c} value={c}>
            {c} {SELF_ETHNICITY_LABELS[c]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Officer-defined ethnicity" value={form.ethnicityOfficer} onChange={set('ethnicityOfficer')} error={errors.ethnicityOfficer}>
        <option value="">Not recorded</option>
        {OFFICER_ETHNICITY.map((c) => (
          <option key={c} value={c}>
            {OFFICER_ETHNICITY_LABELS[c]}
          </option>
        ))}
      </SelectField>
      {failure && <Alert>{failure}</Alert>}
      <div className="actions">
        {props.onCancel && (
          <button type="button" onClick={props.onCancel} disabled={isBusy}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={isBusy}>
          {isBusy ? 'Saving…' : e0 ? 'Save changes' : 'Add person'}
        </button>
      </div>
    </form>
  );
}
