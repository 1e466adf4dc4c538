/**
 * The disruption journey through the built renderer, with the real main-process handlers behind
 * the loopback test host and an encrypted vault in a temp dir.
 *
 * An administrator records units (a validator in "Performance Review", a second validator added
 * in "Gangs Unit"); an analyst in Gangs Unit claims a disruption of a network with confirmed
 * offences from its card, is shown errors beside the fields first, and submits; a supervisor in
 * Gangs Unit endorses; a validator from Gangs Unit is refused with main's own words; the
 * independent validator validates. Harm before is exact and harm after is pending. A meeting is
 * held; the corporate return for 2025/26 shows the claim (a count of 1 published as "<5" under
 * the internal rules); the meeting pack is saved as a PDF and appears in the export register.
 *
 * The clock is fixed at 20/03/2026 10:00 (GMT) on both sides, inside financial year 2025/26.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import * as D from '../../main/services/disruptions.service';
import * as M from '../../main/services/matrix.service';
// Users who have chosen their own passphrase, as the app requires before anything else.
import { addSettledUser as addUser } from '../helpers/user-fixtures';
import { confirmRecovery, createVault, lock } from '../../main/services/vault.service';
import { openApp, startTestHost, type TestHost } from '../helpers/test-host';
import { watchForProblems } from '../helpers/e2e-watch';
import { lockNow, nav, signIn } from '../helpers/e2e-session';

const ADMIN = 'Ada Administrator';
const ANALYST = 'Ann Analyst';
const SUPERVISOR = 'Sam Supervisor';
const VALIDATOR = 'Vic Validator';
const SAME_UNIT_VALIDATOR = 'Gil Validator';
/** Validates the earlier claims set up before the journey. */
const EARLIER_VALIDATOR = 'Pat Validator';
const PASSPHRASES: Record<string, string> = {
  [ADMIN]: 'saffron kettle drifting north 84',
  [ANALYST]: 'violet harbour lantern seven 26',
  [SUPERVISOR]: 'granite willow parade ember 39',
  [VALIDATOR]: 'copper meadow quartz ribbon 71',
  [SAME_UNIT_VALIDATOR]: 'tangerine pylon mosaic drift 58',
  [EARLIER_VALIDATOR]: 'lilac furnace orbit canyon 45',
};

/** The claim made on screen: seven earlier claims were validated before the journey starts. */
const CLAIM = 'DR-2026-0008';

/** 10:00 on 20/03/2026 in London (GMT): financial year 2025/26, mid-morning so the day cannot turn. */
const FIXED_NOW = new Date('2026-03-20T10:00:00Z');

let dir: string;
let host: TestHost;

