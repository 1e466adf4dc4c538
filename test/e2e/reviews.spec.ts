/**
 * An analyst reviews a link with evidence and sees it retained. The register is set up through the
 * services on 10/01/2026 (a network, two graded items from independent sources held against it,
 * a person linked on them); the journey runs on 10/07/2026, when the link falls due. The analyst
 * opens Reviews, sees the link due, opens the review dialog: with nothing ticked retaining is not
 * open and the dialog says why; ticking the two items (by keyboard) qualifies the link; a review
 * without a reason is refused beside the field; with one the link is retained to 10/01/2027 and
 * leaves the list.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { addSettledUser as addUser } from '../helpers/user-fixtures';
import { confirmRecovery, createVault, lock, unlock } from '../../main/services/vault.service';
import * as M from '../../main/services/matrix.service';
import { openApp, startTestHost, type TestHost } from '../helpers/test-host';
import { watchForProblems } from '../helpers/e2e-watch';
import { nav, signIn } from '../helpers/e2e-session';

const ADMIN = 'Ada Administrator';
const ANALYST = 'Ann Analyst';
const PASSPHRASES: Record<string, string> = {
  [ADMIN]: 'saffron kettle drifting north 84',
  [ANALYST]: 'violet harbour lantern seven 26',
};

const SET_UP = new Date('2026-01-10T10:00:00Z');
const REVIEW_DAY = new Date('2026-07-10T09:00:00Z');

let dir: string;
let host: TestHost;
let personReference = '';

test.beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hm-e2e-reviews-'));
  host = await startTestHost({ stateDir: join(dir, 'state'), documentsDir: join(dir, 'Documents') });
  const s = host.session;
  s.ctx.now = () => SET_UP;
  createVault(s, { path: join(dir, 'Documents', 'reviews.hmvault'), adminName: ADMIN, passphrase: PASSPHRASES[ADMIN]! });
  confirmRecovery(s);
  addUser(s, { name: ANALYST, role: 'analyst', passphrase: PASSPHRASES[ANALYST]! });
  lock(s, 'manual');
  unlock(s, { userName: ANALYST, passphrase: PASSPHRASES[ANALYST]! });
  const n = M.createNetwork(s, { name: 'Eastside Review Crew', type: 'gang', leadBorough: 'E09000022', businessGroup: 'SCD' });
  const item = (reference: string, source: 1 | 2, grade: 'A' | 'B', sourceRef: string, itemDate: string) =>
    M.recordIntelligence(s, { reference, itemDate, summary: 'Synthetic intelligence item.', sourceRef, grading: '3x5x2', sourceGrade: source, intelGrade: grade, handling: 'P', networkIds: [n.id] });
  const i1 = item('INT-R-0001', 1, 'A', 'CHIS 0101', '2026-01-05');
  const i2 = item('INT-R-0002', 2, 'B', 'Officer report 7', '2026-01-06');
  const p = M.createPerson(s, { name: 'Reece Reviewed', dateOfBirth: '1990-01-01' });
  personReference = p.reference;
  M.linkPerson(s, { personId: p.id, networkId: n.id, role: 'associate', intelIds: [i1.id, i2.id], startDate: '2026-01-05' });
  lock(s, 'manual');
  // The journey's day: main's clock runs from 10:00 on 10/07/2026, the page's is fixed there too.
  const started = Date.now();
  s.ctx.now = () => new Date(REVIEW_DAY.getTime() + (Date.now() - started));
});

test.afterEach(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

async function screen(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: join(info.project.outputDir, 'screens', `${name}.png`), fullPage: true });
}

test('an analyst reviews a link with evidence and sees it retained', async ({ page }, info) => {
  test.setTimeout(120_000);
  const problems = await watchForProblems(page);
  await page.clock.setFixedTime(new Date(REVIEW_DAY.getTime() + 3_600_000));
  await openApp(page, host);
  await signIn(page, ANALYST, PASSPHRASES[ANALYST]!);

  await test.step('Reviews lists the link due today', async () => {
    await nav(page).getByRole('button', { name: 'Reviews' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reviews');
    const grid = page.getByRole('region', { name: 'Reviews due' });
    const row = grid.locator('.ag-row');
    await expect(row).toHaveCount(1);
    await expect(row.locator('[col-id="kind"]')).toHaveText('Member link');
    await expect(row.locator('[col-id="reference"]')).toHaveText(personReference);
    await expect(row.locator('[col-id="dueOn"]')).toHaveText('10/07/2026');
    await expect(row.locator('[col-id="isOverdue"]')).toHaveText('Due');
    await row.locator('[col-id="reference"]').click();
    await screen(page, info, 'reviews-due');
    await page.getByRole('button', { name: 'Review…' }).click();
  });

  const dialog = page.getByRole('dialog', { name: `Review the member link: ${personReference} Reece Reviewed` });
  await test.step('nothing ticked: retaining is not open, and the dialog says why', async () => {
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('alert')).toContainText('This link cannot be retained on this evidence. It no longer meets its entry threshold');
    await expect(dialog.getByRole('radio', { name: 'Retain' })).toBeDisabled();
    await expect(dialog.getByText('Retaining is not open: the items ticked do not qualify (see above).')).toBeVisible();
  });

  await test.step('both items re-checked (by keyboard): the link qualifies', async () => {
    const first = dialog.getByRole('checkbox', { name: /INT-R-0001/ });
    await first.focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Space');
    await expect(dialog.getByRole('checkbox', { name: /INT-R-0002/ })).toBeChecked();
    await expect(first).toBeChecked();
    await expect(dialog.getByRole('status')).toHaveText('This link still meets its entry threshold, with 2 qualifying items dated within the last 12 months (since 10/07/2025).');
    await expect(dialog.getByRole('radio', { name: 'Retain' })).toBeEnabled();
    await expect(dialog.getByText('Next review due 10/01/2027.')).toBeVisible();
    await dialog.getByRole('radio', { name: 'Retain' }).check();
  });

  await test.step('a reason is needed, beside its field; with one the link is retained to 10/01/2027', async () => {
    await dialog.getByRole('button', { name: 'Record review' }).click();
    await expect(dialog.locator('.field-error')).toHaveText('Give a reason.');
    await dialog.getByLabel('Reason').fill('Both items re-read; association current.');
    await screen(page, info, 'reviews-dialog');
    await dialog.getByRole('button', { name: 'Record review' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.locator('main [role="status"].status')).toHaveText('Member link retained. Next review due 10/01/2027.');
    await expect(page.getByRole('region', { name: 'Reviews due' }).locator('.ag-overlay-no-rows-center')).toHaveText('Nothing is due for review in the next 30 days.');
    await screen(page, info, 'reviews-retained');
  });
  expect(await problems()).toEqual([]);
});
