/**
 * The claim form's "Networks and activity": the primary network, the operation and the activity
 * dates, who owns the primary network, and the other networks the same activity disrupted (with
 * a find box once there are more than a dozen to choose from).
 */
import { useMemo, useState } from 'react';
import type { MatrixRow } from '../../../../preload/contract';
import { SelectField, TextField } from '../../app/components';
import type { FieldErrors } from '../../app/forms';
import { CheckboxList } from '../../components/CheckboxList';
import type { ClearErrors, FormState, SetForm } from './claim-draft';

export function NetworkFields(props: {
  networks: MatrixRow[];
  form: FormState;
  setForm: SetForm;
  set: (key: keyof FormState) => (e: { target: { value: string } }) => void;
  errors: FieldErrors;
  clear: ClearErrors;
}) {
  const { networks, form, set, errors, clear } = props;
  const [networkFind, setNetworkFind] = useState('');
  const byId = useMemo(() => new Map(networks.map((n) => [n.id, n])), [networks]);
  const primary = byId.get(form.primaryNetworkId);
  const find = networkFind.trim().toLowerCase();
  const otherOptions = networks
    .filter((n) => n.id !== form.primaryNetworkId)
    .filter((n) => !find || form.otherNetworkIds.includes(n.id) || `${n.reference} ${n.name}`.toLowerCase().includes(find))
    .slice(0, 200)
    .map((n) => ({ value: n.id, label: `${n.reference} ${n.name}` }));

  return (
    <section className="section form-section" aria-labelledby="claim-networks-heading">
      <h2 id="claim-networks-heading">Networks and activity</h2>
      <div className="form-grid networks-grid">
        <SelectField
          label="Primary network"
          value={form.primaryNetworkId}
          onChange={(e) => {
            set('primaryNetworkId')(e);
            clear('otherNetworkIds');
          }}
          error={errors.primaryNetworkId}
        >
          <option value="">Choose a network…</option>
          {networks.map((n) => (
            <option key={n.id} value={n.id}>
              {n.reference} {n.name}
            </option>
          ))}
        </SelectField>
        <TextField label="Operation reference" hint="The operation's name or number, if it has one." value={form.operationReference} onChange={set('operationReference')} error={errors.operationReference} autoComplete="off" maxLength={40} />
        <TextField label="Activity from" hint="dd/mm/yyyy" inputMode="numeric" value={form.activityStart} onChange={set('activityStart')} error={errors.activityStart} autoComplete="off" />
        <TextField label="Activity to" hint="dd/mm/yyyy; the same day for a single action" inputMode="numeric" value={form.activityEnd} onChange={set('activityEnd')} error={errors.activityEnd} autoComplete="off" />
      </div>
      {primary && (
        <p className="muted">
          {primary.reference} {primary.name}: {primary.band === 'below_threshold' ? 'below threshold' : `Band ${primary.band}`}, owned by{' '}
          {[primary.businessGroup, primary.unit].filter(Boolean).join(' / ') || 'no one recorded'}.
        </p>
      )}
      <details className="other-networks" open={form.otherNetworkIds.length > 0 || Boolean(errors.otherNetworkIds)}>
        <summary>Other networks disrupted by the same activity ({form.otherNetworkIds.length})</summary>
        {networks.length > 12 && (
          <div className="field quick-filter inline">
            <label htmlFor="claim-network-find">Find a network</label>
            <input id="claim-network-find" type="search" value={networkFind} onChange={(e) => setNetworkFind(e.target.value)} autoComplete="off" />
          </div>
        )}
        <CheckboxList
          legend="Other networks"
          hint="Each is counted as disrupted too, once, at its highest level."
          options={otherOptions}
          selected={form.otherNetworkIds}
          onChange={(next) => {
            props.setForm((f) => ({ ...f, otherNetworkIds: next }));
            clear('otherNetworkIds');
          }}
          error={errors.otherNetworkIds}
          emptyText={find ? 'No network matches.' : 'There are no other networks.'}
          isScrolling
        />
      </details>
    </section>
  );
}
