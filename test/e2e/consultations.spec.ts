/**
 * Consultations through the built renderer, with the real main-process handlers behind the
 * loopback test host and an encrypted vault in a temp dir.
 *
 * - The reason prompt: an analyst opening a person under 18, and a network that holds them, is
 *   asked why first; cancelling opens nothing; a reason too short is refused beside the field; a
 *   second opening in the same unlock asks nothing; after a lock it asks again; a record that is
 *   not restricted never asks. A supervisor then sees each opening with its reason on the card's
 *   audit trail, where the analyst saw none.
 * - The storage canary: a name typed into the People grid's column filter and its quick filter is
 *   never written to the page's storage, and is not in the Chromium profile folder after a lock.
 *   This journey runs in a browser of its own with a profile folder on disk (Playwright's own
 *   contexts keep storage in memory), and first proves the scan finds what Chromium writes there.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium, expect, test, type BrowserContext, type Page } from '@playwright/test';
import * as M from '../../main/services/matrix.service';
import { addSettledUser as addUser } from '../helpers/user-fixtures';
import { confirmRecovery, createVault, lock } from '../../main/services/vault.service';
import { CHROMIUM_FLAGS, findChromium } from '../helpers/chromium';
import { openApp, startTestHost, type TestHost } from '../helpers/test-host';
import { watchForProblems } from '../helpers/e2e-watch';
import { lockNow, nav, signIn } from '../helpers/e2e-session';

const ADMIN = 'Ada Administrator';
const ANALYST = 'Ann Analyst';
const SUPERVISOR = 'Sam Supervisor';
const PASSPHRASES: Record<string, string> = {
  [ADMIN]: 'saffron kettle drifting north 84',
  [ANALYST]: 'violet harbour lantern seven 26',
  [SUPERVISOR]: 'granite willow parade ember 39',
};

/** 10:00 on 30/06/2026 in London: a fixed day, so the 16-year-old stays 16. */
const FIXED_NOW = new Date('2026-06-30T09:00:00Z');

const YOUNG = 'Test Person Young';
const ADULT = 'Test Person Adult';
const REASON = 'Preparing the safeguarding referral';
const REASON_AFTER_LOCK = 'Updating the safeguarding referral';
const NETWORK_REASON = 'Reviewing the network before tasking';

let dir: string;
let host: TestHost;

test.beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hm-e2e-consult-'));
  host = await startTestHost({ stateDir: join(dir, 'state'), documentsDir: join(dir, 'Documents') });
  const started = Date.now();
  host.session.ctx.now = () => new Date(FIXED_NOW.getTime() + (Date.now() - started));
  // A 16-year-old linked to a network (both restricted) and an adult linked to nothing (neither).
  const s = host.session;
  createVault(s, { path: join(dir, 'Documents', 'consult.hmvault'), adminName: ADMIN, passphrase: PASSPHRASES[ADMIN]! });
  confirmRecovery(s);
  const analyst = addUser(s, { name: ANALYST, role: 'analyst', passphrase: PASSPHRASES[ANALYST]! });
  addUser(s, { name: SUPERVISOR, role: 'supervisor', passphrase: PASSPHRASES[SUPERVISOR]! });
  s.user = { id: analyst.id, name: ANALYST, role: 'analyst' };
  const n = M.createNetwork(s, { name: 'Northside Example Crew', type: 'gang', status: 'active', leadBorough: 'E09000022', businessGroup: 'TP' });
  const young = M.createPerson(s, { name: YOUNG, dateOfBirth: '2010-01-15' });
  M.createPerson(s, { name: ADULT, dateOfBirth: '1990-03-14' });
  // A self-admission cites the item that records it.
  const admission = M.recordIntelligence(s, { reference: 'INT-E2E-0001', itemDate: '2026-04-20', summary: 'Synthetic item recording a self-admission.', sourceRef: 'Officer report 1', grading: '3x5x2', sourceGrade: 1, intelGrade: 'A', handling: 'P' });
  M.linkPerson(s, { personId: young.id, networkId: n.id, role: 'associate', isSelfAdmission: true, intelIds: [admission.id], startDate: '2026-05-01' });
  lock(s, 'manual');
});

