// Duo's user endpoints: list (paged, or one by username), create, read, modify, delete.
import { Type } from '@sinclair/typebox';
import { createUser } from '../../core/admin/create-user.ts';
import { deleteUser } from '../../core/admin/delete-user.ts';
import { modifyUser, type UserChange } from '../../core/admin/modify-user.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { CountersignError } from '../../core/errors.ts';
import type { User, UserStatus } from '../../core/model.ts';
import { canonicalUsername, USERNAME_MAX_LENGTH } from '../../core/usernames.ts';
import { parseFormPairs } from '../../crypto/duo-signature/index.ts';
import { invalidParameter } from '../duo-api/envelope.ts';
import { ALIAS_FIELDS, describeUser, UserSchema } from './objects.ts';
import { NoParams, OneOf, Params, paging, Text } from './params.ts';
import { type AdminRoute, pageMetadata, route } from './route.ts';

/** Duo's list maximum for users. */
const USERS_MAX = 300;

export const UserPath = Params({ user_id: Text({ maxLength: 64, description: "The user's id." }) });

/** The user `id`, or Duo's 404 (USER_NOT_FOUND). */
export async function requireUserById(deps: Pick<CoreDeps, 'store'>, id: string): Promise<User> {
  const user = await deps.store.users.get(id);
  if (!user) throw new CountersignError('USER_NOT_FOUND', id);
  return user;
}

/** Users with every authenticator of theirs, read in two queries for the whole page. */
export async function describeUsers(deps: Pick<CoreDeps, 'store'>, users: readonly User[]) {
  const devices = await deps.store.authenticators.listForUsers(users.map((user) => user.id));
  return users.map((user) =>
    describeUser(
      user,
      devices.filter((device) => device.userId === user.id),
    ),
  );
}

const NAME = {
  maxLength: 4 * USERNAME_MAX_LENGTH,
  description: 'A username (canonical form: docs/usernames.md).',
};

/** The fields create and modify share (Duo's names). */
const userFields = {
  realname: Type.Optional(Text({ maxLength: 256, minLength: 0, description: 'Full name.' })),
  email: Type.Optional(
    Text({
      maxLength: 254,
      minLength: 0,
      pattern: '^$|^[^\\s@]+@[^\\s@]+$',
      description: 'an e-mail address, or empty to clear it',
    }),
  ),
  status: Type.Optional(
    OneOf(['active', 'bypass', 'disabled'], "`locked out` is set by the system only (Duo's rule)."),
  ),
  notes: Type.Optional(Text({ maxLength: 1024, minLength: 0, description: 'A comment about the user.' })),
  aliases: Type.Optional(
    Text({
      maxLength: 8192,
      minLength: 0,
      description: 'Every alias at once, URL-encoded pairs: `alias1=jsmith&alias2=j.smith@example.com`.',
    }),
  ),
  ...Object.fromEntries(
    Array.from({ length: ALIAS_FIELDS }, (_, i) => [
      `alias${i + 1}`,
      Type.Optional(Text({ ...NAME, minLength: 0, description: `Alias number ${i + 1}; empty removes it.` })),
    ]),
  ),
};

type UserFields = {
  realname?: string;
  email?: string;
  status?: 'active' | 'bypass' | 'disabled';
  notes?: string;
  aliases?: string;
} & Partial<Record<`alias${number}`, string>>;

/** A name checked against the canonical form; a refused one is 40002 naming the parameter and why. */
function checkedName(parameter: string, raw: string): string {
  const checked = canonicalUsername(raw);
  if (!checked.ok) throw invalidParameter(`${parameter}: ${checked.reason}`);
  return checked.name;
}

/** The aliases after this call (`current` then the numbered fields, or `aliases` replacing all); undefined if untouched. */
function readAliases(params: UserFields, current: readonly string[]): string[] | undefined {
  const numbered = Array.from({ length: ALIAS_FIELDS }, (_, i) => params[`alias${i + 1}`]);
  if (params.aliases !== undefined) {
    if (numbered.some((value) => value !== undefined)) {
      throw invalidParameter('aliases: send either aliases or alias1…alias8, not both');
    }
    const pairs = parseFormPairs(params.aliases);
    if (pairs === null) throw invalidParameter('aliases: not valid URL encoding');
    const slots: string[] = [];
    for (const [key, value] of pairs) {
      const slot = /^alias([1-8])$/.exec(key);
      if (!slot) throw invalidParameter(`aliases: '${key}' is not alias1 to alias8`);
      slots[Number(slot[1]) - 1] = value;
    }
    return slots.filter((value) => value !== undefined && value !== '').map((v) => checkedName('aliases', v));
  }
  if (numbered.every((value) => value === undefined)) return undefined;
  const slots = Array.from({ length: ALIAS_FIELDS }, (_, i) => current[i]);
  numbered.forEach((value, i) => {
    if (value !== undefined) slots[i] = value === '' ? undefined : checkedName(`alias${i + 1}`, value);
  });
  return slots.filter((value): value is string => value !== undefined);
}

