/**
 * The vault is locked: unlock with a name and passphrase, or with the recovery code (which sets a
 * new passphrase for that user), or choose a different vault file. The name is typed: the key
 * file keeps only a hash of each user's name, so there is no list of names to offer.
 */
import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { contract, passphrase as passphraseSchema, userName, type AppStatus } from '../../../../preload/contract';
import { ApiError, call, messageOf } from '../../app/api';
import { Alert, PassphrasePair, ScreenHeading, TextField, useFocusOnMount } from '../../app/components';
import { schemaErrors, useSubmit } from '../../app/forms';
import { OpenVaultForm } from '../setup/SetupScreen';

type Mode = 'unlock' | 'recover' | 'choose';

/** `onUnlocked` may return the reload of the app's status: the form stays busy until it settles. */
type OnUnlocked = () => void | Promise<void>;

/** Refusals that belong beside a field of the recovery form. */
const RECOVER_FIELDS = { codeToField: { weak_passphrase: 'newPassphrase' } };

export function UnlockScreen({ status, onUnlocked, onVaultChosen }: { status: AppStatus; onUnlocked: OnUnlocked; onVaultChosen: () => void }) {
  const [mode, setMode] = useState<Mode>('unlock');
  const screen = mode === 'unlock' ? 'unlock' : mode === 'recover' ? 'recover' : 'choose-vault';
  return (
    <main className="centred" data-screen={screen}>
      <div className="card">
        <p className="app-name">Harm Matrix</p>
        {mode === 'unlock' && <UnlockForm onUnlocked={onUnlocked} />}
        {mode === 'recover' && <RecoverForm onUnlocked={onUnlocked} />}
        {mode === 'choose' && (
          <>
            <ScreenHeading>Open a different vault</ScreenHeading>
            <OpenVaultForm heading="Vault file" onOpened={onVaultChosen} />
          </>
        )}
        <nav className="alternatives" aria-label="Other ways in">
          {mode !== 'unlock' && (
            <button type="button" className="link" onClick={() => setMode('unlock')}>
              Unlock with a passphrase
            </button>
          )}
          {mode !== 'recover' && (
            <button type="button" className="link" onClick={() => setMode('recover')}>
              Use the recovery code
            </button>
          )}
          {mode !== 'choose' && (
            <button type="button" className="link" onClick={() => setMode('choose')}>
              Open a different vault
            </button>
          )}
        </nav>
        <p className="vault-path">
          Vault: <span className="path">{status.vaultPath}</span>
        </p>
      </div>
    </main>
  );
}

/** A name, typed as the user was named (case and spacing do not matter). Not remembered by the browser: the window keeps no list of who uses the vault. */
function NameField({ label, value, onChange, error }: { label: string; value: string; onChange: (v: string) => void; error?: string }) {
  return <TextField label={label} value={value} onChange={(e) => onChange(e.target.value)} error={error} autoComplete="off" spellCheck={false} />;
}

const unlockInput = contract['vault:unlock'].input;

function UnlockForm({ onUnlocked }: { onUnlocked: OnUnlocked }) {
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const parsed = unlockInput.safeParse({ userName: name, passphrase });
    if (!parsed.success) {
      const fields = schemaErrors(parsed.error);
      if (!name.trim()) fields.userName = 'Enter your name.';
      setErrors(fields);
      return;
    }
    setErrors({});
    await run(
      async () => {
        await call('vault:unlock', parsed.data);
        await onUnlocked();
      },
      (err) => {
        // A wrong passphrase is not pinned to one field: saying which of name or passphrase was
        // wrong would help someone guessing names.
        setFailure(messageOf(err));
        setPassphrase('');
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <h1 ref={headingRef} tabIndex={-1}>
        Unlock the vault
      </h1>
      <NameField label="Your name" value={name} onChange={setName} error={errors.userName} />
      <TextField
        label="Passphrase"
        type="password"
        autoComplete="current-password"
        value={passphrase}
        onChange={(e) => setPassphrase(e.target.value)}
        error={errors.passphrase}
      />
      {failure && <Alert>{failure}</Alert>}
      <div className="actions">
        <button type="submit" className="primary" disabled={isBusy}>
          {isBusy ? 'Unlocking…' : 'Unlock'}
        </button>
      </div>
    </form>
  );
}

const recoverForm = z.object({
  recoveryCode: z.string().trim().min(1, 'Enter the recovery code.').max(64, 'A recovery code is shorter than that.'),
  userName,
  newPassphrase: passphraseSchema,
});

function RecoverForm({ onUnlocked }: { onUnlocked: OnUnlocked }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const { isBusy, failure, setFailure, errors, setErrors, run } = useSubmit(RECOVER_FIELDS);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
    const parsed = recoverForm.safeParse({ recoveryCode: code, userName: name, newPassphrase: passphrase });
    const next = parsed.success ? {} : schemaErrors(parsed.error);
    if (!name.trim()) next.userName = 'Enter the name of the user to recover.';
    if (!next.newPassphrase && confirm !== passphrase) next.confirm = 'The two passphrases do not match.';
    setErrors(next);
    if (!parsed.success || Object.keys(next).length > 0) return;
    await run(
      async () => {
        await call('vault:recover', parsed.data);
        await onUnlocked();
      },
      // Only a weak passphrase stays beside its field alone.
      (err) => {
        if (!(err instanceof ApiError && err.code === 'weak_passphrase')) setFailure(messageOf(err));
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <ScreenHeading>Unlock with the recovery code</ScreenHeading>
      <p>
        The recovery code unlocks the vault and sets a new passphrase for the user you choose. Whoever holds the code knows that passphrase,
        so the next time the user unlocks with it they must choose their own.
      </p>
      <TextField
        label="Recovery code"
        className="mono"
        value={code}
        onChange={(e) => setCode(e.target.value)}
        error={errors.recoveryCode}
        autoComplete="off"
        spellCheck={false}
        hint="Dashes and spaces are optional; letters can be upper or lower case."
      />
      <NameField label="Name of the user" value={name} onChange={setName} error={errors.userName} />
      <PassphrasePair
        label="New passphrase"
        value={passphrase}
        confirm={confirm}
        onValue={setPassphrase}
        onConfirm={setConfirm}
        errors={errors}
        field="newPassphrase"
        confirmField="confirm"
        context={[name]}
      />
      {failure && <Alert>{failure}</Alert>}
      <div className="actions">
        <button type="submit" className="primary" disabled={isBusy}>
          {isBusy ? 'Unlocking…' : 'Unlock and set passphrase'}
        </button>
      </div>
    </form>
  );
}