test.afterEach(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

const unlockAs = (page: Page, name: string): Promise<void> => signIn(page, name, PASSPHRASES[name]!);
const prompt = (page: Page) => page.getByRole('dialog', { name: 'Why are you opening this record?' });
const heading = (page: Page) => page.getByRole('heading', { level: 1 });

async function openPerson(page: Page, name: string): Promise<void> {
  await nav(page).getByRole('button', { name: 'People' }).click();
  await page.getByRole('region', { name: 'People' }).locator('.ag-row').filter({ hasText: name }).locator('[col-id="name"]').dblclick();
}

async function answer(page: Page, reason: string): Promise<void> {
  await prompt(page).getByLabel('Reason for opening').fill(reason);
  await prompt(page).getByRole('button', { name: 'Open record' }).click();
  await expect(prompt(page)).toBeHidden();
}

test('a restricted record asks for a reason once per unlock; the supervisor sees it on the card', async ({ page }) => {
  test.setTimeout(180_000);
  const problems = await watchForProblems(page);
  await page.clock.setFixedTime(new Date(FIXED_NOW.getTime() + 3_600_000));
  await openApp(page, host);
  await unlockAs(page, ANALYST);

  await test.step('a person under 18 asks why before opening; cancelling opens nothing', async () => {
    await openPerson(page, YOUNG);
    await expect(prompt(page)).toBeVisible();
    // Nothing of the record is shown behind the prompt.
    await expect(page.getByRole('heading', { name: `P-2026-00001 ${YOUNG}` })).toHaveCount(0);
    await expect(page.getByText('15/01/2010')).toHaveCount(0);
    await prompt(page).getByRole('button', { name: 'Cancel' }).click();
    await expect(heading(page)).toHaveText('People');
  });

  await test.step('a reason too short is refused beside the field; a fit one opens the record', async () => {
    await openPerson(page, YOUNG);
    await prompt(page).getByLabel('Reason for opening').fill('check');
    await prompt(page).getByRole('button', { name: 'Open record' }).click();
    await expect(prompt(page).getByLabel('Reason for opening')).toHaveAccessibleDescription(/Give a reason of at least 8 characters: what you need this record for\./);
    await answer(page, REASON);
    await expect(heading(page)).toHaveText(`P-2026-00001 ${YOUNG}`);
  });

  await test.step('the same record again in this unlock asks nothing; a record that is not restricted never asks', async () => {
    await page.getByRole('button', { name: '← Back to people' }).click();
    await openPerson(page, YOUNG);
    await expect(heading(page)).toHaveText(`P-2026-00001 ${YOUNG}`);
    await expect(prompt(page)).toHaveCount(0);
    await page.getByRole('button', { name: '← Back to people' }).click();
    await openPerson(page, ADULT);
    await expect(heading(page)).toHaveText(`P-2026-00002 ${ADULT}`);
    await expect(prompt(page)).toHaveCount(0);
  });

  await test.step('the network holding the 16-year-old asks too; the analyst is not shown who opened it', async () => {
    await nav(page).getByRole('button', { name: 'Matrix' }).click();
    await page.getByRole('region', { name: 'Networks' }).locator('.ag-row [col-id="name"]').first().dblclick();
    await answer(page, NETWORK_REASON);
    await expect(heading(page)).toHaveText('Northside Example Crew');
    await page.getByRole('tablist', { name: 'Network card sections' }).getByRole('tab', { name: 'Audit trail' }).click();
    const audit = page.getByRole('region', { name: 'Audit trail for this network' });
    await expect(audit.getByRole('gridcell', { name: 'Network CN-2026-0001 created (gang)' })).toBeVisible();
    await expect(audit.getByRole('gridcell', { name: 'Network CN-2026-0001 opened' })).toHaveCount(0);
    await expect(page.getByLabel('Hide consultations (card opened)')).toHaveCount(0);
  });

  await test.step('after a lock the reason is asked again', async () => {
    await lockNow(page);
    await unlockAs(page, ANALYST);
    await openPerson(page, YOUNG);
    await expect(prompt(page)).toBeVisible();
    await answer(page, REASON_AFTER_LOCK);
    await expect(heading(page)).toHaveText(`P-2026-00001 ${YOUNG}`);
  });

  await test.step("the supervisor sees the analyst's opening of the network with its reason, not in its summary", async () => {
    await lockNow(page);
    await unlockAs(page, SUPERVISOR);
    await page.getByRole('region', { name: 'Networks' }).locator('.ag-row [col-id="name"]').first().dblclick();
    await answer(page, 'Supervising the analyst’s network review');
    await page.getByRole('tablist', { name: 'Network card sections' }).getByRole('tab', { name: 'Audit trail' }).click();
    const audit = page.getByRole('region', { name: 'Audit trail for this network' });
    const opened = audit.locator('.ag-row').filter({ hasText: ANALYST }).filter({ hasText: 'Network CN-2026-0001 opened' });
    await expect(opened).toHaveCount(1);
    await expect(opened.locator('[col-id="summary"]')).toHaveText('Network CN-2026-0001 opened');
    await expect(opened.locator('[col-id="justification"]')).toHaveText(NETWORK_REASON);
    await expect(page.getByLabel('Hide consultations (card opened)')).toBeVisible();
  });

  expect(await problems()).toEqual([]);
});

/* ---- The storage canary -------------------------------------------------------------------- */

/** Files under `root` holding any of the texts, as UTF-8 or as UTF-16 (Chromium stores both). */
function filesHolding(root: string, texts: string[]): string[] {
  const needles = texts.flatMap((t) => [Buffer.from(t, 'utf8'), Buffer.from(t, 'utf16le')]);
  const hits: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        let bytes: Buffer;
        try {
          bytes = readFileSync(path);
        } catch {
          continue;
        }
        if (needles.some((n) => bytes.includes(n))) hits.push(relative(root, path));
      }
    }
  };
  walk(root);
  return hits;
}

