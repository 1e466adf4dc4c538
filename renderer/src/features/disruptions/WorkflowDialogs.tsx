/**
 * The workflow steps that ask something first: validate (a confirmation), return or reject (a
 * reason), and the durability review (outcome, new level, reason). Each checks its input with
 * the contract's schema, sends it, and reports back in a sentence; main's refusal stays in the
 * dialog.
 */
import { useState } from 'react';
import { DISRUPTION_LEVELS, durabilityInput, transitionInput } from '../../../../preload/contract/schemas/disruptions';
import { call } from '../../app/api';
import { SelectField } from '../../app/components';
import { schemaErrors, useSubmit } from '../../app/forms';
import { formatDay } from '../../components/dates';
import { FormDialog } from '../../components/FormDialog';
import { TextAreaField } from '../../components/TextAreaField';
import type { DisruptionRecord } from './claim';
import { RadioGroup } from './RadioGroup';
import { DURABILITY_LABELS, LEVEL_RANK, levelLabel, type Level } from './labels';

type OnDone = (message: string | null) => void;

export function ValidateDialog({ record, onDone }: { record: DisruptionRecord; onDone: OnDone }) {
  const { isBusy, failure, run } = useSubmit();
  async function submit() {
    await run(async () => {
      const r = await call('disruptions:transition', { id: record.id, action: 'validate', reason: '' });
      onDone(`${r.reference} validated at ${levelLabel(r.level).toLowerCase()}. It now counts in returns; its durability review is due ${formatDay(r.durabilityDueOn)}.`);
    });
  }
  return (
    <FormDialog isOpen title={`Validate ${record.reference}?`} submitLabel="Validate" busyLabel="Validating…" isBusy={isBusy} failure={failure} onSubmit={() => void submit()} onCancel={() => onDone(null)}>
      <p>
        You confirm the claim is supported at the claimed level, <strong>{levelLabel(record.claimedLevel).toLowerCase()}</strong>. Once validated
        it counts in returns, and a durability review falls due six months from today. If the level is not supported, return the claim with a
        reason instead.
      </p>
    </FormDialog>
  );
}

export function ReasonDialog({ record, action, onDone }: { record: DisruptionRecord; action: 'return' | 'reject'; onDone: OnDone }) {
  const [reason, setReason] = useState('');
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit();
  async function submit() {
    setFailure(null);
    const parsed = transitionInput.safeParse({ id: record.id, action, reason });
    if (!parsed.success) {
      setErrors(schemaErrors(parsed.error));
      return;
    }
    setErrors({});
    await run(async () => {
      const r = await call('disruptions:transition', parsed.data);
      onDone(action === 'return' ? `${r.reference} returned to the claimant.` : `${r.reference} rejected. It will not be counted.`);
    });
  }
  return (
    <FormDialog
      isOpen
      title={action === 'return' ? `Return ${record.reference} to the claimant` : `Reject ${record.reference}`}
      submitLabel={action === 'return' ? 'Return claim' : 'Reject claim'}
      isBusy={isBusy}
      failure={failure}
      onSubmit={() => void submit()}
      onCancel={() => onDone(null)}
    >
      <p>
        {action === 'return'
          ? 'The claimant can edit the claim and submit it again. Say what needs to change.'
          : 'A rejected claim is final and is never counted. Say why it does not stand.'}{' '}
        The reason is kept with the claim and in the audit log.
      </p>
      <TextAreaField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} error={errors.reason} maxLength={2000} />
    </FormDialog>
  );
}

export function DurabilityDialog({ record, onDone }: { record: DisruptionRecord; onDone: OnDone }) {
  const [outcome, setOutcome] = useState('confirmed');
  const [level, setLevel] = useState('');
  const [reason, setReason] = useState('');
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit();
  const current = record.level as Level;
  const levels = DISRUPTION_LEVELS.filter((l) => (outcome === 'downgraded' ? LEVEL_RANK[l] < LEVEL_RANK[current] : LEVEL_RANK[l] > LEVEL_RANK[current]));
  async function submit() {
    setFailure(null);
    const parsed = durabilityInput.safeParse({ id: record.id, outcome, level: outcome === 'confirmed' || !level ? undefined : level, reason });
    if (!parsed.success) {
      setErrors(schemaErrors(parsed.error));
      return;
    }
    setErrors({});
    await run(async () => {
      const r = await call('disruptions:review', parsed.data);
      onDone(`Durability review of ${r.reference} recorded: ${DURABILITY_LABELS[r.durabilityOutcome ?? outcome]?.toLowerCase()}, level ${levelLabel(r.levelAfterReview ?? r.level).toLowerCase()}.`);
    });
  }
  return (
    <FormDialog isOpen title={`Durability review of ${record.reference}`} submitLabel="Record review" isBusy={isBusy} failure={failure} onSubmit={() => void submit()} onCancel={() => onDone(null)}>
      <p>
        Six months on, is the network still disrupted at the validated level, <strong>{levelLabel(current).toLowerCase()}</strong>?
      </p>
      <RadioGroup
        legend="Outcome"
        name="durability-outcome"
        value={outcome}
        options={[
          { value: 'confirmed', label: 'Confirmed', detail: 'the level stands' },
          { value: 'downgraded', label: 'Downgraded', detail: 'the effect was smaller or shorter' },
          { value: 'upgraded', label: 'Upgraded', detail: 'the effect was greater or lasted longer' },
        ]}
        onChange={(v) => {
          setOutcome(v);
          setLevel('');
          setErrors({});
        }}
        error={errors.outcome}
      />
      {outcome !== 'confirmed' && (
        <SelectField label="New level" value={level} onChange={(e) => setLevel(e.target.value)} error={errors.level}>
          <option value="">Choose a level…</option>
          {levels.map((l) => (
            <option key={l} value={l}>
              {levelLabel(l)}
            </option>
          ))}
        </SelectField>
      )}
      <TextAreaField
        label={outcome === 'confirmed' ? 'Notes (optional)' : 'Reason for the change of level'}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={errors.reason}
        maxLength={2000}
      />
    </FormDialog>
  );
}
