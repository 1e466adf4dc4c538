/** Who is signed in, which vault is open, and anything that needs their attention. */
import { ROLE_LABELS, type AppStatus } from '../../../../preload/contract';
import { Alert, ScreenHeading } from '../../app/components';

export function HomeScreen({ status }: { status: AppStatus }) {
  const user = status.user!;
  return (
    <>
      <ScreenHeading>Home</ScreenHeading>
      {status.auditWarning && (
        <Alert tone="warning">
          <strong>Audit log warning.</strong> {status.auditWarning} Tell your supervisor before you carry on; this has been recorded in the
          audit log.
        </Alert>
      )}
      {status.keySlotWarning && (
        <Alert tone="warning">
          <strong>Key slot warning.</strong> {status.keySlotWarning}
        </Alert>
      )}
      {status.isRecoveryUnconfirmed && (
        <Alert tone="warning">
          Nobody has confirmed that this vault's recovery code is stored safely. If the code was not written down, every passphrase is now
          the only way in.
        </Alert>
      )}
      <dl className="facts">
        <dt>Signed in as</dt>
        <dd>{user.name}</dd>
        <dt>Role</dt>
        <dd>{ROLE_LABELS[user.role]}</dd>
        <dt>Vault</dt>
        <dd className="path">{status.vaultPath}</dd>
        <dt>Locks after</dt>
        <dd>{status.settings ? `${status.settings.idleTimeoutMinutes} minutes without use` : ''}</dd>
        <dt>Version</dt>
        <dd>{status.appVersion}</dd>
      </dl>
      <p className="muted">Lock the vault whenever you leave this computer. It also locks by itself after the time above.</p>
    </>
  );
}
