/**
 * Create or edit a network (docs/specification.md, "Core records"): name and aliases, type with its definition
 * shown, status, lead and other boroughs, and the owner. Validated with the contract's
 * `networkDraft` before anything is sent; main's field errors land beside the same fields.
 */
import { useState } from 'react';
import type { Output } from '../../../../preload/contract';
import { BUSINESS_GROUPS, NETWORK_STATUSES, NETWORK_TYPES, networkDraft, type NetworkDraft } from '../../../../preload/contract/schemas/matrix';
import { call } from '../../app/api';
import { SelectField, TextField } from '../../app/components';
import { schemaErrors, useSubmit, withoutField } from '../../app/forms';
import { CheckboxList } from '../../components/CheckboxList';
import { FormDialog } from '../../components/FormDialog';
import { NETWORK_STATUS_LABELS, networkTypeLabel } from '../../components/labels';
import type { ReferenceLookup } from '../../components/reference';

type NetworkRecord = Output<'networks:create'>;

interface FormState {
  name: string;
  aliases: string;
  type: string;
  status: string;
  leadBorough: string;
  otherBoroughs: string[];
  businessGroup: string;
  unit: string;
  leadOfficer: string;
}

const EMPTY: FormState = {
  name: '',
  aliases: '',
  type: '',
  status: 'proposed',
  leadBorough: '',
  otherBoroughs: [],
  businessGroup: '',
  unit: '',
  leadOfficer: '',
};

function fromRecord(n: NetworkRecord): FormState {
  return {
    name: n.name,
    aliases: n.aliases,
    type: n.type,
    status: n.status,
    leadBorough: n.leadBorough,
    otherBoroughs: n.otherBoroughs,
    businessGroup: n.businessGroup,
    unit: n.unit,
    leadOfficer: n.leadOfficer,
  };
}

export function NetworkForm(props: {
  isOpen: boolean;
  reference: ReferenceLookup;
  /** Editing this network; creating a new one when absent. */
  existing?: NetworkRecord;
  onSaved: (n: NetworkRecord) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState<FormState>(props.existing ? fromRecord(props.existing) : EMPTY);
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit();
  const ref = props.reference;
  const definition = ref.definitions.find((d) => d.id === form.type);
  const set = (key: keyof FormState) => (e: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [key]: e.target.value }));
    setErrors(withoutField(key));
  };

  async function submit() {
    setFailure(null);
    const draft: NetworkDraft = {
      name: form.name,
      aliases: form.aliases,
      type: form.type as NetworkDraft['type'],
      status: form.status as NetworkDraft['status'],
      leadBorough: form.leadBorough,
      otherBoroughs: form.otherBoroughs.filter((b) => b !== form.leadBorough),
      businessGroup: form.businessGroup as NetworkDraft['businessGroup'],
      unit: form.unit,
      leadOfficer: form.leadOfficer,
    };
    const parsed = networkDraft.safeParse(draft);
    if (!parsed.success) {
      setErrors(schemaErrors(parsed.error));
      return;
    }
    setErrors({});
    await run(async () => {
      const saved = props.existing ? await call('networks:update', { id: props.existing.id, draft: parsed.data }) : await call('networks:create', parsed.data);
      setForm(EMPTY);
      props.onSaved(saved);
    });
  }

  return (
    <FormDialog
      isOpen={props.isOpen}
      title={props.existing ? `Edit ${props.existing.reference}` : 'New network'}
      submitLabel={props.existing ? 'Save changes' : 'Create network'}
      isBusy={isBusy}
      failure={failure}
      wide
      onSubmit={() => void submit()}
      onCancel={() => {
        setErrors({});
        setFailure(null);
        props.onCancel();
      }}
    >
      <div className="form-grid">
        <TextField label="Name" value={form.name} onChange={set('name')} error={errors.name} autoComplete="off" maxLength={120} />
        <TextField label="Aliases" hint="Other names it goes by, separated by commas." value={form.aliases} onChange={set('aliases')} error={errors.aliases} autoComplete="off" />
        <SelectField label="Type" value={form.type} onChange={set('type')} error={errors.type}>
          <option value="">Choose a type…</option>
          {NETWORK_TYPES.map((t) => (
            <option key={t} value={t}>
              {networkTypeLabel(t)}
            </option>
          ))}
        </SelectField>
        <SelectField label="Status" value={form.status} onChange={set('status')} error={errors.status}>
          {NETWORK_STATUSES.map((s) => (
            <option key={s} value={s}>
              {NETWORK_STATUS_LABELS[s]}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="definition" aria-live="polite">
        {definition ? (
          <>
            <strong>{definition.label}</strong> (definitions {ref.definitionsVersion}): {definition.definition}
          </>
        ) : (
          <span className="muted">Choose a type to see its definition.</span>
        )}
      </div>
      <div className="form-grid">
        <SelectField label="Lead borough" value={form.leadBorough} onChange={set('leadBorough')} error={errors.leadBorough}>
          <option value="">Choose a borough…</option>
          {ref.boroughs.map((b) => (
            <option key={b.code} value={b.code}>
              {b.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Business group" value={form.businessGroup} onChange={set('businessGroup')} error={errors.businessGroup}>
          <option value="">Choose a business group…</option>
          {BUSINESS_GROUPS.map((g) => (
            <option key={g} value={g}>
              {ref.businessGroupName(g)} ({g})
            </option>
          ))}
        </SelectField>
        <TextField label="Unit" value={form.unit} onChange={set('unit')} error={errors.unit} autoComplete="off" />
        <TextField label="Lead officer" value={form.leadOfficer} onChange={set('leadOfficer')} error={errors.leadOfficer} autoComplete="off" />
      </div>
      <CheckboxList
        legend="Other boroughs of operation"
        hint="Where it also operates (cross-border). The lead borough is not counted again."
        options={ref.boroughs.filter((b) => b.code !== form.leadBorough).map((b) => ({ value: b.code, label: b.name }))}
        selected={form.otherBoroughs}
        onChange={(next) => setForm((f) => ({ ...f, otherBoroughs: next }))}
        error={errors.otherBoroughs}
        isScrolling
      />
    </FormDialog>
  );
}
