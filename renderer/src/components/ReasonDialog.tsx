/**
 * Asking for the reason before a restricted record opens. Main refuses to open a restricted
 * network or person without one (`reason_required`); this dialog asks, checks the reason with the
 * contract's own rule, and opens the record again with it. The reason goes to main only: it is kept
 * with the consultation in the audit log and nowhere in the page.
 */
import { useState } from 'react';
import { CONSULT_REASON_MIN, consultReason } from '../../../preload/contract/consultations';
import { ApiError } from '../app/api';
import { TextField } from '../app/components';
import { useSubmit, withoutField } from '../app/forms';
import { FormDialog } from './FormDialog';

/** Whether a failed call was main asking for a reason first. */
export function isReasonRequired(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'reason_required';
}

export function ReasonDialog(props: {
  isOpen: boolean;
  /** What is being opened, e.g. "this network". */
  what: string;
  /** Open the record with the reason; a refusal from main is shown in the dialog. */
  onGiven: (reason: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const { isBusy, failure, errors, setErrors, run } = useSubmit({ fallbackField: 'reason' });

  async function submit() {
    const parsed = consultReason.safeParse(reason);
    if (!parsed.success) {
      setErrors({ reason: parsed.error.issues[0]?.message ?? 'Give a reason.' });
      return;
    }
    setErrors({});
    await run(async () => {
      await props.onGiven(parsed.data);
      setReason('');
    });
  }

  return (
    <FormDialog
      isOpen={props.isOpen}
      title="Why are you opening this record?"
      submitLabel="Open record"
      busyLabel="Opening…"
      isBusy={isBusy}
      failure={failure}
      onSubmit={() => void submit()}
      onCancel={() => {
        setReason('');
        setErrors({});
        props.onCancel();
      }}
    >
      <p>
        {`${props.what[0]!.toUpperCase()}${props.what.slice(1)}`} is restricted: it shows a person under 18, a victim or person at risk, a flagged
        nominal or intelligence with handling code C. Your reason is kept with your consultation in the audit log, for supervisors to see. You will not be asked
        again for it until the vault locks.
      </p>
      <TextField
        label="Reason for opening"
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          setErrors(withoutField('reason'));
        }}
        error={errors.reason}
        autoComplete="off"
        spellCheck={false}
        maxLength={500}
        hint={`At least ${CONSULT_REASON_MIN} characters, for example “Preparing the tasking meeting briefing”.`}
      />
    </FormDialog>
  );
}
