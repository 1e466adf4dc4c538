/**
 * The foundation journey through the built renderer, with the real main-process handlers behind
 * the loopback test host: create a vault, see and confirm the recovery code, lock, fail with a
 * wrong passphrase, unlock, add an analyst, read the audit log and filter it, change a setting,
 * and switch to the analyst. Every screen is saved to test-results/screens.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '../../main/window/csp';
import { openApp, startTestHost, type TestHost } from '../helpers/test-host';
import { watchForProblems } from '../helpers/e2e-watch';

const ADMIN = 'Alice Admin';
const ADMIN_PASSPHRASE = 'marmalade lantern quietly orbit 47';
const ANALYST = 'Brian Analyst';
const ANALYST_PASSPHRASE = 'copper heron wanders slowly 93';
const VALIDATOR = 'Carol Validator';

let dir: string;
let host: TestHost;

test.beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hm-e2e-'));
  host = await startTestHost({ stateDir: join(dir, 'state'), documentsDir: join(dir, 'Documents') });
});

test.afterEach(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

async function screen(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: join(info.project.outputDir, 'screens', `${name}.png`), fullPage: true });
}

test('create, recovery code, lock, wrong passphrase, unlock, add a user, audit, settings, switch user', async ({ page }, info) => {
  const problems = await watchForProblems(page);
  const response = await openApp(page, host);

  await test.step('the page carries the CSP header', async () => {
    expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  const vaultPath = join(dir, 'Documents', 'harm-matrix.hmvault');

  await test.step('first run: create a vault', async () => {
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Set up Harm Matrix on this computer');
    await expect(page.getByLabel('Vault location')).toHaveValue(vaultPath);
    await screen(page, info, '01-create');

    // Errors from the contract's schemas appear beside their fields, linked for screen readers.
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(page.getByLabel('Administrator name')).toHaveAccessibleDescription(/Enter a name of at least 2 characters\./);
    await expect(page.getByLabel('Passphrase', { exact: true })).toHaveAttribute('aria-invalid', 'true');

    await page.getByLabel('Administrator name').fill(ADMIN);
    await page.getByLabel('Passphrase', { exact: true }).fill(ADMIN_PASSPHRASE);
    await expect(page.getByText(/^Strength: (Strong|Very strong)\.$/)).toBeVisible();
    await page.getByLabel('Passphrase again').fill(`${ADMIN_PASSPHRASE}x`);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(page.getByLabel('Passphrase again')).toHaveAccessibleDescription('The two passphrases do not match.');
    expect(existsSync(vaultPath)).toBe(false);

    await page.getByLabel('Passphrase again').fill(ADMIN_PASSPHRASE);
    await page.getByRole('button', { name: 'Create vault' }).click();
  });

  await test.step('the recovery code is shown once and must be confirmed', async () => {
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your recovery code');
    await expect(page.getByTestId('recovery-code')).toHaveText(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}$/);
    expect(existsSync(vaultPath)).toBe(true);
    expect(existsSync(`${vaultPath}.keys`)).toBe(true);
    // The vault is encrypted: the administrator's name is not readable in the file.
    expect(readFileSync(vaultPath).includes(Buffer.from(ADMIN))).toBe(false);
    await screen(page, info, '02-recovery-code');

    const proceed = page.getByRole('button', { name: 'Continue' });
    await expect(proceed).toBeDisabled();
    await page.getByLabel('I have stored the recovery code somewhere safe, away from this computer').check();
    await proceed.click();
  });

  await test.step('home, with the protective marking top and bottom', async () => {
    // The matrix is the first screen after unlock (issue 3); Home is one click away.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Matrix');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
    await expect(page.locator('main')).toHaveAttribute('data-screen', 'home');
    await expect(page.getByText('OFFICIAL-SENSITIVE', { exact: true })).toHaveCount(2);
    await expect(page.getByRole('banner')).toContainText(`Signed in as ${ADMIN} (Administrator)`);
    await expect(page.getByText(vaultPath, { exact: true })).toBeVisible();
    await screen(page, info, '05-home');
  });

  await test.step('lock, then a wrong passphrase or a wrong name is refused with the same clear message', async () => {
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await expect(page.locator('main')).toHaveAttribute('data-screen', 'unlock');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Unlock the vault');
    // The name is typed: the locked screen lists nobody, and the browser keeps no list of names.
    const name = page.getByLabel('Your name');
    await expect(name).toHaveValue('');
    await expect(name).toHaveAttribute('autocomplete', 'off');
    await expect(page.getByRole('combobox')).toHaveCount(0);
    await expect(page.getByText(ADMIN)).toHaveCount(0);
    await expect(page.getByText('OFFICIAL-SENSITIVE')).toHaveCount(0);
    await screen(page, info, '03-unlock');

    await page.getByLabel('Passphrase').fill(ADMIN_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.locator('.field-error')).toHaveText('Enter your name.');
    await expect(name).toHaveAttribute('aria-invalid', 'true');

    await name.fill(ADMIN.toLowerCase());
    await page.getByLabel('Passphrase').fill('not the right passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('alert')).toHaveText('That name and passphrase do not match. Check them and try again.');
    await expect(page.getByLabel('Passphrase')).toHaveValue('');
    await expect(page.locator('.field-error')).toHaveCount(0);
    await screen(page, info, '04-wrong-passphrase');

    await name.fill('Nobody Here');
    await page.getByLabel('Passphrase').fill(ADMIN_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByLabel('Passphrase')).toHaveValue('');
    await expect(page.getByRole('alert')).toHaveText('That name and passphrase do not match. Check them and try again.');
    await expect(page.locator('.field-error')).toHaveCount(0);
    await name.fill(` ${ADMIN.toLowerCase()} `);
  });

  await test.step('unlock', async () => {
    await page.getByLabel('Passphrase').fill(ADMIN_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Matrix');
    await expect(page.getByRole('banner')).toContainText(`Signed in as ${ADMIN}`);
  });

  await test.step('add an analyst', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Users' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Users');
    const grid = page.getByRole('region', { name: 'Users' });
    await expect(grid.getByRole('gridcell', { name: ADMIN })).toBeVisible();

    await page.getByLabel('Name', { exact: true }).fill(ANALYST);
    await page.getByLabel('Role').selectOption({ label: 'Analyst' });
    await page.getByLabel('First passphrase', { exact: true }).fill(ANALYST_PASSPHRASE);
    await page.getByLabel('First passphrase again').fill(ANALYST_PASSPHRASE);
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByRole('status')).toHaveText(`${ANALYST} was added as analyst.`);
    const row = grid.getByRole('row').filter({ hasText: ANALYST });
    await expect(row).toContainText('Analyst');
    await expect(row).toContainText('Active');
    await expect(page.getByLabel('Name', { exact: true })).toHaveValue('');
    await screen(page, info, '06-users');
  });

  await test.step('add a validator, then remove them and rotate the data key, by keyboard', async () => {
    await page.getByLabel('Name', { exact: true }).fill(VALIDATOR);
    await page.getByLabel('Role').selectOption({ label: 'Validator' });
    await page.getByLabel('First passphrase', { exact: true }).fill('tangerine pylon mosaic drift 58');
    await page.getByLabel('First passphrase again').fill('tangerine pylon mosaic drift 58');
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByRole('status')).toHaveText(`${VALIDATOR} was added as validator.`);

    const grid = page.getByRole('region', { name: 'Users' });
    const remove = page.getByRole('button', { name: 'Remove selected user…' });
    await expect(remove).toBeDisabled();
    // Arrow keys move between rows; Space selects the focused row.
    await grid.getByRole('gridcell', { name: ADMIN }).click();
    await expect(remove).toBeDisabled(); // nobody may remove themselves
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await expect(page.getByText(`Selected: ${VALIDATOR}`)).toBeVisible();
    await remove.click();
    const dialog = page.getByRole('dialog', { name: `Remove ${VALIDATOR}?` });
    await expect(dialog.getByLabel('Also rotate the data key')).toBeChecked();
    await screen(page, info, '06b-remove-user');
    await dialog.getByRole('button', { name: 'Remove user' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status')).toHaveText(`${VALIDATOR} was removed and the data key was rotated.`);
    await expect(grid.getByRole('row').filter({ hasText: VALIDATOR })).toContainText(/Removed \d{2}\/\d{2}\/\d{4}/);
  });

  await test.step('the audit log shows what happened, and filters by action', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Audit log' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Audit log');
    const grid = page.getByRole('region', { name: 'Audit entries' });
    const count = page.locator('.toolbar [role="status"]');

    // Signing begun, vault created, reference data loaded, administrator added, recovery
    // confirmed, the matrix viewed, locked, one entry for the two failed unlocks, unlocked, the
    // matrix viewed, analyst's key slot made and analyst added, validator's likewise, validator
    // removed, data key rotated, and this viewing.
    await expect(count).toHaveText('17 entries, newest first.');
    const added = grid.getByRole('row').filter({ hasText: 'User added with role analyst' });
    await expect(added).toContainText(ADMIN);
    await expect(added).toContainText('User change');
    await expect(added.locator('[col-id="entityType"]')).toHaveText('user');
    await expect(added.locator('[col-id="at"]')).toHaveText(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    await expect(grid.getByRole('gridcell', { name: 'User added with role administrator' })).toBeVisible();
    await expect(grid.getByRole('gridcell', { name: 'Vault created with an administrator key slot and a recovery slot' })).toBeVisible();
    await expect(grid.getByRole('gridcell', { name: 'Creator confirmed the recovery code is stored' })).toBeVisible();
    await expect(grid.getByRole('gridcell', { name: 'Locked (manual)' })).toBeVisible();
    // The wrong passphrase and the wrong name, counted alike.
    await expect(grid.getByRole('gridcell', { name: /^2 failed unlock attempts between / })).toBeVisible();
    await expect(grid.getByRole('gridcell', { name: 'Unlocked with passphrase' })).toBeVisible();
    await expect(grid.getByRole('gridcell', { name: 'User removed (was validator); key slot deleted' })).toBeVisible();
    await expect(grid.getByRole('gridcell', { name: 'Data key rotated and re-sealed to every key slot' })).toBeVisible();
    await screen(page, info, '07-audit');

    await page.getByLabel('Action').selectOption({ label: 'Lock' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(count).toHaveText('1 entry, newest first.');
    await expect(grid.getByRole('gridcell', { name: 'Locked (manual)' })).toBeVisible();
    await expect(grid.getByRole('gridcell', { name: 'User added with role analyst' })).toHaveCount(0);

    // Vault created, administrator added, two key slots made for new users, two users added, one removed.
    await page.getByLabel('Action').selectOption({ label: 'User change' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(count).toHaveText('7 entries, newest first.');
    await expect(grid.getByRole('gridcell', { name: 'User added with role analyst' })).toBeVisible();
    await expect(grid.getByRole('gridcell', { name: 'Locked (manual)' })).toHaveCount(0);
    await screen(page, info, '08-audit-filtered');

    // Dates are typed the UK way and checked before anything is asked of main.
    await page.getByLabel('Action').selectOption({ label: 'Any action' });
    await page.getByLabel('From').fill('31/02/2026');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page.getByLabel('From')).toHaveAccessibleDescription('dd/mm/yyyy Enter a date as dd/mm/yyyy, for example 30/06/2026.');
    await expect(count).toHaveText('7 entries, newest first.');

    await page.getByLabel('From').fill('01/01/2020');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(count).toHaveText('20 entries, newest first.');
    await page.getByLabel('To').fill('31/12/2020');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(count).toHaveText('0 entries, newest first.');
    await expect(grid.getByText('No entries match these filters.')).toBeVisible();

    // Every viewing of the log was itself recorded: 17 + 4.
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect(page.getByText('The audit chain is intact: all 21 entries check out, and their signatures with them.')).toBeVisible();
  });

  await test.step('the grid remembers its sort for this user', async () => {
    const grid = page.getByRole('region', { name: 'Audit entries' });
    const userHeader = grid.getByRole('columnheader', { name: 'User' });
    await expect(grid.getByRole('columnheader', { name: 'Seq' })).toHaveAttribute('aria-sort', 'descending');
    await userHeader.click();
    await expect(userHeader).toHaveAttribute('aria-sort', 'ascending');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('button', { name: 'Home' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Home');
    await nav.getByRole('button', { name: 'Audit log' }).click();
    await expect(grid.getByRole('columnheader', { name: 'User' })).toHaveAttribute('aria-sort', 'ascending');
    await expect(grid.getByRole('columnheader', { name: 'Seq' })).not.toHaveAttribute('aria-sort', 'descending');
  });

  await test.step('settings: change the protective marking', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Settings');
    await expect(page.getByLabel('Lock after this many idle minutes')).toHaveValue('10');
    await expect(page.getByLabel('Protective marking')).toHaveValue('OFFICIAL-SENSITIVE');
    await screen(page, info, '09-settings');

    await page.getByLabel('Protective marking').fill('OFFICIAL');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Settings saved.')).toBeVisible();
    await expect(page.getByText('OFFICIAL', { exact: true })).toHaveCount(2);
  });

  await test.step('switch user: the analyst sees neither users nor the audit log', async () => {
    await page.getByRole('button', { name: 'Switch user' }).click();
    await expect(page.locator('main')).toHaveAttribute('data-screen', 'unlock');
    await page.getByLabel('Your name').fill(ANALYST);
    await page.getByLabel('Passphrase').fill(ANALYST_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    // The administrator chose that passphrase: the analyst chooses their own before anything else.
    await expect(page.locator('main')).toHaveAttribute('data-screen', 'must-change-passphrase');
    await page.getByLabel('Current passphrase').fill(ANALYST_PASSPHRASE);
    await page.getByLabel('New passphrase', { exact: true }).fill('saffron glacier tumbles home 28');
    await page.getByLabel('New passphrase again').fill('saffron glacier tumbles home 28');
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await expect(page.getByRole('banner')).toContainText(`Signed in as ${ANALYST} (Analyst)`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('button')).toHaveText(['Matrix', 'People', 'Flags', 'Reviews', 'Disruptions', 'Meetings', 'Returns', 'Home', 'Settings']);
    await nav.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByText('Only administrators can change these.')).toBeVisible();
    await expect(page.getByLabel('Protective marking')).toHaveAttribute('readonly', '');
    await expect(page.getByRole('heading', { name: 'Back up the vault' })).toHaveCount(0);
    await screen(page, info, '10-settings-analyst');
  });

  expect(await problems()).toEqual([]);
});

test('the recovery code unlocks and sets a new passphrase; the old one stops working', async ({ page }, info) => {
  const problems = await watchForProblems(page);
  await openApp(page, host);
  await page.getByLabel('Administrator name').fill(ADMIN);
  await page.getByLabel('Passphrase', { exact: true }).fill(ADMIN_PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(ADMIN_PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  const code = (await page.getByTestId('recovery-code').textContent()) ?? '';
  expect(code).toMatch(/^[0-9A-Z-]{35}$/);
  await page.getByLabel('I have stored the recovery code somewhere safe, away from this computer').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Matrix');
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.locator('main')).toHaveAttribute('data-screen', 'unlock');

  await page.getByRole('button', { name: 'Use the recovery code' }).click();
  await expect(page.locator('main')).toHaveAttribute('data-screen', 'recover');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Unlock with the recovery code');
  const newPassphrase = 'juniper satellite harbour ember 61';
  // Typed as a person might: lower case, spaces instead of dashes.
  await page.getByLabel('Recovery code').fill(code.toLowerCase().replaceAll('-', ' '));
  await page.getByLabel('Name of the user').fill(ADMIN);
  await page.getByLabel('New passphrase', { exact: true }).fill(newPassphrase);
  await page.getByLabel('New passphrase again').fill(newPassphrase);
  await expect(page.getByText(/^Strength: (Strong|Very strong)\.$/)).toBeVisible();
  await screen(page, info, '11-recover');
  await page.getByRole('button', { name: 'Unlock and set passphrase' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Matrix');

  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.locator('main')).toHaveAttribute('data-screen', 'unlock');
  await page.getByLabel('Your name').fill(ADMIN);
  await page.getByLabel('Passphrase').fill(ADMIN_PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toHaveText('That name and passphrase do not match. Check them and try again.');
  await page.getByLabel('Passphrase').fill(newPassphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  // Whoever held the recovery code knows the passphrase it set: its user now chooses their own.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose your own passphrase');
  await page.getByLabel('Current passphrase').fill(newPassphrase);
  await page.getByLabel('New passphrase', { exact: true }).fill('walnut observatory ripple 83');
  await page.getByLabel('New passphrase again').fill('walnut observatory ripple 83');
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Matrix');
  expect(await problems()).toEqual([]);
});

test('the test host refuses IPC from any other origin and serves only the renderer', async ({ request }) => {
  const ipc = (channel: string) => `${host.origin}/__ipc/${encodeURIComponent(channel)}`;
  const refused = { ok: false, code: 'forbidden', message: 'This request did not come from Harm Matrix.' };
  const create = { path: join(dir, 'Documents', 'x.hmvault'), adminName: 'Mallory', passphrase: 'plausible quiet engine ladder 12' };

  const foreign = await request.post(ipc('vault:create'), { headers: { Origin: 'http://evil.example' }, data: create });
  expect(await foreign.json()).toEqual(refused);
  const noOrigin = await request.post(ipc('vault:create'), { data: create });
  expect(await noOrigin.json()).toEqual(refused);
  expect(existsSync(create.path)).toBe(false);
  expect(host.session.vault).toBeNull();

  // The same call from the host's own origin goes through: the refusal above was the origin.
  const own = await request.post(ipc('app:status'), { headers: { Origin: host.origin }, data: {} });
  expect(await own.json()).toMatchObject({ ok: true, value: { state: 'no-vault' } });

  const index = await request.get(host.url);
  expect(index.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(index.headers()['content-type']).toBe('text/html; charset=utf-8');
  for (const path of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/assets/../../package.json']) {
    const res = await request.get(`${host.origin}${path}`);
    expect(res.status(), path).toBe(404);
  }
});
