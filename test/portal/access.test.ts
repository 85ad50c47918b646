// The portal's access checks, route by route (HTTP only, no browser): changing a sign-in method needs a step-up
// within 15 minutes, a full session (not the prompt's enrollment hand-off) where it removes or signs out, and
// the session's CSRF token; a refused request changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { isCountersignError } from '../../src/core/errors.ts';
import type { Authenticator, User } from '../../src/core/model.ts';
import { startWebSession } from '../../src/core/web/sessions.ts';
import { readUserPrefs } from '../../src/core/web/user-prefs.ts';
import { SESSION_COOKIE } from '../../src/fronts/web-common/cookies.ts';
import { checkCsrf } from '../../src/fronts/web-common/csrf.ts';
import { STATUS_BY_KIND } from '../../src/fronts/web-common/status-by-kind.ts';
import { addTestTotp, createTestUser, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(() => server.close());

/** How the portal answers a refused CSRF check: the registry's code, and its kind's status. */
function csrfRefusal(): { status: number; error: string } {
  const request = {
    method: 'POST',
    headers: { origin: 'https://evil.example' },
  } as unknown as FastifyRequest;
  try {
    checkCsrf(request, 'https://mfa.example.edu', 'token');
  } catch (error) {
    if (isCountersignError(error)) return { status: STATUS_BY_KIND[error.kind], error: error.code };
  }
  throw new Error('checkCsrf refused nothing');
}

interface Session {
  token: string;
  csrf: string;
}

/** A portal session for `user`: `mfa` says whether a second factor was given when it started. */
async function session(user: User, options: { mfa: boolean; scope?: 'full' | 'enroll' }): Promise<Session> {
  const { session, token } = await startWebSession(server.deps, user, 'portal', {
    mfa: options.mfa,
    data: { scope: options.scope ?? 'full' },
  });
  return { token, csrf: session.csrf };
}

/** POSTs to the portal API as a same-origin page would, with the session's CSRF token unless told otherwise. */
async function post(
  who: Session,
  path: string,
  body: unknown = {},
  options: { csrf?: string | null; origin?: string } = {},
): Promise<{ status: number; error: string | undefined }> {
  const csrf = options.csrf === undefined ? who.csrf : options.csrf;
  const response = await fetch(`${server.url}/portal/api${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: `${SESSION_COOKIE}=${who.token}`,
      origin: options.origin ?? new URL(server.url).origin,
      ...(csrf !== null && { 'x-csrf-token': csrf }),
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { error?: string };
  return { status: response.status, error: json.error };
}

/** A user with a password and a TOTP app, so every change needs a second factor. */
async function userWithFactor(name: string): Promise<{ user: User; device: Authenticator }> {
  const user = await createTestUser(server.deps, name, { password: 'correct horse 1' });
  const { authenticator } = await addTestTotp(server.deps, user);
  return { user, device: authenticator };
}

/** Every route that changes sign-in methods or the account, with a body it would accept. */
function changeRoutes(device: Authenticator) {
  return [
    { path: `/devices/${device.id}/rename`, body: { name: 'Renamed' }, full: false },
    { path: `/devices/${device.id}/remove`, body: {}, full: true },
    { path: '/enroll/totp/confirm', body: { code: '123456', name: 'Second app' }, full: false },
    { path: '/sign-out-everywhere', body: {}, full: true },
  ];
}

async function assertUnchanged(user: User, device: Authenticator): Promise<void> {
  const stored = await server.deps.store.authenticators.get(device.id);
  assert.equal(stored?.name, device.name, 'the device is still there, under its old name');
  assert.equal((await server.deps.store.authenticators.listForUser(user.id)).length, 1, 'no device added');
  assert.deepEqual(await readUserPrefs(server.deps.store.settings, user.id), {
    defaultMethod: null,
    autoPush: false,
  });
}

describe('issue 15: portal access checks', () => {
  test('a session whose second factor is older than 15 minutes may look but not change anything', async () => {
    const { user, device } = await userWithFactor('viewer');
    const viewer = await session(user, { mfa: true });
    server.clock.advance(20 * 60_000);
    for (const route of changeRoutes(device)) {
      const answer = await post(viewer, route.path, route.body);
      assert.deepEqual(answer, { status: 403, error: 'STEP_UP_REQUIRED' }, route.path);
    }
    await assertUnchanged(user, device);
    // View access is enough to read the devices and to set preferences.
    const list = await fetch(`${server.url}/portal/api/devices`, {
      headers: { cookie: `${SESSION_COOKIE}=${viewer.token}` },
    });
    assert.equal(list.status, 200);
    const prefs = await post(viewer, '/preferences', { defaultMethod: 'passcode', autoPush: false });
    assert.equal(prefs.status, 200);
  });

  test('a password-only session (second factor owed) may not even set preferences', async () => {
    const { user, device } = await userWithFactor('owed');
    const owed = await session(user, { mfa: false });
    for (const route of [
      ...changeRoutes(device),
      { path: '/preferences', body: { defaultMethod: 'push', autoPush: true } },
    ]) {
      const answer = await post(owed, route.path, route.body);
      assert.deepEqual(answer, { status: 403, error: 'STEP_UP_REQUIRED' }, route.path);
    }
    await assertUnchanged(user, device);
  });

  test("the prompt's enrollment hand-off, stepped up, may not remove a device or sign out everywhere", async () => {
    const { user, device } = await userWithFactor('handoff');
    const handoff = await session(user, { mfa: true, scope: 'enroll' });
    for (const route of changeRoutes(device).filter((r) => r.full)) {
      const answer = await post(handoff, route.path, route.body);
      assert.deepEqual(answer, { status: 403, error: 'ENROLL_ONLY' }, route.path);
    }
    await assertUnchanged(user, device);
  });

  test('a fresh step-up without the CSRF token, or from another origin, changes nothing', async () => {
    const { user, device } = await userWithFactor('forged');
    const fresh = await session(user, { mfa: true });
    const routes = [
      ...changeRoutes(device),
      { path: '/preferences', body: { defaultMethod: 'push', autoPush: true } },
    ];
    for (const route of routes) {
      for (const options of [{ csrf: null }, { csrf: 'x'.repeat(32) }, { origin: 'https://evil.example' }]) {
        const answer = await post(fresh, route.path, route.body, options);
        assert.deepEqual(answer, csrfRefusal(), `${route.path} ${JSON.stringify(options)}`);
      }
    }
    await assertUnchanged(user, device);

    // The same session with its token does change things: the refusals above were the checks, not the requests.
    assert.equal((await post(fresh, `/devices/${device.id}/rename`, { name: 'Renamed' })).status, 200);
    assert.equal((await post(fresh, '/preferences', { defaultMethod: 'push', autoPush: true })).status, 200);
    assert.equal((await post(fresh, `/devices/${device.id}/remove`)).status, 200);
    assert.equal(await server.deps.store.authenticators.get(device.id), null);
    assert.equal((await post(fresh, '/sign-out-everywhere')).status, 200);
  });
});
