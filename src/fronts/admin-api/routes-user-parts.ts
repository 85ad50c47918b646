// Duo's endpoints under one user: phones, security keys, groups, hardware tokens and bypass codes.
import { Type } from '@sinclair/typebox';
import { deleteDevice } from '../../core/admin/delete-device.ts';
import { assignToken } from '../../core/admin/import-tokens.ts';
import { issueBypassCodes, MAX_ACTIVE_BYPASS_CODES } from '../../core/admin/issue-bypass-codes.ts';
import { addUserToGroup, removeUserFromGroup } from '../../core/admin/manage-groups.ts';
import { requireToken, unassignToken } from '../../core/admin/manage-tokens.ts';
import { isCountersignError } from '../../core/errors.ts';
import { invalidParameter } from '../duo-api/envelope.ts';
import {
  BypassCodeSchema,
  describeBypassCode,
  describeGroup,
  describeToken,
  describeUser,
  GroupSchema,
  PhoneSchema,
  TokenSchema,
  WebauthnCredentialSchema,
} from './objects.ts';
import { Flag, NoParams, Params, paging, Text, Whole } from './params.ts';
import { type AdminRoute, pageMetadata, route } from './route.ts';
import { requireUserById, UserPath } from './routes-users.ts';

/** Duo's list maximum for the lists under a user. */
const PARTS_MAX = 500;

/** A page of an in-memory list (a user's own devices or groups are few). */
function slice<T>(items: readonly T[], params: { limit: number; offset: number }) {
  const page = items.slice(params.offset, params.offset + params.limit);
  return { response: page, metadata: pageMetadata(items.length, params.offset, params.limit, page.length) };
}

const ID = (description: string) => Text({ maxLength: 128, description });

const userPhones = route({
  method: 'GET',
  path: '/v1/users/{user_id}/phones',
  grant: 'read-resource',
  summary: "The user's phones: Authenticator apps, authenticator apps (TOTP) and phone numbers.",
  params: Params(paging(PARTS_MAX)),
  pathParams: UserPath,
  response: Type.Array(PhoneSchema),
  paged: true,
  async handler({ deps }, { params, path }) {
    const user = await requireUserById(deps, path.user_id);
    const devices = await deps.store.authenticators.listForUser(user.id);
    return slice(describeUser(user, devices).phones, params);
  },
});

const removeUserPhone = route({
  method: 'DELETE',
  path: '/v1/users/{user_id}/phones/{phone_id}',
  grant: 'write-resource',
  summary: "Removes one of the user's phones (its credentials stop working; remembered browsers end).",
  params: NoParams,
  pathParams: Params({ user_id: UserPath.properties.user_id, phone_id: ID("The phone's id.") }),
  response: Type.Literal(''),
  async handler({ deps }, { actor, path }) {
    const user = await requireUserById(deps, path.user_id);
    const device = await deps.store.authenticators.get(path.phone_id);
    if (device && device.userId === user.id) await deleteDevice(deps, actor, device.id);
    return { response: '' };
  },
});

const userWebauthn = route({
  method: 'GET',
  path: '/v1/users/{user_id}/webauthncredentials',
  grant: 'read-resource',
  summary: "The user's security keys and passkeys.",
  params: Params(paging(PARTS_MAX)),
  pathParams: UserPath,
  response: Type.Array(WebauthnCredentialSchema),
  paged: true,
  async handler({ deps }, { params, path }) {
    const user = await requireUserById(deps, path.user_id);
    const devices = await deps.store.authenticators.listForUser(user.id);
    return slice(describeUser(user, devices).webauthncredentials, params);
  },
});

const userGroups = route({
  method: 'GET',
  path: '/v1/users/{user_id}/groups',
  grant: 'read-resource',
  summary: 'The groups the user is a member of.',
  params: Params(paging(PARTS_MAX)),
  pathParams: UserPath,
  response: Type.Array(GroupSchema),
  paged: true,
  async handler({ deps }, { params, path }) {
    const user = await requireUserById(deps, path.user_id);
    return slice(
      user.groups.map((name) => describeGroup({ name })),
      params,
    );
  },
});

const GroupId = ID('The group to join (its name).');

const addUserGroup = route({
  method: 'POST',
  path: '/v1/users/{user_id}/groups',
  grant: 'write-resource',
  summary: 'Makes the user a member of an existing group.',
  params: Params({ group_id: GroupId }),
  pathParams: UserPath,
  response: Type.Literal(''),
  async handler({ deps }, { actor, params, path }) {
    const user = await requireUserById(deps, path.user_id);
    try {
      await addUserToGroup(deps, actor, user, params.group_id);
    } catch (error) {
      // Duo: an unknown group in the body is a bad parameter, not a missing resource.
      if (isCountersignError(error, 'GROUP_NOT_FOUND')) throw invalidParameter('group_id: no such group');
      throw error;
    }
    return { response: '' };
  },
});

const removeUserGroup = route({
  method: 'DELETE',
  path: '/v1/users/{user_id}/groups/{group_id}',
  grant: 'write-resource',
  summary: 'Takes the user out of a group (a user who is not a member is left as is).',
  params: NoParams,
  pathParams: Params({ user_id: UserPath.properties.user_id, group_id: GroupId }),
  response: Type.Literal(''),
  async handler({ deps }, { actor, path }) {
    await removeUserFromGroup(deps, actor, await requireUserById(deps, path.user_id), path.group_id);
    return { response: '' };
  },
});

