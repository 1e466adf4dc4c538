#!/usr/bin/env node
/**
 * THE test command (`npm test`): everything, in order, on a fresh machine or this one.
 *
 *   1. find a Chromium for the browser tests (or say how to get one, and stop);
 *   2. make sure the SQLite driver is built for Node;
 *   3. type check the Node side and the web side;
 *   4. unit and integration tests (vitest);
 *   5. build main, preload and renderer (electron-vite);
 *   6. browser and Electron tests (Playwright; the Electron ones skip, saying why, without a binary);
 *   7. one closing line, `N passed, N failed, N skipped`, summed over vitest and Playwright.
 *
 * A step that fails does not hide the others: everything that can still run, runs, and the exit
 * code is non-zero if anything failed. Machine-readable results are kept in .tmp/reports/.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  ensureDriverForElectron,
  ensureDriverForNode,
  findChromium,
  findElectronBinary,
  heading,
  ROOT,
  runTool,
} from './lib.mjs';

const REPORTS = join(ROOT, '.tmp', 'reports');
const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function addVitest(path, exitCode) {
  const r = readJson(path);
  if (!r) {
    problems.push('vitest did not write its results (see its output above).');
    return;
  }
  totals.passed += r.numPassedTests ?? 0;
  totals.failed += r.numFailedTests ?? 0;
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  if (exitCode !== 0 && !r.numFailedTests) problems.push('vitest reported errors outside the tests themselves (see its output above).');
}

function addPlaywright(path, exitCode) {
  const r = readJson(path);
  if (!r || !r.stats) {
    problems.push('Playwright did not write its results (see its output above).');
    return;
  }
  // "flaky" tests failed once and then passed on a retry: they passed, but say so.
  totals.passed += (r.stats.expected ?? 0) + (r.stats.flaky ?? 0);
  totals.failed += r.stats.unexpected ?? 0;
  totals.skipped += r.stats.skipped ?? 0;
  if (r.stats.flaky) problems.push(`${r.stats.flaky} Playwright test(s) passed only on a retry.`);
  if (exitCode !== 0 && !r.stats.unexpected) problems.push('Playwright reported errors outside the tests themselves (see its output above).');
}

function finish() {
  for (const p of problems) process.stdout.write(`${p}\n`);
  const isFailure = totals.failed > 0 || problems.some((p) => !p.includes('passed only on a retry'));
  process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  process.exit(isFailure ? 1 : 0);
}

/* 1. Chromium */
heading('Looking for a Chromium for the browser tests');
const chromium = findChromium();
if (!chromium.path) {
  process.stderr.write(`${chromium.problem}\n`);
  process.exit(1);
}
process.stdout.write(`Using ${chromium.path}\n`);
// The Playwright config finds it the same way; pinning it keeps the two in agreement.
const env = { ...process.env, HARM_MATRIX_CHROMIUM: chromium.path };

/* 2. The native driver, for Node */
heading('Checking the SQLite driver loads in Node');
if (!ensureDriverForNode()) {
  problems.push('The SQLite driver could not be built for Node, so the tests cannot run.');
  finish();
}

rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });

/* 3. Type check */
heading('Type check: main, preload, tests (tsconfig.node.json)');
if (runTool('tsc', ['-p', 'tsconfig.node.json', '--noEmit'], { env }) !== 0) problems.push('Type check failed (tsconfig.node.json).');
heading('Type check: renderer (tsconfig.web.json)');
if (runTool('tsc', ['-p', 'tsconfig.web.json', '--noEmit'], { env }) !== 0) problems.push('Type check failed (tsconfig.web.json).');

/* 4. Unit and integration tests */
heading('Unit and integration tests (vitest)');
const vitestJson = join(REPORTS, 'vitest.json');
const vitestCode = runTool('vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`], { env });
addVitest(vitestJson, vitestCode);

/* 5. Build */
heading('Build: main, CLI, preload, renderer (electron-vite)');
const isBuilt = runTool('electronVite', ['build'], { env }) === 0;
if (!isBuilt) problems.push('The build failed, so the browser and Electron tests did not run.');

/* 6. Playwright */
if (isBuilt) {
  const electronBinary = findElectronBinary();
  if (!electronBinary) {
    // No Electron binary: one run; the Electron tests skip and print why.
    heading('Browser and Electron tests (Playwright)');
    const json = join(REPORTS, 'playwright.json');
    const code = runTool('playwright', ['test', '--reporter=list,json'], { env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: json } });
    addPlaywright(json, code);
  } else {
    // With a binary the two projects need the driver built for different runtimes: the browser
    // tests' host runs under Node, the Electron tests under Electron. Run them apart.
    heading('Browser tests (Playwright, every project but electron)');
    const e2eJson = join(REPORTS, 'playwright-browser.json');
    const projects = playwrightProjects(env).filter((p) => p !== 'electron');
    if (projects.length === 0) {
      problems.push('Could not list the Playwright projects, so the browser tests did not run.');
    } else {
      const e2eCode = runTool('playwright', ['test', ...projects.flatMap((p) => ['--project', p]), '--reporter=list,json'], {
        env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson },
      });
      addPlaywright(e2eJson, e2eCode);
    }

    heading('Electron tests (Playwright, project electron)');
    if (ensureDriverForElectron(electronBinary)) {
      const electronJson = join(REPORTS, 'playwright-electron.json');
      const code = runTool('playwright', ['test', '--project', 'electron', '--output', 'test-results/electron', '--reporter=list,json'], {
        env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: electronJson },
      });
      addPlaywright(electronJson, code);
    } else {
      problems.push('The SQLite driver could not be built for Electron, so the Electron tests did not run.');
    }
    heading('Rebuilding the SQLite driver for Node, as the CLI and the tests need it');
    if (!ensureDriverForNode()) problems.push('The SQLite driver could not be rebuilt for Node after the Electron tests.');
  }
}

finish();

/** Project names from the Playwright config, so this script does not hard-code them. */
function playwrightProjects(runEnv) {
  const listJson = join(REPORTS, 'playwright-list.json');
  runTool('playwright', ['test', '--list', '--reporter=json'], { env: { ...runEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: listJson } });
  const list = existsSync(listJson) ? readJson(listJson) : null;
  return (list?.config?.projects ?? []).map((p) => p.name).filter(Boolean);
}
