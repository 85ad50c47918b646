// Applications (integrations) on SQL: unique names and integration keys, policy kept as JSON text.
import type { Selectable } from 'kysely';
import { CountersignError } from '../../core/errors.ts';
import type { AdminPermission, Application, ApplicationType, PolicyLayer } from '../../core/model.ts';
import type { ApplicationRepository } from '../../core/repositories.ts';
import { concerns, constraintViolation } from '../db-errors.ts';
import { readJsonObject, readJsonStrings, writeJson } from '../json-column.ts';
import type { ApplicationsTable } from '../schema.ts';
import { type RepositoryContext, run } from './context.ts';
import { prepare } from './prepared.ts';

// Read with every push, every approval and every auth_status of an async login.
const GET_APPLICATION = prepare('applications.get', (db, p: { id: string }) =>
  db.selectFrom('applications').selectAll().where('id', '=', p.id),
);

function toApplication(row: Selectable<ApplicationsTable>): Application {
  return {
    id: row.id,
    name: row.name,
    type: row.type as ApplicationType,
    ikey: row.ikey,
    skeySealed: row.skey_sealed,
    policy: readJsonObject(row.policy, 'applications.policy') as PolicyLayer,
    createdAt: row.created_at,
    legacyRestV1: row.legacy_rest_v1 === 1,
    permissions: readJsonStrings(row.permissions, 'applications.permissions') as AdminPermission[],
    // Absent when empty, as an application made without notes is.
    ...(row.notes !== '' && { notes: row.notes }),
  };
}

/** Explains which unique field of `app` clashed, as INVALID_INPUT with detail; other errors pass through. */
function conflictError(error: unknown, app: Application): unknown {
  const violation = constraintViolation(error);
  if (violation?.kind !== 'unique') return error;
  if (concerns(violation, 'applications', 'name')) {
    return new CountersignError('INVALID_INPUT', `name: an application named "${app.name}" already exists`);
  }
  if (concerns(violation, 'applications', 'ikey')) {
    return new CountersignError('INVALID_INPUT', `ikey: integration key ${app.ikey} is already in use`);
  }
  return new CountersignError('INVALID_INPUT', `id: application ${app.id} already exists`);
}

/** The application repository bound to `ctx`. */
export function applicationRepository(ctx: RepositoryContext): ApplicationRepository {
  const { db } = ctx;
  const select = () => db.selectFrom('applications').selectAll();
  return {
    async create(app) {
      try {
        await db
          .insertInto('applications')
          .values({
            id: app.id,
            name: app.name,
            type: app.type,
            ikey: app.ikey,
            skey_sealed: app.skeySealed,
            policy: writeJson(app.policy),
            created_at: app.createdAt,
            legacy_rest_v1: app.legacyRestV1 ? 1 : 0,
            permissions: writeJson(app.permissions),
            notes: app.notes ?? '',
          })
          .execute();
      } catch (error) {
        throw conflictError(error, app);
      }
    },

    async get(id) {
      const { rows } = await run(ctx, GET_APPLICATION, { id });
      return rows[0] ? toApplication(rows[0]) : null;
    },

    async findByIkey(ikey) {
      const row = await select().where('ikey', '=', ikey).executeTakeFirst();
      return row ? toApplication(row) : null;
    },

    async findByName(name) {
      const row = await select().where('name', '=', name).executeTakeFirst();
      return row ? toApplication(row) : null;
    },

    async list() {
      const rows = await select().orderBy('name').execute();
      return rows.map(toApplication);
    },

    async updatePolicy(id, policy) {
      const result = await db
        .updateTable('applications')
        .set({ policy: writeJson(policy) })
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new CountersignError('APPLICATION_NOT_FOUND', id);
    },

    async setLegacyRestV1(id, on) {
      const result = await db
        .updateTable('applications')
        .set({ legacy_rest_v1: on ? 1 : 0 })
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new CountersignError('APPLICATION_NOT_FOUND', id);
    },

    async update(id, patch) {
      if (patch.name === undefined && patch.notes === undefined) {
        if (!(await select().where('id', '=', id).executeTakeFirst()))
          throw new CountersignError('APPLICATION_NOT_FOUND', id);
        return;
      }
      let result: { numUpdatedRows: bigint };
      try {
        result = await db
          .updateTable('applications')
          .set({
            ...(patch.name !== undefined && { name: patch.name }),
            ...(patch.notes !== undefined && { notes: patch.notes }),
          })
          .where('id', '=', id)
          .executeTakeFirst();
      } catch (error) {
        const violation = constraintViolation(error);
        if (violation?.kind === 'unique' && concerns(violation, 'applications', 'name')) {
          throw new CountersignError(
            'INVALID_INPUT',
            `name: an application named "${patch.name}" already exists`,
          );
        }
        throw error;
      }
      if (result.numUpdatedRows === 0n) throw new CountersignError('APPLICATION_NOT_FOUND', id);
    },

    async remove(id) {
      const result = await db.deleteFrom('applications').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async updateSealedSecret(id, skeySealed) {
      const result = await db
        .updateTable('applications')
        .set({ skey_sealed: skeySealed })
        .where('id', '=', id)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new CountersignError('APPLICATION_NOT_FOUND', id);
    },
  };
}
