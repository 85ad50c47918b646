// Races over HTTP: one TOTP code or one single-use bypass code sent 20 times at once is accepted exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type AuthApiClient, createAuthApiClient } from '../../src/client/auth-api-client.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
import {
  addTestTotp,
  createTestApp,
  createTestUser,
  issueTestBypassCodes,
  startTestServer,
  type TestServer,
} from '../support/server.ts';

const PARALLEL = 20;

/** Sends the same passcode PARALLEL times at once; returns the results, allow first. */
async function race(client: AuthApiClient, username: string, passcode: string): Promise<string[]> {
  const answers = await Promise.all(
    // Each its own request (its own ipaddr): the same signed request 20 times would be refused as a replay
    // before the passcode is even looked at (issue 9.3).
    Array.from({ length: PARALLEL }, (_, i) =>
      client.auth({ username, factor: 'passcode', passcode, ipaddr: `192.0.2.${i + 1}` }),
    ),
  );
  return answers.map((answer) => answer.result).sort();
}

const EXACTLY_ONE_ALLOW = ['allow', ...Array.from({ length: PARALLEL - 1 }, () => 'deny')];

function raceSuite(name: string, config: () => Record<string, unknown>): void {
  describe(name, () => {
    let server: TestServer;
    let client: AuthApiClient;

    before(async () => {
      server = await startTestServer({ config: config() });
      // A high lockout threshold: 19 refusals must not lock the user and blur what is measured.
      const keys = await createTestApp(server.deps, { policy: { lockoutThreshold: 100 } });
      client = createAuthApiClient({ baseUrl: server.url, ...keys, clock: () => server.clock.now() });
    });
    after(async () => {
      client?.close();
      await server?.close();
    });

    test(`one TOTP code sent ${PARALLEL} times in parallel: exactly one allow`, async () => {
      const totp = await addTestTotp(server.deps, await createTestUser(server.deps, 'racer-totp'));
      assert.deepEqual(await race(client, 'racer-totp', totp.codeAt(server.clock.now())), EXACTLY_ONE_ALLOW);
    });

    test(`one single-use bypass code sent ${PARALLEL} times in parallel: exactly one allow`, async () => {
      const user = await createTestUser(server.deps, 'racer-bypass');
      const [code] = await issueTestBypassCodes(server.deps, user, { uses: 1 });
      assert.ok(code);
      assert.deepEqual(await race(client, 'racer-bypass', code), EXACTLY_ONE_ALLOW);
    });
  });
}

raceSuite('SQLite', () => ({}));

const pgServer = testPgUrl();
if (pgServer === undefined) {
  test('PostgreSQL races', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  let database: TestDatabase | undefined;
  before(async () => {
    database = await createTestDatabase(pgServer);
  });
  after(() => database?.drop());
  raceSuite('PostgreSQL', () => {
    if (!database) throw new Error('the test database was not created');
    return { database_url: database.url };
  });
}
