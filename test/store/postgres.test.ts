// Runs the repository conformance suite on a fresh PostgreSQL database (COUNTERSIGN_TEST_PG), or skips.
import { after, before, it } from 'node:test';
import { openStore } from '../../src/store/open-store.ts';
import { runRepositoryConformance } from './conformance.ts';
import { createTestDatabase, PG_SKIP_MESSAGE, type TestDatabase, testPgUrl } from './pg-test-database.ts';

const serverUrl = testPgUrl();

if (serverUrl === undefined) {
  it('postgres store conformance', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  let database: TestDatabase | undefined;
  before(async () => {
    database = await createTestDatabase(serverUrl);
  });
  after(async () => {
    await database?.drop();
  });
  runRepositoryConformance('postgres', async () => {
    if (!database) throw new Error('test database was not created');
    return openStore({ url: database.url });
  });
}
