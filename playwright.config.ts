/**
 * Playwright: two projects.
 * - e2e: journeys through the BUILT renderer (out/renderer, from `npx electron-vite build`) in
 *   Chromium, with the real main-process handlers behind the loopback test host
 *   (test/helpers/test-host.ts).
 * - electron: window hardening and restart tests through Playwright's `_electron`; they skip,
 *   saying why, where there is no Electron binary.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, findChromium, NO_CHROMIUM_MESSAGE } from './test/helpers/chromium';

const executablePath = findChromium();
if (!executablePath) throw new Error(NO_CHROMIUM_MESSAGE);

export default defineConfig({
  outputDir: 'test-results',
  // Two cores shared with the vault's scrypt and the other suites: one browser at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    headless: true,
    launchOptions: { executablePath, args: CHROMIUM_FLAGS },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    viewport: { width: 1280, height: 860 },
    // Screens are saved explicitly by the tests (test-results/screens); failures keep a trace.
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'e2e', testDir: 'test/e2e', testMatch: '**/*.spec.ts' },
    { name: 'electron', testDir: 'test/electron', testMatch: '**/*.spec.ts' },
  ],
});
