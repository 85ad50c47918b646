// Authenticators on SQL, with the one-time-password compare-and-set updates done as single atomic statements.
import type { Kysely, Selectable } from 'kysely';
import { CountersignError } from '../../core/errors.ts';
import type { Authenticator, AuthenticatorKind, OtpAlgorithm } from '../../core/model.ts';
import type { AuthenticatorFilter, AuthenticatorRepository } from '../../core/repositories.ts';
import { concerns, constraintViolation } from '../db-errors.ts';
import { readJsonObject, writeJson } from '../json-column.ts';
import type { AuthenticatorsTable, Database } from '../schema.ts';
import { type RepositoryContext, run } from './context.ts';
import { prepare } from './prepared.ts';

const GET = prepare('authenticators.get', (db, p: { id: string }) =>
  db.selectFrom('authenticators').selectAll().where('id', '=', p.id),
);

const LIST_FOR_USER = prepare('authenticators.listForUser', (db, p: { userId: string }) =>
  db
    .selectFrom('authenticators')
    .selectAll()
    .where('user_id', '=', p.userId)
    .orderBy('created_at')
    .orderBy('id'),
);

// RFC 6238 §5.2: a verifier must not accept the same OTP twice. The condition sits in the WHERE clause so
// the database decides atomically; of parallel claims for one step only one row update happens.
const CLAIM_TOTP_STEP = prepare(
  'authenticators.claimTotpStep',
  (db, p: { id: string; step: number; now: number }) =>
    db
      .updateTable('authenticators')
      .set({ last_used_step: p.step, last_used_at: p.now })
      .where('id', '=', p.id)
      .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', p.step)])),
);

// RFC 4226 §7.2: the counter only moves forward after a success; compare-and-set on the expected value.
const ADVANCE_HOTP_COUNTER = prepare(
  'authenticators.advanceHotpCounter',
  (db, p: { id: string; expected: number; next: number; now: number }) =>
    db
      .updateTable('authenticators')
      .set({ counter: p.next, last_used_at: p.now })
      .where('id', '=', p.id)
      .where('counter', '=', p.expected),
);

function toAuthenticator(row: Selectable<AuthenticatorsTable>): Authenticator {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind as AuthenticatorKind,
    name: row.name,
    serial: row.serial,
    secretSealed: row.secret_sealed,
    algorithm: row.algorithm as OtpAlgorithm,
    digits: row.digits,
    period: row.period,
    counter: row.counter,
    lastUsedStep: row.last_used_step,
    data: readJsonObject(row.data, 'authenticators.data'),
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}

function createError(error: unknown, a: Authenticator): unknown {
  const violation = constraintViolation(error);
  if (violation?.kind === 'foreign_key') return new CountersignError('USER_NOT_FOUND', a.userId ?? undefined);
  if (violation?.kind !== 'unique') return error;
  if (concerns(violation, 'authenticators', 'serial'))
    return new CountersignError('TOKEN_EXISTS', a.serial ?? '');
  return new CountersignError('INVALID_INPUT', `id: authenticator ${a.id} already exists`);
}

/** The authenticators `filter` selects. */
function filtered(db: Kysely<Database>, filter: AuthenticatorFilter) {
  let query = db.selectFrom('authenticators');
  // '' is no kind: it keeps `in (…)` valid SQL when the list is empty (and matches nothing).
  if (filter.kinds !== undefined) query = query.where('kind', 'in', [...filter.kinds, '']);
  if (filter.hardware === true) query = query.where('serial', 'is not', null);
  if (filter.hardware === false) query = query.where('serial', 'is', null);
  if (filter.serial !== undefined) query = query.where('serial', '=', filter.serial);
  return query;
}

/** The authenticator repository bound to `ctx`. */
export function authenticatorRepository(ctx: RepositoryContext): AuthenticatorRepository {
  const { db } = ctx;
  const select = () => db.selectFrom('authenticators').selectAll();
  const mustUpdate = (numUpdatedRows: bigint, id: string) => {
    if (numUpdatedRows === 0n) throw new CountersignError('DEVICE_NOT_FOUND', id);
  };
  return {
    async create(a) {
      try {
        await db
          .insertInto('authenticators')
          .values({
            id: a.id,
            user_id: a.userId,
            kind: a.kind,
            name: a.name,
            serial: a.serial,
            secret_sealed: a.secretSealed,
            algorithm: a.algorithm,
            digits: a.digits,
            period: a.period,
            counter: a.counter,
            last_used_step: a.lastUsedStep,
            data: writeJson(a.data),
            created_at: a.createdAt,
            last_used_at: a.lastUsedAt,
          })
          .execute();
      } catch (error) {
        throw createError(error, a);
      }
    },

    async get(id) {
      const [row] = (await run(ctx, GET, { id })).rows;
      return row ? toAuthenticator(row) : null;
    },

    async findBySerial(serial) {
      const row = await select().where('serial', '=', serial).executeTakeFirst();
      return row ? toAuthenticator(row) : null;
    },

    async listForUser(userId) {
      const { rows } = await run(ctx, LIST_FOR_USER, { userId });
      return rows.map(toAuthenticator);
    },

    async listForUsers(userIds) {
      if (userIds.length === 0) return [];
      const rows = await select()
        .where('user_id', 'in', [...userIds])
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toAuthenticator);
    },

    async listAll(page) {
      const rows = await select()
        .orderBy('created_at')
        .orderBy('id')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      return rows.map(toAuthenticator);
    },

    async list(filter, page) {
      const rows = await filtered(db, filter)
        .selectAll()
        .orderBy('id')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      return rows.map(toAuthenticator);
    },

    async count(filter) {
      const row = await filtered(db, filter)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async unassign(id, userId) {
      const result = await db
        .updateTable('authenticators')
        .set({ user_id: null })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('serial', 'is not', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async assign(id, userId) {
      // Compare-and-set: only an unassigned token can be bound, so two admins cannot both assign it.
      try {
        const result = await db
          .updateTable('authenticators')
          .set({ user_id: userId })
          .where('id', '=', id)
          .where('user_id', 'is', null)
          .executeTakeFirst();
        return result.numUpdatedRows === 1n;
      } catch (error) {
        if (constraintViolation(error)?.kind === 'foreign_key')
          throw new CountersignError('USER_NOT_FOUND', userId);
        throw error;
      }
    },

    async rename(id, name) {
      const result = await db
        .updateTable('authenticators')
        .set({ name })
        .where('id', '=', id)
        .executeTakeFirst();
      mustUpdate(result.numUpdatedRows, id);
    },

    async remove(id) {
      // Idempotent: removing a device that is already gone is not an error.
      await db.deleteFrom('authenticators').where('id', '=', id).execute();
    },

    async updateData(id, data) {
      const result = await db
        .updateTable('authenticators')
        .set({ data: writeJson(data) })
        .where('id', '=', id)
        .executeTakeFirst();
      mustUpdate(result.numUpdatedRows, id);
    },

    async updateSealedSecret(id, secretSealed) {
      const result = await db
        .updateTable('authenticators')
        .set({ secret_sealed: secretSealed })
        .where('id', '=', id)
        .executeTakeFirst();
      mustUpdate(result.numUpdatedRows, id);
    },

    async claimTotpStep(id, step, now) {
      const result = await run(ctx, CLAIM_TOTP_STEP, { id, step, now });
      return result.numAffectedRows === 1n;
    },

    async advanceHotpCounter(id, expected, next, now) {
      const result = await run(ctx, ADVANCE_HOTP_COUNTER, { id, expected, next, now });
      return result.numAffectedRows === 1n;
    },
  };
}
