/**
 * Erasure (DPA 2018 s.47) through the built renderer, with the real main-process handlers behind
 * the loopback test host and an encrypted vault in a temp dir.
 *
 * The test vector's network (score 59.0, Band B) holds two adults, each linked on two graded items
 * and flagged. A supervisor opens one of them, presses "Erase…", sees the plan (what goes, in
 * numbers, and the network rescored) before anything changes, is refused beside the field with no
 * reason and with a reason that names the person, and erases with a fit one: the record closes,
 * the People list says what went and no longer holds the person, and the network card has one
 * member fewer. Then an offence is erased from the card's Offences tab and the score changes, on
 * the card and in the matrix. The Erase register lists both erasures by reference and reason, and
 * holds no name. An analyst is offered neither the button nor the register.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import * as M from '../../main/services/matrix.service';
import { addSettledUser as addUser } from '../helpers/user-fixtures';
import { confirmRecovery, createVault, lock } from '../../main/services/vault.service';
import { buildVectorNetwork, intel, person, type MatrixWorld } from '../helpers/matrix-fixtures';
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

/** 10:00 on 30/06/2026 in London: the test vector's as-of date. */
const FIXED_NOW = new Date('2026-06-30T09:00:00Z');

const ERASED = 'Quentin Erasable';
const KEPT = 'Rhona Keepsake';
const NETWORK = 'Vector Crew';
const REASON = 'Retention period ended; no current evidence of involvement.';
const OFFENCE_REASON = 'Crime report cancelled by the recording unit.';

let dir: string;
let host: TestHost;
/** The homicide's crime reference (the offence erased from the card). */
let homicideRef = '';

test.beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hm-e2e-erase-'));
  host = await startTestHost({ stateDir: join(dir, 'state'), documentsDir: join(dir, 'Documents') });
  const started = Date.now();
  host.session.ctx.now = () => new Date(FIXED_NOW.getTime() + (Date.now() - started));
  const s = host.session;
  createVault(s, { path: join(dir, 'Documents', 'erase.hmvault'), adminName: ADMIN, passphrase: PASSPHRASES[ADMIN]! });
  confirmRecovery(s);
  const analyst = addUser(s, { name: ANALYST, role: 'analyst', passphrase: PASSPHRASES[ANALYST]! });
  addUser(s, { name: SUPERVISOR, role: 'supervisor', passphrase: PASSPHRASES[SUPERVISOR]! });
  // The matrix fixtures build through the services on the session they are given.
  const w = { s } as unknown as MatrixWorld;
  s.user = { id: analyst.id, name: ANALYST, role: 'analyst' };
  const v = buildVectorNetwork(w, NETWORK);
  for (const name of [ERASED, KEPT]) {
    const p = person(w, name, '1994-03-12');
    const a = intel(w, 1, 'A', `CHIS ${name}`, { summary: 'Seen at the address with principal members.' });
    const b = intel(w, 2, 'B', `Officer ${name}`, { networkIds: [v.network.id] });
    M.linkPerson(s, { personId: p.id, networkId: v.network.id, role: 'associate', intelIds: [a.id, b.id], startDate: '2026-02-01' });
  }
  lock(s, 'manual');
});

test.afterEach(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

async function screen(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: join(info.project.outputDir, 'screens', `${name}.png`), fullPage: true });
}

const unlockAs = (page: Page, name: string): Promise<void> => signIn(page, name, PASSPHRASES[name]!);
const heading = (page: Page) => page.getByRole('heading', { level: 1 });
const status = (page: Page) => page.locator('main [role="status"].status');
const tab = (page: Page, name: RegExp | string) => page.getByRole('tablist', { name: 'Network card sections' }).getByRole('tab', { name });

async function openPerson(page: Page, name: string): Promise<void> {
  await nav(page).getByRole('button', { name: 'People' }).click();
  await page.getByRole('region', { name: 'People' }).locator('.ag-row').filter({ hasText: name }).locator('[col-id="name"]').dblclick();
}

async function openNetwork(page: Page): Promise<void> {
  await nav(page).getByRole('button', { name: 'Matrix' }).click();
  await page.getByRole('region', { name: 'Networks' }).locator('.ag-row').filter({ hasText: NETWORK }).locator('[col-id="name"]').dblclick();
  await expect(heading(page)).toHaveText(NETWORK);
}

