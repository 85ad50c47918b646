// Auth API passcode logins under volume: the per-user and per-ipaddr start limits, and exact lockout counts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AuthApiClient, createAuthApiClient } from '../../src/client/auth-api-client.ts';
import { buildSignedRequest } from '../../src/client/sign-request.ts';
import { createTransport } from '../../src/client/transport.ts';
import { SUMMARY_INTERVAL_MS, summarisePendingRefusals } from '../../src/core/limits/start-limits.ts';
import type { User } from '../../src/core/model.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
import {
  createTestApp,
  createTestUser,
  issueTestBypassCodes,
  startTestServer,
  type TestServer,
} from '../support/server.ts';
import { assertFail, assertOk } from './envelope-assertions.ts';

const VOLUME = 600;
const PARALLEL = 50;
const WRONG = '000000';

/** One answer, reduced to what the tests compare: `allow`, `deny:<reason>` or `http:<status>/<code>`. */
interface Answer {
  outcome: string;
  retryAfter: string | undefined;
}

/** Runs `count` calls of `one(i)`, `PARALLEL` at a time; returns how often each outcome came back. */
async function flood(count: number, one: (i: number) => Promise<Answer>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let sent = 0; sent < count; sent += PARALLEL) {
    const batch = Array.from({ length: Math.min(PARALLEL, count - sent) }, (_, i) => one(sent + i));
    for (const { outcome } of await Promise.all(batch)) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  }
  return counts;
}

/** Login rate limits off: lockout alone must hold, whatever the parallelism. */
const NO_RATE_LIMITS = { 'limits.logins_per_user_per_minute': 0, 'limits.logins_per_address_per_minute': 0 };

