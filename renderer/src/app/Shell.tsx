/**
 * The frame around every unlocked screen: protective marking top and bottom, who is signed in,
 * Lock and Switch user, and navigation to the screens the user's role may see (main enforces the
 * roles anyway; hiding what cannot be used keeps the screen honest).
 */
import { lazy, Suspense, useState } from 'react';
import { ROLE_LABELS, type AppStatus, type Role, type SessionUser } from '../../../preload/contract';
import { call } from './api';
import { MarkingBanner } from './components';
import { HomeScreen } from '../features/home/HomeScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';

// The grid screens carry ag-grid (most of the bundle): load them when first opened, so the
// unlock screen appears quickly.
const UsersScreen = lazy(() => import('../features/users/UsersScreen').then((m) => ({ default: m.UsersScreen })));
const AuditScreen = lazy(() => import('../features/audit/AuditScreen').then((m) => ({ default: m.AuditScreen })));

export const DEFAULT_MARKING = 'OFFICIAL-SENSITIVE';

type ScreenId = 'home' | 'users' | 'audit' | 'settings';

const SCREENS: { id: ScreenId; label: string; roles: readonly Role[] | 'all' }[] = [
  { id: 'home', label: 'Home', roles: 'all' },
  { id: 'users', label: 'Users', roles: ['administrator'] },
  { id: 'audit', label: 'Audit log', roles: ['administrator', 'supervisor'] },
  { id: 'settings', label: 'Settings', roles: 'all' },
];

function canSee(user: SessionUser, roles: readonly Role[] | 'all'): boolean {
  return roles === 'all' || roles.includes(user.role);
}

/** Lock in main, then reload: the page starts again from nothing, at the unlock screen. */
async function lockAndReload(): Promise<void> {
  try {
    await call('vault:lock');
  } finally {
    location.reload();
  }
}

export function Shell({ status, onStatusChanged }: { status: AppStatus; onStatusChanged: () => Promise<void> }) {
  const user = status.user!;
  const marking = status.settings?.marking ?? DEFAULT_MARKING;
  const [screen, setScreen] = useState<ScreenId>('home');
  const [isLocking, setLocking] = useState(false);
  const visible = SCREENS.filter((s) => canSee(user, s.roles));
  const stateOwner = `${status.vaultPath ?? ''}#${user.id}`;

  function lock() {
    setLocking(true);
    void lockAndReload();
  }

  return (
    <div className="shell">
      <MarkingBanner marking={marking} position="top" />
      <header className="topbar">
        <span className="brand">Harm Matrix</span>
        <span className="who">
          Signed in as <strong>{user.name}</strong> ({ROLE_LABELS[user.role]})
        </span>
        <div className="topbar-actions">
          <button type="button" onClick={lock} disabled={isLocking}>
            Switch user
          </button>
          <button type="button" className="primary" onClick={lock} disabled={isLocking}>
            Lock
          </button>
        </div>
      </header>
      <div className="frame">
        <nav className="sidenav" aria-label="Main">
          <ul>
            {visible.map((s) => (
              <li key={s.id}>
                <button type="button" aria-current={s.id === screen ? 'page' : undefined} onClick={() => setScreen(s.id)}>
                  {s.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main className="content" data-screen={screen}>
          <Suspense fallback={<p aria-busy="true">Loading…</p>}>
            {screen === 'home' && <HomeScreen status={status} />}
            {screen === 'users' && <UsersScreen me={user} stateOwner={stateOwner} />}
            {screen === 'audit' && <AuditScreen stateOwner={stateOwner} />}
            {screen === 'settings' && <SettingsScreen status={status} onStatusChanged={onStatusChanged} />}
          </Suspense>
        </main>
      </div>
      <MarkingBanner marking={marking} position="bottom" />
    </div>
  );
}