test('a supervisor sees the plan, erases a person and an offence, sees the matrix rescored and finds both in the Erase register', async ({ page }, info) => {
  test.setTimeout(180_000);
  const problems = await watchForProblems(page);
  await page.clock.setFixedTime(new Date(FIXED_NOW.getTime() + 3_600_000));
  await openApp(page, host);
  await unlockAs(page, SUPERVISOR);
  await expect(nav(page).getByRole('button', { name: 'Erase register' })).toBeVisible();
  const dialog = page.getByRole('dialog', { name: /^Erase person P-2026-/ });

  let personRef = '';
  await test.step('the plan lists what will go before anything changes; Escape cancels', async () => {
    await openPerson(page, ERASED);
    await expect(heading(page)).toContainText(ERASED);
    personRef = (await heading(page).textContent())!.split(' ')[0]!;
    await page.getByRole('button', { name: 'Erase…' }).click();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('list', { name: 'What will be erased' }).getByRole('listitem')).toHaveText(['1 person', '1 member link', '1 intelligence item', '1 citation of intelligence']);
    await expect(dialog.getByRole('list', { name: 'What else changes' }).getByRole('listitem')).toHaveText(['1 network rescored']);
    // Keyboard: focus starts in the dialog, and Escape closes it without erasing anything.
    await expect(dialog.getByLabel('Reason for erasing')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(heading(page)).toContainText(ERASED);
  });

  await test.step('no reason, and a reason that names the person, are refused beside the field', async () => {
    await page.getByRole('button', { name: 'Erase…' }).click();
    const reason = dialog.getByLabel('Reason for erasing');
    const confirm = dialog.getByRole('button', { name: 'Erase person permanently' });
    await confirm.click();
    await expect(reason).toHaveAccessibleDescription(/Give the reason for the erasure \(at least 5 characters\)\./);
    await reason.fill(`Erasing ${ERASED} as asked`);
    await confirm.click();
    await expect(reason).toHaveAccessibleDescription(/must not give the name or the date of birth of what is erased/);
    await reason.fill(REASON);
    await screen(page, info, '40-erase-person-dialog');
    await confirm.click();
  });

  await test.step('the record closes; the People list says what went and no longer holds the person', async () => {
    await expect(dialog).toHaveCount(0);
    await expect(heading(page)).toHaveText('People');
    await expect(status(page)).toHaveText(`Erased person ${personRef}: 1 person, 1 member link, 1 intelligence item, 1 citation of intelligence; 1 network rescored. The erasure is in the erase register.`);
    const grid = page.getByRole('region', { name: 'People' });
    await expect(grid.locator('.ag-row').filter({ hasText: KEPT })).toHaveCount(1);
    await expect(grid.locator('.ag-row').filter({ hasText: ERASED })).toHaveCount(0);
    await screen(page, info, '41-erased-people');
  });

  await test.step('the network card has one member fewer; erasing an offence rescores the network', async () => {
    await openNetwork(page);
    await expect(tab(page, /^Members/)).toHaveText('Members (1)');
    await expect(page.getByTestId('card-score')).toHaveText('59.0');
    await tab(page, /^Offences/).click();
    const offences = page.getByRole('region', { name: 'Offences' });
    await offences.locator('.ag-row [col-id="category"]').filter({ hasText: 'Homicide' }).click();
    await expect(page.getByText(/^Selected: /)).toBeVisible();
    homicideRef = (await page.getByText(/^Selected: /).textContent())!.replace('Selected: ', '').trim();
    await page.getByRole('button', { name: 'Erase offence…' }).click();
    const offenceDialog = page.getByRole('dialog', { name: `Erase offence ${homicideRef}` });
    await expect(offenceDialog.getByRole('list', { name: 'What will be erased' }).getByRole('listitem')).toHaveText(['1 offence', '1 offence link']);
    await expect(offenceDialog.getByRole('list', { name: 'What else changes' }).getByRole('listitem')).toHaveText(['1 network rescored']);
    await offenceDialog.getByLabel('Reason for erasing').fill(OFFENCE_REASON);
    await offenceDialog.getByRole('button', { name: 'Erase offence permanently' }).click();
    await expect(offenceDialog).toHaveCount(0);
    await expect(status(page)).toHaveText(`Erased offence ${homicideRef}: 1 offence, 1 offence link; 1 network rescored. The erasure is in the erase register.`);
    await expect(tab(page, /^Offences/)).toHaveText('Offences (3)');
    await expect(page.getByTestId('card-score')).not.toHaveText('59.0');
  });

  const newScore = (await page.getByTestId('card-score').textContent())!.trim();
  await test.step('the matrix shows the rescored network', async () => {
    await page.getByRole('button', { name: '← Back to the matrix' }).click();
    const row = page.getByRole('region', { name: 'Networks' }).locator('.ag-row').filter({ hasText: NETWORK });
    await expect(row.locator('[col-id="score"]')).toHaveText(newScore);
    await screen(page, info, '42-erased-matrix-rescored');
  });

  await test.step('the Erase register lists both erasures by reference and reason, and no name', async () => {
    await nav(page).getByRole('button', { name: 'Erase register' }).click();
    await expect(heading(page)).toHaveText('Erase register');
    const grid = page.getByRole('region', { name: 'Erase register' });
    await expect(grid.locator('.ag-row')).toHaveCount(2);
    const personRow = grid.locator('.ag-row').filter({ hasText: personRef });
    await expect(personRow.locator('[col-id="kind"]')).toHaveText('Person');
    await expect(personRow.locator('[col-id="reason"]')).toHaveText(REASON);
    await expect(personRow.locator('[col-id="erasedBy"]')).toHaveText(SUPERVISOR);
    await expect(personRow.locator('[col-id="erasedAt"]')).toHaveText(/^30\/06\/2026 10:\d\d:\d\d$/);
    await expect(personRow.locator('[col-id="summary"]')).toHaveText('1 person, 1 member link, 1 intelligence item, 1 citation of intelligence');
    const offenceRow = grid.locator('.ag-row').filter({ hasText: homicideRef });
    await expect(offenceRow.locator('[col-id="kind"]')).toHaveText('Offence');
    await expect(offenceRow.locator('[col-id="reason"]')).toHaveText(OFFENCE_REASON);
    await expect(page.locator('main')).not.toContainText(ERASED);
    await expect(page.locator('main')).not.toContainText('12/03/1994');
    // The quick filter narrows the register to the offence.
    await page.getByLabel('Find an erasure').fill('cancelled');
    await expect(grid.locator('.ag-row')).toHaveCount(1);
    await page.getByLabel('Find an erasure').fill('');
    await screen(page, info, '43-erase-register');
  });

  await test.step('an analyst is offered neither the button nor the register', async () => {
    await lockNow(page);
    await unlockAs(page, ANALYST);
    await expect(nav(page).getByRole('button', { name: 'Erase register' })).toHaveCount(0);
    await openPerson(page, KEPT);
    await expect(heading(page)).toContainText(KEPT);
    await expect(page.getByRole('button', { name: /^Erase/ })).toHaveCount(0);
  });

  expect(await problems()).toEqual([]);
});
