/**
 * A disruption claim, new or an edit of a draft or returned claim (docs/specification.md, "Disruptions":
 * networks, operation, activity dates, claiming business group and unit, claimed level, tactics
 * by the 4Ps, outcomes, impact narrative, supporting intelligence, partner reference).
 *
 * Checked with the contract's `disruptionDraft` before anything is sent, and main's field errors
 * land beside the same fields (claim-draft.ts reads what was typed and keys the errors).
 */
import { useEffect, useRef, useState } from 'react';
import type { DisruptionRecord, MatrixRow } from '../../../../preload/contract';
import { disruptionDraft, DISRUPTION_LEVELS } from '../../../../preload/contract/schemas/disruptions';
import { BUSINESS_GROUPS } from '../../../../preload/contract/schemas/matrix';
import { call } from '../../app/api';
import { Alert, ScreenHeading, SelectField, TextField } from '../../app/components';
import { useSubmit, type FieldErrors } from '../../app/forms';
import type { ReferenceLookup } from '../../components/reference';
import { TextAreaField } from '../../components/TextAreaField';
import { envelopePathErrors, fromRecord, pathErrors, PLAIN_REQUIRED, toDraft, type FormState } from './claim-draft';
import { IntelligencePicker } from './IntelligencePicker';
import { LEVEL_MEANINGS, levelLabel } from './labels';
import { NetworkFields } from './NetworkFields';
import { OutcomeFields } from './OutcomeFields';
import { RadioGroup } from './RadioGroup';
import { TacticsField } from './TacticsField';

