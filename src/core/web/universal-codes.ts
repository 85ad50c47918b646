// Universal Prompt authorization codes (single use, 5 minutes, stored hashed, only for a login that succeeded),
// single-use client assertion ids, and the redirects back to the client: a code, or error=access_denied.
import { createHash } from 'node:crypto';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { AuthTransaction, OAuthCode } from '../model.ts';
import type { UniversalFinish } from './prompt-flow.ts';

/** How long a code may be exchanged (the reference suggests 60–300 s). */
export const CODE_TTL_MS = 5 * 60_000;

function codeId(code: string): string {
  return createHash('sha256').update(`code\0${code}`).digest('base64url');
}

/**
 * Issues a code bound to the client, redirect URI, username, nonce and an allowed transaction; returns it once.
 * Nothing else gets a code: Duo's SDK exchanges any code without looking at `auth_result`, so an application that
 * takes a successful exchange for a login would let a denied one in (issue 9.6).
 */
export async function issueAuthorizationCode(
  deps: CoreDeps,
  finish: UniversalFinish,
  username: string,
  tx: AuthTransaction,
): Promise<string> {
  if (tx.state !== 'allow') {
    throw new CountersignError(
      'INVALID_INPUT',
      'an authorization code is issued only for a login that succeeded',
    );
  }
  const code = deps.random.bytes(32).toString('base64url');
  const now = deps.clock.now();
  await deps.store.oauthCodes.create({
    id: codeId(code),
    clientId: finish.clientId,
    redirectUri: finish.redirectUri,
    username,
    nonce: finish.nonce,
    txid: tx.id,
    createdAt: now,
    expiresAt: now + CODE_TTL_MS,
    usedAt: null,
  });
  return code;
}

/** Spends a code once: its binding, or null when unknown, used or expired. */
export async function redeemAuthorizationCode(deps: CoreDeps, code: string): Promise<OAuthCode | null> {
  if (code.length === 0 || code.length > 256) return null;
  return deps.store.oauthCodes.consume(codeId(code), deps.clock.now());
}

/**
 * Records a client assertion's `jti` until it expires; false when it was seen before (a replay). The row shares the
 * codes table under a distinct hash and is spent by compare-and-set, so every node agrees on the first use.
 */
export async function claimAssertionId(
  deps: CoreDeps,
  clientId: string,
  jti: string,
  expiresAt: number,
): Promise<boolean> {
  const now = deps.clock.now();
  const id = createHash('sha256').update(`jti\0${clientId}\0${jti}`).digest('base64url');
  const row = {
    id,
    clientId,
    redirectUri: '',
    username: '',
    nonce: null,
    txid: '',
    createdAt: now,
    usedAt: null,
  };
  try {
    await deps.store.oauthCodes.create({ ...row, expiresAt: Math.max(expiresAt, now + 1) });
  } catch {
    // Already recorded (a replay, or a parallel request with the same id): the spend below decides.
  }
  return (await deps.store.oauthCodes.consume(id, now)) !== null;
}

/** `redirectUri` with `params` appended, each value percent-encoded (after its own query, before its fragment). */
function withQuery(redirectUri: string, params: Record<string, string>): string {
  const query = Object.entries(params)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
  const [base, fragment] = redirectUri.split('#', 2);
  const joined = `${base}${base!.includes('?') ? '&' : '?'}${query}`;
  return fragment === undefined ? joined : `${joined}#${fragment}`;
}

/** The redirect back after a login that succeeded: `duo_code` (or `code`) and the state as received (reference §5). */
export function universalRedirectUrl(finish: UniversalFinish, code: string): string {
  return withQuery(finish.redirectUri, {
    [finish.useDuoCode ? 'duo_code' : 'code']: code,
    state: finish.state,
  });
}

/** Why a login did not succeed, in the words the application receives. */
export const ACCESS_DENIED = {
  cancelled: 'The user cancelled the sign-in.',
  denied: 'The sign-in was denied.',
} as const;

/**
 * The redirect back after any login that did not succeed: `error=access_denied`, a plain `error_description` and
 * the state (RFC 6749 §4.1.2.1), and never a code.
 */
export function universalDeniedUrl(finish: UniversalFinish, why: keyof typeof ACCESS_DENIED): string {
  return withQuery(finish.redirectUri, {
    error: 'access_denied',
    error_description: ACCESS_DENIED[why],
    state: finish.state,
  });
}
