// Duo's administrator endpoints: administrators are users with a console role; every call needs `administrators`.
import { Type } from '@sinclair/typebox';
import {
  addAdministrator,
  listAdministrators,
  removeAdministrator,
  setAdministratorRole,
} from '../../core/admin/administrators.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { ADMIN_ROLES, type Administrator, type AdminRole, type User } from '../../core/model.ts';
import { canonicalUsername, USERNAME_MAX_LENGTH } from '../../core/usernames.ts';
import { DuoApiError, invalidParameter } from '../duo-api/envelope.ts';
import { duoStatus, seconds } from './objects.ts';
import { Id, NoParams, OneOf, Params, paging, Text } from './params.ts';
import { type AdminRoute, pageOf, route } from './route.ts';

/** Duo's spelling of each role, as its Admin API sends and takes it. */
export const DUO_ROLE_NAMES: Readonly<Record<AdminRole, string>> = {
  owner: 'Owner',
  administrator: 'Administrator',
  'help-desk': 'Help Desk',
  'read-only': 'Read-only',
};
const DUO_ROLES = ADMIN_ROLES.map((role) => DUO_ROLE_NAMES[role]) as [string, ...string[]];

/** Our role for Duo's name of it. */
function roleFromDuo(name: string): AdminRole {
  const role = ADMIN_ROLES.find((candidate) => DUO_ROLE_NAMES[candidate] === name);
  if (role === undefined) throw invalidParameter(`role: must be one of ${DUO_ROLES.join(', ')}`);
  return role;
}

const AdminPath = Params({ admin_id: Id("The administrator's id (their user id).") });

const AdminSchema = Type.Object({
  admin_id: Type.String({ description: "The administrator's user id." }),
  username: Type.String({ description: 'The username they sign in to the console with (Countersign).' }),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  role: Type.String({ description: DUO_ROLES.join(', ') }),
  status: Type.String({ description: "The user's status: Active, Disabled, Locked Out or Bypass." }),
  created: Type.Integer({ description: 'When the role was given (Unix seconds).' }),
  last_login: Type.Union([Type.Integer(), Type.Null()]),
});

/** Duo's administrator object. */
function describeAdmin(admin: Administrator, user: User) {
  const status = duoStatus(user.status);
  return {
    admin_id: user.id,
    username: user.username,
    name: user.realName ?? user.username,
    email: user.email,
    role: DUO_ROLE_NAMES[admin.role],
    status: status.replace(/\b\w/g, (letter) => letter.toUpperCase()),
    created: seconds(admin.createdAt),
    last_login: user.lastLoginAt === null ? null : seconds(user.lastLoginAt),
  };
}

/** The administrator with user id `id` and their user, or Duo's 404. */
async function requireAdmin(deps: Pick<CoreDeps, 'store'>, id: string): Promise<[Administrator, User]> {
  const [admin, user] = await Promise.all([deps.store.administrators.get(id), deps.store.users.get(id)]);
  if (!admin || !user) throw new DuoApiError(404, 40401, 'Resource not found', `no administrator ${id}`);
  return [admin, user];
}

const Role = OneOf(DUO_ROLES, `The role: ${DUO_ROLES.join(', ')}.`);

const listAdmins = route({
  method: 'GET',
  path: '/v1/admins',
  grant: 'administrators',
  summary: 'The administrators, oldest first, a page at a time.',
  params: Params(paging(300)),
  pathParams: NoParams,
  response: Type.Array(AdminSchema),
  paged: true,
  async handler({ deps }, { params }) {
    const all = (await listAdministrators(deps)).map(({ admin, user }) => describeAdmin(admin, user));
    return pageOf(all, params);
  },
});

const createAdmin = route({
  method: 'POST',
  path: '/v1/admins',
  grant: 'administrators',
  summary:
    'Gives an existing user a console role (Countersign: administrators are users, so the call names the user and takes no e-mail or name).',
  params: Params({
    username: Text({ maxLength: USERNAME_MAX_LENGTH, description: 'The user to make an administrator.' }),
    role: Role,
  }),
  pathParams: NoParams,
  response: AdminSchema,
  async handler({ deps }, { actor, params }) {
    const checked = canonicalUsername(params.username);
    if (!checked.ok) throw invalidParameter(`username: ${checked.reason}`);
    const user = await deps.store.users.findByName(checked.name);
    if (!user) throw invalidParameter(`username: no user ${checked.name}`);
    const admin = await addAdministrator(deps, actor, user, roleFromDuo(params.role));
    return { response: describeAdmin(admin, user) };
  },
});

const getAdmin = route({
  method: 'GET',
  path: '/v1/admins/{admin_id}',
  grant: 'administrators',
  summary: 'One administrator.',
  params: NoParams,
  pathParams: AdminPath,
  response: AdminSchema,
  async handler({ deps }, { path }) {
    const [admin, user] = await requireAdmin(deps, path.admin_id);
    return { response: describeAdmin(admin, user) };
  },
});

const modifyAdmin = route({
  method: 'POST',
  path: '/v1/admins/{admin_id}',
  grant: 'administrators',
  summary: "Changes an administrator's role (the last owner keeps theirs).",
  params: Params({ role: Type.Optional(Role) }),
  pathParams: AdminPath,
  response: AdminSchema,
  async handler({ deps }, { actor, params, path }) {
    const [admin, user] = await requireAdmin(deps, path.admin_id);
    const changed =
      params.role === undefined
        ? admin
        : await setAdministratorRole(deps, actor, user, roleFromDuo(params.role));
    return { response: describeAdmin(changed, user) };
  },
});

const deleteAdmin = route({
  method: 'DELETE',
  path: '/v1/admins/{admin_id}',
  grant: 'administrators',
  summary: 'Takes the role away (the user stays; the last owner cannot be removed); repeating it succeeds.',
  params: NoParams,
  pathParams: AdminPath,
  response: Type.Literal(''),
  async handler({ deps }, { actor, path }) {
    const user = await deps.store.users.get(path.admin_id);
    if (user) await removeAdministrator(deps, actor, user);
    return { response: '' };
  },
});

export const ADMIN_ACCOUNT_ROUTES: AdminRoute[] = [
  listAdmins,
  createAdmin,
  getAdmin,
  modifyAdmin,
  deleteAdmin,
];
