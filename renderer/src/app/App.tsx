/**
 * The app shell, driven by `app:status`: first run (create or open a vault), the recovery code
 * once after creation, the unlock screen, the passphrase change a new user must make first, or
 * the navigation frame once unlocked. Locking reloads the page, so nothing from an unlocked
 * session survives in the renderer.
 */
import { useCallback, useEffect, useState } from 'react';
import type { AppStatus } from '../../../preload/contract';
import { call, messageOf } from './api';
import { Alert } from './components';
import { purgeStorage } from './storage';
import { Shell } from './Shell';
import { SetupScreen } from '../features/setup/SetupScreen';
import { RecoveryCodeScreen } from '../features/setup/RecoveryCodeScreen';
import { UnlockScreen } from '../features/unlock/UnlockScreen';
import { MustChangePassphraseScreen } from '../features/unlock/MustChangePassphraseScreen';

export function App() {
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // never log: shown once, held only until the creator confirms it is stored.
  const [recoveryCode, setRecoveryCode] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const next = await call('app:status');
      // Locked (after any lock, which reloads the page) or no vault: nothing of a session stays in storage.
      if (next.state !== 'unlocked') purgeStorage();
      setStatus(next);
      setFailure(null);
    } catch (e) {
      setFailure(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  if (failure) {
    return (
      <main className="centred" data-screen="error">
        <div className="card">
          <h1>Harm Matrix cannot start</h1>
          <Alert>{failure}</Alert>
          <div className="actions">
            <button type="button" onClick={() => location.reload()}>
              Try again
            </button>
          </div>
        </div>
      </main>
    );
  }
  if (!status) {
    return (
      <main className="centred" data-screen="loading" aria-busy="true">
        <p>Loading…</p>
      </main>
    );
  }
  if (recoveryCode) {
    return (
      <RecoveryCodeScreen
        code={recoveryCode}
        onConfirmed={() => {
          setRecoveryCode(null);
          void refresh();
        }}
      />
    );
  }
  switch (status.state) {
    case 'no-vault':
      return <SetupScreen status={status} onCreated={setRecoveryCode} onOpened={refresh} />;
    case 'locked':
      return <UnlockScreen status={status} onUnlocked={refresh} onVaultChosen={refresh} />;
    case 'unlocked':
      // A passphrase someone else chose: main allows nothing but replacing it, so nor does the screen.
      if (status.user?.mustChangePassphrase) return <MustChangePassphraseScreen status={status} onChanged={refresh} />;
      return <Shell status={status} onStatusChanged={refresh} />;
  }
}
