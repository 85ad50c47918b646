// Creates a throw-away PostgreSQL database for a test run, from COUNTERSIGN_TEST_PG, and drops it afterwards.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Shown when a PostgreSQL test does not run. */
export const PG_SKIP_MESSAGE = 'COUNTERSIGN_TEST_PG not set: PostgreSQL tests skipped';

/** The server URL to test against, or undefined when the tests must skip. */
export function testPgUrl(): string | undefined {
  const url = process.env.COUNTERSIGN_TEST_PG;
  return url === undefined || url === '' ? undefined : url;
}

export interface TestDatabase {
  /** URL of the fresh database. */
  url: string;
  drop(): Promise<void>;
}

async function admin(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates `countersign_test_<random>` on the server at `serverUrl`. */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `countersign_test_${randomBytes(6).toString('hex')}`;
  await admin(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE (PostgreSQL 13+) ends connections a failed test may have left open.
    drop: () => admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