const blankToNull = (value: string | undefined) =>
  value === undefined ? undefined : value === '' ? null : value;

function changeOf(params: UserFields, current: readonly string[]): UserChange {
  const change: UserChange = {};
  const aliases = readAliases(params, current);
  if (aliases !== undefined) change.aliases = aliases;
  const realName = blankToNull(params.realname);
  if (realName !== undefined) change.realName = realName;
  const email = blankToNull(params.email);
  if (email !== undefined) change.email = email;
  const notes = blankToNull(params.notes);
  if (notes !== undefined) change.notes = notes;
  if (params.status !== undefined) change.status = params.status as UserStatus;
  return change;
}

const listUsers = route({
  method: 'GET',
  path: '/v1/users',
  grant: 'read-resource',
  summary:
    'Users in username order, a page at a time; with `username`, the one user of that name or alias; with `username_prefix`, the users whose username starts so (Countersign: search as you type).',
  params: Params({
    ...paging(USERS_MAX),
    username: Type.Optional(Text({ ...NAME, description: 'Only the user with this username or alias.' })),
    username_prefix: Type.Optional(
      Text({ ...NAME, description: 'Only users whose username starts with this (case-insensitive).' }),
    ),
  }),
  pathParams: NoParams,
  response: Type.Array(UserSchema),
  paged: true,
  async handler({ deps }, { params }) {
    if (params.username !== undefined) {
      const user = await deps.store.users.findByName(checkedName('username', params.username));
      const response = await describeUsers(deps, user ? [user] : []);
      return { response, metadata: { total_objects: response.length } };
    }
    const checked = params.username_prefix === undefined ? null : canonicalUsername(params.username_prefix);
    if (checked && !checked.ok) throw invalidParameter(`username_prefix: ${checked.reason}`);
    const filter = checked ? { keyPrefix: checked.key } : {};
    const [users, total] = await Promise.all([
      deps.store.users.list({ limit: params.limit, offset: params.offset }, filter),
      deps.store.users.count(filter),
    ]);
    return {
      response: await describeUsers(deps, users),
      metadata: pageMetadata(total, params.offset, params.limit, users.length),
    };
  },
});

const createUserRoute = route({
  method: 'POST',
  path: '/v1/users',
  grant: 'write-resource',
  summary: 'Creates a user; a username or alias already taken is 40002.',
  params: Params({ username: Text({ ...NAME, description: 'The new username.' }), ...userFields }),
  pathParams: NoParams,
  response: UserSchema,
  async handler({ deps }, { actor, params }) {
    const change = changeOf(params as UserFields, []);
    const user = await createUser(deps, actor, {
      username: checkedName('username', params.username),
      ...(change.aliases !== undefined && { aliases: change.aliases }),
      realName: change.realName ?? null,
      email: change.email ?? null,
      notes: change.notes ?? null,
      ...(change.status !== undefined && { status: change.status }),
    });
    return { response: describeUser(user, []) };
  },
});

const getUser = route({
  method: 'GET',
  path: '/v1/users/{user_id}',
  grant: 'read-resource',
  summary: 'One user, with groups, phones, tokens and security keys.',
  params: NoParams,
  pathParams: UserPath,
  response: UserSchema,
  async handler({ deps }, { path }) {
    const [user] = await describeUsers(deps, [await requireUserById(deps, path.user_id)]);
    return { response: user };
  },
});

const modifyUserRoute = route({
  method: 'POST',
  path: '/v1/users/{user_id}',
  grant: 'write-resource',
  summary: 'Changes a user: only the fields sent; an empty value clears a text field or alias.',
  params: Params({
    username: Type.Optional(Text({ ...NAME, description: 'A new username.' })),
    ...userFields,
  }),
  pathParams: UserPath,
  response: UserSchema,
  async handler({ deps }, { actor, params, path }) {
    const user = await requireUserById(deps, path.user_id);
    const change = changeOf(params as UserFields, user.aliases);
    if (params.username !== undefined) change.username = checkedName('username', params.username);
    const [updated] = await describeUsers(deps, [await modifyUser(deps, actor, user, change)]);
    return { response: updated };
  },
});

const deleteUserRoute = route({
  method: 'DELETE',
  path: '/v1/users/{user_id}',
  grant: 'write-resource',
  summary: 'Deletes a user with their devices and codes; deleting one already gone succeeds.',
  params: NoParams,
  pathParams: UserPath,
  response: Type.Literal(''),
  async handler({ deps }, { actor, path }) {
    await deleteUser(deps, actor, path.user_id);
    return { response: '' };
  },
});

export const USER_ROUTES: AdminRoute[] = [
  listUsers,
  createUserRoute,
  getUser,
  modifyUserRoute,
  deleteUserRoute,
];