test.beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hm-e2e-disruptions-'));
  host = await startTestHost({ stateDir: join(dir, 'state'), documentsDir: join(dir, 'Documents') });
  const started = Date.now();
  host.session.ctx.now = () => new Date(FIXED_NOW.getTime() + (Date.now() - started));
  // Users and the network are set up through the same services the app calls; the journey then
  // starts from the unlock screen. The validator's unit is left unrecorded: the administrator
  // records it on screen.
  const s = host.session;
  createVault(s, { path: join(dir, 'Documents', 'disruptions.hmvault'), adminName: ADMIN, passphrase: PASSPHRASES[ADMIN]! });
  confirmRecovery(s);
  const analyst = addUser(s, { name: ANALYST, role: 'analyst', passphrase: PASSPHRASES[ANALYST]!, unit: 'Gangs Unit' });
  const supervisor = addUser(s, { name: SUPERVISOR, role: 'supervisor', passphrase: PASSPHRASES[SUPERVISOR]!, unit: 'Gangs Unit' });
  addUser(s, { name: VALIDATOR, role: 'validator', passphrase: PASSPHRASES[VALIDATOR]! });
  const earlierValidator = addUser(s, { name: EARLIER_VALIDATOR, role: 'validator', passphrase: PASSPHRASES[EARLIER_VALIDATOR]!, unit: 'Performance Review' });

  // A network with two confirmed offences in the six months before the activity (w × s: robbery
  // convicted 365 × 1.0 = 365; violence with injury charged 365 × 0.8 = 292; 657 in all) and one
  // after it, which stays out of sight while the six months after are pending.
  s.user = { id: analyst.id, name: ANALYST, role: 'analyst' };
  const n = M.createNetwork(s, { name: 'Northside Example Crew', type: 'gang', status: 'active', leadBorough: 'E09000022', businessGroup: 'TP', unit: 'Gangs Unit', leadOfficer: 'DI Example' });
  const intel = [
    M.recordIntelligence(s, { reference: 'INT-0001', itemDate: '2026-01-05', summary: 'Alpha reports the group controls supply on the estate.', sourceRef: 'Source Alpha', sourceGrade: 1, intelGrade: 'A', handling: 'P', networkIds: [n.id] }),
    M.recordIntelligence(s, { reference: 'INT-0002', itemDate: '2026-01-12', summary: 'Bravo corroborates the stash address.', sourceRef: 'Source Bravo', sourceGrade: 2, intelGrade: 'B', handling: 'P', networkIds: [n.id] }),
  ];
  for (const o of [
    { ref: 'CRIME-0001', category: 'robbery', date: '2025-10-15', stage: 'convicted' as const },
    { ref: 'CRIME-0002', category: 'violence_with_injury', date: '2026-01-10', stage: 'charged' as const },
    { ref: 'CRIME-0003', category: 'robbery', date: '2026-03-10', stage: 'arrested' as const },
  ]) {
    const offence = M.recordOffence(s, { crimeReference: o.ref, category: o.category, offenceDate: o.date, borough: 'E09000022', stage: o.stage });
    M.linkOffence(s, { offenceId: offence.id, networkId: n.id, rationale: `Principal named in ${o.ref}.`, intelIds: [intel[0]!.id] });
  }

  // Seven earlier claims on seven other networks, validated on their own days (the service reads
  // the day from the session clock): five major in January 2026 and two minor in February, so the
  // return's charts have figures of 5 or more to draw beside the withheld ones.
  const running = s.ctx.now;
  const earlier: { day: string; level: 'major' | 'minor' }[] = [
    ...['2026-01-12', '2026-01-14', '2026-01-19', '2026-01-21', '2026-01-28'].map((day) => ({ day, level: 'major' as const })),
    ...['2026-02-10', '2026-02-17'].map((day) => ({ day, level: 'minor' as const })),
  ];
  for (const [i, e] of earlier.entries()) {
    s.ctx.now = () => new Date(`${e.day}T10:00:00Z`);
    s.user = { id: analyst.id, name: ANALYST, role: 'analyst' };
    const other = M.createNetwork(s, { name: `Example Network ${i + 2}`, type: 'criminal_network', status: 'active', leadBorough: 'E09000028', businessGroup: 'SCD', unit: 'Gangs Unit' });
    const d = D.createDisruption(s, {
      primaryNetworkId: other.id,
      activityStart: '2025-12-01',
      activityEnd: '2025-12-31',
      claimingBusinessGroup: 'SCD',
      claimingUnit: 'Gangs Unit',
      claimedLevel: e.level,
      tactics: ['criminal_justice'],
      impactNarrative: 'Earlier operation set up for this journey: principals charged and remanded.',
    });
    D.transitionDisruption(s, { id: d.id, action: 'submit' });
    s.user = { id: supervisor.id, name: SUPERVISOR, role: 'supervisor' };
    D.transitionDisruption(s, { id: d.id, action: 'endorse' });
    s.user = { id: earlierValidator.id, name: EARLIER_VALIDATOR, role: 'validator' };
    D.transitionDisruption(s, { id: d.id, action: 'validate' });
  }
  s.ctx.now = running;
  lock(s, 'manual');
});

