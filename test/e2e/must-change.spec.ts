/**
 * "Must change passphrase" through the built renderer, with the real main-process handlers behind
 * the loopback test host: an analyst the administrator added unlocks with the passphrase they were
 * given and sees only the screen that asks for their own (main refuses everything else); a
 * passphrase the same as the one given, and a wrong current one, are refused beside their fields;
 * once changed, the app opens; the administrator's Users screen shows who has not yet changed
 * theirs. Every screen is saved to test-results/screens.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { add as addUser } from '../../main/services/users.service';
import { confirmRecovery, createVault, lock } from '../../main/services/vault.service';
import { openApp, startTestHost, type TestHost } from '../helpers/test-host';
import { watchForProblems } from '../helpers/e2e-watch';

const ADMIN = 'Ada Administrator';
const ADMIN_PASSPHRASE = 'saffron kettle drifting north 84';
const ANALYST = 'Ann Analyst';
/** What the administrator chose and handed over. */
const GIVEN = 'violet harbour lantern seven 26';
/** What the analyst chooses for themselves. */
const OWN = 'juniper satellite harbour ember 61';
const SUPERVISOR = 'Sam Supervisor';

let dir: string;
let host: TestHost;

test.beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hm-e2e-must-change-'));
  host = await startTestHost({ stateDir: join(dir, 'state'), documentsDir: join(dir, 'Documents') });
  // The administrator creates the vault and adds two users through the same services the app
  // calls; the journey starts from the unlock screen.
  const s = host.session;
  createVault(s, { path: join(dir, 'Documents', 'must-change.hmvault'), adminName: ADMIN, passphrase: ADMIN_PASSPHRASE });
  confirmRecovery(s);
  addUser(s, { name: ANALYST, role: 'analyst', passphrase: GIVEN });
  addUser(s, { name: SUPERVISOR, role: 'supervisor', passphrase: 'granite willow parade ember 39' });
  lock(s, 'manual');
});

test.afterEach(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

async function screen(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: join(info.project.outputDir, 'screens', `${name}.png`), fullPage: true });
}

async function unlockAs(page: Page, name: string, passphrase: string): Promise<void> {
  await expect(page.locator('main')).toHaveAttribute('data-screen', 'unlock');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
}

test('a user added by an administrator chooses their own passphrase before anything else', async ({ page, request }, info) => {
  const problems = await watchForProblems(page);
  await openApp(page, host);

  await test.step('unlocking with the passphrase given shows only the change screen', async () => {
    await unlockAs(page, ANALYST, GIVEN);
    await expect(page.locator('main')).toHaveAttribute('data-screen', 'must-change-passphrase');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose your own passphrase');
    await expect(page.getByText(`${ANALYST}, the passphrase you unlocked with was set by someone else`)).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
    await expect(page.getByText('OFFICIAL-SENSITIVE', { exact: true })).toHaveCount(2);
    await screen(page, info, 'must-change-01');
  });

  await test.step('main refuses everything else, whatever the page asks', async () => {
    const refused = await request.post(`${host.origin}/__ipc/${encodeURIComponent('networks:list')}`, { headers: { Origin: host.origin }, data: {} });
    expect(await refused.json()).toEqual({ ok: false, code: 'passphrase_change_due', message: 'Choose your own passphrase first: the one you have was set by someone else.' });
  });

  await test.step('the passphrase given will not do, nor a wrong current one', async () => {
    await page.getByLabel('Current passphrase').fill(GIVEN);
    await page.getByLabel('New passphrase', { exact: true }).fill(GIVEN);
    await page.getByLabel('New passphrase again').fill(GIVEN);
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await expect(page.getByLabel('New passphrase', { exact: true })).toHaveAccessibleDescription(/Choose a passphrase different from your current one\./);

    await page.getByLabel('Current passphrase').fill('not what I was given');
    await page.getByLabel('New passphrase', { exact: true }).fill(OWN);
    await page.getByLabel('New passphrase again').fill(OWN);
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await expect(page.getByLabel('Current passphrase')).toHaveAccessibleDescription('Your current passphrase is not right.');
    await expect(page.locator('main')).toHaveAttribute('data-screen', 'must-change-passphrase');
    await screen(page, info, 'must-change-02-refused');
  });

  await test.step('once changed, the app opens', async () => {
    await page.getByLabel('Current passphrase').fill(GIVEN);
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Matrix');
    await expect(page.getByRole('banner')).toContainText(`Signed in as ${ANALYST} (Analyst)`);
  });

  await test.step('the new passphrase is the one that unlocks; the app opens straight away', async () => {
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await unlockAs(page, ANALYST, GIVEN);
    await expect(page.getByRole('alert')).toHaveText('That name and passphrase do not match. Check them and try again.');
    await page.getByLabel('Passphrase').fill(OWN);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Matrix');
  });

  await test.step("the administrator's Users screen shows who has not yet changed theirs", async () => {
    await page.getByRole('button', { name: 'Switch user' }).click();
    await unlockAs(page, ADMIN, ADMIN_PASSPHRASE);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Matrix');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Users' }).click();
    const grid = page.getByRole('region', { name: 'Users' });
    await expect(grid.getByRole('row').filter({ hasText: ADMIN }).locator('[col-id="passphrase"]')).toHaveText('Their own');
    await expect(grid.getByRole('row').filter({ hasText: ANALYST }).locator('[col-id="passphrase"]')).toHaveText('Their own');
    await expect(grid.getByRole('row').filter({ hasText: SUPERVISOR }).locator('[col-id="passphrase"]')).toHaveText('Not yet changed');
    await screen(page, info, 'must-change-03-users');
  });

  expect(await problems()).toEqual([]);
});
