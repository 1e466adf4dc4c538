/**
 * A disruption claim, new or an edit of a draft or returned claim (domain.md "Disruptions":
 * networks, operation, activity dates, claiming business group and unit, claimed level, tactics
 * by the 4Ps, outcomes, impact narrative, supporting intelligence, partner reference).
 *
 * Checked with the contract's `disruptionDraft` before anything is sent, and main's field errors
 * land beside the same fields. Errors are keyed by the whole path ("outcomes.drugs.0.grams"), so a
 * problem in one drug row sits beside that row's field. Dates are typed the UK way and numbers
 * may carry thousands separators or a £; both are read here before the schema sees them.
 */
import { useEffect, useId, useMemo, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { z } from 'zod';
import type { MatrixRow, NetworkCard, Output } from '../../../../preload/contract';
import { disruptionDraft, DISRUPTION_LEVELS, DRUG_CLASSES, FIREARM_TYPES, TACTICS, type DisruptionDraft } from '../../../../preload/contract/schemas/disruptions';
import { BUSINESS_GROUPS } from '../../../../preload/contract/schemas/matrix';
import { ApiError, call, messageOf } from '../../app/api';
import { Alert, ScreenHeading, SelectField, TextField } from '../../app/components';
import type { FieldErrors } from '../../app/forms';
import { CheckboxList } from '../../components/CheckboxList';
import { formatDay, readDays } from '../../components/dates';
import { gradeText } from '../../components/labels';
import type { ReferenceLookup } from '../../components/reference';
import { TextAreaField } from '../../components/TextAreaField';
import { RadioGroup } from './RadioGroup';
import { FIREARM_LABELS, FOUR_P_LABELS, LEVEL_MEANINGS, levelLabel, OUTCOME_GROUPS, TACTICS_BY_GROUP, type OutcomeKind } from './labels';

export type DisruptionRecord = Output<'disruptions:create'>;
type Intelligence = NetworkCard['intelligence'][number];

interface DrugRow {
  /** Stable key for React while rows are added and removed. */
  key: number;
  substance: string;
  drugClass: string;
  grams: string;
}

interface FormState {
  primaryNetworkId: string;
  otherNetworkIds: string[];
  operationReference: string;
  activityStart: string;
  activityEnd: string;
  claimingBusinessGroup: string;
  claimingUnit: string;
  claimedLevel: string;
  tactics: string[];
  /** Outcome texts by path: "arrests", "firearms.handgun". */
  outcomes: Record<string, string>;
  drugs: DrugRow[];
  impactNarrative: string;
  intelIds: string[];
  partnerReference: string;
}

const SCALAR_OUTCOMES = OUTCOME_GROUPS.flatMap((g) => g.fields);
const FIREARM_KEYS = FIREARM_TYPES.map((t) => `firearms.${t}`);

let nextDrugKey = 1;

function numberText(n: unknown): string {
  return typeof n === 'number' && n !== 0 ? String(n) : '';
}

function fromRecord(r: DisruptionRecord | undefined, networkId: string | undefined): FormState {
  const o = (r?.outcomes ?? {}) as Record<string, unknown>;
  const firearms = (o.firearms ?? {}) as Record<string, unknown>;
  const outcomes: Record<string, string> = {};
  for (const f of SCALAR_OUTCOMES) outcomes[f.key] = numberText(o[f.key]);
  for (const t of FIREARM_TYPES) outcomes[`firearms.${t}`] = numberText(firearms[t]);
  const drugs = ((o.drugs ?? []) as { substance: string; drugClass: string; grams: number }[]).map((d) => ({
    key: nextDrugKey++,
    substance: d.substance,
    drugClass: d.drugClass,
    grams: numberText(d.grams),
  }));
  return {
    primaryNetworkId: r?.primaryNetworkId ?? networkId ?? '',
    otherNetworkIds: r?.otherNetworkIds ?? [],
    operationReference: r?.operationReference ?? '',
    activityStart: formatDay(r?.activityStart),
    activityEnd: formatDay(r?.activityEnd),
    claimingBusinessGroup: r?.claimingBusinessGroup ?? '',
    claimingUnit: r?.claimingUnit ?? '',
    claimedLevel: r?.claimedLevel ?? '',
    tactics: r?.tactics ?? [],
    outcomes,
    drugs,
    impactNarrative: r?.impactNarrative ?? '',
    intelIds: r?.intelIds ?? [],
    partnerReference: r?.partnerReference ?? '',
  };
}

const NUMBER_PATTERN = /^\d+(\.\d+)?$/;

/** "1,250", "£1,250.50", "" (nothing: 0) -> a number; null when it is not a number at all. */
export function readNumber(text: string): number | null {
  const plain = text.trim().replace(/^£/, '').replace(/,/g, '');
  if (plain === '') return 0;
  return NUMBER_PATTERN.test(plain) ? Number(plain) : null;
}

const NOT_A_NUMBER: Record<OutcomeKind, string> = {
  count: 'Enter a whole number, such as 3, or leave it empty for none.',
  years: 'Enter years as a number, such as 4.5, or leave it empty for none.',
  money: 'Enter pounds, such as 1,250 or 1,250.50, or leave it empty for none.',
};

/** Every issue of a failed parse, keyed by its full path; main's `fields` are keyed the same way. */
function pathErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) out[issue.path.map(String).join('.') || '_'] ??= issue.message;
  return out;
}

