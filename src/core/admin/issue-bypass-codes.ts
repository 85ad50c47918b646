// Issues bypass codes for a user who forgot their device: random 9-digit codes, hashed, with uses and expiry.
import { hashCode } from '../../crypto/code-hash.ts';
import { BYPASS_CODE_LENGTH } from '../../methods/bypass/bypass-method.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import { newDigits, newId } from '../ids.ts';
import type { User } from '../model.ts';

export const MAX_ACTIVE_BYPASS_CODES = 100;

export interface BypassOptions {
  count?: number;
  /** Uses per code; null = unlimited until it expires. Default 1. */
  uses?: number | null;
  /** Lifetime in seconds; null = never expires. Default 3600. */
  expiresInSeconds?: number | null;
  /** Revoke the user's active codes in the same database transaction (a new backup set replaces the old). */
  replaceExisting?: boolean;
}

/** Creates `count` codes and returns them in plain text (the only time they are shown). */
export async function issueBypassCodes(
  deps: CoreDeps,
  actor: string,
  user: User,
  options: BypassOptions = {},
): Promise<{ codes: string[]; expiresAt: number | null }> {
  const count = options.count ?? 1;
  const uses = options.uses === undefined ? 1 : options.uses;
  const lifetime = options.expiresInSeconds === undefined ? 3600 : options.expiresInSeconds;
  if (!Number.isInteger(count) || count < 1 || count > MAX_ACTIVE_BYPASS_CODES) {
    throw new CountersignError('INVALID_INPUT', `count must be 1 to ${MAX_ACTIVE_BYPASS_CODES}`);
  }
  if (uses !== null && (!Number.isInteger(uses) || uses < 1)) {
    throw new CountersignError('INVALID_INPUT', 'uses must be a positive integer (or unlimited)');
  }
  if (lifetime !== null && (!Number.isInteger(lifetime) || lifetime < 1)) {
    throw new CountersignError(
      'INVALID_INPUT',
      'the lifetime must be a positive number of seconds (or never)',
    );
  }
  const now = deps.clock.now();
  const expiresAt = lifetime === null ? null : now + lifetime * 1000;
  const codes = Array.from({ length: count }, () => newDigits(deps.random, BYPASS_CODE_LENGTH));
  await deps.store.atomically(async (repos) => {
    if (options.replaceExisting) await repos.bypassCodes.revokeAll(user.id);
    const active = await repos.bypassCodes.listActive(user.id, now);
    if (active.length + count > MAX_ACTIVE_BYPASS_CODES) {
      throw new CountersignError('BYPASS_LIMIT', `${active.length} active, ${count} requested`);
    }
    for (const code of codes) {
      await repos.bypassCodes.create({
        id: newId(deps.random, 'DB'),
        userId: user.id,
        ...hashCode(deps.ring, deps.random, code),
        remainingUses: uses,
        expiresAt,
        createdAt: now,
        createdBy: actor,
      });
    }
    await audit(repos, now, {
      kind: 'admin',
      action: 'bypass.issue',
      actor,
      userId: user.id,
      username: user.username,
      detail: { count, uses, expiresAt, replaced: options.replaceExisting === true },
    });
  });
  return { codes, expiresAt };
}
