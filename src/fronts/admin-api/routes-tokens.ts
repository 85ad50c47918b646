// Duo's hardware token endpoints: list (or find by type and serial), add one, read, delete, resync; and our bulk
// import of a CSV or PSKC file with a per-row preview.
import { Type } from '@sinclair/typebox';
import { importTokens } from '../../core/admin/import-tokens.ts';
import { deleteToken, requireToken, resyncToken } from '../../core/admin/manage-tokens.ts';
import { importTokenFile } from '../../core/admin/token-import-preview.ts';
import type { AuthenticatorFilter } from '../../core/repositories.ts';
import type { ImportedToken } from '../../methods/token-import/imported-token.ts';
import {
  checkCounter,
  checkPeriod,
  checkSecretLength,
  checkSerial,
} from '../../methods/token-import/token-rules.ts';
import { invalidParameter } from '../duo-api/envelope.ts';
import { describeToken, TokenSchema } from './objects.ts';
import { ownerOf, owners } from './owners.ts';
import { Id, NoParams, OneOf, Params, paging, Text, Whole } from './params.ts';
import { type AdminRoute, pageMetadata, route } from './route.ts';

/** Duo's list maximum for tokens. */
const TOKENS_MAX = 500;

const TokenPath = Params({ token_id: Id("The hardware token's id.") });

const TOKEN_TYPES = ['h6', 'h8', 't6', 't8'] as const;

const listTokens = route({
  method: 'GET',
  path: '/v1/tokens',
  grant: 'read-resource',
  summary: 'Hardware tokens in id order, a page at a time; `type` with `serial` finds one.',
  params: Params({
    ...paging(TOKENS_MAX),
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

/** Most characters of one import call: the console sends a large file in chunks of a header and ~500 rows. */
const IMPORT_MAX_CHARS = 1_000_000;

const importFile = route({
  method: 'POST',
  path: '/v1/countersign/tokens/import',
  grant: 'write-resource',
  summary:
    'Imports hardware tokens from a CSV (serial,secret,type,digits,counter,step,algorithm) or PSKC (RFC 6030) ' +
    'file: every row with its outcome; tokens are stored only when every row is good (all or nothing), never ' +
    'on a dry run.',
  params: Params({
    format: OneOf(['csv', 'pskc'], 'The file format.'),
    data: Text({ maxLength: IMPORT_MAX_CHARS, description: "The file's text." }),
    dry_run: OneOf(['true', 'false'], 'true: check every row and store nothing.', 'false'),
    pskc_key: Type.Optional(
      Text({
        maxLength: 128,
        pattern: '^([0-9a-fA-F]{2})+$',
        description: 'PSKC: the pre-shared key in hex',
      }),
    ),
    line_offset: Whole({
      minimum: 0,
      maximum: 10_000_000,
      default: 0,
      description: 'Added to each row number: rows of a chunk are then numbered as in the whole file.',
    }),
  }),
  pathParams: NoParams,
  response: Type.Object({
    rows: Type.Array(
      Type.Object({
        row: Type.Integer({
          description: 'CSV line (the header is 1) or PSKC KeyPackage index, plus line_offset.',
        }),
        serial: Type.Union([Type.String(), Type.Null()]),
        type: Type.Union([Type.String({ description: 'h6, h8, t6 or t8' }), Type.Null()]),
        ok: Type.Boolean(),
        error: Type.Optional(Type.String()),
      }),
    ),
    imported: Type.Integer(),
  }),
  async handler({ deps }, { actor, params }) {
    if (params.pskc_key !== undefined && params.format !== 'pskc')
      throw invalidParameter('pskc_key: only for format pskc');
    const result = await importTokenFile(deps, actor, {
      format: params.format,
      data: params.data,
      dryRun: params.dry_run === 'true',
      ...(params.pskc_key !== undefined && { pskcKey: Buffer.from(params.pskc_key, 'hex') }),
      lineOffset: params.line_offset,
    });
    return { response: result };
  },
});

export const TOKEN_ROUTES: AdminRoute[] = [
  listTokens,
  createToken,
  getToken,
  deleteTokenRoute,
  resync,
  importFile,
];
