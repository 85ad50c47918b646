// `countersign admin …`: administrators (users with a console role): add, list, set-role, remove.
import {
  addAdministrator,
  listAdministrators,
  removeAdministrator,
  setAdministratorRole,
} from '../../core/admin/administrators.ts';
import { requireUser } from '../../core/admin/create-user.ts';
import { ADMIN_ROLES, type AdminRole } from '../../core/model.ts';
import { type Command, type Invocation, UsageError } from '../command.ts';
import { cliActor, withCountersign } from '../context.ts';
import { formatTable, print } from '../output.ts';

const ROLES = ADMIN_ROLES.join('|');

/** The role typed on the command line; a missing or unknown one exits 2. */
function roleOf(value: unknown, where: string): AdminRole {
  if (typeof value !== 'string')
    throw new UsageError(`${where} is required: one of ${ADMIN_ROLES.join(', ')}`);
  if (!(ADMIN_ROLES as readonly string[]).includes(value)) {
    throw new UsageError(`${where} '${value}' is not one of ${ADMIN_ROLES.join(', ')}`);
  }
  return value as AdminRole;
}

export const adminAdd: Command = {
  name: 'admin add',
  summary: 'Make a user an administrator of the console with a role.',
  usage: `countersign admin add <username or id> --role ${ROLES}`,
  positionals: 1,
  options: { role: { type: 'string' } },
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const role = roleOf(invocation.values.role, '--role');
      const user = await requireUser(deps, invocation.positionals[0]!);
      await addAdministrator(deps, cliActor(invocation), user, role);
      const result = { id: user.id, username: user.username, role };
      print(
        invocation.io,
        invocation.json,
        result,
        () => `${user.username} is now an administrator (${role}).`,
      );
      return result;
    }),
};

export const adminList: Command = {
  name: 'admin list',
  summary: 'List the administrators and their roles.',
  usage: 'countersign admin list',
  positionals: 0,
  run: (invocation: Invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const rows = (await listAdministrators(deps)).map(({ admin, user }) => ({
        id: user.id,
        username: user.username,
        realName: user.realName,
        email: user.email,
        role: admin.role,
        since: new Date(admin.createdAt).toISOString(),
      }));
      print(invocation.io, invocation.json, rows, () =>
        rows.length === 0
          ? 'No administrators yet. Make the first owner: countersign admin add <username> --role owner'
          : formatTable(rows, ['id', 'username', 'realName', 'email', 'role', 'since']),
      );
      return rows;
    }),
};

export const adminSetRole: Command = {
  name: 'admin set-role',
  summary: "Change an administrator's role (the last owner keeps theirs).",
  usage: `countersign admin set-role <username or id> <${ROLES}>`,
  positionals: 2,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const role = roleOf(invocation.positionals[1], 'role');
      const user = await requireUser(deps, invocation.positionals[0]!);
      const admin = await setAdministratorRole(deps, cliActor(invocation), user, role);
      const result = { id: user.id, username: user.username, role: admin.role };
      print(invocation.io, invocation.json, result, () => `${user.username} is now ${role}.`);
      return result;
    }),
};

export const adminRemove: Command = {
  name: 'admin remove',
  summary: 'Take the administrator role away from a user (the user stays; the last owner cannot be removed).',
  usage: 'countersign admin remove <username or id>',
  positionals: 1,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const user = await requireUser(deps, invocation.positionals[0]!);
      if (!(await removeAdministrator(deps, cliActor(invocation), user))) {
        throw new UsageError(`${user.username} is not an administrator`);
      }
      const result = { id: user.id, username: user.username, removed: true };
      print(invocation.io, invocation.json, result, () => `${user.username} is no longer an administrator.`);
      return result;
    }),
};

export const adminCommands = [adminAdd, adminList, adminSetRole, adminRemove];