test.afterEach(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Save the screen. The app scrolls inside its content pane, not the page, so a long screen is
 * taken with a taller (or wider) window, scrolled to its top.
 */
async function screen(page: Page, info: TestInfo, name: string, size: { height?: number; width?: number } = {}): Promise<void> {
  const normal = page.viewportSize()!;
  const isResized = Boolean(size.height || size.width);
  if (isResized) await page.setViewportSize({ width: size.width ?? normal.width, height: size.height ?? normal.height });
  await page.locator('main.content').evaluate((el) => {
    (el as unknown as { scrollTop: number }).scrollTop = 0;
  });
  await page.screenshot({ path: join(info.project.outputDir, 'screens', `${name}.png`), fullPage: true });
  if (isResized) await page.setViewportSize(normal);
}

const unlockAs = (page: Page, name: string): Promise<void> => signIn(page, name, PASSPHRASES[name]!);
const status = (page: Page) => page.locator('main [role="status"].status');
const claimRow = (grid: Locator, ref: string) => grid.locator('.ag-row').filter({ hasText: ref });

async function openClaimFromQueue(page: Page, ref: string): Promise<void> {
  await nav(page).getByRole('button', { name: 'Disruptions' }).click();
  await expect(page.getByRole('tab', { name: 'Validation queue' })).toHaveAttribute('aria-selected', 'true');
  const queue = page.getByRole('region', { name: 'Validation queue' });
  await claimRow(queue, ref).locator('[col-id="reference"]').dblclick();
  await expect(page.locator('.card-ref')).toHaveText(ref);
}

test('a claim goes from analyst to supervisor to independent validator; returns and the meeting pack follow', async ({ page }, info) => {
  test.setTimeout(150_000);
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  const problems = await watchForProblems(page);
  await page.clock.setFixedTime(new Date(FIXED_NOW.getTime() + 3_600_000));
  await openApp(page, host);

  await test.step('the administrator records units: a validator added in Gangs Unit, the other validator set to Performance Review', async () => {
    await unlockAs(page, ADMIN);
    await nav(page).getByRole('button', { name: 'Users' }).click();
    await page.getByLabel('Name', { exact: true }).fill(SAME_UNIT_VALIDATOR);
    await page.getByLabel('Role').selectOption({ label: 'Validator' });
    await page.getByLabel('Unit', { exact: true }).fill('Gangs Unit');
    await page.getByLabel('First passphrase', { exact: true }).fill(PASSPHRASES[SAME_UNIT_VALIDATOR]!);
    await page.getByLabel('First passphrase again').fill(PASSPHRASES[SAME_UNIT_VALIDATOR]!);
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect(page.getByRole('status')).toHaveText(`${SAME_UNIT_VALIDATOR} was added as validator.`);
    const grid = page.getByRole('region', { name: 'Users' });
    await expect(claimRow(grid, SAME_UNIT_VALIDATOR).locator('[col-id="unit"]')).toHaveText('Gangs Unit');

    await claimRow(grid, VALIDATOR).locator('[col-id="name"]').click();
    await page.getByRole('button', { name: 'Set unit…' }).click();
    const dialog = page.getByRole('dialog', { name: `Set ${VALIDATOR}’s unit` });
    await dialog.getByLabel('Unit').fill('Performance Review');
    await dialog.getByRole('button', { name: 'Save unit' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status')).toHaveText(`${VALIDATOR}’s unit is now Performance Review.`);
    await expect(claimRow(grid, VALIDATOR).locator('[col-id="unit"]')).toHaveText('Performance Review');
    await expect(claimRow(grid, ANALYST).locator('[col-id="unit"]')).toHaveText('Gangs Unit');
    await lockNow(page);
  });

  await test.step('the analyst sets the plan status and starts a claim from the network card', async () => {
    await unlockAs(page, ANALYST);
    await expect(nav(page).getByRole('button')).toHaveText(['Matrix', 'People', 'Flags', 'Reviews', 'Disruptions', 'Meetings', 'Returns', 'Home', 'Settings']);
    await page.getByRole('region', { name: 'Networks' }).locator('.ag-row [col-id="name"]').first().dblclick();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Northside Example Crew');
    await page.getByLabel('Plan status').selectOption({ label: 'Plan agreed' });
    await page.getByRole('button', { name: 'Set plan status' }).click();
    await expect(status(page)).toHaveText('Plan status set to “Plan agreed”.');
    await page.getByRole('tablist', { name: 'Network card sections' }).getByRole('tab', { name: 'Disruptions' }).click();
    await expect(page.getByTestId('network-disruption-summary')).toHaveText('No disruption has been claimed against this network.');
    await page.getByRole('button', { name: 'Claim a disruption' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Claim a disruption');
    await expect(page.getByLabel('Primary network')).toHaveValue(/.+/);
    await expect(page.getByLabel('Primary network').locator('option:checked')).toHaveText('CN-2026-0001 Northside Example Crew');
  });

  await test.step('errors appear beside the fields; the claim is saved as a draft and submitted', async () => {
    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.getByRole('alert').first()).toContainText('details need attention');
    await expect(page.getByLabel('Activity from')).toHaveAccessibleDescription(/Enter a date as dd\/mm\/yyyy\.$/);
    await expect(page.getByLabel('Claiming business group')).toHaveAccessibleDescription('Choose a business group.');
    // The claiming unit starts as the claimant's own recorded unit.
    await expect(page.getByLabel('Claiming unit')).toHaveValue('Gangs Unit');
    await expect(page.getByRole('group', { name: 'Claimed level' })).toHaveAccessibleDescription('Choose a level.');
    await expect(page.getByRole('group', { name: 'Tactics used' })).toHaveAccessibleDescription(/Choose at least one tactic\.$/);
    await expect(page.getByLabel('Impact narrative')).toHaveAccessibleDescription(/Describe the impact in at least 20 characters\.$/);
    // The first field needing attention has the keyboard.
    await expect(page.getByLabel('Activity from')).toBeFocused();

    await page.getByLabel('Operation reference').fill('Op Example');
    await page.getByLabel('Activity from').fill('02/02/2026');
    await page.getByLabel('Activity to').fill('27/02/2026');
    await page.getByLabel('Claiming business group').selectOption({ label: 'Territorial Policing (TP)' });
    await page.getByLabel('Claiming unit').fill('Gangs Unit');
    await page.getByRole('group', { name: 'Claimed level' }).getByLabel(/^Moderate/).check();
    const tactics = page.getByRole('group', { name: 'Tactics used' });
    await expect(tactics.getByRole('group')).toHaveText([/^Pursue/, /^Prevent/, /^Protect/, /^Prepare/]);
    await tactics.getByRole('group', { name: 'Pursue' }).getByLabel('Criminal justice (arrest, charge, conviction)').check();
    await tactics.getByRole('group', { name: 'Pursue' }).getByLabel(/^Financial/).check();
    await tactics.getByRole('group', { name: 'Prevent' }).getByLabel(/^Prevent/).check();
    await page.getByLabel('Arrests').fill('4');
    await page.getByLabel('Charges').fill('3');
    await page.getByLabel('Custody (years)').fill('12.5');
    await page.getByLabel('Handguns').fill('1');
    await page.getByLabel('Rounds of ammunition').fill('24');
    await page.getByLabel('Knives').fill('two');
    await page.getByLabel('Cash seized (£)').fill('£12,500');
    await page.getByRole('button', { name: 'Add a drug seizure' }).click();
    const drug1 = page.getByRole('group', { name: 'Drug seizure 1' });
    await drug1.getByLabel('Substance').fill('Cocaine');
    await drug1.getByLabel('Class').selectOption({ label: 'Class A' });
    await drug1.getByLabel('Grams').fill('250');
    await page.getByRole('button', { name: 'Add a drug seizure' }).click();
    const drug2 = page.getByRole('group', { name: 'Drug seizure 2' });
    await drug2.getByLabel('Substance').fill('Cannabis');
    await drug2.getByLabel('Grams').fill('1,200');
    await page.getByLabel('Impact narrative').fill('Principal and two lieutenants remanded; supply line on the estate closed for at least six months.');
    await page.getByRole('group', { name: 'Supporting intelligence' }).getByLabel('INT-0001').check();
    await page.getByLabel('Partner reference').fill('PR-2026-117');
    await page.getByRole('button', { name: 'Save draft' }).click();
    // A word where a number belongs, and a drug row without a class, are refused beside the field.
    await expect(page.getByLabel('Knives')).toHaveAccessibleDescription('Enter a whole number, such as 3, or leave it empty for none.');
    await expect(drug2.getByLabel('Class')).toHaveAccessibleDescription('Choose a class.');
    await page.getByLabel('Knives').fill('2');
    await drug2.getByLabel('Class').selectOption({ label: 'Class B' });
    await screen(page, info, '30b-claim-form', { height: 2900 });

    await page.getByRole('button', { name: 'Save draft' }).click();
    await expect(page.locator('.card-ref')).toHaveText(CLAIM);
    await expect(status(page)).toHaveText(`${CLAIM} saved as a draft. Submit it when it is ready for endorsement.`);
    await expect(page.getByTestId('disruption-status')).toHaveText('Draft');
    const outcomes = page.getByRole('table', { name: 'Outcomes' });
    await expect(outcomes.getByRole('row').filter({ hasText: 'Cash seized' }).getByRole('cell')).toHaveText('£12,500');
    await expect(outcomes.getByRole('row').filter({ hasText: 'Cannabis (class B)' }).getByRole('cell')).toHaveText('1,200 g');
    await expect(outcomes.getByRole('row').filter({ hasText: 'Custody' }).getByRole('cell')).toHaveText('12.5');

    await page.getByRole('button', { name: 'Submit for endorsement' }).click();
    await expect(status(page)).toHaveText(`${CLAIM} submitted. A supervisor in Gangs Unit can now endorse it.`);
    await expect(page.getByTestId('disruption-status')).toHaveText('Submitted');
    await expect(page.getByRole('button', { name: 'Edit claim' })).toHaveCount(0);

    await page.getByRole('button', { name: '← Back to disruptions' }).click();
    await expect(page.getByRole('tab', { name: 'My claims' })).toHaveAttribute('aria-selected', 'true');
    await expect(claimRow(page.getByRole('region', { name: 'My claims' }), CLAIM).locator('[col-id="status"]')).toHaveText('Submitted');
    await lockNow(page);
  });

  await test.step('the supervisor returns it with a reason; the analyst edits and resubmits', async () => {
    await unlockAs(page, SUPERVISOR);
    await openClaimFromQueue(page, CLAIM);
    await page.getByRole('button', { name: 'Return to the claimant…' }).click();
    const dialog = page.getByRole('dialog', { name: `Return ${CLAIM} to the claimant` });
    await dialog.getByRole('button', { name: 'Return claim' }).click();
    await expect(dialog.getByLabel('Reason')).toHaveAccessibleDescription('Give a reason.');
    await dialog.getByLabel('Reason').fill('Say how long the supply line stayed closed.');
    await dialog.getByRole('button', { name: 'Return claim' }).click();
    await expect(dialog).toBeHidden();
    await expect(status(page)).toHaveText(`${CLAIM} returned to the claimant.`);
    await expect(page.getByTestId('disruption-status')).toHaveText('Returned');
    await lockNow(page);

    await unlockAs(page, ANALYST);
    await nav(page).getByRole('button', { name: 'Disruptions' }).click();
    await claimRow(page.getByRole('region', { name: 'My claims' }), CLAIM).locator('[col-id="reference"]').dblclick();
    await expect(page.locator('.claim-facts')).toContainText('Reason returnedSay how long the supply line stayed closed.');
    await page.getByRole('button', { name: 'Edit claim' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Edit claim ${CLAIM}`);
    // Everything comes back as it was saved.
    await expect(page.getByLabel('Activity from')).toHaveValue('02/02/2026');
    await expect(page.getByLabel('Arrests')).toHaveValue('4');
    await expect(page.getByLabel('Cash seized (£)')).toHaveValue('12500');
    await expect(page.getByRole('group', { name: 'Drug seizure 2' }).getByLabel('Grams')).toHaveValue('1200');
    await expect(page.getByRole('group', { name: 'Claimed level' }).getByLabel(/^Moderate/)).toBeChecked();
    await expect(page.getByRole('group', { name: 'Supporting intelligence' }).getByLabel('INT-0001')).toBeChecked();
    await page.getByLabel('Impact narrative').fill('Principal and two lieutenants remanded; the supply line on the estate has stayed closed since 27/02/2026.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(status(page)).toHaveText(`${CLAIM} saved.`);
    await page.getByRole('button', { name: 'Resubmit for endorsement' }).click();
    await expect(page.getByTestId('disruption-status')).toHaveText('Submitted');
    await lockNow(page);
  });

  await test.step('the supervisor in Gangs Unit endorses it from the queue', async () => {
    await unlockAs(page, SUPERVISOR);
    await openClaimFromQueue(page, CLAIM);
    await page.getByRole('button', { name: 'Endorse' }).click();
    await expect(status(page)).toHaveText(`${CLAIM} endorsed. It now waits for an independent validator.`);
    await expect(page.getByTestId('disruption-status')).toHaveText('Endorsed');
    await lockNow(page);
  });

  await test.step('a validator from the claiming unit is refused in main’s words', async () => {
    // Added on the Users screen by the administrator, Gil first chooses a passphrase of their own.
    await expect(page.locator('main')).toHaveAttribute('data-screen', 'unlock');
    await page.getByLabel('Your name').fill(SAME_UNIT_VALIDATOR);
    await page.getByLabel('Passphrase').fill(PASSPHRASES[SAME_UNIT_VALIDATOR]!);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choose your own passphrase');
    await page.getByLabel('Current passphrase').fill(PASSPHRASES[SAME_UNIT_VALIDATOR]!);
    await page.getByLabel('New passphrase', { exact: true }).fill(`${PASSPHRASES[SAME_UNIT_VALIDATOR]!} own`);
    await page.getByLabel('New passphrase again').fill(`${PASSPHRASES[SAME_UNIT_VALIDATOR]!} own`);
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await expect(page.getByRole('banner')).toContainText(`Signed in as ${SAME_UNIT_VALIDATOR}`);
    await openClaimFromQueue(page, CLAIM);
    await page.getByRole('button', { name: 'Validate…' }).click();
    const dialog = page.getByRole('dialog', { name: `Validate ${CLAIM}?` });
    await dialog.getByRole('button', { name: 'Validate', exact: true }).click();
    await expect(dialog.getByRole('alert')).toHaveText('A validator from the claiming unit is not independent; someone from another unit must do this.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('disruption-status')).toHaveText('Endorsed');
    await lockNow(page);
  });

  await test.step('the independent validator validates; harm before is exact and harm after pending', async () => {
    await unlockAs(page, VALIDATOR);
    await nav(page).getByRole('button', { name: 'Disruptions' }).click();
    const queue = page.getByRole('region', { name: 'Validation queue' });
    await expect(queue.locator('.ag-row')).toHaveCount(1);
    await expect(claimRow(queue, CLAIM).locator('[col-id="status"]')).toHaveText('Endorsed');
    await screen(page, info, '30d-validation-queue', { width: 1920, height: 700 });
    await claimRow(queue, CLAIM).locator('[col-id="reference"]').click();
    await page.keyboard.press('Enter');
    await expect(page.locator('.card-ref')).toHaveText(CLAIM);
    await page.getByRole('button', { name: 'Validate…' }).click();
    const dialog = page.getByRole('dialog', { name: `Validate ${CLAIM}?` });
    await dialog.getByRole('button', { name: 'Validate', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(status(page)).toHaveText(`${CLAIM} validated at moderate. It now counts in returns; its durability review is due 20/09/2026.`);
    await expect(page.getByTestId('disruption-status')).toHaveText('Validated');
    await expect(page.getByTestId('disruption-level')).toHaveText('Moderate');

    const steps = page.getByRole('list', { name: 'Workflow steps' }).getByRole('listitem');
    await expect(steps).toHaveCount(7);
    await expect(steps.nth(0)).toContainText(`Drafted by ${ANALYST}, claimed moderate`);
    await expect(steps.nth(1)).toContainText(`Submitted by ${ANALYST}`);
    await expect(steps.nth(2)).toContainText(`Returned by ${SUPERVISOR}Reason: Say how long the supply line stayed closed.`);
    await expect(steps.nth(3)).toContainText(`Submitted by ${ANALYST}`);
    await expect(steps.nth(4)).toContainText(`Endorsed by ${SUPERVISOR}`);
    await expect(steps.nth(5)).toContainText(`Validated by ${VALIDATOR} at moderate`);
    await expect(steps.nth(6)).toContainText('An independent validator records the durability review, due 20/09/2026.');

    const harm = page.getByRole('table', { name: 'Harm before and after' }).getByRole('row').filter({ hasText: 'CN-2026-0001' });
    await expect(harm.getByRole('cell')).toHaveText(['02/08/2025 to 01/02/2026', '657.00', '28/02/2026 to 27/08/2026', 'Pending until 27/08/2026', '—']);
    // Drafted, submitted, returned, edited, submitted, endorsed, validated; the refused validation
    // changed nothing and wrote nothing.
    await expect(page.getByRole('region', { name: 'Audit trail for this claim' }).locator('.ag-row')).toHaveCount(7);
    await screen(page, info, '30c-disruption-detail', { height: 1900 });

    await page.getByRole('button', { name: '← Back to disruptions' }).click();
    await expect(queue.locator('.ag-overlay-no-rows-center')).toHaveText('Nothing waiting for endorsement or validation.');
    await page.getByRole('tab', { name: 'Durability reviews due' }).click();
    await expect(page.getByRole('region', { name: 'Durability reviews due' }).locator('.ag-overlay-no-rows-center')).toHaveText('No durability reviews are due.');
    await page.getByRole('tab', { name: 'All claims' }).click();
    const all = page.getByRole('region', { name: 'All claims' });
    const row = claimRow(all, CLAIM);
    const expected: Record<string, string> = {
      network: 'CN-2026-0001',
      operationReference: 'Op Example',
      activityStart: '02/02/2026',
      activityEnd: '27/02/2026',
      claimingBusinessGroup: 'TP',
      claimingUnit: 'Gangs Unit',
      claimantName: ANALYST,
      claimedLevel: 'Moderate',
      level: 'Moderate',
      status: 'Validated',
      validatedOn: '20/03/2026',
      durability: '20/09/2026',
    };
    for (const [col, text] of Object.entries(expected)) await expect(row.locator(`[col-id="${col}"]`)).toHaveText(text);
    await page.getByLabel('Find a claim').fill('performance');
    await expect(all.locator('.ag-row')).toHaveCount(0);
    await page.getByLabel('Find a claim').fill('op example');
    await expect(all.locator('.ag-row')).toHaveCount(1);
    await page.getByLabel('Find a claim').fill('');
    await screen(page, info, '30a-disruptions-grid', { width: 1920, height: 700 });
  });

  await test.step('the supervisor holds the meeting', async () => {
    await lockNow(page);
    await unlockAs(page, SUPERVISOR);
    await nav(page).getByRole('button', { name: 'Meetings' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Meetings');
    await expect(page.getByLabel('Meeting date')).toHaveValue('20/03/2026');
    await page.getByRole('button', { name: 'Hold meeting…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Hold the prioritisation meeting of 20/03/2026?' });
    await expect(dialog).toContainText('(8 networks)');
    await dialog.getByRole('button', { name: 'Hold meeting' }).click();
    await expect(status(page)).toHaveText('Meeting of 20/03/2026 held: 8 networks frozen with their score, band, owner and plan status.');
    const grid = page.getByRole('region', { name: 'Meetings held' });
    await expect(grid.locator('.ag-row [col-id="heldOn"]')).toHaveText(['20/03/2026']);
    await expect(grid.locator('.ag-row [col-id="heldBy"]')).toHaveText([SUPERVISOR]);
    // One meeting a day.
    await page.getByRole('button', { name: 'Hold meeting…' }).click();
    await expect(page.getByLabel('Meeting date')).toHaveAccessibleDescription(/A meeting was already held on 20\/03\/2026\.$/);
    await screen(page, info, '30g-meetings');
  });

  await test.step('the network card lists the validated claim and opens it', async () => {
    await nav(page).getByRole('button', { name: 'Matrix' }).click();
    await page.getByRole('region', { name: 'Networks' }).locator('.ag-row').filter({ hasText: 'Northside Example Crew' }).locator('[col-id="name"]').dblclick();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Northside Example Crew');
    await expect(page.getByLabel('Plan status').locator('option:checked')).toHaveText('Plan agreed');
    await page.getByRole('tablist', { name: 'Network card sections' }).getByRole('tab', { name: 'Disruptions' }).click();
    await expect(page.getByTestId('network-disruption-summary')).toHaveText(`1 claim; 1 validated, highest level moderate, last ${CLAIM}.`);
    const grid = page.getByRole('region', { name: 'Disruptions of this network' });
    await expect(grid.locator('.ag-row')).toHaveCount(1);
    await screen(page, info, '30h-network-disruptions', { height: 1100 });
    await claimRow(grid, CLAIM).locator('[col-id="reference"]').click();
    await page.keyboard.press('Enter');
    await expect(page.locator('main')).toHaveAttribute('data-screen', 'disruptions');
    await expect(page.locator('.card-ref')).toHaveText(CLAIM);
    await page.getByRole('button', { name: 'CN-2026-0001 Northside Example Crew' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Northside Example Crew');
  });

  await test.step('the corporate return for 2025/26 shows the claim, withheld as "<5" under the internal rules', async () => {
    await nav(page).getByRole('button', { name: 'Returns' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Returns');
    await page.getByRole('group', { name: 'Period' }).getByLabel('A financial year').check();
    await expect(page.getByLabel('Financial year').locator('option:checked')).toHaveText('2025/26');
    await expect(page.getByRole('group', { name: 'Disclosure rules' }).getByLabel(/^Internal/)).toBeChecked();
    const started = Date.now();
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByRole('heading', { name: 'Corporate return: 2025/26 (April 2025 to March 2026)' })).toBeVisible();
    timings['corporate return preview (ms)'] = Date.now() - started;
    await expect(page.getByTestId('return-period')).toHaveText('2025/26 (April 2025 to March 2026) (01/04/2025 to 31/03/2026)');
    await expect(page.getByTestId('return-rules')).toContainText('internal-1: Internal: counts of 1 to 4 shown as <5');
    const byLevel = page.getByRole('table', { name: 'Networks disrupted, by highest level' });
    await expect(byLevel.getByRole('row').filter({ hasText: 'Moderate' }).getByRole('cell')).toHaveText(['0', '<5', '<5']);
    await expect(byLevel.getByRole('row').filter({ hasText: 'Moderate' }).locator('td.suppressed')).toHaveCount(2);
    const byGroup = page.getByRole('table', { name: 'Networks disrupted, by claiming business group' });
    await expect(byGroup.getByRole('row').filter({ hasText: /^TP/ }).getByRole('cell')).toHaveText(['0', '<5', '0', '<5']);
    const perMonth = page.getByRole('table', { name: 'Disruption events, by month of validation and level' });
    await expect(perMonth.getByRole('row').filter({ hasText: 'Mar 2026' }).getByRole('cell')).toHaveText(['0', '<5', '0', '<5']);
    for (const id of ['chart-disruptions-per-month', 'chart-networks-by-band']) {
      const chart = page.getByTestId(id);
      await expect(chart).toBeVisible();
      expect(await chart.evaluate((c) => (c as unknown as { width: number }).width)).toBeGreaterThan(100);
    }
    await expect(page.getByTestId('chart-networks-by-band')).toHaveAttribute('aria-label', 'Networks by band: Band A 0, Band B 0, Band C <5, Below threshold [c].');
    await screen(page, info, '30e-returns-preview', { height: 2400 });
  });

  await test.step('the meeting pack is saved as a PDF with a purpose and recipient, and the register shows it', async () => {
    await page.getByRole('group', { name: 'Return' }).getByLabel(/^Prioritisation meeting pack/).check();
    await expect(page.getByLabel('As of')).toHaveValue('20/03/2026');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByRole('heading', { level: 2, name: /meeting pack/i }).first()).toBeVisible();
    await page.getByRole('button', { name: 'Save…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save the meeting pack' });
    await expect(dialog.getByRole('group', { name: 'Format' }).getByLabel('PDF (for print)')).toBeChecked();
    const path = join(dir, 'Documents', 'meeting-pack-2026-03-20.pdf');
    await expect(dialog.getByLabel('Save to')).toHaveValue(path);
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog.getByLabel('Purpose')).toHaveAccessibleDescription(/Give the purpose in at least 5 characters\.$/);
    await expect(dialog.getByLabel('Recipient')).toHaveAccessibleDescription(/Give the recipient in at least 5 characters\.$/);
    await dialog.getByLabel('Purpose').fill('Monthly prioritisation meeting');
    await dialog.getByLabel('Recipient').fill('SCD prioritisation meeting members');
    const started = Date.now();
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog).toBeHidden({ timeout: 30_000 });
    timings['meeting pack PDF saved (ms)'] = Date.now() - started;
    const saved = page.getByTestId('saved-file');
    await expect(saved).toContainText(`Saved copy 1 (PDF,`);
    await expect(saved).toContainText(path);

    expect(existsSync(path)).toBe(true);
    const bytes = readFileSync(path);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expect(page.getByTestId('saved-sha256')).toHaveText(createHash('sha256').update(bytes).digest('hex'));

    await page.getByRole('tab', { name: 'Export register (1)' }).click();
    const register = page.getByRole('region', { name: 'Export register' });
    const row = register.locator('.ag-row').filter({ hasText: 'meeting-pack-2026-03-20.pdf' });
    await expect(row.locator('[col-id="kind"]')).toHaveText('Meeting pack');
    await expect(row.locator('[col-id="format"]')).toHaveText('PDF');
    await expect(row.locator('[col-id="copyNumber"]')).toHaveText('1');
    await expect(row.locator('[col-id="userName"]')).toHaveText(SUPERVISOR);
    await expect(row.locator('[col-id="purpose"]')).toHaveText('Monthly prioritisation meeting');
    await expect(row.locator('[col-id="recipient"]')).toHaveText('SCD prioritisation meeting members');
    await expect(row.locator('[col-id="sha256"]')).toHaveText(createHash('sha256').update(bytes).digest('hex'));
    await screen(page, info, '30f-export-register', { width: 1920 });
  });

  await test.step('six months on, the validator downgrades the level at the durability review; harm after is measured', async () => {
    await lockNow(page);
    // Both clocks move to 21/09/2026 10:00 (11:00 BST): the review fell due on 20/09/2026 and the
    // six months after the activity ended on 27/08/2026.
    const later = new Date('2026-09-21T10:00:00Z');
    const movedAt = Date.now();
    host.session.ctx.now = () => new Date(later.getTime() + (Date.now() - movedAt));
    await page.clock.setFixedTime(later);
    await unlockAs(page, VALIDATOR);
    await nav(page).getByRole('button', { name: 'Disruptions' }).click();
    await page.getByRole('tab', { name: 'Durability reviews due' }).click();
    const due = page.getByRole('region', { name: 'Durability reviews due' });
    // The seven earlier claims (validated in January and February) are due too.
    await expect(due.locator('.ag-row')).toHaveCount(8);
    await expect(claimRow(due, CLAIM).locator('[col-id="durability"]')).toHaveText('20/09/2026 (due now)');
    await claimRow(due, CLAIM).locator('[col-id="reference"]').dblclick();
    await page.getByRole('button', { name: 'Record durability review…' }).click();
    const dialog = page.getByRole('dialog', { name: `Durability review of ${CLAIM}` });
    await dialog.getByRole('group', { name: 'Outcome' }).getByLabel(/^Downgraded/).check();
    await dialog.getByRole('button', { name: 'Record review' }).click();
    await expect(dialog.getByLabel('New level')).toHaveAccessibleDescription('Choose the new level.');
    await expect(dialog.getByLabel('Reason for the change of level')).toHaveAccessibleDescription('Give a reason for the change of level.');
    // Only levels below the validated one are offered for a downgrade.
    await expect(dialog.getByLabel('New level').locator('option')).toHaveText(['Choose a level…', 'Minor', 'None', 'Negative']);
    await dialog.getByLabel('New level').selectOption({ label: 'Minor' });
    await dialog.getByLabel('Reason for the change of level').fill('A new supplier took over the estate within four months.');
    await dialog.getByRole('button', { name: 'Record review' }).click();
    await expect(dialog).toBeHidden();
    await expect(status(page)).toHaveText(`Durability review of ${CLAIM} recorded: downgraded, level minor.`);
    await expect(page.getByTestId('disruption-level')).toHaveText('Minor (downgraded at review)');
    await expect(page.getByRole('button', { name: 'Record durability review…' })).toHaveCount(0);
    // The arrest for robbery on 10/03/2026 (365 × 0.5) is the only offence in the six months after.
    const harm = page.getByRole('table', { name: 'Harm before and after' }).getByRole('row').filter({ hasText: 'CN-2026-0001' });
    await expect(harm.getByRole('cell')).toHaveText(['02/08/2025 to 01/02/2026', '657.00', '28/02/2026 to 27/08/2026', '182.50', '−474.50 (−72%)']);
    const steps = page.getByRole('list', { name: 'Workflow steps' }).getByRole('listitem');
    await expect(steps.nth(6)).toContainText(`Durability review by ${VALIDATOR}: level minorReason: A new supplier took over the estate within four months.`);
    await expect(steps.nth(7)).toContainText('None: the durability review is recorded (downgraded).');
    await screen(page, info, '30i-durability-review', { height: 1900 });
  });

  expect(await problems()).toEqual([]);
  timings['whole journey (ms)'] = Date.now() - t0;
  await info.attach('timings', { body: JSON.stringify(timings, null, 2), contentType: 'application/json' });
  console.log('disruptions e2e timings', timings);
});