const userTokens = route({
  method: 'GET',
  path: '/v1/users/{user_id}/tokens',
  grant: 'read-resource',
  summary: "The user's hardware tokens.",
  params: Params(paging(PARTS_MAX)),
  pathParams: UserPath,
  response: Type.Array(TokenSchema),
  paged: true,
  async handler({ deps }, { params, path }) {
    const user = await requireUserById(deps, path.user_id);
    const devices = await deps.store.authenticators.listForUser(user.id);
    return slice(
      devices.filter((device) => device.serial !== null).map((token) => describeToken(token, user)),
      params,
    );
  },
});

const TokenId = ID("The hardware token's id.");

const addUserToken = route({
  method: 'POST',
  path: '/v1/users/{user_id}/tokens',
  grant: 'write-resource',
  summary: 'Assigns an unassigned hardware token to the user.',
  params: Params({ token_id: TokenId }),
  pathParams: UserPath,
  response: Type.Literal(''),
  async handler({ deps }, { actor, params, path }) {
    const user = await requireUserById(deps, path.user_id);
    const token = await deps.store.authenticators.get(params.token_id);
    if (!token || token.serial === null) throw invalidParameter('token_id: no such token');
    await assignToken(deps, actor, token.serial, user);
    return { response: '' };
  },
});

const removeUserToken = route({
  method: 'DELETE',
  path: '/v1/users/{user_id}/tokens/{token_id}',
  grant: 'write-resource',
  summary: 'Takes a hardware token back from the user (it stays in stock, unassigned).',
  params: NoParams,
  pathParams: Params({ user_id: UserPath.properties.user_id, token_id: TokenId }),
  response: Type.Literal(''),
  async handler({ deps }, { actor, path }) {
    const user = await requireUserById(deps, path.user_id);
    await requireToken(deps, path.token_id);
    await unassignToken(deps, actor, user, path.token_id);
    return { response: '' };
  },
});

/** Duo's default for `count`. */
const DEFAULT_CODES = 10;
/** Our default lifetime (Duo's is "never"): SECURITY.md asks every bypass code to expire; 0 still means never. */
const DEFAULT_VALID_SECS = 3600;

const issueCodes = route({
  method: 'POST',
  path: '/v1/users/{user_id}/bypass_codes',
  grant: 'write-resource',
  summary:
    'Issues random bypass codes and returns them: the only time they are shown. Unless preserve_existing, they replace the active ones.',
  params: Params({
    count: Whole({
      minimum: 1,
      maximum: MAX_ACTIVE_BYPASS_CODES,
      default: DEFAULT_CODES,
      description: 'How many codes.',
    }),
    valid_secs: Whole({
      minimum: 0,
      maximum: 365 * 86_400,
      default: DEFAULT_VALID_SECS,
      description: 'Lifetime in seconds; 0 = never expires. Default 3600 (Duo: 0).',
    }),
    reuse_count: Whole({
      minimum: 0,
      maximum: 1000,
      default: 1,
      description: 'Uses per code; 0 = unlimited.',
    }),
    preserve_existing: Flag('Keep the active codes (default: they are revoked).'),
    codes: Type.Optional(
      Text({
        maxLength: 4096,
        description: "Refused: Countersign issues only random codes (Duo's chosen codes).",
      }),
    ),
  }),
  pathParams: UserPath,
  response: Type.Array(Type.String({ pattern: '^[0-9]+$' })),
  async handler({ deps }, { actor, params, path }) {
    // SECURITY.md: bypass codes come from the CSPRNG, never from the caller.
    if (params.codes !== undefined) throw invalidParameter('codes: only random codes are issued; send count');
    const user = await requireUserById(deps, path.user_id);
    const { codes } = await issueBypassCodes(deps, actor, user, {
      count: params.count,
      uses: params.reuse_count === 0 ? null : params.reuse_count,
      expiresInSeconds: params.valid_secs === 0 ? null : params.valid_secs,
      replaceExisting: params.preserve_existing !== true,
    });
    return { response: codes };
  },
});

const listCodes = route({
  method: 'GET',
  path: '/v1/users/{user_id}/bypass_codes',
  grant: 'read-resource',
  summary: "The user's active bypass codes, without the codes themselves.",
  params: Params(paging(PARTS_MAX)),
  pathParams: UserPath,
  response: Type.Array(BypassCodeSchema),
  paged: true,
  async handler({ deps }, { params, path }) {
    const user = await requireUserById(deps, path.user_id);
    const codes = await deps.store.bypassCodes.listActive(user.id, deps.clock.now());
    return slice(
      codes.map((code) => describeBypassCode(code, user)),
      params,
    );
  },
});

export const USER_PART_ROUTES: AdminRoute[] = [
  userPhones,
  removeUserPhone,
  userWebauthn,
  userGroups,
  addUserGroup,
  removeUserGroup,
  userTokens,
  addUserToken,
  removeUserToken,
  issueCodes,
  listCodes,
];
