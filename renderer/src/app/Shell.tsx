/**
 * The frame around every unlocked screen: protective marking top and bottom, who is signed in,
 * Lock and Switch user, and navigation to the screens the user's role may see (main enforces the
 * roles anyway; hiding what cannot be used keeps the screen honest).
 */
import { lazy, Suspense, useState } from 'react';
import { ROLE_LABELS, type AppStatus, type Role, type SessionUser } from '../../../preload/contract';
import { ERASERS, KEEPERS } from '../../../preload/contract/permissions';
import { call } from './api';
import { purgeStorage } from './storage';
import { Alert, MarkingBanner, Status } from './components';
import { HomeScreen } from '../features/home/HomeScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import type { DisruptionIntent } from '../features/disruptions/DisruptionsScreen';

// The grid screens carry ag-grid (most of the bundle): load them when first opened, so the
// unlock screen appears quickly.
const UsersScreen = lazy(() => import('../features/users/UsersScreen').then((m) => ({ default: m.UsersScreen })));
const AuditScreen = lazy(() => import('../features/audit/AuditScreen').then((m) => ({ default: m.AuditScreen })));
const MatrixScreen = lazy(() => import('../features/matrix/MatrixScreen').then((m) => ({ default: m.MatrixScreen })));
const NetworkCardScreen = lazy(() => import('../features/network/NetworkCard').then((m) => ({ default: m.NetworkCardScreen })));
const PeopleScreen = lazy(() => import('../features/people/PeopleScreen').then((m) => ({ default: m.PeopleScreen })));
const FlagsScreen = lazy(() => import('../features/flags/FlagsScreen').then((m) => ({ default: m.FlagsScreen })));
const DisruptionsScreen = lazy(() => import('../features/disruptions/DisruptionsScreen').then((m) => ({ default: m.DisruptionsScreen })));
const MeetingsScreen = lazy(() => import('../features/meetings/MeetingsScreen').then((m) => ({ default: m.MeetingsScreen })));
const ErasuresScreen = lazy(() => import('../features/erasures/ErasuresScreen').then((m) => ({ default: m.ErasuresScreen })));
const ReviewsScreen = lazy(() => import('../features/reviews/ReviewsScreen').then((m) => ({ default: m.ReviewsScreen })));
const ReturnsScreen = lazy(() => import('../features/returns/ReturnsScreen').then((m) => ({ default: m.ReturnsScreen })));

export const DEFAULT_MARKING = 'OFFICIAL-SENSITIVE';

type ScreenId = 'matrix' | 'people' | 'flags' | 'reviews' | 'disruptions' | 'meetings' | 'returns' | 'home' | 'users' | 'audit' | 'erasures' | 'settings';

// The matrix is the first screen for every role: it is what the desk works from.
const SCREENS: { id: ScreenId; label: string; roles: readonly Role[] | 'all' }[] = [
  { id: 'matrix', label: 'Matrix', roles: 'all' },
  { id: 'people', label: 'People', roles: 'all' },
  { id: 'flags', label: 'Flags', roles: 'all' },
  { id: 'reviews', label: 'Reviews', roles: KEEPERS },
  { id: 'disruptions', label: 'Disruptions', roles: 'all' },
  { id: 'meetings', label: 'Meetings', roles: 'all' },
  { id: 'returns', label: 'Returns', roles: 'all' },
  { id: 'home', label: 'Home', roles: 'all' },
  { id: 'users', label: 'Users', roles: ['administrator'] },
  { id: 'audit', label: 'Audit log', roles: ['administrator', 'supervisor'] },
  { id: 'erasures', label: 'Erase register', roles: ERASERS },
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
    purgeStorage();
    location.reload();
  }
}

