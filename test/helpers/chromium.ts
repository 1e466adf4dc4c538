/**
 * Finds a Chromium for the Playwright tests, in this order: a path in HARM_MATRIX_CHROMIUM or
 * CHROMIUM_PATH, Debian's /usr/bin/chromium (or chromium-browser), then Playwright's own
 * downloaded browser if one is installed. Returns null when there is none.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const NO_CHROMIUM_MESSAGE = [
  'No Chromium found for the Playwright tests. Any one of these will do:',
  '  - on Debian or Ubuntu: sudo apt-get install -y chromium',
  '  - set HARM_MATRIX_CHROMIUM to the path of a Chromium or Chrome executable',
  '  - on a connected machine: npx playwright install chromium',
].join('\n');

export function findChromium(): string | null {
  for (const name of ['HARM_MATRIX_CHROMIUM', 'CHROMIUM_PATH'] as const) {
    const fromEnv = process.env[name];
    if (fromEnv) {
      if (existsSync(fromEnv)) return fromEnv;
      throw new Error(`${name} is set to ${fromEnv}, but there is no file there.`);
    }
  }
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    const bundled = chromium.executablePath();
    if (bundled && existsSync(bundled)) return bundled;
  } catch {
    // Playwright throws when its browser was never downloaded: that is "none", not an error.
  }
  return null;
}
