// RADIUS under volume (SQLite and PostgreSQL): 600 Access-Requests for one user keep every push rule and the
// login start limits, refused requests are Access-Rejects, and the audit log stays bounded.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ERRORS } from '../../src/core/errors.ts';
import { SUMMARY_INTERVAL_MS, summarisePendingRefusals } from '../../src/core/limits/start-limits.ts';
import type { Decision } from '../../src/device-protocol/messages.ts';
import { GENERIC_REJECT } from '../../src/fronts/radius/modes/outcome.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
import { issueTestBypassCodes } from '../support/server.ts';
import { PASSWORD, type RadiusHarness, SECRET, type SimulatedDevice, startRadiusHarness } from './fixture.ts';
import { type UdpRadiusClient, type UdpReply, udpRadiusClient } from './udp-client.ts';

const VOLUME = 600;
const MINUTE = 60_000;
const RATE_LIMITED = ERRORS.RATE_LIMITED.message;

/** `Access-Accept`, `Access-Reject: rate limited`, `Access-Reject: generic` or the reply's own message. */
function outcome(reply: UdpReply): string {
  if (reply.code !== 'Access-Reject') return reply.code;
  if (reply.replyMessage === RATE_LIMITED) return 'Access-Reject: rate limited';
  return `Access-Reject: ${reply.replyMessage === GENERIC_REJECT ? 'generic' : reply.replyMessage}`;
}

function tally(replies: readonly UdpReply[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const reply of replies) counts.set(outcome(reply), (counts.get(outcome(reply)) ?? 0) + 1);
  return counts;
}

