// Authentication transactions on SQL: every change is a version compare-and-set so pollers see each step once.
import { type Selectable, sql } from 'kysely';
import type { AuthTransaction, TransactionState } from '../../core/model.ts';
import type { TransactionRepository } from '../../core/repositories.ts';
import { OPEN_STATES, parseReason, type Reason } from '../../core/transaction/index.ts';
import { readJsonObject, writeJson } from '../json-column.ts';
import type { AuthTransactionsTable } from '../schema.ts';
import { type RepositoryContext, run } from './context.ts';
import { prepare } from './prepared.ts';

const CREATE = prepare('transactions.create', (db, p: AuthTransactionsTable) =>
  db.insertInto('auth_transactions').values({
    id: p.id,
    application_id: p.application_id,
    user_id: p.user_id,
    state: p.state,
    factor: p.factor,
    device_id: p.device_id,
    reason: p.reason,
    ip: p.ip,
    created_at: p.created_at,
    updated_at: p.updated_at,
    expires_at: p.expires_at,
    version: p.version,
    data: p.data,
  }),
);

const GET = prepare('transactions.get', (db, p: { id: string }) =>
  db.selectFrom('auth_transactions').selectAll().where('id', '=', p.id),
);

/** A transaction is created, waits at most 5 minutes for a factor, then at most 10 for a push answer. */
const DECIDED_WITHIN_MS = 15 * 60_000;

/** The reason a denied push is stored with: the denial cooldown looks for it. */
const DENIED: Reason = 'denied';

// Every push asks both (push-limits.ts): prepared, so 10,000 pending pushes do not each build them anew.
const PUSH_ACTIVITY = prepare(
  'transactions.pushActivity',
  (db, p: { userId: string; since: number; now: number; excludeTxid: string; from: number }) =>
    // Aggregates, never a newest-N list: no number of newer rows can push the evidence out of view.
    db
      .selectFrom('auth_transactions')
      .select([
        sql<number>`coalesce(sum(case when state = 'pushed' and expires_at > ${p.now} and id <> ${p.excludeTxid} then 1 else 0 end), 0)`.as(
          'outstanding',
        ),
        sql<
          number | null
        >`max(case when state = 'fraud' and updated_at >= ${p.since} then updated_at end)`.as('last_fraud'),
        sql<
          number | null
        >`max(case when factor = 'push' and state = 'deny' and reason = ${sql.lit(DENIED)} and updated_at >= ${p.since} then updated_at end)`.as(
          'last_denial',
        ),
        sql<
          number | null
        >`max(case when state = 'allow' and created_at >= ${p.since} then created_at end)`.as('last_success'),
      ])
      .where('user_id', '=', p.userId)
      .where('created_at', '>=', p.from),
);

const COUNT_PUSHES_SINCE = prepare(
  'transactions.countPushesSince',
  (db, p: { userId: string; since: number }) =>
    db
      .selectFrom('auth_transactions')
      .select((eb) => eb.fn.countAll<number>().as('pushes'))
      .where('user_id', '=', p.userId)
      .where('created_at', '>=', p.since)
      .where('factor', '=', 'push')
      .where('device_id', 'is not', null),
);

function toTransaction(
  row: Selectable<AuthTransactionsTable>,
  onUnknownReason: RepositoryContext['onUnknownReason'],
): AuthTransaction {
  return {
    id: row.id,
    applicationId: row.application_id,
    userId: row.user_id,
    state: row.state as TransactionState,
    factor: row.factor,
    deviceId: row.device_id,
    // Validated at the edge: a reason from a newer version or a hand-edited row must not break a front.
    reason: parseReason(row.reason, (unknown) => onUnknownReason(unknown, row.id)),
    ip: row.ip,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    version: row.version,
    data: readJsonObject(row.data, 'auth_transactions.data'),
  };
}

/** The transaction repository bound to `ctx`. */
export function transactionRepository(ctx: RepositoryContext): TransactionRepository {
  const { db } = ctx;
  const toTx = (row: Selectable<AuthTransactionsTable>) => toTransaction(row, ctx.onUnknownReason);
  return {
    async create(tx) {
      await run(ctx, CREATE, {
        id: tx.id,
        application_id: tx.applicationId,
        user_id: tx.userId,
        state: tx.state,
        factor: tx.factor,
        device_id: tx.deviceId,
        reason: tx.reason,
        ip: tx.ip,
        created_at: tx.createdAt,
        updated_at: tx.updatedAt,
        expires_at: tx.expiresAt,
        version: tx.version,
        data: writeJson(tx.data),
      });
    },

    async get(id) {
      const [row] = (await run(ctx, GET, { id })).rows;
      return row ? toTx(row) : null;
    },

    async versions(ids) {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('auth_transactions')
        .select(['id', 'version'])
        .where('id', 'in', [...ids])
        .execute();
      return new Map(rows.map((row) => [row.id, row.version]));
    },

    async update(id, expectedVersion, patch, now) {
      const set: Partial<Record<keyof AuthTransactionsTable, unknown>> = {};
      if (patch.state !== undefined) set.state = patch.state;
      if (patch.factor !== undefined) set.factor = patch.factor;
      if (patch.deviceId !== undefined) set.device_id = patch.deviceId;
      if (patch.reason !== undefined) set.reason = patch.reason;
      if (patch.expiresAt !== undefined) set.expires_at = patch.expiresAt;
      if (patch.data !== undefined) set.data = writeJson(patch.data);
      // One statement: the version check in WHERE makes concurrent updates of one version exclusive.
      const row = await db
        .updateTable('auth_transactions')
        .set({
          ...(set as Partial<AuthTransactionsTable>),
          version: sql<number>`version + 1`,
          updated_at: now,
        })
        .where('id', '=', id)
        .where('version', '=', expectedVersion)
        .returningAll()
        .executeTakeFirst();
      return row ? toTx(row) : null;
    },

    async listRecentForUser(userId, since, limit) {
      const rows = await db
        .selectFrom('auth_transactions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('created_at', '>=', since)
        .orderBy('created_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toTx);
    },

    async pushActivity(userId, since, now, excludeTxid) {
      // A transaction is decided at most FACTOR_WAIT + the longest push timeout after it was created, so the
      // created_at bound (which the (user_id, created_at) index serves) cannot miss a decision made since `since`.
      const from = Math.min(since, now) - DECIDED_WITHIN_MS;
      const [row] = (await run(ctx, PUSH_ACTIVITY, { userId, since, now, excludeTxid, from })).rows;
      const time = (value: unknown) => (value === null || value === undefined ? null : Number(value));
      return {
        outstanding: Number(row?.outstanding ?? 0),
        lastFraudAt: time(row?.last_fraud),
        lastDenialAt: time(row?.last_denial),
        lastSuccessAt: time(row?.last_success),
      };
    },

    async countPushesSince(userId, since) {
      const [row] = (await run(ctx, COUNT_PUSHES_SINCE, { userId, since })).rows;
      return Number(row?.pushes ?? 0);
    },

    async listOpenForDevice(deviceId, now) {
      const rows = await db
        .selectFrom('auth_transactions')
        .selectAll()
        .where('device_id', '=', deviceId)
        .where('state', 'in', OPEN_STATES)
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .limit(20)
        .execute();
      return rows.map(toTx);
    },

    async purge(before) {
      // Finished = in a final state, or still open but expired before the cut-off (nobody can finish it now).
      const result = await db
        .deleteFrom('auth_transactions')
        .where('updated_at', '<', before)
        .where((eb) => eb.or([eb('state', 'not in', OPEN_STATES), eb('expires_at', '<', before)]))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
