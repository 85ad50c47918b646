// Duo's phone and hardware token endpoints: list, read, delete, activation links, token import one by one, resync.
import { Type } from '@sinclair/typebox';
import { deleteDevice } from '../../core/admin/delete-device.ts';
import { importTokens } from '../../core/admin/import-tokens.ts';
import { deleteToken, requireToken, resyncToken } from '../../core/admin/manage-tokens.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { createActivation } from '../../core/enrollment/create-activation.ts';
import { CountersignError } from '../../core/errors.ts';
import type { Authenticator, User } from '../../core/model.ts';
import type { AuthenticatorFilter } from '../../core/repositories.ts';
import { activationLink } from '../../device-protocol/activation-link.ts';
import type { ImportedToken } from '../../methods/token-import/imported-token.ts';
import {
  checkCounter,
  checkPeriod,
  checkSecretLength,
  checkSerial,
} from '../../methods/token-import/token-rules.ts';
import { invalidParameter } from '../duo-api/envelope.ts';
import { describePhone, describeToken, PHONE_KINDS, PhoneSchema, TokenSchema } from './objects.ts';
import { NoParams, OneOf, Params, paging, Text, Whole } from './params.ts';
import { type AdminRoute, pageMetadata, route } from './route.ts';

/** Duo's list maximum for phones and tokens. */
const DEVICES_MAX = 500;

const PHONES: AuthenticatorFilter = { kinds: PHONE_KINDS, hardware: false };

const PhonePath = Params({ phone_id: Text({ maxLength: 128, description: "The phone's id." }) });
const TokenPath = Params({ token_id: Text({ maxLength: 128, description: "The hardware token's id." }) });

/** The owners of a page of devices, by id (one query). */
async function owners(
  deps: Pick<CoreDeps, 'store'>,
  devices: readonly Authenticator[],
): Promise<Map<string, User>> {
  const ids = devices.map((device) => device.userId).filter((id): id is string => id !== null);
  return new Map((await deps.store.users.getMany(ids)).map((user) => [user.id, user]));
}

const ownerOf = (map: Map<string, User>, device: Authenticator) =>
  device.userId === null ? null : (map.get(device.userId) ?? null);

/** The phone `id` (a software authenticator that is not a security key), or Duo's 404. */
async function requirePhone(deps: Pick<CoreDeps, 'store'>, id: string): Promise<Authenticator> {
  const device = await deps.store.authenticators.get(id);
  if (!device || device.serial !== null || !(PHONE_KINDS as readonly string[]).includes(device.kind)) {
    throw new CountersignError('DEVICE_NOT_FOUND', id);
  }
  return device;
}

const listPhones = route({
  method: 'GET',
  path: '/v1/phones',
  grant: 'read-resource',
  summary: 'Every phone (Authenticator app, authenticator app, phone number) in id order, a page at a time.',
  params: Params(paging(DEVICES_MAX)),
  pathParams: NoParams,
  response: Type.Array(PhoneSchema),
  paged: true,
  async handler({ deps }, { params }) {
    const [devices, total] = await Promise.all([
      deps.store.authenticators.list(PHONES, params),
      deps.store.authenticators.count(PHONES),
    ]);
    const users = await owners(deps, devices);
    return {
      response: devices.map((device) => describePhone(device, ownerOf(users, device))),
      metadata: pageMetadata(total, params.offset, params.limit, devices.length),
    };
  },
});

const getPhone = route({
  method: 'GET',
  path: '/v1/phones/{phone_id}',
  grant: 'read-resource',
  summary: 'One phone with its user.',
  params: NoParams,
  pathParams: PhonePath,
  response: PhoneSchema,
  async handler({ deps }, { path }) {
    const device = await requirePhone(deps, path.phone_id);
    return { response: describePhone(device, ownerOf(await owners(deps, [device]), device)) };
  },
});

