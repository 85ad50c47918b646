// Duo's endpoints for one user's devices: phones, security keys and hardware tokens.
import { Type } from '@sinclair/typebox';
import { deleteDevice } from '../../core/admin/delete-device.ts';
import { assignToken } from '../../core/admin/import-tokens.ts';
import { requireToken, unassignToken } from '../../core/admin/manage-tokens.ts';
import { invalidParameter } from '../duo-api/envelope.ts';
import {
  describeToken,
  describeUser,
  PhoneSchema,
  TokenSchema,
  WebauthnCredentialSchema,
} from './objects.ts';
import { Id, NoParams, Params, paging } from './params.ts';
import { type AdminRoute, pageOf, route } from './route.ts';
import { requireUserById, UserPath } from './routes-users.ts';

/** Duo's list maximum for the lists under a user. */
const PARTS_MAX = 500;

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
    return pageOf(describeUser(user, devices).phones, params);
  },
});

const removeUserPhone = route({
  method: 'DELETE',
  path: '/v1/users/{user_id}/phones/{phone_id}',
  grant: 'write-resource',
  summary: "Removes one of the user's phones (its credentials stop working; remembered browsers end).",
  params: NoParams,
  pathParams: Params({ user_id: UserPath.properties.user_id, phone_id: Id("The phone's id.") }),
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
    return pageOf(describeUser(user, devices).webauthncredentials, params);
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
    return pageOf(
      devices.filter((device) => device.serial !== null).map((token) => describeToken(token, user)),
      params,
    );
  },
});

const TokenId = Id("The hardware token's id.");

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

export const USER_DEVICE_ROUTES: AdminRoute[] = [
  userPhones,
  removeUserPhone,
  userWebauthn,
  userTokens,
  addUserToken,
  removeUserToken,
];
