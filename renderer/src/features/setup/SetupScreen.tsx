/**
 * First run: no vault on this workstation yet. Create one (location, first administrator,
 * passphrase twice with a strength hint) or open an existing vault file.
 */
import { useState, type FormEvent } from 'react';
import { createVaultInput, vaultPath, type AppStatus } from '../../../../preload/contract';
import { ApiError, call, messageOf } from '../../app/api';
import { Alert, PassphrasePair, ScreenHeading, TextField } from '../../app/components';
import { envelopeErrors, schemaErrors, useSubmit } from '../../app/forms';

/** Refusals that belong beside a field of the create form. */
const CREATE_FIELDS = { codeToField: { weak_passphrase: 'passphrase', exists: 'path', io_error: 'path' } };

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
  const [creating, setCreating] = useState<'vault' | 'demo'>('vault');
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit(CREATE_FIELDS);
  const busy = isBusy ? creating : null;

  /**
   * Create the vault; with `isDemo`, one filled with seeded synthetic data (desk scale) so a
   * newcomer sees a populated matrix at once. A demo vault left at the default location would
   * take the real vault's name, so it gets a name of its own there.
   */
  async function create(isDemo: boolean) {
    setFailure(null);
    const target = isDemo && path === defaultPath ? defaultPath.replace(/\.hmvault$/, '-demo.hmvault') : path;
    if (target !== path) setPath(target);
    const parsed = createVaultInput.safeParse({ path: target, adminName, passphrase });
    const next = parsed.success ? {} : schemaErrors(parsed.error);
    if (!next.passphrase && confirm !== passphrase) next.confirm = 'The two passphrases do not match.';
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    setCreating(isDemo ? 'demo' : 'vault');
    await run(
      async () => {
        const { recoveryCode } = isDemo ? await call('vault:create-demo', { ...parsed.data, scale: 'desk' }) : await call('vault:create', parsed.data);
        onCreated(recoveryCode);
      },
      // A refusal of the input is also said in a sentence above the buttons.
      (err) => {
        if (err instanceof ApiError && err.code === 'invalid_input') setFailure(messageOf(err));
      },
    );
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void create(false);
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
        <button type="submit" className="primary" disabled={busy !== null}>
          {busy === 'vault' ? 'Creating the vault…' : 'Create vault'}
        </button>
      </div>
      <div className="section">
        <p className="field-hint" id="demo-vault-hint">
          New to Harm Matrix? A demo vault holds clearly fictitious networks, people and offences (about 500 networks) so you can try the
          matrix. It uses the name and passphrase above (and adds Demo Analyst, Demo Supervisor and Demo Validator, who sign in with the same passphrase) and is kept apart from real data{path === defaultPath ? ', in a file ending -demo.hmvault' : ''}.
        </p>
        <button type="button" onClick={() => void create(true)} disabled={busy !== null} aria-describedby="demo-vault-hint">
          {busy === 'demo' ? 'Creating the demo vault… about half a minute' : 'Open a demo vault (synthetic data)'}
        </button>
        {busy === 'demo' && (
          <p role="status" className="muted" aria-busy="true">
            Generating synthetic data and scoring every network. Please wait.
          </p>
        )}
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
      setError(envelopeErrors(err).path ?? messageOf(err));
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
