/**
 * The vault's settings (idle timeout and protective marking; administrators can change them), the
 * retention policy (reviews and retention periods; administrators may shorten them),
 * changing your own passphrase, and an encrypted backup (administrators).
 */
import { useState, type FormEvent } from 'react';
import { DEFAULT_SETTINGS, passphrase as passphraseSchema, settings as settingsSchema, vaultPath, existingPassphrase, type AppStatus } from '../../../../preload/contract';
import { ApiError, call, messageOf } from '../../app/api';
import { Alert, PassphrasePair, ScreenHeading, Status, TextField } from '../../app/components';
import { formatBytes } from '../../app/format';
import { schemaErrors, useSubmit, type FieldErrors } from '../../app/forms';
import { RestrictedRecordsForm } from './RestrictedRecordsForm';
import { RetentionPolicyForm } from './RetentionPolicyForm';

/** Refusals that belong beside a field rather than above the buttons. */
const PASSPHRASE_FIELDS = { codeToField: { wrong_passphrase: 'current', weak_passphrase: 'next' } };
const BACKUP_FIELDS = { codeToField: { exists: 'path', io_error: 'path' } };

export function SettingsScreen({ status, onStatusChanged }: { status: AppStatus; onStatusChanged: () => Promise<void> }) {
  const isAdmin = status.user?.role === 'administrator';
  return (
    <>
      <ScreenHeading>Settings</ScreenHeading>
      <VaultSettingsForm status={status} isAdmin={isAdmin} onSaved={onStatusChanged} />
      <RestrictedRecordsForm status={status} onSaved={onStatusChanged} />
      <RetentionPolicyForm isAdmin={isAdmin} />
      <ChangePassphraseForm userName={status.user?.name ?? ''} />
      {isAdmin && <BackupForm vaultPath={status.vaultPath ?? ''} />}
    </>
  );
}

function VaultSettingsForm({ status, isAdmin, onSaved }: { status: AppStatus; isAdmin: boolean; onSaved: () => Promise<void> }) {
  const [minutes, setMinutes] = useState(String(status.settings?.idleTimeoutMinutes ?? DEFAULT_SETTINGS.idleTimeoutMinutes));
  const [marking, setMarking] = useState(status.settings?.marking ?? '');
  const [notice, setNotice] = useState<string | null>(null);
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    setNotice(null);
    const asNumber = /^\d+$/.test(minutes.trim()) ? Number(minutes.trim()) : Number.NaN;
    const parsed = settingsSchema.safeParse({ idleTimeoutMinutes: asNumber, marking });
    if (!parsed.success) {
      const fields = schemaErrors(parsed.error);
      if (Number.isNaN(asNumber)) fields.idleTimeoutMinutes = 'Enter a whole number of minutes, from 1 to 60.';
      setErrors(fields);
      return;
    }
    setErrors({});
    await run(
      async () => {
        await call('settings:update', parsed.data);
        setNotice('Settings saved.');
        await onSaved();
      },
      // The sentence is shown even beside field errors.
      (err) => setFailure(messageOf(err)),
    );
  }

  return (
    <form className="section" onSubmit={submit} noValidate aria-labelledby="vault-settings-heading">
      <h2 id="vault-settings-heading">This vault</h2>
      {!isAdmin && <p className="muted">Only administrators can change these.</p>}
      <TextField
        label="Lock after this many idle minutes"
        inputMode="numeric"
        className="narrow"
        value={minutes}
        onChange={(e) => setMinutes(e.target.value)}
        error={errors.idleTimeoutMinutes}
        readOnly={!isAdmin}
        hint="From 1 to 60. The vault also locks when the computer sleeps or its screen locks."
      />
      <TextField
        label="Protective marking"
        value={marking}
        onChange={(e) => setMarking(e.target.value)}
        error={errors.marking}
        readOnly={!isAdmin}
        hint="Shown at the top and bottom of every screen and on every export, for example OFFICIAL-SENSITIVE."
      />
      {failure && <Alert>{failure}</Alert>}
      {notice && <Status>{notice}</Status>}
      {isAdmin && (
        <div className="actions">
          <button type="submit" className="primary" disabled={isBusy}>
            Save settings
          </button>
        </div>
      )}
    </form>
  );
}