export function Shell({ status, onStatusChanged }: { status: AppStatus; onStatusChanged: () => Promise<void> }) {
  const user = status.user!;
  const marking = status.settings?.marking ?? DEFAULT_MARKING;
  const [screen, setScreen] = useState<ScreenId>('matrix');
  /** The network card open over the matrix, if any. */
  const [networkId, setNetworkId] = useState<string | null>(null);
  /** Where the disruptions screen opens when reached from a card. */
  const [intent, setIntent] = useState<DisruptionIntent | null>(null);
  /** Bumped by every navigation, so choosing a screen again starts it afresh (its list, not a claim left open). */
  const [visit, setVisit] = useState(0);
  const [isLocking, setLocking] = useState(false);
  /** What the last erasure from a network card took: said on the matrix the card closed to. */
  const [erasedNotice, setErasedNotice] = useState<string | null>(null);
  const visible = SCREENS.filter((s) => canSee(user, s.roles));
  const stateOwner = `${status.vaultPath ?? ''}#${user.id}`;

  function go(id: ScreenId) {
    setErasedNotice(null);
    setScreen(id);
    setNetworkId(null);
    setIntent(null);
    setVisit((v) => v + 1);
  }

  function openNetwork(id: string) {
    setErasedNotice(null);
    setScreen('matrix');
    setNetworkId(id);
    setIntent(null);
  }

  function toDisruptions(value: DisruptionIntent) {
    setScreen('disruptions');
    setNetworkId(null);
    setIntent(value);
    setVisit((v) => v + 1);
  }

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
                <button type="button" aria-current={s.id === screen ? 'page' : undefined} onClick={() => go(s.id)}>
                  {s.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <main className="content" data-screen={networkId ? 'network' : screen}>
          {status.auditWarning && screen !== 'home' && (
            <Alert tone="warning">
              <strong>Audit log warning.</strong> {status.auditWarning} See Home, and tell your supervisor.
            </Alert>
          )}
          {erasedNotice && screen === 'matrix' && !networkId && <Status>{erasedNotice}</Status>}
          <Suspense fallback={<p aria-busy="true">Loading…</p>}>
            {screen === 'matrix' && !networkId && <MatrixScreen user={user} stateOwner={stateOwner} onOpenNetwork={openNetwork} />}
            {screen === 'matrix' && networkId && (
              <NetworkCardScreen
                key={networkId}
                networkId={networkId}
                user={user}
                stateOwner={stateOwner}
                onBack={() => setNetworkId(null)}
                onErased={(message) => {
                  setNetworkId(null);
                  setErasedNotice(message);
                }}
                onClaimDisruption={(id) => toDisruptions({ kind: 'claim', networkId: id })}
                onOpenDisruption={(id) => toDisruptions({ kind: 'open', id })}
              />
            )}
            {screen === 'people' && <PeopleScreen user={user} stateOwner={stateOwner} onOpenNetwork={openNetwork} />}
            {screen === 'flags' && <FlagsScreen user={user} stateOwner={stateOwner} />}
            {screen === 'reviews' && <ReviewsScreen user={user} stateOwner={stateOwner} />}
            {screen === 'disruptions' && (
              <DisruptionsScreen key={visit} user={user} stateOwner={stateOwner} intent={intent} onOpenNetwork={openNetwork} />
            )}
            {screen === 'meetings' && <MeetingsScreen user={user} stateOwner={stateOwner} />}
            {screen === 'returns' && <ReturnsScreen user={user} stateOwner={stateOwner} exportFolderHint={status.vaultPath ?? status.defaultVaultPath} />}
            {screen === 'home' && <HomeScreen status={status} />}
            {screen === 'users' && <UsersScreen me={user} stateOwner={stateOwner} />}
            {screen === 'audit' && <AuditScreen stateOwner={stateOwner} folderHint={status.vaultPath ?? status.defaultVaultPath} />}
            {screen === 'erasures' && <ErasuresScreen stateOwner={stateOwner} />}
            {screen === 'settings' && <SettingsScreen status={status} onStatusChanged={onStatusChanged} />}
          </Suspense>
        </main>
      </div>
      <MarkingBanner marking={marking} position="bottom" />
    </div>
  );
}
