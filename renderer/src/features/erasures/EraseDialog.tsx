/**
 * Erasing a record (DPA 2018 s.47): the "Erase…" button, shown only to the roles that may erase
 * (preload/contract/permissions.ts, ERASERS), and its dialog. The dialog asks main for the plan
 * first (`erase:plan` changes nothing) and lists, from the plan's counts, everything that will go
 * with the record and how many networks are rescored; then it asks for the reason and erases with
 * `erase:confirm`. The reason is kept in the erase register and the audit entry after the record
 * has gone, so main refuses one that gives the person's name or date of birth: that refusal is
 * shown beside the field.
 */
import { useEffect, useState } from 'react';
import type { EraseResult, ErasePlan, SessionUser } from '../../../../preload/contract';
import { ERASE_COUNT_WORDS, eraseReason } from '../../../../preload/contract';
import { mayErase } from '../../../../preload/contract/permissions';
import { ERASE_KIND_LABELS, type EraseKind } from '../../../../preload/contract/vocabulary';
import { call, messageOf } from '../../app/api';
import { Alert } from '../../app/components';
import { useSubmit, withoutField } from '../../app/forms';
import { FormDialog } from '../../components/FormDialog';
import { TextAreaField } from '../../components/TextAreaField';


const counted = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** What goes ("1 person", "3 member links", …), then what else changes ("2 networks rescored", …). */
export function planLines(plan: Pick<ErasePlan, 'counts' | 'networksRescored'>): { erased: string[]; effects: string[] } {
  const c = plan.counts;
  const erased = ERASE_COUNT_WORDS.filter(([k]) => c[k] > 0).map(([k, one, many]) => counted(c[k], one, many));
  const effects: string[] = [];
  if (plan.networksRescored > 0) effects.push(`${counted(plan.networksRescored, 'network', 'networks')} rescored`);
  if (c.snapshotPlaceholders > 0) effects.push(`${counted(c.snapshotPlaceholders, 'meeting snapshot row', 'meeting snapshot rows')} left as an “erased” placeholder`);
  if (c.registerRows > 0) effects.push(`${counted(c.registerRows, 'export register row loses', 'export register rows lose')} the reference`);
  return { erased, effects };
}

/** The status line after an erasure: what was erased, in numbers only. */
export function erasedMessage(r: EraseResult): string {
  return `Erased ${ERASE_KIND_LABELS[r.kind].toLowerCase()} ${r.reference}: ${r.summary}. The erasure is in the erase register.`;
}

export interface EraseTarget {
  kind: EraseKind;
  /** The record's id (or reference): main finds it either way. */
  ref: string;
  /** How the record is named in the dialog's title, e.g. "P-2026-00001" (a reference, never a name). */
  label: string;
}

export function EraseDialog(props: { target: EraseTarget; onErased: (result: EraseResult) => void; onCancel: () => void }) {
  const { kind, ref, label } = props.target;
  const [plan, setPlan] = useState<ErasePlan | null>(null);
  const [planFailure, setPlanFailure] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const { isBusy, failure, errors, setErrors, run } = useSubmit({ fallbackField: 'reason' });

  useEffect(() => {
    let isCurrent = true;
    call('erase:plan', { kind, ref })
      .then((p) => isCurrent && setPlan(p))
      .catch((e: unknown) => isCurrent && setPlanFailure(messageOf(e)));
    return () => {
      isCurrent = false;
    };
  }, [kind, ref]);

  async function submit() {
    if (!plan) return;
    const parsed = eraseReason.safeParse(reason);
    if (!parsed.success) {
      setErrors({ reason: parsed.error.issues[0]?.message ?? 'Give the reason for the erasure.' });
      return;
    }
    setErrors({});
    await run(async () => props.onErased(await call('erase:confirm', { kind, ref: plan.recordId, reason: parsed.data })));
  }

  const lines = plan ? planLines(plan) : null;
  const what = ERASE_KIND_LABELS[kind].toLowerCase();
  return (
    <FormDialog
      isOpen
      title={`Erase ${what} ${label}`}
      submitLabel={`Erase ${what} permanently`}
      busyLabel="Erasing…"
      submitTone="danger"
      isSubmitDisabled={!plan}
      isBusy={isBusy}
      failure={failure}
      wide
      onSubmit={() => void submit()}
      onCancel={props.onCancel}
    >
      <p>
        Erasing removes the record and everything that goes with it from the vault, every score derived from it and every screen; a restore of an older
        backup erases it again. It cannot be undone. The audit log and the erase register keep what was erased, by whom and why, in references and numbers
        only.
      </p>
      {planFailure && <Alert>{planFailure}</Alert>}
      {!plan && !planFailure && <p aria-busy="true">Working out what will be erased…</p>}
      {plan && lines && (
        <section aria-labelledby="erase-plan-heading" className="erase-plan">
          <h3 id="erase-plan-heading">What will be erased</h3>
          <ul aria-label="What will be erased" data-testid="erase-plan">
            {lines.erased.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
          {lines.effects.length > 0 && (
            <ul aria-label="What else changes" data-testid="erase-effects">
              {lines.effects.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          )}
        </section>
      )}
      <TextAreaField
        label="Reason for erasing"
        hint="At least 5 characters, for example “Retention period ended; no current evidence”. It is kept after the record has gone, so do not give the person’s name or date of birth."
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          setErrors(withoutField('reason'));
        }}
        error={errors.reason}
        maxLength={1000}
        spellCheck
      />
    </FormDialog>
  );
}

/** "Erase…" and its dialog; nothing at all for a role that may not erase. */
export function EraseButton(props: { user: SessionUser; target: EraseTarget; onErased: (result: EraseResult) => void; disabled?: boolean; text?: string }) {
  const [isOpen, setOpen] = useState(false);
  if (!mayErase(props.user.role)) return null;
  return (
    <>
      <button type="button" className="danger" onClick={() => setOpen(true)} disabled={props.disabled}>
        {props.text ?? 'Erase…'}
      </button>
      {isOpen && (
        <EraseDialog
          target={props.target}
          onCancel={() => setOpen(false)}
          onErased={(r) => {
            setOpen(false);
            props.onErased(r);
          }}
        />
      )}
    </>
  );
}