/**
 * Change the signed-in user's passphrase. `onChanged` runs after a change (the must-change screen
 * reloads the app's status, which then opens the app); `heading` names the form there.
 */
export function ChangePassphraseForm({ userName, heading = 'Change my passphrase', onChanged }: { userName: string; heading?: string; onChanged?: () => Promise<void> }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit(PASSPHRASE_FIELDS);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    setNotice(null);
    const fields: FieldErrors = {};
    const c = existingPassphrase.safeParse(current);
    if (!c.success) fields.current = c.error.issues[0]?.message ?? 'Enter your current passphrase.';
    const n = passphraseSchema.safeParse(next);
    if (!n.success) fields.next = n.error.issues[0]?.message ?? 'Enter a new passphrase.';
    else if (confirm !== next) fields.confirm = 'The two passphrases do not match.';
    setErrors(fields);
    if (Object.keys(fields).length > 0) return;
    await run(
      async () => {
        await call('vault:change-passphrase', { current, next });
        setCurrent('');
        setNext('');
        setConfirm('');
        setNotice('Your passphrase has been changed. Use the new one next time you unlock.');
        await onChanged?.();
      },
      // Only a wrong or weak passphrase stays beside its field alone.
      (err) => {
        if (!(err instanceof ApiError && (err.code === 'wrong_passphrase' || err.code === 'weak_passphrase'))) setFailure(messageOf(err));
      },
    );
  }

  return (
    <form className="section" onSubmit={submit} noValidate aria-labelledby="change-passphrase-heading">
      <h2 id="change-passphrase-heading">{heading}</h2>
      <TextField
        label="Current passphrase"
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={(e) => setCurrent(e.target.value)}
        error={errors.current}
      />
      <PassphrasePair
        label="New passphrase"
        value={next}
        confirm={confirm}
        onValue={setNext}
        onConfirm={setConfirm}
        errors={errors}
        field="next"
        confirmField="confirm"
        context={[userName]}
      />
      {failure && <Alert>{failure}</Alert>}
      {notice && <Status>{notice}</Status>}
      <div className="actions">
        <button type="submit" className="primary" disabled={isBusy}>
          {isBusy ? 'Changing…' : 'Change passphrase'}
        </button>
      </div>
    </form>
  );
}

/** "…/harm-matrix.hmvault" -> "…/harm-matrix-backup-2026-06-30.hmvault" (local date). */
function suggestedBackupPath(path: string): string {
  const d = new Date();
  const stamp = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return path.endsWith('.hmvault') ? `${path.slice(0, -'.hmvault'.length)}-backup-${stamp}.hmvault` : '';
}

function BackupForm({ vaultPath: current }: { vaultPath: string }) {
  const [path, setPath] = useState(() => suggestedBackupPath(current));
  const [notice, setNotice] = useState<string | null>(null);
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit(BACKUP_FIELDS);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    setNotice(null);
    const parsed = vaultPath.safeParse(path);
    if (!parsed.success) {
      setErrors({ path: parsed.error.issues[0]?.message ?? '' });
      return;
    }
    setErrors({});
    await run(
      async () => {
        const r = await call('vault:backup', { path: parsed.data });
        setNotice(`Backup written to ${r.path} (${formatBytes(r.bytes)}), with its key file beside it. It has been checked by opening it.`);
      },
      // Only the path is shown beside its field; any other refusal is the sentence.
      (err, fields) => {
        if (!fields.path) setFailure(messageOf(err));
      },
    );
  }

  return (
    <form className="section" onSubmit={submit} noValidate aria-labelledby="backup-heading" aria-busy={isBusy}>
      <h2 id="backup-heading">Back up the vault</h2>
      <p className="muted">
        Writes an encrypted copy and its key file. Anyone with a passphrase or the recovery code for this vault can open the copy, so
        store it as carefully as the vault itself.
      </p>
      <TextField label="Backup file" value={path} onChange={(e) => setPath(e.target.value)} error={errors.path} spellCheck={false} />
      {isBusy && (
        <p className="progress">
          <progress aria-label="Writing the backup" /> Writing and checking the backup…
        </p>
      )}
      {failure && <Alert>{failure}</Alert>}
      {notice && <Status>{notice}</Status>}
      <div className="actions">
        <button type="submit" className="primary" disabled={isBusy}>
          Write backup
        </button>
      </div>
    </form>
  );
}
