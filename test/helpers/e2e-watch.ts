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
  // Runs in the page. This file is type-checked without the DOM library, hence the narrow casts.
  await page.addInitScript(() => {
    type Violation = { effectiveDirective: string; blockedURI: string };
    const g = globalThis as unknown as {
      document: { addEventListener(type: 'securitypolicyviolation', fn: (e: Violation) => void): void };
      sessionStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void };
    };
    g.document.addEventListener('securitypolicyviolation', (e) => {
      const seen = JSON.parse(g.sessionStorage.getItem('__cspViolations') ?? '[]') as string[];
      seen.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}`);
      g.sessionStorage.setItem('__cspViolations', JSON.stringify(seen));
    });
  });
  return async () => {
    // Violations are kept in sessionStorage too, so those from before a reload are not lost.
    const csp = await page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem('__cspViolations'));
    return [...problems, ...(csp ? (JSON.parse(csp) as string[]).map((v) => `CSP: ${v}`) : [])];
  };
}
