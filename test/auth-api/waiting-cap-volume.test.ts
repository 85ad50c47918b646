// The cap on auth_status's `waiting` answers holds under volume: 500 polls at once, on SQLite and PostgreSQL.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { manualClock } from '../../src/core/clock.ts';
import type { Store } from '../../src/core/repositories.ts';
import { MAX_WAITING_ANSWERS, takeWaitingAnswer } from '../../src/fronts/auth-api/waiting-cap.ts';
import { openStore } from '../../src/store/open-store.ts';
import { createTestDatabase, PG_SKIP_MESSAGE, testPgUrl } from '../store/pg-test-database.ts';
import { TEST_START_MS } from '../support/server.ts';

async function capHolds(store: Store): Promise<void> {
  const deps = { store, clock: manualClock(TEST_START_MS) };
  const login = { id: 'tx-many-polls', createdAt: TEST_START_MS };
  const answers = await Promise.all(Array.from({ length: 500 }, () => takeWaitingAnswer(deps, login)));
  assert.equal(answers.filter(Boolean).length, MAX_WAITING_ANSWERS);
  assert.equal(await takeWaitingAnswer(deps, login), false);
  // Another login has a count of its own.
  assert.equal(await takeWaitingAnswer(deps, { id: 'tx-other', createdAt: TEST_START_MS }), true);
}

describe('issue 10: at most 10 `waiting` answers per login under 500 polls at once', () => {
  test('SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'countersign-waiting-'));
    const store = await openStore({ sqlitePath: join(dir, 'countersign.db') });
    try {
      await capHolds(store);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const pg = testPgUrl();
  test('PostgreSQL', { skip: pg === undefined && PG_SKIP_MESSAGE }, async () => {
    const database = await createTestDatabase(pg!);
    const store = await openStore({ url: database.url });
    try {
      await capHolds(store);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
