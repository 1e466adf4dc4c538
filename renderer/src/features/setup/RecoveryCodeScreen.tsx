/**
 * Shown once, straight after the vault is created: the recovery code. It is never stored in the
 * renderer beyond this screen and main cannot show it again.
 */
import { useState } from 'react';
import { call, messageOf } from '../../app/api';
import { Alert, ScreenHeading } from '../../app/components';
import { useSubmit } from '../../app/forms';

/** Breaks, if it must, only between the third and fourth groups, so no group is ever split. */
function CodeInTwoLines({ code }: { code: string }) {
  const groups = code.split('-');
  const half = Math.ceil(groups.length / 2);
  return (
    <>
      <span>{groups.slice(0, half).join('-')}-</span>
      <wbr />
      <span>{groups.slice(half).join('-')}</span>
    </>
  );
}

export function RecoveryCodeScreen({ code, onConfirmed }: { code: string; onConfirmed: () => void }) {
  const [isStored, setStored] = useState(false);
  const { isBusy, failure, setFailure, run } = useSubmit();

  async function confirm() {
    await run(
      async () => {
        await call('vault:confirm-recovery');
        onConfirmed();
      },
      (e) => setFailure(messageOf(e)),
    );
  }

  return (
    <main className="centred" data-screen="recovery-code">
      <div className="card wide">
        <p className="app-name">Harm Matrix</p>
        <ScreenHeading>Your recovery code</ScreenHeading>
        <p>
          If every administrator forgets their passphrase, this code is the only way back into the vault. Write it down or print it,
          and keep it somewhere safe away from this computer, as you would a safe combination.
        </p>
        <p className="recovery-code" data-testid="recovery-code">
          <CodeInTwoLines code={code} />
        </p>
        <p id="recovery-once" className="notice">
          This is the only time the code is shown. Harm Matrix does not keep a copy it can show you again.
        </p>
        <div className="checkbox">
          <input id="recovery-stored" type="checkbox" checked={isStored} onChange={(e) => setStored(e.target.checked)} />
          <label htmlFor="recovery-stored">I have stored the recovery code somewhere safe, away from this computer</label>
        </div>
        {failure && <Alert>{failure}</Alert>}
        <div className="actions">
          <button type="button" className="primary" disabled={!isStored || isBusy} onClick={confirm}>
            Continue
          </button>
        </div>
      </div>
    </main>
  );
}
