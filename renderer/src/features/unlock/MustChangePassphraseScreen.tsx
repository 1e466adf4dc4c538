/**
 * The vault is unlocked, but the user's passphrase was chosen by someone else (an administrator
 * adding them, or whoever used the recovery code). Until they choose their own, main refuses every
 * request but this change, locking and the app's status, so this is the only screen shown.
 */
import { useState } from 'react';
import type { AppStatus } from '../../../../preload/contract';
import { call } from '../../app/api';
import { MarkingBanner } from '../../app/components';
import { ChangePassphraseForm } from '../settings/SettingsScreen';

export function MustChangePassphraseScreen({ status, onChanged }: { status: AppStatus; onChanged: () => Promise<void> }) {
  const user = status.user!;
  const marking = status.settings?.marking ?? 'OFFICIAL-SENSITIVE';
  const [isLocking, setLocking] = useState(false);

  async function lock() {
    setLocking(true);
    try {
      await call('vault:lock');
    } finally {
      location.reload();
    }
  }

  return (
    <div className="shell">
      <MarkingBanner marking={marking} position="top" />
      <main className="centred" data-screen="must-change-passphrase">
        <div className="card">
          <p className="app-name">Harm Matrix</p>
          <h1>Choose your own passphrase</h1>
          <p>
            {user.name}, the passphrase you unlocked with was set by someone else, so they know it too. Choose one only you know before you
            continue: nothing else can be done until you have.
          </p>
          <ChangePassphraseForm userName={user.name} heading="Your new passphrase" onChanged={onChanged} />
          <div className="actions">
            <button type="button" onClick={() => void lock()} disabled={isLocking}>
              Lock
            </button>
          </div>
        </div>
      </main>
      <MarkingBanner marking={marking} position="bottom" />
    </div>
  );
}
