// The hosted prompt under volume (SQLite and PostgreSQL), driven through its JSON API as the page drives it:
// 600 sign-ins started for one user meet the start limit (429 + Retry-After) and never push beyond the rules.
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
import { createTestUser } from '../support/server.ts';
import { type PromptWorld, startPromptWorld } from './harness.ts';

const VOLUME = 600;

interface Pressed {
  status: number;
  retryAfter: string | null;
  error: string | undefined;
}

function suite(pgServer: string | undefined) {
  describe(`issue 9.1: the hosted prompt under volume (${pgServer ? 'PostgreSQL' : 'SQLite'})`, () => {
    let world: PromptWorld;
    let database: TestDatabase | undefined;
    before(async () => {
      database = pgServer === undefined ? undefined : await createTestDatabase(pgServer);
      world = await startPromptWorld({ ...(database && { config: { database_url: database.url } }) });
    });
    after(async () => {
      await world?.close();
      await database?.drop();
    });

    /** A user with a Countersign Authenticator that signs on the world's clock. */
    const userWithDevice = async (username: string): Promise<{ userId: string; device: DeviceClient }> => {
      const user = await createTestUser(world.deps, username);
      const { code } = await createActivation(world.deps, 'test', user);
      const account = await activateDevice(`${code}@${world.url}`);
      return { userId: user.id, device: createDeviceClient(account, { clock: world.clock }) };
    };

    /** Opens the prompt for `username` (authorize, then the page's first read) and presses "Send push". */
    const startAndPush = async (username: string): Promise<Pressed> => {
      const start = await fetch(world.authorizeUrl(username), { redirect: 'manual' });
      assert.equal(start.status, 302, await start.text());
      const cookie = String(start.headers.get('set-cookie')).split(';')[0]!;
      const flowId = String(start.headers.get('location')).split('/')[2]!;
      const api = `${world.url}/prompt/api/flows/${flowId}`;
      const view = (await (await fetch(api, { headers: { cookie } })).json()) as { csrf: string };
      const pushed = await fetch(`${api}/push`, {
        method: 'POST',
        headers: { cookie, origin: world.url, 'x-csrf-token': view.csrf, 'content-type': 'application/json' },
        body: '{}',
      });
      const body = (await pushed.json()) as { error?: string };
      return { status: pushed.status, retryAfter: pushed.headers.get('retry-after'), error: body.error };
    };

    /** `count` sign-ins for `username`, `parallel` at a time, `between` run after each batch. */
    const flood = async (
      username: string,
      options: { parallel: number; between: () => Promise<void> },
    ): Promise<Pressed[]> => {
      const answers: Pressed[] = [];
      for (let sent = 0; sent < VOLUME; sent += options.parallel) {
        const batch = Array.from({ length: Math.min(options.parallel, VOLUME - sent) }, () =>
          startAndPush(username),
        );
        answers.push(...(await Promise.all(batch)));
        await options.between();
      }
      return answers;
    };

    const pushesSince = (userId: string, since: number) =>
      world.deps.store.transactions.countPushesSince(userId, since);

    test(`issue 9.1: ${VOLUME} sign-ins started at once: 20 start, one push, the rest 429 with Retry-After`, async () => {
      const { userId, device } = await userWithDevice('paula');
      const since = world.clock.now();
      const answers = await flood('paula', { parallel: 50, between: async () => {} });
      const limited = answers.filter((answer) => answer.status === 429);
      assert.equal(limited.length, VOLUME - 20);
      for (const answer of limited) {
        assert.equal(answer.error, 'RATE_LIMITED');
        // GCRA at 20 a minute: the next sign-in may start in 3 seconds.
        assert.equal(answer.retryAfter, '3');
      }
      assert.ok(answers.every((answer) => answer.status === 200 || answer.status === 429));
      assert.equal(await pushesSince(userId, since), 1, 'one push outstanding, the other 19 refused');
      assert.equal((await device.pending()).length, 1);
      const started = await world.deps.store.transactions.listRecentForUser(userId, since, 10_000);
      assert.equal(started.length, 20, 'a refused start leaves no transaction');

      // The same browser address: 580 refusals for paula used none of its budget, so her colleague starts.
      await userWithDevice('colleague');
      const colleague = await startAndPush('colleague');
      assert.equal(colleague.status, 200, `${colleague.status} ${colleague.error}`);
    });

    test(`issue 9.1: the fraud pause holds through ${VOLUME} sign-ins`, async () => {
      const { userId, device } = await userWithDevice('frieda');
      assert.equal((await startAndPush('frieda')).status, 200);
      const [request] = await device.pending();
      assert.ok(request);
      assert.equal(await device.deny(request.txid, { fraud: true }), 'fraud');
      const since = world.clock.now() + 1;
      world.clock.advance(1);
      const answers = await flood('frieda', {
        parallel: 50,
        between: async () => world.clock.advance(5_000),
      });
      assert.ok(answers.every((answer) => answer.status === 200 || answer.status === 429));
      assert.equal(await pushesSince(userId, since), 0, 'no push during the pause');
      assert.deepEqual(await device.pending(), []);
      const refused = (await world.deps.store.transactions.listRecentForUser(userId, since, 10_000)).filter(
        (tx) => tx.reason === 'fraud_pause',
      );
      assert.equal(refused.length, answers.filter((answer) => answer.status === 200).length);
    });

    test(`issue 9.1: the cap since the last success holds through ${VOLUME} sign-ins`, async () => {
      const { userId, device } = await userWithDevice('cara');
      const since = world.clock.now();
      // Each push is denied on the phone after its batch, so "one outstanding" refuses only within a batch.
      await flood('cara', {
        parallel: 10,
        between: async () => {
          for (const request of await device.pending()) await device.deny(request.txid);
          world.clock.advance(5_000);
        },
      });
      // 600 sign-ins over 5 minutes: the cap is 5 pushes per 10 minutes since the last success.
      assert.equal(await pushesSince(userId, since), 5);
    });
  });
}

suite(undefined);
const pgServer = testPgUrl();
if (pgServer === undefined) {
  test('issue 9.1: the hosted prompt under volume (PostgreSQL)', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  suite(pgServer);
}
