// The portal's step-up under volume (SQLite and PostgreSQL), through its JSON API: 600 step-ups started for one
// user meet the start limit (429 + Retry-After), push only within the rules, and lock out after exactly 10 codes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import { activateDevice } from '../../src/device-client/activate.ts';
import { createDeviceClient, type DeviceClient } from '../../src/device-client/client.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
import { createTestUser, startTestServer, type TestServer } from '../support/server.ts';

const VOLUME = 600;
const PASSWORD = 'correct horse battery';
/** Seven digits: never a device's six-digit passcode, so always wrong. */
const WRONG = '0000000';

interface Answer {
  status: number;
  retryAfter: string | null;
  error: string | undefined;
}

/** A signed-in portal session: its cookie and CSRF token. */
interface Session {
  cookie: string;
  csrf: string;
}

function suite(pgServer: string | undefined) {
  describe(`issue 9.1: portal step-up under volume (${pgServer ? 'PostgreSQL' : 'SQLite'})`, () => {
    let server: TestServer;
    let database: TestDatabase | undefined;
    before(async () => {
      database = pgServer === undefined ? undefined : await createTestDatabase(pgServer);
      server = await startTestServer({ ...(database && { config: { database_url: database.url } }) });
    });
    after(async () => {
      await server?.close();
      await database?.drop();
    });

    const api = (path: string) => `${server.url}/portal/api${path}`;

    /** A user with a password and a Countersign Authenticator that signs on the server's clock. */
    const userWithDevice = async (username: string): Promise<{ userId: string; device: DeviceClient }> => {
      const user = await createTestUser(server.deps, username, { password: PASSWORD });
      const { code } = await createActivation(server.deps, 'test', user);
      const account = await activateDevice(`${code}@${server.url}`);
      return { userId: user.id, device: createDeviceClient(account, { clock: server.clock }) };
    };

    const signIn = async (username: string): Promise<Session> => {
      const response = await fetch(api('/sign-in'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD }),
      });
      assert.equal(response.status, 200, await response.text());
      const cookie = String(response.headers.get('set-cookie')).split(';')[0]!;
      const summary = (await (await fetch(api('/session'), { headers: { cookie } })).json()) as {
        csrf: string;
      };
      return { cookie, csrf: summary.csrf };
    };

    const post = async (session: Session, path: string, body: object): Promise<Answer> => {
      const response = await fetch(api(path), {
        method: 'POST',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as { error?: string };
      return { status: response.status, retryAfter: response.headers.get('retry-after'), error: json.error };
    };

    const tally = (answers: readonly Answer[]) => {
      const counts = new Map<string, number>();
      for (const { status, error } of answers) {
        const key = `${status} ${error ?? ''}`.trim();
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return [...counts].sort();
    };

    const pushesSince = (userId: string, since: number) =>
      server.deps.store.transactions.countPushesSince(userId, since);

    test(`issue 9.1: ${VOLUME} push step-ups at once: 20 start, one push, the rest 429 with Retry-After`, async () => {
      const { userId, device } = await userWithDevice('stella');
      const session = await signIn('stella');
      const since = server.clock.now();
      const answers: Answer[] = [];
      for (let sent = 0; sent < VOLUME; sent += 50) {
        const batch = Array.from({ length: 50 }, () => post(session, '/step-up/start', { method: 'push' }));
        answers.push(...(await Promise.all(batch)));
      }
      assert.deepEqual(tally(answers), [
        ['200', 1],
        ['409 PUSH_REFUSED', 19],
        ['429 RATE_LIMITED', VOLUME - 20],
      ]);
      // GCRA at 20 a minute: the next step-up may start in 3 seconds.
      for (const answer of answers.filter((a) => a.status === 429)) assert.equal(answer.retryAfter, '3');
      assert.equal(await pushesSince(userId, since), 1);
      assert.equal((await device.pending()).length, 1);
    });

    test(`issue 9.1: the fraud pause holds through ${VOLUME} push step-ups`, async () => {
      const { userId, device } = await userWithDevice('felix');
      const session = await signIn('felix');
      assert.equal((await post(session, '/step-up/start', { method: 'push' })).status, 200);
      const [request] = await device.pending();
      assert.ok(request);
      assert.equal(await device.deny(request.txid, { fraud: true }), 'fraud');
      server.clock.advance(1);
      const since = server.clock.now();
      const answers: Answer[] = [];
      for (let sent = 0; sent < VOLUME; sent += 50) {
        const batch = Array.from({ length: 50 }, () => post(session, '/step-up/start', { method: 'push' }));
        answers.push(...(await Promise.all(batch)));
        server.clock.advance(5_000);
      }
      assert.equal(await pushesSince(userId, since), 0, 'no push during the pause');
      assert.ok(
        answers.every((answer) => answer.error === 'PUSH_REFUSED' || answer.error === 'RATE_LIMITED'),
        `${tally(answers)}`,
      );
    });

    test(`issue 9.1: ${VOLUME} wrong step-up codes from 20 sessions in parallel: exactly 10 are checked`, async () => {
      const { userId } = await userWithDevice('lou');
      const sessions: Session[] = [];
      for (let i = 0; i < 20; i++) sessions.push(await signIn('lou'));
      const answers: Answer[] = [];
      for (let sent = 0; sent < VOLUME; sent += sessions.length) {
        const round = sessions.map(async (session) => {
          const started = await post(session, '/step-up/start', { method: 'passcode' });
          if (started.status !== 200) return started;
          return post(session, '/step-up/passcode', { code: WRONG });
        });
        answers.push(...(await Promise.all(round)));
        server.clock.advance(1_000);
      }
      const user = await server.deps.store.users.get(userId);
      assert.equal(user?.status, 'locked_out');
      // 800-63B §5.2.2: lock at 10, and not one code more is tried, however many sessions ask at once.
      assert.equal(user?.failedAttempts, 10, `${tally(answers)}`);
    });
  });
}

suite(undefined);
const pgServer = testPgUrl();
if (pgServer === undefined) {
  test('issue 9.1: portal step-up under volume (PostgreSQL)', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  suite(pgServer);
}
