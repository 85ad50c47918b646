// WebAuthn through Chromium's virtual authenticator: a bogus signature, missing user verification when policy
// requires it, a response made for another origin, and a replayed registration challenge are all refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { portalApplication } from '../../src/fronts/portal/portal-application.ts';
import { chromiumMissing } from '../browser/support/browser.ts';
import { createTestUser } from '../support/server.ts';
import {
  api,
  createCredentialIn,
  openPortalWorld,
  type PortalWorld,
  signIn,
  virtualAuthenticator,
} from './support.ts';

const skip = chromiumMissing();
let world: PortalWorld;

before(async () => {
  if (!skip) world = await openPortalWorld();
});
after(async () => {
  if (!skip) await world.close();
});

async function creationOptions(page: Page): Promise<unknown> {
  const answer = await api(page, 'POST', '/enroll/webauthn/options');
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.options;
}

async function freshUser(
  name: string,
  key: Parameters<typeof virtualAuthenticator>[2] = {},
): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession; authenticatorId: string }> {
  await createTestUser(world.server.deps, name, { password: 'pass-word-42', email: `${name}@example.edu` });
  const context = await world.browser.newContext({ reducedMotion: 'reduce' });
  const page = await context.newPage();
  const { cdp, authenticatorId } = await virtualAuthenticator(context, page, key);
  await signIn(page, world.url, name, 'pass-word-42');
  await page.getByRole('heading', { level: 1, name: 'Your sign-in methods', exact: true }).waitFor();
  return { context, page, cdp, authenticatorId };
}

test('a bogus signature fails the step-up and counts a failure; the genuine key then succeeds', {
  skip,
}, async () => {
  const { context, page, cdp, authenticatorId } = await freshUser('bogus');
  const options = await creationOptions(page);
  const registered = await api(page, 'POST', '/enroll/webauthn/verify', {
    response: await createCredentialIn(page, options),
    name: 'Key',
  });
  assert.equal(registered.status, 200, JSON.stringify(registered.body));

  // Sign in again in the same page (the virtual authenticator holds the credential): the password is not enough.
  await api(page, 'POST', '/sign-out');
  const second = page;
  await signIn(second, world.url, 'bogus', 'pass-word-42');
  await second.getByRole('heading', { level: 1, name: 'Confirm it’s you' }).waitFor();
  await cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId, isBogusSignature: true });
  await second.getByRole('button', { name: 'Use my security key' }).click();
  await second.getByRole('alert').filter({ hasText: 'could not be verified' }).waitFor();
  const user = await world.server.deps.store.users.findByName('bogus');
  assert.equal(user?.failedAttempts, 1);
  await cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId, isBogusSignature: false });
  await second.getByRole('button', { name: 'Use my security key' }).click();
  await second.getByRole('heading', { level: 1, name: 'Your sign-in methods', exact: true }).waitFor();
  await context.close();
});

test('user verification required by policy: a key that did not verify the user is refused', {
  skip,
}, async () => {
  // A key that did not verify the user (Chromium does not answer at all when a UV-capable key fails UV).
  const { context, page } = await freshUser('nouv', {
    hasUserVerification: false,
    isUserVerified: false,
    hasResidentKey: false,
    transport: 'usb',
  });
  // Asked with UV preferred; the policy tightens to `required` before the answer arrives: the server's own
  // check must catch the missing UV flag.
  const portal = await portalApplication(world.server.deps)();
  const response = await createCredentialIn(page, await creationOptions(page));
  await world.server.deps.store.applications.updatePolicy(portal.id, { userVerification: 'required' });
  try {
    const refused = await api(page, 'POST', '/enroll/webauthn/verify', { response, name: 'Key' });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'WEBAUTHN_USER_VERIFICATION');
  } finally {
    await world.server.deps.store.applications.updatePolicy(portal.id, {});
  }
  await context.close();
});

test('a response made for another origin and RP ID is refused', { skip }, async () => {
  const { context, page } = await freshUser('phished');
  const options = await creationOptions(page);
  // Another origin (evil.localhost, also a secure context) with its own RP ID, answering our challenge.
  const elsewhere = await context.newPage();
  await virtualAuthenticator(context, elsewhere);
  await elsewhere.goto(`${world.url.replace('localhost', 'evil.localhost')}/portal/`);
  const response = await createCredentialIn(elsewhere, options, true);
  const refused = await api(page, 'POST', '/enroll/webauthn/verify', { response, name: 'Key' });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error, 'WEBAUTHN_INVALID_RESPONSE');
  const user = await world.server.deps.store.users.findByName('phished');
  assert.equal((await world.server.deps.store.authenticators.listForUser(user!.id)).length, 0);
  await context.close();
});

test('a registration challenge is single use: replaying the same response is refused', { skip }, async () => {
  const { context, page } = await freshUser('replay');
  const options = await creationOptions(page);
  const response = await createCredentialIn(page, options);
  assert.equal((await api(page, 'POST', '/enroll/webauthn/verify', { response, name: 'Key' })).status, 200);
  const again = await api(page, 'POST', '/enroll/webauthn/verify', { response, name: 'Key' });
  assert.equal(again.status, 400);
  assert.equal(again.body.error, 'WEBAUTHN_NO_CHALLENGE');
  await context.close();
});
