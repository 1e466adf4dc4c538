/**
 * Shared by the e2e specs: every journey asserts that the page logged no console error or warning,
 * threw nothing, and caused no Content Security Policy violation.
 */
import type { Page } from '@playwright/test';

/** Console errors, uncaught exceptions and CSP violations, gathered for the whole page life. */
export async function watchForProblems(page: Page): Promise<() => Promise<string[]>> {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Each violation is reported to the test as it happens (an exposed function survives reloads;
  // the page's own storage does not: the app clears it at every lock).
  await page.exposeFunction('__reportCspViolation', (v: string) => void problems.push(`CSP: ${v}`));
  // Runs in the page. This file is type-checked without the DOM library, hence the narrow casts.
  await page.addInitScript(() => {
    type Violation = { effectiveDirective: string; blockedURI: string };
    const g = globalThis as unknown as {
      document: { addEventListener(type: 'securitypolicyviolation', fn: (e: Violation) => void): void };
      __reportCspViolation(v: string): Promise<void>;
    };
    g.document.addEventListener('securitypolicyviolation', (e) => {
      void g.__reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}`);
    });
  });
  return async () => [...problems];
}