const deletePhone = route({
  method: 'DELETE',
  path: '/v1/phones/{phone_id}',
  grant: 'write-resource',
  summary:
    "Deletes a phone (its credentials stop working; the user's remembered browsers end); a repeat succeeds.",
  params: NoParams,
  pathParams: PhonePath,
  response: Type.Literal(''),
  async handler({ deps }, { actor, path }) {
    const device = await deps.store.authenticators.get(path.phone_id);
    if (device) await requirePhone(deps, device.id);
    await deleteDevice(deps, actor, path.phone_id);
    return { response: '' };
  },
});

const activationUrl = route({
  method: 'POST',
  path: '/v1/phones/{phone_id}/activation_url',
  grant: 'write-resource',
  summary:
    "A single-use link that activates the Countersign Authenticator for the phone's user; for an Authenticator app it replaces that app once used.",
  params: Params({
    valid_secs: Whole({
      minimum: 60,
      maximum: 30 * 86_400,
      default: 86_400,
      description: 'How long the link works, in seconds.',
    }),
  }),
  pathParams: PhonePath,
  response: Type.Object({
    activation_url: Type.String(),
    activation_barcode: Type.String({ description: 'A QR code image of the link.' }),
    valid_secs: Type.Integer(),
  }),
  async handler({ deps, publicUrl }, { actor, params, path }) {
    const device = await requirePhone(deps, path.phone_id);
    const user = device.userId === null ? null : await deps.store.users.get(device.userId);
    if (!user) throw new CountersignError('DEVICE_NOT_FOUND', path.phone_id);
    const { code } = await createActivation(deps, actor, user, {
      validSeconds: params.valid_secs,
      replacesDeviceId: device.kind === 'push' ? device.id : null,
      byAdministrator: true,
    });
    const base = publicUrl();
    const link = activationLink(base, code);
    return {
      response: {
        activation_url: link,
        activation_barcode: `${base}/frame/qr?value=${encodeURIComponent(link)}`,
        valid_secs: params.valid_secs,
      },
    };
  },
});

const TOKEN_TYPES = ['h6', 'h8', 't6', 't8'] as const;

const listTokens = route({
  method: 'GET',
  path: '/v1/tokens',
  grant: 'read-resource',
  summary: 'Hardware tokens in id order, a page at a time; `type` with `serial` finds one.',
  params: Params({
    ...paging(DEVICES_MAX),
    type: Type.Optional(OneOf(TOKEN_TYPES, 'With serial: the token type.')),
    serial: Type.Optional(Text({ maxLength: 64, description: 'With type: the serial number.' })),
  }),
  pathParams: NoParams,
  response: Type.Array(TokenSchema),
  paged: true,
  async handler({ deps }, { params }) {
    if ((params.type === undefined) !== (params.serial === undefined)) {
      throw invalidParameter(
        `${params.type === undefined ? 'type' : 'serial'}: send type and serial together`,
      );
    }
    const filter: AuthenticatorFilter = {
      hardware: true,
      ...(params.serial !== undefined && { serial: params.serial }),
    };
    const [found, total] = await Promise.all([
      deps.store.authenticators.list(filter, params),
      deps.store.authenticators.count(filter),
    ]);
    const tokens =
      params.type === undefined
        ? found
        : found.filter((token) => describeToken(token, null).type === params.type);
    const users = await owners(deps, tokens);
    return {
      response: tokens.map((token) => describeToken(token, ownerOf(users, token))),
      metadata: pageMetadata(
        params.type === undefined ? total : tokens.length,
        params.offset,
        params.limit,
        tokens.length,
      ),
    };
  },
});

/** Reads one checked field of a new token, or 40002 naming it. */
function field<T>(name: string, checked: { ok: true; value: T } | { ok: false; message: string }): T {
  if (!checked.ok) throw invalidParameter(`${name}: ${checked.message}`);
  return checked.value;
}

