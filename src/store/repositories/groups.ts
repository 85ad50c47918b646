// Groups on SQL: a name and the policy layer that applies to its members.
import type { PolicyLayer } from '../../core/model.ts';
import type { GroupRepository } from '../../core/repositories.ts';
import { readJsonObject, writeJson } from '../json-column.ts';
import { type RepositoryContext, run } from './context.ts';
import { prepare } from './prepared.ts';

const GET_GROUP = prepare('groups.get', (db, p: { name: string }) =>
  db.selectFrom('groups').selectAll().where('name', '=', p.name),
);

/** The group repository bound to `ctx`. */
export function groupRepository(ctx: RepositoryContext): GroupRepository {
  const { db } = ctx;
  const toGroup = (row: { name: string; policy: string }) => ({
    name: row.name,
    policy: readJsonObject(row.policy, 'groups.policy') as PolicyLayer,
  });
  return {
    async upsert(group) {
      const policy = writeJson(group.policy);
      await db
        .insertInto('groups')
        .values({ name: group.name, policy })
        .onConflict((oc) => oc.column('name').doUpdateSet({ policy }))
        .execute();
    },

    async get(name) {
      const [row] = (await run(ctx, GET_GROUP, { name })).rows;
      return row ? toGroup(row) : null;
    },

    async list(page) {
      let query = db.selectFrom('groups').selectAll().orderBy('name');
      if (page !== undefined) query = query.limit(page.limit).offset(page.offset);
      return (await query.execute()).map(toGroup);
    },

    async count() {
      const row = await db
        .selectFrom('groups')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async remove(name) {
      const result = await db.deleteFrom('groups').where('name', '=', name).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