/** A Chromium of its own, with its profile in `profile` on disk. */
async function launchWithProfile(profile: string): Promise<BrowserContext> {
  mkdirSync(profile, { recursive: true });
  return chromium.launchPersistentContext(profile, {
    executablePath: findChromium()!,
    args: CHROMIUM_FLAGS,
    headless: true,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    viewport: { width: 1280, height: 860 },
  });
}

/** Everything the page itself can reach that might hold text: both storages, IndexedDB, caches. */
async function pageStorage(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const g = globalThis as unknown as {
      localStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null };
      sessionStorage: { length: number; key(i: number): string | null; getItem(k: string): string | null };
      indexedDB: { databases(): Promise<{ name?: string }[]> };
      caches: { keys(): Promise<string[]> };
    };
    const dump = (st: typeof g.localStorage) => Array.from({ length: st.length }, (_, i) => [st.key(i), st.getItem(st.key(i) ?? '')]);
    return JSON.stringify({
      local: dump(g.localStorage),
      session: dump(g.sessionStorage),
      indexedDB: (await g.indexedDB.databases()).map((d) => d.name),
      caches: await g.caches.keys(),
    });
  });
}

test('a name typed into a People filter is kept in memory only: not in storage, nor in the profile folder after a lock', async ({ browserName }) => {
  test.setTimeout(180_000);
  expect(browserName).toBe('chromium');
  const canary = `zq${randomBytes(6).toString('hex')}`;
  const quickCanary = `zk${randomBytes(6).toString('hex')}`;

  await test.step('control: the scan finds a text the page writes to localStorage in a profile like this one', async () => {
    const control = `zc${randomBytes(6).toString('hex')}`;
    const profile = join(dir, 'control-profile');
    const context = await launchWithProfile(profile);
    const page = context.pages()[0] ?? (await context.newPage());
    // A page of the host's origin that runs none of the app (a "not found" text page).
    await page.goto(`${host.url}storage-control`);
    await page.evaluate((text) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('control', text), control);
    await context.close();
    expect(filesHolding(profile, [control]).length).toBeGreaterThan(0);
  });

  const profile = join(dir, 'profile');
  const context = await launchWithProfile(profile);
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = await watchForProblems(page);
  await page.clock.setFixedTime(new Date(FIXED_NOW.getTime() + 3_600_000));
  await openApp(page, host);
  await unlockAs(page, ANALYST);

  await test.step('the canary is typed into the Name column filter and the quick filter', async () => {
    await nav(page).getByRole('button', { name: 'People' }).click();
    const grid = page.getByRole('region', { name: 'People' });
    await expect(grid.locator('.ag-row')).toHaveCount(2);
    await grid.locator('.ag-header-cell[col-id="name"] .ag-header-cell-filter-button').click();
    await page.locator('.ag-filter').getByLabel('Filter Value').first().fill(canary);
    await expect(grid.locator('.ag-overlay-no-matching-rows-center')).toHaveText('No rows match the column filters.');
    await expect(grid.locator('.ag-row')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await page.getByLabel('Find a person').fill(quickCanary);
    // The column filter is remembered while the vault stays unlocked: away and back, still applied.
    await nav(page).getByRole('button', { name: 'Matrix' }).click();
    await nav(page).getByRole('button', { name: 'People' }).click();
    await expect(page.getByRole('region', { name: 'People' }).locator('.ag-overlay-no-matching-rows-center')).toHaveText('No rows match the column filters.');
    await page.getByLabel('Find a person').fill(quickCanary);
    // Nothing the page can reach holds it, even while unlocked.
    const stored = await pageStorage(page);
    expect(stored).not.toContain(canary);
    expect(stored).not.toContain(quickCanary);
  });

  await test.step('after a lock, neither the page nor the profile folder holds it', async () => {
    await lockNow(page);
    const stored = await pageStorage(page);
    expect(stored).not.toContain(canary);
    expect(stored).not.toContain(quickCanary);
    expect(JSON.parse(stored).session).toEqual([]);
    expect(await problems()).toEqual([]);
    // Closing the browser makes Chromium write out everything it holds for the profile.
    await context.close();
    expect(filesHolding(profile, [canary, quickCanary])).toEqual([]);
  });
});
