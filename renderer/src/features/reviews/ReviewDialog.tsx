/**
 * The review of one member link, gang flag or network: the items it can be re-checked on (its
 * own citations, its network's items, items re-checked before), which of them qualify within the
 * policy's evidence window, and main's sentence on the items ticked. Retaining is offered only
 * when the items ticked qualify, or to a supervisor who retains it without evidence, with a
 * reason (recorded as such). Main judges again when the review is recorded.
 */
import { useEffect, useId, useState } from 'react';
import type { ReviewEvidence, ReviewKind } from '../../../../preload/contract';
import { call, messageOf } from '../../app/api';
import { Alert } from '../../app/components';
import { useSubmit, withoutField } from '../../app/forms';
import { CheckboxList } from '../../components/CheckboxList';
import { formatDay } from '../../components/dates';
import { FormDialog } from '../../components/FormDialog';
import { TextAreaField } from '../../components/TextAreaField';

const WHAT: Record<ReviewKind, string> = { membership: 'member link', gang_flag: 'gang flag', network: 'network' };
const END_LABEL: Record<ReviewKind, string> = { membership: 'End the link', gang_flag: 'Remove the flag', network: 'Archive the network' };

export function ReviewDialog(props: {
  kind: ReviewKind;
  id: string;
  /** How the record is named in the title (a reference; a name where the screen already shows it). */
  title: string;
  isSupervisor: boolean;
  onDone: (message: string | null) => void;
}) {
  const [all, setAll] = useState<ReviewEvidence | null>(null);
  const [judged, setJudged] = useState<ReviewEvidence | null>(null);
  const [ticked, setTicked] = useState<string[]>([]);
  const [outcome, setOutcome] = useState<'retain' | 'end' | null>(null);
  const [reason, setReason] = useState('');
  const [loadFailure, setLoadFailure] = useState<string | null>(null);
  const { isBusy, failure, errors, setErrors, run } = useSubmit();
  const outcomeId = useId();

  useEffect(() => {
    call('reviews:evidence', { kind: props.kind, id: props.id })
      .then(setAll)
      .catch((e: unknown) => setLoadFailure(messageOf(e)));
  }, [props.kind, props.id]);

  // Main judges the items ticked: the sentence and whether retaining is open.
  useEffect(() => {
    if (!all) return;
    let isCurrent = true;
    call('reviews:evidence', { kind: props.kind, id: props.id, intelIds: ticked })
      .then((e) => isCurrent && setJudged(e))
      .catch((e: unknown) => isCurrent && setLoadFailure(messageOf(e)));
    return () => {
      isCurrent = false;
    };
  }, [all, ticked, props.kind, props.id]);

  const isQualified = judged?.isMet === true;
  const isCeilingPassed = judged?.ceilingRefusal != null;
  const isRetainOpen = judged !== null && !isCeilingPassed && (isQualified || props.isSupervisor);
  const isWithoutEvidence = !isQualified && props.isSupervisor;
  // A choice that stops being open goes back to none, so nothing is recorded that was not seen.
  useEffect(() => {
    if (outcome === 'retain' && !isRetainOpen) setOutcome(null);
  }, [outcome, isRetainOpen]);

  async function submit() {
    const next: Record<string, string> = {};
    if (!outcome) next.outcome = 'Choose retain or end.';
    if (!reason.trim()) next.reason = 'Give a reason.';
    if (Object.keys(next).length > 0) {
      setErrors(next);
      return;
    }
    const done = await run(() =>
      call('reviews:record', { kind: props.kind, id: props.id, outcome: outcome!, reason, intelIds: ticked, ...(outcome === 'retain' && isWithoutEvidence ? { withoutEvidence: true } : {}) }),
    );
    if (done) props.onDone(done.sentence);
  }

  const windowText = all ? `since ${formatDay(all.windowFrom)}` : '';
  const retainHelp = !judged
    ? 'Checking the evidence…'
    : isCeilingPassed
      ? judged.ceilingRefusal!
      : isQualified
        ? `Next review due ${formatDay(judged.nextReviewOn)}.`
        : props.isSupervisor
          ? `As a supervisor you may retain it without qualifying evidence, with your reason; this is recorded and counted. Next review due ${formatDay(judged.nextReviewOn)}.`
          : 'Retaining is not open: the items ticked do not qualify (see above). End it, or ask a supervisor to retain it with a reason.';

  return (
    <FormDialog
      isOpen
      wide
      title={`Review the ${WHAT[props.kind]}: ${props.title}`}
      submitLabel="Record review"
      isBusy={isBusy}
      failure={failure ?? loadFailure}
      onSubmit={() => void submit()}
      onCancel={() => props.onDone(null)}
    >
      {!all ? (
        !loadFailure && <p aria-busy="true">Loading the evidence…</p>
      ) : (
        <>
          <p className="muted">
            Review by {formatDay(all.dueOn)}
            {all.isUnder18 ? ' · under 18: reviewed every 3 months' : ''}. Tick each item you have re-checked; qualifying items must be dated within the
            evidence window ({windowText}).
          </p>
          <CheckboxList
            legend="Intelligence re-checked"
            options={all.items.map((i) => ({
              value: i.id,
              label: i.reference,
              detail: `${formatDay(i.itemDate)}, ${i.grade}${i.isCited ? ', cited' : ''} — ${i.isInWindow ? 'qualifies, within the window' : i.isQualifying ? 'outside the window' : 'does not qualify (grade)'}`,
            }))}
            selected={ticked}
            onChange={(next) => {
              setTicked(next);
              setErrors(withoutField('intelIds'));
            }}
            error={errors.intelIds}
            emptyText="No intelligence is held for this record."
            isScrolling={all.items.length > 8}
          />
          {judged && (judged.isMet ? <p role="status" className="review-sentence">{judged.sentence}</p> : <Alert tone="warning">{judged.sentence}</Alert>)}
          <fieldset className={`field${errors.outcome ? ' field-invalid' : ''}`} aria-describedby={errors.outcome ? `${outcomeId}-error` : undefined}>
            <legend>Outcome</legend>
            <div className="checkbox-item">
              <input
                id={`${outcomeId}-retain`}
                type="radio"
                name={`${outcomeId}-outcome`}
                checked={outcome === 'retain'}
                disabled={!isRetainOpen}
                aria-describedby={`${outcomeId}-retain-help`}
                onChange={() => {
                  setOutcome('retain');
                  setErrors(withoutField('outcome'));
                }}
              />
              <label htmlFor={`${outcomeId}-retain`}>{isWithoutEvidence ? 'Retain without qualifying evidence (supervisor)' : 'Retain'}</label>
              <p id={`${outcomeId}-retain-help`} className="field-hint">
                {retainHelp}
              </p>
            </div>
            <div className="checkbox-item">
              <input
                id={`${outcomeId}-end`}
                type="radio"
                name={`${outcomeId}-outcome`}
                checked={outcome === 'end'}
                onChange={() => {
                  setOutcome('end');
                  setErrors(withoutField('outcome'));
                }}
              />
              <label htmlFor={`${outcomeId}-end`}>{END_LABEL[props.kind]}</label>
            </div>
            {errors.outcome && (
              <p id={`${outcomeId}-error`} className="field-error">
                {errors.outcome}
              </p>
            )}
          </fieldset>
          <TextAreaField
            label="Reason"
            hint="Recorded with the review and in the audit log's justification."
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setErrors(withoutField('reason'));
            }}
            error={errors.reason}
            maxLength={1000}
          />
        </>
      )}
    </FormDialog>
  );
}