function envelopePathErrors(e: unknown): FieldErrors {
  if (!(e instanceof ApiError)) return {};
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(e.fields)) out[key.replace(/^draft\./, '')] ??= message;
  return out;
}

/** Build the draft from what was typed; number and date problems come back keyed like the schema. */
function toDraft(form: FormState): { draft: DisruptionDraft; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const { days, errors: dayErrors } = readDays({ activityStart: form.activityStart, activityEnd: form.activityEnd }, ['activityStart', 'activityEnd']);
  Object.assign(errors, dayErrors);
  const num = (path: string, text: string, kind: OutcomeKind): number => {
    const n = readNumber(text);
    if (n === null) {
      errors[`outcomes.${path}`] = NOT_A_NUMBER[kind];
      return 0;
    }
    return n;
  };
  const outcomes: Record<string, unknown> = {};
  for (const f of SCALAR_OUTCOMES) outcomes[f.key] = num(f.key, form.outcomes[f.key] ?? '', f.kind);
  outcomes.firearms = Object.fromEntries(FIREARM_TYPES.map((t) => [t, num(`firearms.${t}`, form.outcomes[`firearms.${t}`] ?? '', 'count')]));
  outcomes.drugs = form.drugs.map((d, i) => {
    const g = readNumber(d.grams);
    if (g === null) errors[`outcomes.drugs.${i}.grams`] = 'Enter grams as a number, such as 250.';
    return { substance: d.substance, drugClass: d.drugClass, grams: g ?? 0 };
  });
  const draft = {
    primaryNetworkId: form.primaryNetworkId,
    otherNetworkIds: form.otherNetworkIds.filter((n) => n !== form.primaryNetworkId),
    operationReference: form.operationReference,
    activityStart: days.activityStart ?? '',
    activityEnd: days.activityEnd ?? '',
    claimingBusinessGroup: form.claimingBusinessGroup,
    claimingUnit: form.claimingUnit,
    claimedLevel: form.claimedLevel,
    tactics: form.tactics,
    outcomes,
    impactNarrative: form.impactNarrative,
    intelIds: form.intelIds,
    partnerReference: form.partnerReference.trim() === '' ? null : form.partnerReference,
  } as DisruptionDraft;
  return { draft, errors };
}