function suite(pgServer: string | undefined) {
  describe(`issue 9.1: RADIUS under volume (${pgServer ? 'PostgreSQL' : 'SQLite'})`, () => {
    let h: RadiusHarness;
    let udp: UdpRadiusClient;
    let database: TestDatabase | undefined;
    before(async () => {
      database = pgServer === undefined ? undefined : await createTestDatabase(pgServer);
      h = await startRadiusHarness({}, { ...(database && { config: { database_url: database.url } }) });
      udp = await udpRadiusClient(h.radius.port, SECRET);
    });
    after(async () => {
      await udp?.close();
      await h?.close();
      await database?.drop();
    });

    /** Awaits `work` while answering every push that reaches `device` with `decision`; returns how many. */
    async function answeringPushes<T>(work: Promise<T>, device: SimulatedDevice, decision: Decision) {
      let settled = false;
      const done = work.finally(() => {
        settled = true;
      });
      let answered = 0;
      while (!settled) {
        for (const request of await h.pendingPushes(device)) {
          await h.answerPush(device, request, decision);
          answered++;
        }
        await Promise.race([done.catch(() => {}), sleep(20)]);
      }
      return { result: await done, answered };
    }

    const pushesSince = async (userId: string, since: number) =>
      h.server.deps.store.transactions.countPushesSince(userId, since);

    test(`issue 9.1: ${VOLUME} Access-Requests at once (auto): one push, 20 starts, the rest rejected unaudited`, async () => {
      await h.configureClient({ mode: 'auto' });
      const user = await h.user('ada');
      const device = await h.device(user);
      const since = h.server.clock.now();
      const flood = Array.from({ length: VOLUME }, () => udp.send('ada', PASSWORD));
      // Everything but the one push waiting for its answer comes back on its own.
      const answered: UdpReply[] = [];
      for (const reply of flood) void reply.then((r) => answered.push(r));
      while (answered.length < VOLUME - 1) await sleep(20);
      assert.equal((await h.pendingPushes(device)).length, 1, 'exactly one push outstanding');
      assert.equal(await pushesSince(user.id, since), 1);
      await h.answerNextPush(device, 'approve');
      const replies = await Promise.all(flood);
      assert.deepEqual([...tally(replies)].sort(), [
        ['Access-Accept', 1],
        ['Access-Reject: generic', 19],
        ['Access-Reject: rate limited', VOLUME - 20],
      ]);

      // One radius.access row per started login, none per refused start: the core summarises those.
      h.server.clock.advance(SUMMARY_INTERVAL_MS);
      await summarisePendingRefusals(h.server.deps);
      const entries = await h.auditFor('ada');
      const radiusRows = entries.filter((entry) => entry.action === 'radius.access');
      assert.equal(radiusRows.length, 20);
      assert.ok(radiusRows.every((entry) => entry.reason !== 'rate_limited'));
      const summaries = entries.filter((entry) => entry.action === 'authentication.rate_limited');
      assert.equal(
        summaries.reduce((sum, entry) => sum + Number(entry.detail.count), 0),
        VOLUME - 20,
      );
      // 20 started logins audited by RADIUS and by the core, the summary, the device's enrollment.
      assert.ok(entries.length < 60, `${entries.length} audit rows for ${VOLUME} requests`);
    });

    test(`issue 9.1: the fraud pause holds through ${VOLUME} Access-Requests`, async () => {
      await h.configureClient({ mode: 'auto' });
      const user = await h.user('fred');
      const device = await h.device(user);
      const reported = await answeringPushes(udp.send('fred', PASSWORD), device, 'fraud');
      assert.equal(reported.answered, 1);
      assert.equal(reported.result.code, 'Access-Reject');
      const since = h.server.clock.now();
      assert.equal(await pushesSince(user.id, since), 1, 'the push reported as fraud');
      const replies: UdpReply[] = [];
      for (let sent = 0; sent < VOLUME; sent += 50) {
        const batch = Array.from({ length: 50 }, () => udp.send('fred', PASSWORD));
        replies.push(...(await Promise.all(batch)));
        h.server.clock.advance(5_000);
      }
      assert.ok(
        replies.every((reply) => reply.code === 'Access-Reject'),
        `${[...tally(replies)]}`,
      );
      assert.equal(await pushesSince(user.id, since), 1, 'no push during the pause');
      assert.deepEqual(await h.pendingPushes(device), []);
      const paused = (await h.server.deps.store.transactions.listRecentForUser(user.id, since, 1_000)).filter(
        (tx) => tx.reason === 'fraud_pause',
      );
      // Started logins: 20 at once, then one per 3 s over the minute the flood took on the frozen clock.
      assert.ok(paused.length >= 19 && paused.length <= 40, `${paused.length} starts refused a push`);
      h.server.clock.advance(10 * MINUTE);
      const later = await udp.send('fred', PASSWORD);
      assert.equal(outcome(later), 'Access-Reject: generic');
      assert.equal(await pushesSince(user.id, since), 1, 'still paused 11 minutes after the report');
    });

    test(`issue 9.1: the cap since the last success holds through ${VOLUME} Access-Requests (concat, push)`, async () => {
      await h.configureClient({ mode: 'concat' });
      const user = await h.user('carl');
      const device = await h.device(user);
      const since = h.server.clock.now();
      const replies: UdpReply[] = [];
      // 10 at a time, each push denied on the device as it arrives; 5 s of the frozen clock per batch.
      for (let sent = 0; sent < VOLUME; sent += 10) {
        const batch = Promise.all(Array.from({ length: 10 }, () => udp.send('carl', `${PASSWORD},push`)));
        replies.push(...(await answeringPushes(batch, device, 'deny')).result);
        h.server.clock.advance(5_000);
      }
      // 600 requests over 5 minutes: the cap is 5 pushes per 10 minutes since the last success.
      assert.equal(await pushesSince(user.id, since), 5);
      assert.ok(replies.every((reply) => reply.code === 'Access-Reject'));
      const refused = (
        await h.server.deps.store.transactions.listRecentForUser(user.id, since, 1_000)
      ).filter((tx) => tx.reason === 'push_limit');
      assert.ok(refused.length > 0, 'pushes beyond the cap were refused as push_limit');
      const limited = tally(replies).get('Access-Reject: rate limited') ?? 0;
      // 20 at once, then one per 3 s over 5 minutes: at most 120 of the 600 started a login.
      assert.ok(limited >= VOLUME - 121, `${limited} rate-limited rejects`);
    });

    test('issue 9.1: 35 users x 20 requests from one Calling-Station-Id: 600 a minute get through', async () => {
      await h.configureClient({ mode: 'mfa-only' });
      const users = await Promise.all(
        Array.from({ length: 35 }, async (_, n) => {
          const user = await h.user(`nat-${String(n).padStart(2, '0')}`);
          const [code] = await issueTestBypassCodes(h.server.deps, user, { uses: null });
          return { name: user.username, code: code! };
        }),
      );
      const replies = await Promise.all(
        Array.from({ length: users.length * 20 }, (_, i) => {
          const { name, code } = users[i % users.length]!;
          return udp.send(name, code, { callingStationId: '203.0.113.9' });
        }),
      );
      assert.deepEqual([...tally(replies)].sort(), [
        ['Access-Accept', 600],
        ['Access-Reject: rate limited', 100],
      ]);
      const other = await udp.send(users[0]!.name, users[0]!.code, { callingStationId: '203.0.113.10' });
      assert.equal(other.code, 'Access-Accept', 'another address is not affected');
    });
  });
}

suite(undefined);
const pgServer = testPgUrl();
if (pgServer === undefined) {
  test('issue 9.1: RADIUS under volume (PostgreSQL)', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  suite(pgServer);
}
