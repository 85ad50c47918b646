// Hardware tokens one at a time on behalf of an administrator: delete, take back from a user, resync; audited.
import { resyncHotp } from '../../crypto/otp/verify.ts';
import { open } from '../../crypto/secret-box.ts';
import { seedContext } from '../../methods/totp/totp-method.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { Authenticator, User } from '../model.ts';

/** How far past the stored counter a resync looks for the three codes (a token pressed many times unused). */
export const RESYNC_WINDOW = 1000;

/** The hardware token `id`, or TOKEN_NOT_FOUND (also for a software authenticator: those are phones). */
export async function requireToken(deps: Pick<CoreDeps, 'store'>, id: string): Promise<Authenticator> {
  const token = await deps.store.authenticators.get(id);
  if (!token || token.serial === null) throw new CountersignError('TOKEN_NOT_FOUND', id);
  return token;
}

/** Deletes hardware token `id` (assigned or not); false, recording nothing, when it is already gone. */
export async function deleteToken(deps: CoreDeps, actor: string, id: string): Promise<boolean> {
  return deps.store.atomically(async (repos) => {
    const token = await repos.authenticators.get(id);
    if (!token) return false;
    if (token.serial === null) throw new CountersignError('TOKEN_NOT_FOUND', id);
    await repos.authenticators.remove(id);
    const user = token.userId === null ? null : await repos.users.get(token.userId);
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'token.delete',
      actor,
      userId: user?.id ?? null,
      username: user?.username ?? null,
      detail: { authenticatorId: id, serial: token.serial },
    });
    return true;
  });
}

/**
 * Takes hardware token `id` back from `user` (it stays in stock, unassigned) and ends the user's remembered
 * browsers, as removing a device does; false when it is not this user's token.
 */
export async function unassignToken(deps: CoreDeps, actor: string, user: User, id: string): Promise<boolean> {
  const now = deps.clock.now();
  return deps.store.atomically(async (repos) => {
    if (!(await repos.authenticators.unassign(id, user.id))) return false;
    await repos.rememberedLogins.revokeAllForUser(user.id, now);
    await audit(repos, now, {
      kind: 'admin',
      action: 'token.unassign',
      actor,
      userId: user.id,
      username: user.username,
      detail: { authenticatorId: id },
    });
    return true;
  });
}

/**
 * Resynchronises an HOTP token from consecutive codes read off it (RFC 4226 §7.4): finds them within
 * RESYNC_WINDOW past the stored counter and moves the counter past the last one (compare-and-set). Codes that
 * match nowhere, or a token that is not HOTP, are INVALID_INPUT; the counter is then left alone.
 */
export async function resyncToken(
  deps: CoreDeps,
  actor: string,
  token: Authenticator,
  codes: string[],
): Promise<void> {
  if (token.kind !== 'hotp' || token.secretSealed === null) {
    throw new CountersignError('INVALID_INPUT', 'only HOTP tokens keep a counter to resynchronise');
  }
  if (codes.some((code) => code.length !== token.digits || !/^[0-9]+$/.test(code))) {
    throw new CountersignError('INVALID_INPUT', `codes: each must be the token's ${token.digits} digits`);
  }
  const next = resyncHotp({
    secret: open(deps.ring, token.secretSealed, seedContext(token.id)),
    counter: BigInt(token.counter),
    codes,
    digits: token.digits as 6 | 8,
    algorithm: token.algorithm,
    searchWindow: RESYNC_WINDOW,
  });
  if (next === null) {
    throw new CountersignError('INVALID_INPUT', 'codes: these codes do not follow each other on this token');
  }
  const now = deps.clock.now();
  await deps.store.atomically(async (repos) => {
    if (!(await repos.authenticators.advanceHotpCounter(token.id, token.counter, Number(next), now))) {
      throw new CountersignError(
        'INVALID_INPUT',
        'codes: the token was used meanwhile; read three new codes',
      );
    }
    await audit(repos, now, {
      kind: 'admin',
      action: 'token.resync',
      actor,
      userId: token.userId,
      detail: { authenticatorId: token.id, serial: token.serial, from: token.counter, to: Number(next) },
    });
  });
}
