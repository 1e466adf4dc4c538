/**
 * Which records ask for a reason before they open (the vault's setting; administrators change
 * it). Everyone sees the list, so they know when they will be asked. Main enforces it on every
 * opening and records each change of it in the audit log, with the list it became.
 */
import { useState, type FormEvent } from 'react';
import { DEFAULT_SETTINGS, RESTRICTED_RECORD_KINDS, RESTRICTED_RECORD_LABELS, settings as settingsSchema, type AppStatus } from '../../../../preload/contract';
import { call, messageOf } from '../../app/api';
import { Alert, Status } from '../../app/components';
import { schemaErrors, useSubmit } from '../../app/forms';
import { CheckboxList } from '../../components/CheckboxList';

export function RestrictedRecordsForm({ status, onSaved }: { status: AppStatus; onSaved: () => Promise<void> }) {
  const isAdmin = status.user?.role === 'administrator';
  const saved = status.settings ?? DEFAULT_SETTINGS;
  const [kinds, setKinds] = useState<string[]>([...(saved.restrictedRecords ?? RESTRICTED_RECORD_KINDS)]);
  const [notice, setNotice] = useState<string | null>(null);
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    setNotice(null);
    // In the vocabulary's order, whatever order they were ticked in.
    const chosen = RESTRICTED_RECORD_KINDS.filter((k) => kinds.includes(k));
    // The timeout and marking go back as they are saved: this form changes only the list.
    const parsed = settingsSchema.safeParse({ idleTimeoutMinutes: saved.idleTimeoutMinutes, marking: saved.marking, restrictedRecords: chosen });
    if (!parsed.success) {
      setErrors(schemaErrors(parsed.error));
      return;
    }
    setErrors({});
    await run(
      async () => {
        await call('settings:update', parsed.data);
        setNotice(chosen.length ? 'Saved. A reason is asked before opening these records.' : 'Saved. No record asks for a reason now.');
        await onSaved();
      },
      (err) => setFailure(messageOf(err)),
    );
  }

  const options = RESTRICTED_RECORD_KINDS.map((k) => ({ value: k, label: RESTRICTED_RECORD_LABELS[k] }));
  return (
    <form className="section" onSubmit={submit} noValidate aria-labelledby="restricted-records-heading">
      <h2 id="restricted-records-heading">Restricted records</h2>
      <p className="muted">
        Before opening a person or a network that shows any of these, everyone is asked why; the reason is kept with the consultation in the audit log.
        A reason covers that record until the vault locks.
        {!isAdmin && ' Only administrators can change this list.'}
      </p>
      {isAdmin ? (
        <CheckboxList legend="Ask for a reason before opening a record that shows" options={options} selected={kinds} onChange={setKinds} error={errors.restrictedRecords} />
      ) : (
        <ul aria-label="Records that ask for a reason">
          {(saved.restrictedRecords ?? RESTRICTED_RECORD_KINDS).map((k) => (
            <li key={k}>{RESTRICTED_RECORD_LABELS[k]}</li>
          ))}
          {saved.restrictedRecords?.length === 0 && <li>None</li>}
        </ul>
      )}
      {failure && <Alert>{failure}</Alert>}
      {notice && <Status>{notice}</Status>}
      {isAdmin && (
        <div className="actions">
          <button type="submit" className="primary" disabled={isBusy}>
            Save restricted records
          </button>
        </div>
      )}
    </form>
  );
}
