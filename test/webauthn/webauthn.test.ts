// WebAuthn ceremonies and the core's WebAuthn steps against a software authenticator: origin, RP ID hash,
// user verification per policy, forged signatures, single-use expiring challenges, counter regression flagged.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CoreDeps } from '../../src/core/deps.ts';
import type { Application, User } from '../../src/core/model.ts';
import { answerFactor, beginTransaction, startFactor } from '../../src/core/transaction/index.ts';
import {
  type AuthenticationResponseJSON,
  memoryChallengeSlot,
  type RelyingParty,
  verifyWebauthnAuthentication,
  verifyWebauthnRegistration,
  type WebauthnDeps,
  WebauthnError,
  webauthnAuthenticationOptions,
  webauthnRegistrationOptions,
} from '../../src/methods/webauthn/index.ts';
import { type CoreHarness, openCoreHarness } from '../support/core.ts';
import { SoftAuthenticator } from './soft-authenticator.ts';

const RP: RelyingParty = { id: 'mfa.example.edu', name: 'Example', origins: ['https://mfa.example.edu'] };
const GOOD = { origin: 'https://mfa.example.edu', rpId: 'mfa.example.edu' };

let core: CoreHarness;
let app: Application;
before(async () => {
  core = await openCoreHarness();
  app = await core.app();
});
after(() => core.close());

/** The core's WebAuthn steps on a login, as the prompt takes them: request options, then the assertion. */
async function webauthnOptionsForTransaction(deps: CoreDeps, txid: string, rp: RelyingParty) {
  const { shown } = await startFactor(deps, txid, 'webauthn', { rp });
  assert.ok(shown);
  return shown;
}
function submitWebauthn(
  deps: CoreDeps,
  txid: string,
  response: AuthenticationResponseJSON,
  rp: RelyingParty,
) {
  return answerFactor(deps, txid, 'webauthn', { response, rp });
}

function wdeps(userVerification: 'required' | 'preferred' = 'preferred'): WebauthnDeps {
  return { ...core.deps, challenges: memoryChallengeSlot(), userVerification };
}

