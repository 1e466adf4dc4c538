/**
 * First run: no vault on this workstation yet. Create one (location, first administrator,
 * passphrase twice with a strength hint) or open an existing vault file.
 */
import { useState, type FormEvent } from 'react';
import { createVaultInput, vaultPath, type AppStatus } from '../../../../preload/contract';
import { ApiError, call, messageOf } from '../../app/api';
import { Alert, PassphrasePair, ScreenHeading, TextField } from '../../app/components';
import { serverFieldErrors, zodFieldErrors, type FieldErrors } from '../../app/forms';

export function SetupScreen({ status, onCreated, onOpened }: { status: AppStatus; onCreated: (recoveryCode: string) => void; onOpened: () => void }) {
  return (
    <main className="centred" data-screen="create">
      <div className="card wide">
        <p className="app-name">Harm Matrix</p>
        <ScreenHeading>Set up Harm Matrix on this computer</ScreenHeading>
        <p>
          Harm Matrix keeps its data in an encrypted vault file. Create a new vault, or open one that already exists (for example on a
          shared drive).
        </p>
        <CreateVaultForm defaultPath={status.defaultVaultPath} onCreated={onCreated} />
        <OpenVaultForm onOpened={onOpened} />
      </div>
    </main>
  );
}

function CreateVaultForm({ defaultPath, onCreated }: { defaultPath: string; onCreated: (recoveryCode: string) => void }) {
  const [path, setPath] = useState(defaultPath);
  const [adminName, setAdminName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const parsed = createVaultInput.safeParse({ path, adminName, passphrase });
    const next = parsed.success ? {} : zodFieldErrors(parsed.error);
    if (!next.passphrase && confirm !== passphrase) next.confirm = 'The two passphrases do not match.';
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    try {
      const { recoveryCode } = await call('vault:create', parsed.data);
      onCreated(recoveryCode);
    } catch (err) {
      const fields = serverFieldErrors(err, { weak_passphrase: 'passphrase', exists: 'path', io_error: 'path' });
      setErrors(fields);
      if (Object.keys(fields).length === 0 || (err instanceof ApiError && err.code === 'invalid_input')) setFailure(messageOf(err));
      setBusy(false);
    }
  }

  return (
    <form className="section" onSubmit={submit} noValidate aria-labelledby="create-heading">
      <h2 id="create-heading">Create a new vault</h2>
      <TextField
        label="Vault location"
        hint="The full path of the vault file. It must end in .hmvault."
        value={path}
        onChange={(e) => setPath(e.target.value)}
        error={errors.path}
        spellCheck={false}
      />
      <TextField
        label="Administrator name"
        hint="Your name as other users will see it in the audit log."
        value={adminName}
        onChange={(e) => setAdminName(e.target.value)}
        error={errors.adminName}
        autoComplete="username"
      />
      <PassphrasePair
        label="Passphrase"
        value={passphrase}
        confirm={confirm}
        onValue={setPassphrase}
        onConfirm={setConfirm}
        errors={errors}
        field="passphrase"
        confirmField="confirm"
        context={[adminName]}
      />
      {failure && <Alert>{failure}</Alert>}
      <div className="actions">
        <button type="submit" className="primary" disabled={isBusy}>
          {isBusy ? 'Creating the vault…' : 'Create vault'}
        </button>
      </div>
    </form>
  );
}

export function OpenVaultForm({ onOpened, heading = 'Open an existing vault' }: { onOpened: () => void; heading?: string }) {
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [isBusy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const parsed = vaultPath.safeParse(path);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      await call('vault:select', { path: parsed.data });
      onOpened();
    } catch (err) {
      setError(serverFieldErrors(err).path ?? messageOf(err));
      setBusy(false);
    }
  }

  return (
    <form className="section" onSubmit={submit} noValidate aria-labelledby="open-heading">
      <h2 id="open-heading">{heading}</h2>
      <TextField
        label="Vault file"
        hint="The full path of an existing .hmvault file. Its key file (.hmvault.keys) must be beside it."
        value={path}
        onChange={(e) => setPath(e.target.value)}
        error={error}
        spellCheck={false}
      />
      <div className="actions">
        <button type="submit" disabled={isBusy}>
          {isBusy ? 'Checking the file…' : 'Open vault'}
        </button>
      </div>
    </form>
  );
}
