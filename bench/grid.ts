/**
 * The matrix grid in Chromium (issue 3: time from request to first rendered rows with 5,000
 * networks; method and figures in BENCHMARKS.md, "Matrix grid").
 *
 * The BUILT renderer (out/renderer, `npx electron-vite build`) in Debian's Chromium, with the real
 * main-process handlers behind the loopback test host (test/helpers/test-host.ts), exactly as the
 * e2e tests run it, on the vault the rescore benchmark left behind (every score stored as of
 * today, so the matrix reads stored scores as it does on an ordinary day). The session is unlocked
 * before the page opens, so the app's first screen is the matrix.
 *
 * Measured in the page's own clock (performance.now()): from the start of the `networks:list`
 * request (its Resource Timing entry) to the first ag-grid row painted, taken as two animation
 * frames after the first `.ag-row` element appears (the frame that lays it out, then the one after
 * it is painted). One load to warm up, then `repeats` reloads; the median is reported.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { selectVault, unlock } from '../main/services/vault.service';
import { CHROMIUM_FLAGS, findChromium } from '../test/helpers/chromium';
import { openApp, RENDERER_DIR, startTestHost } from '../test/helpers/test-host';
import { fmtInt, fmtMs, printTable, round, stats, type Stats } from './measure';
import type { RescoreResult } from './rescore';

export const GRID_GOAL_MS = 500;

export interface GridRun {
  /** networks:list request start → first row painted. */
  requestToRowsMs: number;
  /** Request start → response fully received (main's work, the audit entry, JSON over loopback). */
  requestMs: number;
  /** Response received → first row painted (parse, React, ag-grid). */
  renderMs: number;
  /** Navigation start → first row painted (the whole app load). */
  loadToRowsMs: number;
  rowsInDom: number;
}

export type GridResult =
  | {
      networks: number;
      warmUp: GridRun;
      runs: GridRun[];
      requestToRows: Stats;
      request: Stats;
      render: Stats;
      loadToRows: Stats;
      chromium: string;
      version: string;
    }
  | { skipped: string };

interface PageMarks {
  seen: number;
  painted: number;
  rows: number;
}

/** Runs in the page before its scripts, on every load: records when the first grid row appears and is painted. */
function watchFirstRow(): void {
  const g = globalThis as unknown as {
    __hmFirstRow?: PageMarks;
    document: { querySelector(s: string): unknown; querySelectorAll(s: string): { length: number } };
    MutationObserver: new (cb: () => void) => { observe(t: unknown, o: unknown): void; disconnect(): void };
    requestAnimationFrame(fn: () => void): void;
    performance: { now(): number };
  };
  let isSeen = false;
  const observer = new g.MutationObserver(() => {
    if (isSeen || !g.document.querySelector('.ag-row')) return;
    isSeen = true;
    observer.disconnect();
    const seen = g.performance.now();
    g.requestAnimationFrame(() =>
      g.requestAnimationFrame(() => {
        g.__hmFirstRow = { seen, painted: g.performance.now(), rows: g.document.querySelectorAll('.ag-row').length };
      }),
    );
  });
  observer.observe(g.document, { childList: true, subtree: true });
}

export async function benchGrid(repeats: number, handoff: RescoreResult['handoff'], networks: number): Promise<GridResult> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) return { skipped: 'the built renderer is missing: run `npx electron-vite build` first' };
  const executablePath = findChromium();
  if (!executablePath) return { skipped: 'no Chromium found (on Debian: apt-get install -y chromium)' };

  const host = await startTestHost({ stateDir: handoff.stateDir, documentsDir: handoff.dir });
  host.session.ctx.now = () => new Date(handoff.now);
  selectVault(host.session, handoff.path);
  unlock(host.session, { userName: handoff.userName, passphrase: handoff.passphrase });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'en-GB', timezoneId: 'Europe/London' });
    // tsx (which runs the benchmarks) compiles with esbuild's keepNames, so functions handed to
    // the page as source (this file's watcher, the test host's window.api) call esbuild's
    // `__name` helper, which the page does not have. The helper only names a function.
    await page.addInitScript({ content: 'globalThis.__name = (target) => target;' });
    await page.addInitScript(watchFirstRow);
    const measure = async (): Promise<GridRun> => {
      await page.waitForFunction(() => (globalThis as unknown as { __hmFirstRow?: unknown }).__hmFirstRow !== undefined, undefined, { timeout: 60_000 });
      const m = await page.evaluate(() => {
        const g = globalThis as unknown as {
          __hmFirstRow: PageMarks;
          performance: { getEntriesByType(t: string): { name: string; startTime: number; responseEnd: number }[] };
        };
        const marks = g.__hmFirstRow;
        // The list request whose response arrived last before the rows appeared.
        const list = g.performance
          .getEntriesByType('resource')
          .filter((e) => e.name.includes('/__ipc/networks%3Alist') && e.responseEnd <= marks.seen)
          .sort((a, b) => b.responseEnd - a.responseEnd)[0];
        return { marks, list: list ? { startTime: list.startTime, responseEnd: list.responseEnd } : null };
      });
      if (!m.list) throw new Error('No networks:list request was seen before the first row.');
      return {
        requestToRowsMs: round(m.marks.painted - m.list.startTime),
        requestMs: round(m.list.responseEnd - m.list.startTime),
        renderMs: round(m.marks.painted - m.list.responseEnd),
        loadToRowsMs: round(m.marks.painted),
        rowsInDom: m.marks.rows,
      };
    };
    await openApp(page, host);
    const warmUp = await measure();
    const runs: GridRun[] = [];
    for (let i = 0; i < repeats; i++) {
      await page.reload();
      runs.push(await measure());
    }
    return {
      networks,
      warmUp,
      runs,
      requestToRows: stats(runs.map((r) => r.requestToRowsMs)),
      request: stats(runs.map((r) => r.requestMs)),
      render: stats(runs.map((r) => r.renderMs)),
      loadToRows: stats(runs.map((r) => r.loadToRowsMs)),
      chromium: executablePath,
      version: browser.version(),
    };
  } finally {
    await browser.close();
    await host.close();
  }
}

export function printGrid(r: GridResult): void {
  if ('skipped' in r) {
    console.log(`\nMatrix grid: skipped (${r.skipped}).`);
    return;
  }
  console.log(`\nMatrix grid in Chromium ${r.version}: ${fmtInt(r.networks)} networks, ${r.runs.length} reloads after one warm-up load`);
  printTable(
    ['measure', 'median', 'min', 'max', 'goal'],
    [
      ['networks:list request → first row painted', fmtMs(r.requestToRows.medianMs), fmtMs(r.requestToRows.minMs), fmtMs(r.requestToRows.maxMs), `< ${GRID_GOAL_MS} ms`],
      ['  request → response received', fmtMs(r.request.medianMs), fmtMs(r.request.minMs), fmtMs(r.request.maxMs), ''],
      ['  response → first row painted', fmtMs(r.render.medianMs), fmtMs(r.render.minMs), fmtMs(r.render.maxMs), ''],
      ['page load → first row painted', fmtMs(r.loadToRows.medianMs), fmtMs(r.loadToRows.minMs), fmtMs(r.loadToRows.maxMs), '–'],
    ],
  );
}
