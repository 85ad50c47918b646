// SQLite's group commit (src/store/group-commit.ts): a caller is answered only once the COMMIT holding its writes
// is done, so another connection (another process, or the server after a crash) already sees them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import { openStore } from '../../src/store/open-store.ts';
import { fixtures } from './fixtures.ts';

const dir = mkdtempSync(join(tmpdir(), 'countersign-group-commit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('each concurrent atomically() call is answered only after its writes are committed', async () => {
  const path = join(dir, 'countersign.db');
  const store = await openStore({ sqlitePath: path });
  const other = new DatabaseSync(path, { readOnly: true });
  try {
    const f = fixtures();
    const users = Array.from({ length: 50 }, () => f.user());
    const seenAtAnswer = await Promise.all(
      users.map((user) =>
        store
          .atomically((repos) => repos.users.create(user))
          // At the answer, a separate connection reads the committed database file.
          .then(() => other.prepare('select count(*) as n from users where id = ?').get(user.id)?.n),
      ),
    );
    assert.deepEqual(
      seenAtAnswer,
      users.map(() => 1),
    );
  } finally {
    other.close();
    await store.close();
  }
});
