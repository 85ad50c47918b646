// What each console role may call, decided on the server for every call: a role's grants, and for the help desk
// a short list of operations with their limits (SECURITY.md: least privilege for the people who answer phones).
import type { CoreDeps } from '../../core/deps.ts';
import { ADMIN_PERMISSIONS, type AdminPermission, type AdminRole } from '../../core/model.ts';
import type { AdminRoute } from '../admin-api/route.ts';

/** `[console]`'s bounds on the bypass codes a help desk administrator issues. */
export interface HelpDeskLimits {
  codes: number;
  uses: number;
  validSecs: number;
}

/** The grants of each role but the help desk, whose access is a list of operations (HELP_DESK below). */
export const ROLE_GRANTS: Readonly<Record<Exclude<AdminRole, 'help-desk'>, readonly AdminPermission[]>> = {
  owner: ADMIN_PERMISSIONS,
  administrator: ADMIN_PERMISSIONS.filter((grant) => grant !== 'administrators'),
  'read-only': ['read-resource', 'read-log', 'read-info'],
};

/** The grants a role holds, for handlers that check what a caller may hand out (the help desk holds none). */
export const grantsOfRole = (role: AdminRole): readonly AdminPermission[] =>
  role === 'help-desk' ? [] : ROLE_GRANTS[role];

type Params = Record<string, unknown>;
/** Why the help desk may not make this call with these parameters, or null when it may. */
type HelpDeskCheck = (
  deps: CoreDeps,
  call: { params: Params; path: Record<string, string> },
  limits: HelpDeskLimits,
) => Promise<string | null>;

const always: HelpDeskCheck = async () => null;

/** Bypass codes within `[console]`'s limits: never unlimited uses, never a code that does not expire. */
const bypassWithinLimits: HelpDeskCheck = async (_deps, { params }, limits) => {
  const count = Number(params.count);
  const uses = Number(params.reuse_count);
  const validSecs = Number(params.valid_secs);
  if (count > limits.codes) return `help desk: at most ${limits.codes} bypass code(s) at once`;
  if (uses === 0 || uses > limits.uses) return `help desk: at most ${limits.uses} use(s) per code`;
  if (validSecs === 0 || validSecs > limits.validSecs)
    return `help desk: codes must expire within ${limits.validSecs} seconds`;
  return null;
};

/** Unlock: a locked-out user back to active, and nothing else changed. */
const unlockOnly: HelpDeskCheck = async (deps, { params, path }) => {
  const sent = Object.entries(params).filter(([, value]) => value !== undefined);
  if (sent.length !== 1 || params.status !== 'active') return 'help desk: may only unlock (status active)';
  const user = await deps.store.users.get(path.user_id ?? '');
  if (user && user.status !== 'locked_out') return 'help desk: may only unlock a locked-out user';
  return null;
};

/** One user's recent sign-ins: the authentication log filtered to named users. */
const oneUsersSignIns: HelpDeskCheck = async (_deps, { params }) =>
  Array.isArray(params.users) && params.users.length > 0
    ? null
    : "help desk: the sign-ins of named users only (the 'users' filter)";

/** The help desk's operations (`METHOD /path`): look users up, their devices and sign-ins, and the few fixes. */
export const HELP_DESK: Readonly<Record<string, HelpDeskCheck>> = {
  'GET /v1/users': always,
  'GET /v1/users/{user_id}': always,
  'GET /v1/users/{user_id}/phones': always,
  'GET /v1/users/{user_id}/tokens': always,
  'GET /v1/users/{user_id}/webauthncredentials': always,
  'GET /v1/users/{user_id}/bypass_codes': always,
  'GET /v2/logs/authentication': oneUsersSignIns,
  'POST /v1/phones/{phone_id}/activation_url': always,
  // An activation link by e-mail instead of read out on the phone: the same help.
  'POST /v1/countersign/users/{user_id}/enrollment_email': always,
  'POST /v1/users/{user_id}/bypass_codes': bypassWithinLimits,
  'POST /v1/users/{user_id}': unlockOnly,
};

/** `METHOD /path` of a route, as HELP_DESK names it. */
export const operationOf = (route: Pick<AdminRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

/**
 * Why `role` may not make this call, or null when it may. Without `call` (before the parameters are read) only
 * whether the role may use the operation at all; with it, the help desk's limits on the parameters too.
 */
export async function roleRefusal(
  deps: CoreDeps,
  role: AdminRole,
  route: AdminRoute,
  call: { params: Params; path: Record<string, string> } | null,
  limits: HelpDeskLimits,
): Promise<string | null> {
  if (role !== 'help-desk') {
    return ROLE_GRANTS[role].includes(route.grant) ? null : `the ${role} role lacks '${route.grant}'`;
  }
  const check = HELP_DESK[operationOf(route)];
  if (check === undefined) return `the help-desk role may not call ${operationOf(route)}`;
  return call === null ? null : check(deps, call, limits);
}
