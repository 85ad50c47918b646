// Two PostgreSQL buses on one database: a message reaches every subscriber on every node exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { isCountersignError } from '../../src/core/errors.ts';
import type { BusMessage, EventBus } from '../../src/core/events.ts';
import type { AuthTransaction } from '../../src/core/model.ts';
import { postgresBus } from '../../src/store/pg-event-bus.ts';
import { createTestDatabase, PG_SKIP_MESSAGE, type TestDatabase, testPgUrl } from './pg-test-database.ts';

const serverUrl = testPgUrl();

/** Collects messages per topic and lets a test wait for the first one on a topic. */
function recorder(bus: EventBus, topic: string) {
  const seen: BusMessage[] = [];
  let wake: (() => void) | undefined;
  const stop = bus.subscribe(topic, (message) => {
    seen.push(message);
    wake?.();
  });
  return {
    seen,
    stop,
    async first(): Promise<BusMessage> {
      if (seen.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return seen[0]!;
    },
  };
}

if (serverUrl === undefined) it('postgres event bus', { skip: PG_SKIP_MESSAGE }, () => {});
else
  describe('postgres event bus', () => {
    let database: TestDatabase;
    let a: EventBus;
    let b: EventBus;
    before(async () => {
      database = await createTestDatabase(serverUrl);
      a = await postgresBus(database.url);
      b = await postgresBus(database.url);
    });
    after(async () => {
      await a?.close();
      await b?.close();
      await database?.drop();
    });

    it('delivers a message published on one node to subscribers on both, exactly once', async () => {
      const onA = recorder(a, 'tx:DT1');
      const onB = recorder(b, 'tx:DT1');
      const otherTopic = recorder(b, 'tx:OTHER');
      const message = { topic: 'tx:DT1', version: 2, payload: { state: 'allow' } };
      await a.publish(message);
      assert.deepEqual(await onB.first(), message);
      assert.deepEqual(await onA.first(), message);
      // NOTIFYs reach a listener in commit order: once B's reply arrives at A, A has also seen (and must have
      // skipped) the echo of its own message, and B has seen everything A sent before.
      const reply = recorder(a, 'sync:1');
      await b.publish({ topic: 'sync:1' });
      await reply.first();
      const marker = recorder(b, 'sync:2');
      await a.publish({ topic: 'sync:2' });
      await marker.first();
      assert.equal(onA.seen.length, 1, 'the publishing node delivers its own message once');
      assert.equal(onB.seen.length, 1, 'the other node delivers it once');
      assert.equal(otherTopic.seen.length, 0);
    });

    it('hands the committed row to subscribers on its own node only', async () => {
      const onA = recorder(a, 'tx:DT4');
      const onB = recorder(b, 'tx:DT4');
      const committed = { id: 'DT4', version: 3 } as unknown as AuthTransaction;
      await a.publish({ topic: 'tx:DT4', version: 3, committed });
      assert.equal((await onA.first()).committed, committed);
      assert.deepEqual(await onB.first(), { topic: 'tx:DT4', version: 3 });
    });

    it('stops delivering after unsubscribe', async () => {
      const gone = recorder(b, 'tx:DT2');
      const kept = recorder(b, 'tx:DT2');
      gone.stop();
      await a.publish({ topic: 'tx:DT2', version: 1 });
      await kept.first();
      assert.equal(gone.seen.length, 0);
    });

    it('reconnects its LISTEN connection after the server drops it', async () => {
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        const dropped = await admin.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'",
        );
        assert.equal(dropped.rowCount, 2, 'both buses were listening');
      } finally {
        await admin.end();
      }
      const back = recorder(b, 'tx:DT3');
      // Messages sent while B is reconnecting are lost (waiters also poll); keep sending until one gets through.
      for (let i = 0; back.seen.length === 0; i++) {
        await a.publish({ topic: 'tx:DT3', version: i });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.ok(back.seen.length >= 1);
    });

    it('refuses a message too large for NOTIFY', async () => {
      await assert.rejects(
        a.publish({ topic: 'big', payload: { blob: 'x'.repeat(8000) } }),
        (e: unknown) => isCountersignError(e, 'INVALID_INPUT') && /bytes/.test(e.detail ?? ''),
      );
    });
  });
