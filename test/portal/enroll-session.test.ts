// The prompt's inline-enrollment hand-off: an enrollment-only portal session adds the first method, then
// "Continue" goes back to the prompt (same-origin paths only); nothing else of the account is reachable.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startWebSession } from '../../src/core/web/sessions.ts';
import { SESSION_COOKIE } from '../../src/fronts/web-common/cookies.ts';
import { chromiumMissing } from '../browser/support/browser.ts';
import { axeViolations } from '../browser/support/page-tools.ts';
import { createTestUser } from '../support/server.ts';
import { api, openPortalWorld, outbox, type PortalWorld } from './support.ts';

const skip = chromiumMissing();
let world: PortalWorld;
before(async () => {
  if (!skip) world = await openPortalWorld();
});
after(async () => {
  if (!skip) await world.close();
});

async function enrollPage(username: string, returnTo: string) {
  const user = await createTestUser(world.server.deps, username, { email: `${username}@example.edu` });
  const { token } = await startWebSession(world.server.deps, user, 'portal', {
    data: { scope: 'enroll', returnTo },
  });
  const context = await world.browser.newContext({ reducedMotion: 'reduce' });
  const page = await context.newPage();
  // What the prompt does with its redirect: the browser now holds the enrollment session's cookie.
  await page.goto(`${world.url}/portal/assets/missing`);
  await page.evaluate(
    `document.cookie = ${JSON.stringify(`${SESSION_COOKIE}=${token}; Path=/; Secure; SameSite=Lax`)}`,
  );
  await page.goto(`${world.url}/portal/enroll`);
  await page.getByRole('heading', { level: 1, name: 'Set up a sign-in method', exact: true }).waitFor();
  return { user, context, page };
}

test('enroll-only: backup codes as the first method, then "Continue signing in" back to the prompt', {
  skip,
}, async () => {
  const { context, page } = await enrollPage('carol', '/prompt/flow-123');
  assert.deepEqual(await axeViolations(page), []);
  assert.equal((await api(page, 'GET', '/sign-ins')).body.error, 'ENROLL_ONLY');
  assert.equal((await api(page, 'POST', '/sign-out-everywhere')).body.error, 'ENROLL_ONLY');
  await page.getByRole('button', { name: 'Backup codes to print' }).click();
  await page.getByRole('button', { name: 'Create 10 backup codes' }).click();
  await page.getByRole('button', { name: 'I have saved them' }).click();
  const resume = page.getByRole('link', { name: 'Continue signing in' });
  await resume.waitFor();
  assert.equal(await resume.getAttribute('href'), '/prompt/flow-123');
  assert.ok(outbox(world.server).some((m) => m.to === 'carol@example.edu'));
  await context.close();
});

test('enroll-only: a returnTo that leaves the origin is dropped (no open redirect)', { skip }, async () => {
  for (const [name, returnTo] of [
    ['dave', 'https://evil.example/'],
    ['erin', '//evil.example/x'],
    ['fred', '/\\evil.example'],
  ] as const) {
    const { context, page } = await enrollPage(name, returnTo);
    assert.equal((await api(page, 'GET', '/session')).body.returnTo, null, returnTo);
    await context.close();
  }
});