/** One suite on a fresh database: SQLite in the server's data directory, or a new PostgreSQL database. */
function suite(pgServer: string | undefined, options: { rateLimits: boolean }) {
  const label = `${pgServer ? 'PostgreSQL' : 'SQLite'}, ${options.rateLimits ? 'default rate limits' : 'no rate limits'}`;
  describe(`issue 9.1: Auth API passcodes under volume (${label})`, () => {
    let server: TestServer;
    let client: AuthApiClient;
    let keys: { ikey: string; skey: string };
    let database: TestDatabase | undefined;
    before(async () => {
      database = pgServer === undefined ? undefined : await createTestDatabase(pgServer);
      server = await startTestServer({
        config: {
          ...(database && { database_url: database.url }),
          ...(!options.rateLimits && NO_RATE_LIMITS),
        },
      });
      keys = await createTestApp(server.deps);
      client = createAuthApiClient({ baseUrl: server.url, ...keys, clock: () => server.clock.now() });
    });
    after(async () => {
      client?.close();
      await server?.close();
      await database?.drop();
    });

    /** One passcode login; every request differs (an identical signed request is a replay: issue 9.3). */
    const login = async (username: string, passcode: string, params: Record<string, string>) => {
      const response = await client.send('POST', '/auth/v2/auth', {
        username,
        factor: 'passcode',
        passcode,
        ...params,
      });
      const body = JSON.parse(response.body.toString('utf8')) as {
        stat: string;
        code?: number;
        response?: { result: string; status?: string };
      };
      const retryAfter = response.headers['retry-after'] as string | undefined;
      if (body.stat !== 'OK') return { outcome: `http:${response.status}/${body.code}`, retryAfter };
      const result = body.response!;
      return { outcome: result.result === 'allow' ? 'allow' : `deny:${result.status}`, retryAfter };
    };

    const userWithCode = async (username: string): Promise<{ user: User; code: string }> => {
      const user = await createTestUser(server.deps, username);
      const [code] = await issueTestBypassCodes(server.deps, user, { uses: null });
      assert.ok(code);
      return { user, code };
    };

    test(`issue 9.1: ${VOLUME} wrong passcodes in parallel: exactly the lockout threshold of them is checked`, async () => {
      const { user, code } = await userWithCode('lockout-target');
      const outcomes = await flood(VOLUME, (i) =>
        login('lockout-target', WRONG, { ipaddr: `10.1.${i >> 8}.${i & 255}` }),
      );
      const stored = await server.deps.store.users.get(user.id);
      assert.equal(stored?.status, 'locked_out');
      // 800-63B §5.2.2: the default threshold is 10; not one more code may be tried, however many arrive at once.
      assert.equal(stored?.failedAttempts, 10, `failed attempts counted: ${[...outcomes]}`);
      const checked = (await server.deps.store.transactions.listRecentForUser(user.id, 0, 10_000)).filter(
        (tx) => tx.reason === 'invalid_passcode',
      );
      assert.equal(checked.length, 9, 'nine refusals, then the tenth failure locks');
      // Locked: the right code does not help.
      server.clock.advance(60_000);
      assert.equal((await login('lockout-target', code, { ipaddr: '10.2.0.1' })).outcome, 'deny:locked_out');
    });

    if (!options.rateLimits) return;

    test(`issue 9.1: ${VOLUME} right passcodes for one user from ${VOLUME} addresses: 20 logins, then 429`, async () => {
      const { user, code } = await userWithCode('flooded');
      const answers: Answer[] = [];
      const outcomes = await flood(VOLUME, async (i) => {
        const answer = await login('flooded', code, { ipaddr: `10.3.${i >> 8}.${i & 255}` });
        answers.push(answer);
        return answer;
      });
      assert.deepEqual(
        [...outcomes].sort(),
        [
          ['allow', 20],
          ['http:429/42901', VOLUME - 20],
        ],
        'the per-user burst (20 a minute), whatever the addresses',
      );
      // GCRA at 20 a minute: one more login every 3 seconds.
      for (const answer of answers.filter((a) => a.outcome !== 'allow')) assert.equal(answer.retryAfter, '3');
      // A refused start leaves no transaction behind.
      const transactions = await server.deps.store.transactions.listRecentForUser(user.id, 0, 10_000);
      assert.equal(transactions.length, 20);
      // Duo's SDKs resend the very same signed request after a 429: the refusal gave its single-use claim back,
      // so the retry is served once the limit allows, and only then is it a replay.
      const retried = buildSignedRequest({
        method: 'POST',
        host: new URL(server.url).host,
        path: '/auth/v2/auth',
        params: { username: 'flooded', factor: 'passcode', passcode: code, ipaddr: '10.4.0.1' },
        ...keys,
        signatureVersion: 5,
        date: new Date(server.clock.now()).toUTCString(),
      });
      const transport = createTransport(new URL(server.url));
      try {
        assertFail(await transport.send(retried), 429, 42901);
        server.clock.advance(3_000);
        assert.equal((assertOk(await transport.send(retried)) as { result: string }).result, 'allow');
        assertFail(await transport.send(retried), 401, 40103);
      } finally {
        transport.close();
      }
      assert.equal((await login('flooded', code, { ipaddr: '10.4.0.2' })).outcome, 'http:429/42901');

      // The refusals reach the audit log as summaries with their count, not one row each.
      server.clock.advance(SUMMARY_INTERVAL_MS);
      await summarisePendingRefusals(server.deps);
      const entries = (await server.deps.store.audit.tail({ limit: 10_000, kind: 'auth' })).filter(
        (entry) => entry.userId === user.id,
      );
      const summaries = entries.filter((entry) => entry.action === 'authentication.rate_limited');
      assert.equal(
        summaries.reduce((sum, entry) => sum + Number(entry.detail.count), 0),
        VOLUME - 20 + 2,
      );
      assert.ok(entries.length <= 22 + summaries.length + 2, `${entries.length} audit rows`);
    });

    test('issue 9.1: 35 users x 20 logins from one ipaddr: the address lets 600 a minute through', async () => {
      const users = await Promise.all(
        Array.from({ length: 35 }, (_, n) => userWithCode(`behind-nat-${String(n).padStart(2, '0')}`)),
      );
      // Round robin over the users with a distinct `hostname` each: no user reaches its own limit of 20.
      const outcomes = await flood(users.length * 20, (i) => {
        const { user, code } = users[i % users.length]!;
        return login(user.username, code, { ipaddr: '198.51.100.7', hostname: `host-${i}` });
      });
      assert.deepEqual([...outcomes].sort(), [
        ['allow', 600],
        ['http:429/42901', 100],
      ]);
      // Another address is not affected; this one recovers one login per 100 ms.
      const { code } = await userWithCode('elsewhere');
      assert.equal((await login('elsewhere', code, { ipaddr: '198.51.100.8' })).outcome, 'allow');
      assert.equal(
        (await login('elsewhere', code, { ipaddr: '198.51.100.7', hostname: 'a' })).outcome,
        'http:429/42901',
      );
      server.clock.advance(100);
      assert.equal(
        (await login('elsewhere', code, { ipaddr: '198.51.100.7', hostname: 'b' })).outcome,
        'allow',
      );
    });

    test("issue 9.1: one user's flood from a shared address does not use up the address's budget", async () => {
      const { code } = await userWithCode('noisy');
      const outcomes = await flood(VOLUME, (i) =>
        login('noisy', code, { ipaddr: '198.51.100.20', hostname: `noisy-${i}` }),
      );
      assert.equal(outcomes.get('allow'), 20);
      // 580 attempts refused by the user's own limit started nothing: a neighbour behind the same address
      // may still sign in.
      const { code: neighbourCode } = await userWithCode('neighbour');
      assert.equal((await login('neighbour', neighbourCode, { ipaddr: '198.51.100.20' })).outcome, 'allow');
    });
  });
}

for (const rateLimits of [true, false]) suite(undefined, { rateLimits });
const pgServer = testPgUrl();
if (pgServer === undefined) {
  test('issue 9.1: Auth API passcodes under volume (PostgreSQL)', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  for (const rateLimits of [true, false]) suite(pgServer, { rateLimits });
}
