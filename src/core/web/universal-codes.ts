// Universal Prompt authorization codes (single use, 5 minutes, stored hashed) and single-use client assertion ids.
import { createHash } from 'node:crypto';
import type { CoreDeps } from '../deps.ts';
import type { OAuthCode } from '../model.ts';
import type { UniversalFinish } from './prompt-flow.ts';

/** How long a code may be exchanged (the reference suggests 60–300 s). */
export const CODE_TTL_MS = 5 * 60_000;

function codeId(code: string): string {
  return createHash('sha256').update(`code\0${code}`).digest('base64url');
}

/** Issues a code bound to the client, redirect URI, username, nonce and the (final) transaction; returns it once. */
export async function issueAuthorizationCode(
  deps: CoreDeps,
  finish: UniversalFinish,
  username: string,
  txid: string,
): Promise<string> {
  const code = deps.random.bytes(32).toString('base64url');
  const now = deps.clock.now();
  await deps.store.oauthCodes.create({
    id: codeId(code),
    clientId: finish.clientId,
    redirectUri: finish.redirectUri,
    username,
    nonce: finish.nonce,
    txid,
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

/** The redirect back to the client: `duo_code` (or `code`) and the state exactly as received (reference §5). */
export function universalRedirectUrl(finish: UniversalFinish, code: string): string {
  const name = finish.useDuoCode ? 'duo_code' : 'code';
  const query = `${name}=${encodeURIComponent(code)}&state=${encodeURIComponent(finish.state)}`;
  const [base, fragment] = finish.redirectUri.split('#', 2);
  const joined = `${base}${base!.includes('?') ? '&' : '?'}${query}`;
  return fragment === undefined ? joined : `${joined}#${fragment}`;
}
