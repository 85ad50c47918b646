// The authentication log under volume, on SQLite and PostgreSQL: 30,000 entries paged through by next_offset, each
// once, and total_objects bounded.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { seedRows } from '../../scripts/seed-admin.ts';
import { buildSignedRequest } from '../../src/client/sign-request.ts';
import { manualClock } from '../../src/core/clock.ts';
import { AUTHLOG_COUNT_LIMIT } from '../../src/fronts/admin-api/routes-authlog.ts';
import { openPostgresKysely } from '../../src/store/postgres.ts';
import { openSqliteKysely } from '../../src/store/sqlite.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
import { createTestAdminApp, createTestApp, startTestServer, type TestServer } from '../support/server.ts';

/** Three times the count's bound: 30 pages of 1,000. */
const ENTRIES = 3 * AUTHLOG_COUNT_LIMIT;

type Page = {
  authlogs: Array<{ txid: string; timestamp: number }>;
  metadata: { next_offset: [string, string] | null; total_objects: number; total_objects_relation: string };
};

function volumeSuite(name: string, databaseUrl: () => string | undefined): void {
  describe(name, () => {
    let server: TestServer;
    let keys: { ikey: string; skey: string };
    const now = Date.now();

    before(async () => {
      const url = databaseUrl();
      server = await startTestServer({
        clock: manualClock(now),
        ...(url !== undefined && { config: { database_url: url } }),
      });
      keys = await createTestAdminApp(server.deps, ['read-log']);
      const { app } = await createTestApp(server.deps);
      // The bench's seeding, on the test server's own database.
      const db =
        url !== undefined
          ? openPostgresKysely(url)
          : openSqliteKysely(join(server.countersign.config.data_dir, 'countersign.db'));
      try {
        await seedRows(db, {
          users: 500,
          authlogs: ENTRIES,
          days: 1,
          now: now - 1,
          applicationIds: [app.id],
        });
      } finally {
        await db.destroy();
      }
    });
    after(() => server?.close());

    async function authlog(params: Record<string, string>): Promise<Page> {
      const signed = buildSignedRequest({
        method: 'GET',
        host: new URL(server.url).host,
        path: '/admin/v2/logs/authentication',
        params,
        ...keys,
        signatureVersion: 2,
        date: new Date(server.clock.now()).toUTCString(),
      });
      const answer = await server.http.fastify.inject({
        method: 'GET',
        url: signed.target,
        headers: signed.headers,
      });
      assert.equal(answer.statusCode, 200, answer.body);
      return answer.json().response as Page;
    }

    test('issue 12: 30,000 entries page by next_offset, newest first, each once; total_objects is bounded', async () => {
      const window = { mintime: String(now - 2 * 86_400_000), maxtime: String(now) };
      const seen = new Set<string>();
      let previous = Number.POSITIVE_INFINITY;
      let next: [string, string] | null = null;
      let pages = 0;
      do {
        const page = await authlog({
          ...window,
          limit: '1000',
          ...(next && { next_offset: next.join(',') }),
        });
        assert.equal(page.metadata.total_objects, AUTHLOG_COUNT_LIMIT);
        assert.equal(page.metadata.total_objects_relation, 'gte');
        for (const record of page.authlogs) {
          assert.ok(record.timestamp <= previous, 'newest first');
          previous = record.timestamp;
          seen.add(record.txid);
        }
        next = page.metadata.next_offset;
        pages++;
      } while (next !== null);
      assert.equal(pages, Math.ceil(ENTRIES / 1000));
      assert.equal(seen.size, ENTRIES);
      // A narrower selection is counted exactly.
      const narrow = await authlog({ ...window, limit: '1', users: 'DUSEED00000000000007' });
      assert.equal(narrow.metadata.total_objects_relation, 'eq');
      assert.ok(narrow.metadata.total_objects > 0 && narrow.metadata.total_objects < 1000);
    });
  });
}

volumeSuite('SQLite', () => undefined);

const pgServer = testPgUrl();
if (pgServer === undefined) {
  test('PostgreSQL volume', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  let database: TestDatabase | undefined;
  before(async () => {
    database = await createTestDatabase(pgServer);
  });
  after(() => database?.drop());
  volumeSuite('PostgreSQL', () => {
    if (!database) throw new Error('the test database was not created');
    return database.url;
  });
}
