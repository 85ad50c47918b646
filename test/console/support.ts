// The console test world: administrators of each role with a password and an authenticator app, and a signed-in
// console session over plain HTTP (the same sign-in and step-up the page uses).
import assert from 'node:assert/strict';
import { addAdministrator } from '../../src/core/admin/administrators.ts';
import { setUserPassword } from '../../src/core/admin/create-user.ts';
import type { CoreDeps } from '../../src/core/deps.ts';
import type { AdminRole, User } from '../../src/core/model.ts';
import { CONSOLE_COOKIE } from '../../src/fronts/web-common/cookies.ts';
import { addTestTotp, createTestUser, type TestTotp } from '../support/server.ts';

export const PASSWORD = 'correct horse 12';

export interface TestAdmin {
  user: User;
  totp: TestTotp;
}

/** A user with a password and an authenticator app, made an administrator with `role` (none: a plain user). */
export async function createTestAdmin(
  deps: CoreDeps,
  username: string,
  role: AdminRole | null,
): Promise<TestAdmin> {
  const user = await createTestUser(deps, username, { realName: `${username} Example` });
  await setUserPassword(deps, 'test', user, PASSWORD);
  const totp = await addTestTotp(deps, user);
  if (role !== null) await addAdministrator(deps, 'test', user, role);
  return { user, totp };
}

export interface ConsoleSession {
  cookie: string;
  csrf: string;
  /** The Set-Cookie header of the sign-in. */
  setCookie: string;
}

/** POSTs JSON as the console page does (same origin; the CSRF token when given). */
export async function post(
  base: string,
  path: string,
  body: unknown,
  session?: { cookie: string; csrf: string },
): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: {
      origin: new URL(base).origin,
      'content-type': 'application/json',
      ...(session && { cookie: `${CONSOLE_COOKIE}=${session.cookie}`, 'x-csrf-token': session.csrf }),
    },
    body: JSON.stringify(body),
  });
}

/** Signs in with the password, then (unless `secondFactor` is false) steps up with a code from the app. */
export async function consoleSignIn(
  base: string,
  admin: TestAdmin,
  now: () => number,
  options: { secondFactor?: boolean } = {},
): Promise<ConsoleSession> {
  const response = await post(base, '/admin/console/auth/sign-in', {
    username: admin.user.username,
    password: PASSWORD,
  });
  assert.equal(response.status, 200, await response.clone().text());
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = new RegExp(`${CONSOLE_COOKIE}=([^;]+)`).exec(setCookie)?.[1];
  assert.ok(cookie, setCookie);
  const info = (await (
    await fetch(`${base}/admin/console/auth/session`, { headers: { cookie: `${CONSOLE_COOKIE}=${cookie}` } })
  ).json()) as { csrf: string };
  const session = { cookie, csrf: info.csrf, setCookie };
  if (options.secondFactor === false) return session;
  const started = await post(base, '/admin/console/auth/step-up/start', { method: 'passcode' }, session);
  assert.equal(started.status, 200, await started.clone().text());
  const done = await post(
    base,
    '/admin/console/auth/step-up/passcode',
    { code: admin.totp.codeAt(now()) },
    session,
  );
  assert.deepEqual(await done.json(), { done: true, ok: true });
  return session;
}

/** Calls the console API (`/admin/console/api` + `path`); returns the status and Duo's envelope. */
export async function consoleCall(
  base: string,
  session: ConsoleSession,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: Record<string, unknown> = {},
  options: { csrf?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const query = method === 'POST' ? '' : `?${new URLSearchParams(params as Record<string, string>)}`;
  const response = await fetch(`${base}/admin/console/api${path}${query}`, {
    method,
    headers: {
      origin: new URL(base).origin,
      cookie: `${CONSOLE_COOKIE}=${session.cookie}`,
      'x-csrf-token': options.csrf ?? session.csrf,
      ...(method === 'POST' && { 'content-type': 'application/json' }),
    },
    ...(method === 'POST' && { body: JSON.stringify(params) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
