/** Signing in and out through the unlock screen, as every e2e journey does. */
import { expect, type Page } from '@playwright/test';

/** Unlock as `name` and wait for the shell to say who is signed in. */
export async function signIn(page: Page, name: string, passphrase: string): Promise<void> {
  await expect(page.locator('main')).toHaveAttribute('data-screen', 'unlock');
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('banner')).toContainText(`Signed in as ${name}`);
}

/** Lock from the shell and wait for the unlock screen. */
export async function lockNow(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Lock', exact: true }).click();
  await expect(page.locator('main')).toHaveAttribute('data-screen', 'unlock');
}

/** The main navigation. */
export const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
