// Migration 0007: console alerts get a table of their own (one row each: concurrent writers on several nodes
// lose nothing), and the list formerly kept in the settings key `alerts` moves into it.
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { dialectOf } from '../dialect.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema types.
type AnyDb = Kysely<any>;

/** The settings key that held the alert list (a JSON array, oldest first) before this migration. */
const OLD_KEY = 'alerts';
/** How many alerts the old list kept: no more are carried over. */
const KEPT = 500;

interface AlertRow {
  at: number;
  kind: string;
  user_id: string;
  username: string;
  application: string | null;
  txid: string;
  ip: string | null;
}

const isText = (value: unknown): value is string => typeof value === 'string';
const isTextOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string';

/** One entry of the old list as a row, or null when it is not an alert (the old reader could not show it either). */
function toRow(entry: unknown): AlertRow | null {
  if (typeof entry !== 'object' || entry === null) return null;
  const e = entry as Record<string, unknown>;
  if (typeof e.at !== 'number' || !Number.isSafeInteger(e.at) || e.kind !== 'fraud') return null;
  if (!isText(e.userId) || !isText(e.username) || !isText(e.txid)) return null;
  if (!isTextOrNull(e.application) || !isTextOrNull(e.ip)) return null;
  return {
    at: e.at,
    kind: e.kind,
    user_id: e.userId,
    username: e.username,
    application: e.application,
    txid: e.txid,
    ip: e.ip,
  };
}

/** The old list's alerts, oldest first; a value that is not a JSON array reads as none (as it did before). */
function oldAlerts(value: string): AlertRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed
    .map(toRow)
    .filter((row): row is AlertRow => row !== null)
    .slice(-KEPT);
}

export const alertsTable: Migration = {
  async up(db: AnyDb) {
    // Ids grow in insertion order ("newest" = largest id); SQLite's AUTOINCREMENT never reuses one.
    const table =
      dialectOf(db) === 'postgres'
        ? db.schema.createTable('alerts').addColumn('id', 'bigserial', (c) => c.primaryKey())
        : db.schema.createTable('alerts').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
    await table
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('application', 'text')
      .addColumn('txid', 'text', (c) => c.notNull())
      .addColumn('ip', 'text')
      .execute();
    const old = await db.selectFrom('settings').select('value').where('key', '=', OLD_KEY).executeTakeFirst();
    if (!old) return;
    // One row at a time, oldest first, so the ids keep the list's order.
    for (const row of oldAlerts(String(old.value))) await db.insertInto('alerts').values(row).execute();
    await db.deleteFrom('settings').where('key', '=', OLD_KEY).execute();
  },
  async down(db: AnyDb) {
    const rows: AlertRow[] = await db
      .selectFrom('alerts')
      .select(['at', 'kind', 'user_id', 'username', 'application', 'txid', 'ip'])
      .orderBy('id')
      .execute();
    if (rows.length > 0) {
      const value = JSON.stringify(
        rows.slice(-KEPT).map((r) => ({
          at: Number(r.at),
          kind: r.kind,
          userId: r.user_id,
          username: r.username,
          application: r.application,
          txid: r.txid,
          ip: r.ip,
        })),
      );
      await db
        .insertInto('settings')
        .values({ key: OLD_KEY, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    }
    await db.schema.dropTable('alerts').execute();
  },
};