async function enrolled(): Promise<{ user: User; key: SoftAuthenticator }> {
  const user = await core.user();
  const key = new SoftAuthenticator();
  const deps = wdeps();
  const options = await webauthnRegistrationOptions(deps, user, RP);
  await verifyWebauthnRegistration(deps, user, key.register(options.challenge, GOOD), RP, 'Key');
  return { user, key };
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => assert.fail('expected a WebauthnError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof WebauthnError, String(error));
  return error.reason;
}

test('registration stores only public credential data and refuses a replayed challenge', async () => {
  const user = await core.user();
  const key = new SoftAuthenticator();
  const deps = wdeps();
  const options = await webauthnRegistrationOptions(deps, user, RP);
  assert.equal(options.rp.id, RP.id);
  const response = key.register(options.challenge, GOOD);
  const stored = await verifyWebauthnRegistration(deps, user, response, RP, 'My key');
  assert.equal(stored.kind, 'webauthn');
  assert.equal(stored.secretSealed, null);
  assert.deepEqual(Object.keys(stored.data).sort(), [
    'aaguid',
    'backedUp',
    'counter',
    'credentialId',
    'deviceType',
    'publicKey',
    'transports',
  ]);
  assert.equal(
    await rejection(verifyWebauthnRegistration(deps, user, response, RP, 'Again')),
    'no_challenge',
  );
});

test('registration refuses another origin, another RP ID, and missing UV when policy requires it', async () => {
  const user = await core.user();
  const key = new SoftAuthenticator();
  for (const [given, uv, expected] of [
    [{ origin: 'https://evil.example.com', rpId: RP.id }, 'preferred', 'invalid_response'],
    [{ origin: GOOD.origin, rpId: 'evil.example.com' }, 'preferred', 'invalid_response'],
    [{ ...GOOD, userVerified: false }, 'required', 'user_verification'],
  ] as const) {
    const deps = wdeps(uv);
    const options = await webauthnRegistrationOptions(deps, user, RP);
    const response = key.register(options.challenge, given);
    assert.equal(await rejection(verifyWebauthnRegistration(deps, user, response, RP, 'K')), expected);
  }
  assert.equal((await core.deps.store.authenticators.listForUser(user.id)).length, 0);
});

async function attempt(user: User, key: SoftAuthenticator, tweak: { bogus?: boolean; origin?: string } = {}) {
  const { tx } = await beginTransaction(core.deps, { app, user, ip: null, factor: null });
  const options = await webauthnOptionsForTransaction(core.deps, tx.id, RP);
  return submitWebauthn(core.deps, tx.id, key.assert(options.challenge, { ...GOOD, ...tweak }), RP);
}

test('a valid assertion allows; a bogus signature or another origin denies and counts a failure', async () => {
  const { user, key } = await enrolled();
  key.counter = 1;
  const allowed = await attempt(user, key);
  assert.equal(allowed.state, 'allow');
  assert.equal(allowed.reason, 'valid_webauthn');
  assert.equal(allowed.data.webauthnChallenge, undefined);
  key.counter = 2;
  const forged = await attempt(user, key, { bogus: true });
  assert.equal(forged.state, 'deny');
  assert.equal(forged.reason, 'invalid_webauthn');
  key.counter = 3;
  const phished = await attempt(user, key, { origin: 'https://mfa.example.edu.evil.test' });
  assert.equal(phished.state, 'deny');
  assert.equal((await core.reload(user)).failedAttempts, 2);
});

test('an assertion replayed on a new transaction is refused (the challenge differs)', async () => {
  const { user, key } = await enrolled();
  const first = await beginTransaction(core.deps, { app, user, ip: null, factor: null });
  const options = await webauthnOptionsForTransaction(core.deps, first.tx.id, RP);
  const response = key.assert(options.challenge, GOOD);
  assert.equal((await submitWebauthn(core.deps, first.tx.id, response, RP)).state, 'allow');
  const second = await beginTransaction(core.deps, { app, user, ip: null, factor: null });
  await webauthnOptionsForTransaction(core.deps, second.tx.id, RP);
  assert.equal((await submitWebauthn(core.deps, second.tx.id, response, RP)).state, 'deny');
});

test("issue 15: an answer after the transaction's 5 minutes times it out, uncounted", async () => {
  const { user, key } = await enrolled();
  const { tx } = await beginTransaction(core.deps, { app, user, ip: null, factor: null });
  const options = await webauthnOptionsForTransaction(core.deps, tx.id, RP);
  core.clock.advance(5 * 60_000 + 1_000);
  const result = await submitWebauthn(core.deps, tx.id, key.assert(options.challenge, GOOD), RP);
  assert.deepEqual([result.state, result.reason, result.factor], ['timeout', 'timeout', 'webauthn']);
  assert.equal(result.data.webauthnChallenge, undefined, 'the challenge is spent');
  assert.equal((await core.reload(user)).failedAttempts, 0, 'a late answer is not a wrong one');
});

test('issue 15: a challenge past its 5 minutes is refused while the transaction still waits', async () => {
  const { user, key } = await enrolled();
  const { tx } = await beginTransaction(core.deps, { app, user, ip: null, factor: null });
  const options = await webauthnOptionsForTransaction(core.deps, tx.id, RP);
  // The transaction's own 5 minutes would end it first, so the stored challenge is aged instead.
  const current = (await core.deps.store.transactions.get(tx.id))!;
  const challenge = current.data.webauthnChallenge as { expiresAt: number };
  const data = { ...current.data, webauthnChallenge: { ...challenge, expiresAt: core.clock.now() } };
  assert.ok(await core.deps.store.transactions.update(tx.id, current.version, { data }, core.clock.now()));
  const result = await submitWebauthn(core.deps, tx.id, key.assert(options.challenge, GOOD), RP);
  assert.deepEqual([result.state, result.reason], ['deny', 'invalid_webauthn']);
  assert.equal(result.data.webauthnFailure, 'no_challenge');
  assert.equal((await core.reload(user)).failedAttempts, 1);
});

test('a counter that goes back is refused and flagged as fraud; passkeys that stay at 0 are fine', async () => {
  const { user, key } = await enrolled();
  // Counter 0 on every use: a passkey that does not count.
  assert.equal((await attempt(user, key)).state, 'allow');
  assert.equal((await attempt(user, key)).state, 'allow');
  key.counter = 7;
  assert.equal((await attempt(user, key)).state, 'allow');
  key.counter = 5;
  const cloned = await attempt(user, key);
  assert.equal(cloned.state, 'deny');
  assert.equal(cloned.data.webauthnFailure, 'counter_regression');
  const fraud = await core.deps.store.audit.tail({ limit: 10, kind: 'fraud' });
  const flagged = fraud.find((e) => e.userId === user.id && e.action === 'webauthn.counter-regression');
  assert.ok(flagged, 'a fraud audit entry names the counter regression');
  assert.deepEqual([flagged.detail.storedCounter, flagged.detail.receivedCounter], [7, 5]);
});

test('user verification required by policy: an assertion without UV is denied', async () => {
  const { user, key } = await enrolled();
  const strict = await core.app({ userVerification: 'required' });
  const { tx } = await beginTransaction(core.deps, { app: strict, user, ip: null, factor: null });
  const options = await webauthnOptionsForTransaction(core.deps, tx.id, RP);
  assert.equal(options.userVerification, 'required');
  const result = await submitWebauthn(
    core.deps,
    tx.id,
    key.assert(options.challenge, { ...GOOD, userVerified: false }),
    RP,
  );
  assert.equal(result.state, 'deny');
  assert.equal(result.data.webauthnFailure, 'user_verification');
});

test('issue 15: a challenge answers only the ceremony it was issued for', async () => {
  const { user, key } = await enrolled();
  // A registration challenge signed as a sign-in by a registered key.
  const registering = wdeps();
  const creation = await webauthnRegistrationOptions(registering, user, RP);
  const signIn = await verifyWebauthnAuthentication(
    registering,
    user,
    key.assert(creation.challenge, GOOD),
    RP,
  );
  assert.equal(signIn.ok, false);
  assert.equal(!signIn.ok && signIn.error.reason, 'no_challenge');
  // A sign-in challenge used to register a new key.
  const signingIn = wdeps();
  const request = await webauthnAuthenticationOptions(signingIn, user, RP);
  const other = new SoftAuthenticator();
  assert.equal(
    await rejection(
      verifyWebauthnRegistration(signingIn, user, other.register(request.challenge, GOOD), RP, 'Other'),
    ),
    'no_challenge',
  );
});
