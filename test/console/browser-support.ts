// The console in Chromium: sign in through the page (password, then a passcode from the authenticator app), and
// call the console API from inside the page with its own cookie and CSRF token.
import type { Page } from 'playwright-core';
import type { TestServer } from '../support/server.ts';
import { PASSWORD, type TestAdmin } from './support.ts';

/** Signs in at /admin/ with the keyboard and a fresh app code; resolves when the console's navigation shows. */
export async function signInToConsole(page: Page, url: string, server: TestServer, admin: TestAdmin) {
  // A code is accepted once: each sign-in waits for the next time step.
  server.clock.advance(30_000);
  await page.goto(`${url}/admin/`);
  await page.getByLabel('Username').fill(admin.user.username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Confirm it’s you' }).waitFor();
  const passcode = page.getByLabel('Passcode');
  if (!(await passcode.isVisible())) await page.getByRole('button', { name: 'Enter a passcode' }).click();
  await passcode.fill(admin.totp.codeAt(server.clock.now()));
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Console' }).waitFor();
}

/** The console's navigation links, in order. */
export async function navigation(page: Page): Promise<string[]> {
  return page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents();
}

/** Calls the console API from the page (its cookie, its CSRF token), as a script in the page could. */
export async function callFromPage(
  page: Page,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: Record<string, unknown>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('/admin/console/auth/session')).json()) as { csrf?: string };
      const response = await fetch(`/admin/console/api${path}`, {
        method,
        headers: {
          'x-csrf-token': session.csrf ?? '',
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    { method, path, body },
  );
}
