// Duo's bypass code endpoints for one user: issue (the codes are shown once) and list (without the codes).
import { Type } from '@sinclair/typebox';
import { issueBypassCodes, MAX_ACTIVE_BYPASS_CODES } from '../../core/admin/issue-bypass-codes.ts';
import { invalidParameter } from '../duo-api/envelope.ts';
import { BypassCodeSchema, describeBypassCode } from './objects.ts';
import { Flag, Params, paging, Text, Whole } from './params.ts';
import { type AdminRoute, pageOf, route } from './route.ts';
import { requireUserById, UserPath } from './routes-users.ts';

/** Duo's list maximum for the lists under a user. */
const PARTS_MAX = 500;

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
    return pageOf(
      codes.map((code) => describeBypassCode(code, user)),
      params,
    );
  },
});

export const BYPASS_CODE_ROUTES: AdminRoute[] = [issueCodes, listCodes];