export function ClaimForm(props: {
  reference: ReferenceLookup;
  networks: MatrixRow[];
  /** Editing this claim; a new claim when absent. */
  existing?: DisruptionRecord;
  /** The network a new claim starts from (the network card's "Claim a disruption"). */
  networkId?: string;
  onSaved: (r: DisruptionRecord, isNew: boolean) => void;
  onCancel: () => void;
}) {
  const { reference, networks, existing } = props;
  const [form, setForm] = useState<FormState>(() => fromRecord(existing, props.networkId));
  // Errors are keyed by the whole path, so they are kept here rather than by useSubmit (which keys by field).
  const [errors, setErrors] = useState<FieldErrors>({});
  const { isBusy, failure, setFailure, run } = useSubmit();
  // A new claim starts in the claimant's own unit (the unit recorded for them by an administrator).
  useEffect(() => {
    if (existing) return;
    void call('app:status', {})
      .then((st) => {
        const unit = st.user?.unit;
        if (unit) setForm((f) => (f.claimingUnit ? f : { ...f, claimingUnit: unit }));
      })
      .catch(() => undefined);
  }, [existing]);
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);

  const clear = (...keys: string[]) =>
    setErrors((e) => {
      if (!keys.some((k) => k in e)) return e;
      const next = { ...e };
      for (const k of keys) delete next[k];
      return next;
    });
  const set = (key: keyof FormState) => (e: { target: { value: string } }) => {
    setForm((f) => ({ ...f, [key]: e.target.value }));
    clear(key);
  };

  // After a refused save, take the keyboard to the first field that needs attention.
  useEffect(() => {
    if (attempt === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  async function submit() {
    setFailure(null);
    const { draft, errors: readErrors } = toDraft(form);
    const parsed = disruptionDraft.safeParse(draft);
    const next: FieldErrors = parsed.success ? {} : pathErrors(parsed.error);
    // A date that could not be read has its own message; the schema's would ask for YYYY-MM-DD.
    Object.assign(next, readErrors);
    for (const [k, m] of Object.entries(PLAIN_REQUIRED)) if (next[k]) next[k] = m;
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) {
      setAttempt((a) => a + 1);
      return;
    }
    await run(
      async () => {
        const saved = existing ? await call('disruptions:update', { id: existing.id, draft: parsed.data }) : await call('disruptions:create', parsed.data);
        props.onSaved(saved, !existing);
      },
      (e) => {
        setErrors(envelopePathErrors(e));
        setAttempt((a) => a + 1);
      },
    );
  }

  const errorCount = Object.keys(errors).length;

  return (
    <form
      ref={formRef}
      className="claim-form"
      noValidate
      aria-labelledby="claim-form-heading"
      onSubmit={(e) => {
        e.preventDefault();
        if (!isBusy) void submit();
      }}
    >
      <button type="button" className="link back" onClick={props.onCancel}>
        ← {existing ? `Back to ${existing.reference}` : 'Back without saving'}
      </button>
      <div id="claim-form-heading">
        <ScreenHeading>{existing ? `Edit claim ${existing.reference}` : 'Claim a disruption'}</ScreenHeading>
      </div>
      <p className="muted">
        A disruption is achieved when a network cannot operate at its normal level for a significant time. The claim is saved as a draft;
        you then submit it for your supervisor to endorse and an independent validator to validate.
      </p>
      {errorCount > 0 && (
        <Alert>
          {errorCount === 1 ? 'One detail needs attention' : `${errorCount} details need attention`}: see the highlighted fields.
        </Alert>
      )}

      <NetworkFields networks={networks} form={form} setForm={setForm} set={set} errors={errors} clear={clear} />

      <section className="section form-section" aria-labelledby="claim-claim-heading">
        <h2 id="claim-claim-heading">Who claims, and what level</h2>
        <div className="form-grid">
          <SelectField label="Claiming business group" value={form.claimingBusinessGroup} onChange={set('claimingBusinessGroup')} error={errors.claimingBusinessGroup}>
            <option value="">Choose a business group…</option>
            {BUSINESS_GROUPS.map((g) => (
              <option key={g} value={g}>
                {reference.businessGroupName(g)} ({g})
              </option>
            ))}
          </SelectField>
          <TextField
            label="Claiming unit"
            hint="Your unit. The validator must come from another unit."
            value={form.claimingUnit}
            onChange={set('claimingUnit')}
            error={errors.claimingUnit}
            autoComplete="off"
            maxLength={120}
          />
        </div>
        <RadioGroup
          legend="Claimed level"
          name="claimed-level"
          value={form.claimedLevel}
          options={DISRUPTION_LEVELS.map((l) => ({ value: l, label: levelLabel(l), detail: LEVEL_MEANINGS[l] }))}
          onChange={(v) => {
            setForm((f) => ({ ...f, claimedLevel: v }));
            clear('claimedLevel');
          }}
          error={errors.claimedLevel}
        />
      </section>

      <section className="section form-section" aria-labelledby="claim-tactics-heading">
        <h2 id="claim-tactics-heading">Tactics</h2>
        <TacticsField
          selected={form.tactics}
          onChange={(next) => {
            setForm((f) => ({ ...f, tactics: next }));
            clear('tactics');
          }}
          error={errors.tactics}
        />
      </section>

      <OutcomeFields form={form} setForm={setForm} errors={errors} clear={clear} />

      <section className="section form-section" aria-labelledby="claim-impact-heading">
        <h2 id="claim-impact-heading">Impact and evidence</h2>
        <TextAreaField
          label="Impact narrative"
          hint="At least 20 characters: what changed for the network, and for how long."
          rows={5}
          value={form.impactNarrative}
          onChange={set('impactNarrative')}
          error={errors.impactNarrative}
          maxLength={5000}
        />
        <IntelligencePicker
          primaryNetworkId={form.primaryNetworkId}
          otherNetworkIds={form.otherNetworkIds}
          selected={form.intelIds}
          onChange={(next) => {
            setForm((f) => ({ ...f, intelIds: next }));
            clear('intelIds');
          }}
          error={errors.intelIds}
        />
        <TextField
          label="Partner reference"
          hint="A partner agency's reference for the same activity: two claims with the same partner reference and network count once."
          value={form.partnerReference}
          onChange={set('partnerReference')}
          error={errors.partnerReference}
          autoComplete="off"
          maxLength={60}
        />
      </section>

      {failure && <Alert>{failure}</Alert>}
      <div className="actions sticky-actions">
        <span className="muted">{existing ? `Editing ${existing.reference}.` : 'Saved as a draft: nothing is sent for endorsement until you submit it.'}</span>
        <button type="button" onClick={props.onCancel} disabled={isBusy}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={isBusy}>
          {isBusy ? 'Saving…' : existing ? 'Save changes' : 'Save draft'}
        </button>
      </div>
    </form>
  );
}