/** The schema's own words for an empty choice are "Invalid input"; say what to do instead. */
const PLAIN_REQUIRED: Record<string, string> = {
  primaryNetworkId: 'Choose the primary network.',
};

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
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
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
  const [networkFind, setNetworkFind] = useState('');
  const [intelligence, setIntelligence] = useState<Intelligence[] | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const byId = useMemo(() => new Map(networks.map((n) => [n.id, n])), [networks]);

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

  // Intelligence held against the chosen networks, to cite as support.
  const networkKey = [form.primaryNetworkId, ...form.otherNetworkIds].filter(Boolean).join(',');
  useEffect(() => {
    const ids = networkKey ? networkKey.split(',') : [];
    if (ids.length === 0) {
      setIntelligence([]);
      return;
    }
    let isCurrent = true;
    setIntelligence(null);
    Promise.all(ids.map((id) => call('networks:get', { id })))
      .then((cards) => {
        if (!isCurrent) return;
        const seen = new Map<string, Intelligence>();
        for (const c of cards) for (const i of c.intelligence) seen.set(i.id, i);
        setIntelligence([...seen.values()].sort((a, b) => a.reference.localeCompare(b.reference)));
      })
      .catch(() => isCurrent && setIntelligence([]));
    return () => {
      isCurrent = false;
    };
  }, [networkKey]);

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
    setBusy(true);
    try {
      const saved = existing ? await call('disruptions:update', { id: existing.id, draft: parsed.data }) : await call('disruptions:create', parsed.data);
      props.onSaved(saved, !existing);
    } catch (e) {
      const fields = envelopePathErrors(e);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setFailure(messageOf(e));
      setAttempt((a) => a + 1);
      setBusy(false);
    }
  }

  const errorCount = Object.keys(errors).length;
  const primary = byId.get(form.primaryNetworkId);
  const find = networkFind.trim().toLowerCase();
  const otherOptions = networks
    .filter((n) => n.id !== form.primaryNetworkId)
    .filter((n) => !find || form.otherNetworkIds.includes(n.id) || `${n.reference} ${n.name}`.toLowerCase().includes(find))
    .slice(0, 200)
    .map((n) => ({ value: n.id, label: `${n.reference} ${n.name}` }));

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
              setForm((f) => ({ ...f, otherNetworkIds: next }));
              clear('otherNetworkIds');
            }}
            error={errors.otherNetworkIds}
            emptyText={find ? 'No network matches.' : 'There are no other networks.'}
            isScrolling
          />
        </details>
      </section>

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
        <CheckboxList
          legend="Supporting intelligence"
          hint="Graded items held against the networks chosen above."
          options={(intelligence ?? []).map((i) => ({ value: i.id, label: i.reference, detail: `${gradeText(i)}, ${formatDay(i.itemDate)}` }))}
          selected={form.intelIds}
          onChange={(next) => {
            setForm((f) => ({ ...f, intelIds: next }));
            clear('intelIds');
          }}
          error={errors.intelIds}
          emptyText={intelligence === null ? 'Loading the networks’ intelligence…' : form.primaryNetworkId ? 'No intelligence is held against these networks.' : 'Choose a network first.'}
          isScrolling
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

type SetForm = Dispatch<SetStateAction<FormState>>;

function OutcomeFieldset(props: {
  legend: string;
  fields: { key: string; label: string; kind: OutcomeKind }[];
  form: FormState;
  setForm: SetForm;
  errors: FieldErrors;
  clear: (...keys: string[]) => void;
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
function DrugRows({ form, setForm, errors, clear }: { form: FormState; setForm: SetForm; errors: FieldErrors; clear: (...keys: string[]) => void }) {
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
        onClick={() => setForm((f) => ({ ...f, drugs: [...f.drugs, { key: nextDrugKey++, substance: '', drugClass: '', grams: '' }] }))}
        disabled={form.drugs.length >= 50}
      >
        Add a drug seizure
      </button>
    </fieldset>
  );
}

/** Tactics as checkboxes under their 4P heading; one error for the whole choice. */
function TacticsField({ selected, onChange, error }: { selected: string[]; onChange: (next: string[]) => void; error?: string }) {
  const id = useId();
  const toggle = (t: string, isChecked: boolean) => onChange(isChecked ? [...selected.filter((x) => x !== t), t] : selected.filter((x) => x !== t));
  return (
    <fieldset
      className={`field tactics${error ? ' field-invalid' : ''}`}
      aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
      aria-invalid={error ? true : undefined}
      tabIndex={error ? -1 : undefined}
    >
      <legend>Tactics used</legend>
      <div id={`${id}-hint`} className="field-hint">
        Choose every tactic the activity used; they are grouped for the 4Ps.
      </div>
      <div className="tactic-groups">
        {TACTICS_BY_GROUP.map(({ group, tactics }) => (
          <div className="tactic-group" key={group} role="group" aria-labelledby={`${id}-group-${group}`}>
            <h3 id={`${id}-group-${group}`}>{FOUR_P_LABELS[group]}</h3>
            {tactics.length === 0 ? (
              <p className="muted">No tactics in this group.</p>
            ) : (
              tactics.map((t) => (
                <div className="checkbox-item" key={t}>
                  <input id={`${id}-tactic-${t}`} type="checkbox" checked={selected.includes(t)} onChange={(e) => toggle(t, e.target.checked)} />
                  <label htmlFor={`${id}-tactic-${t}`}>{TACTICS[t].label}</label>
                </div>
              ))
            )}
          </div>
        ))}
      </div>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