const createToken = route({
  method: 'POST',
  path: '/v1/tokens',
  grant: 'write-resource',
  summary: 'Adds one unassigned OATH hardware token (HOTP or TOTP); its seed is sealed at once.',
  params: Params({
    type: OneOf(TOKEN_TYPES, 'h6/h8: HOTP with 6/8 digits; t6/t8: TOTP (YubiKey OTP is not supported).'),
    serial: Text({ maxLength: 64, description: 'The serial number printed on the token.' }),
    secret: Text({ maxLength: 128, pattern: '^([0-9a-fA-F]{2})+$', description: 'the seed in hex' }),
    counter: Type.Optional(Text({ maxLength: 20, description: 'HOTP: the starting counter (default 0).' })),
    totp_step: Type.Optional(
      Whole({ minimum: 1, maximum: 300, description: 'TOTP: the time step (default 30).' }),
    ),
  }),
  pathParams: NoParams,
  response: TokenSchema,
  async handler({ deps }, { actor, params }) {
    const hotp = params.type.startsWith('h');
    if (hotp && params.totp_step !== undefined)
      throw invalidParameter('totp_step: only for TOTP tokens (t6, t8)');
    if (!hotp && params.counter !== undefined)
      throw invalidParameter('counter: only for HOTP tokens (h6, h8)');
    const token: ImportedToken = {
      serial: field('serial', checkSerial(params.serial)),
      kind: hotp ? 'hotp' : 'totp',
      secret: field('secret', checkSecretLength(Buffer.from(params.secret, 'hex'))),
      digits: params.type.endsWith('8') ? 8 : 6,
      algorithm: 'sha1',
      counter: hotp ? field('counter', checkCounter(params.counter ?? '')) : 0n,
      period: hotp ? 0 : field('totp_step', checkPeriod(String(params.totp_step ?? ''))),
    };
    if (token.counter > BigInt(Number.MAX_SAFE_INTEGER)) throw invalidParameter('counter: too large');
    const [created] = await importTokens(deps, actor, [token]);
    return { response: describeToken(created!, null) };
  },
});

const getToken = route({
  method: 'GET',
  path: '/v1/tokens/{token_id}',
  grant: 'read-resource',
  summary: 'One hardware token with its user.',
  params: NoParams,
  pathParams: TokenPath,
  response: TokenSchema,
  async handler({ deps }, { path }) {
    const token = await requireToken(deps, path.token_id);
    return { response: describeToken(token, ownerOf(await owners(deps, [token]), token)) };
  },
});

const deleteTokenRoute = route({
  method: 'DELETE',
  path: '/v1/tokens/{token_id}',
  grant: 'write-resource',
  summary: 'Deletes a hardware token (assigned or not); a repeat succeeds.',
  params: NoParams,
  pathParams: TokenPath,
  response: Type.Literal(''),
  async handler({ deps }, { actor, path }) {
    await deleteToken(deps, actor, path.token_id);
    return { response: '' };
  },
});

const Code = (n: number) =>
  Text({ maxLength: 8, pattern: '^[0-9]{6,8}$', description: `code number ${n}: 6 or 8 digits` });

const resync = route({
  method: 'POST',
  path: '/v1/tokens/{token_id}/resync',
  grant: 'write-resource',
  summary:
    'Resynchronises an HOTP token from three consecutive codes read off it (searched 1,000 presses ahead).',
  params: Params({ code1: Code(1), code2: Code(2), code3: Code(3) }),
  pathParams: TokenPath,
  response: Type.Literal(''),
  async handler({ deps }, { actor, params, path }) {
    const token = await requireToken(deps, path.token_id);
    await resyncToken(deps, actor, token, [params.code1, params.code2, params.code3]);
    return { response: '' };
  },
});

export const DEVICE_ROUTES: AdminRoute[] = [
  listPhones,
  getPhone,
  deletePhone,
  activationUrl,
  listTokens,
  createToken,
  getToken,
  deleteTokenRoute,
  resync,
];
