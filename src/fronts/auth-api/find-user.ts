// Finds the user a request names by `user_id` or `username` (exactly one of them).
import { isIP } from 'node:net';
import type { CoreDeps } from '../../core/deps.ts';
import type { User } from '../../core/model.ts';
import { canonicalUsername } from '../../core/usernames.ts';
import { invalidParameter, missingParameter } from '../duo-api/envelope.ts';

/**
 * The named user, or null for a username that is not known; a malformed request is a 400. A username the
 * canonical form refuses is a 400 too (40002, the reason in message_detail), never an unknown user that a
 * new-user policy could let through without a second factor.
 */
export async function findUser(
  deps: Pick<CoreDeps, 'store'>,
  params: Map<string, string>,
): Promise<{ user: User | null; name: string }> {
  const userId = params.get('user_id');
  const username = params.get('username');
  if (userId !== undefined && username !== undefined)
    throw invalidParameter('send user_id or username, not both');
  if (userId !== undefined) {
    const user = await deps.store.users.get(userId);
    if (!user) throw invalidParameter('user_id');
    return { user, name: user.username };
  }
  if (username === undefined || username.trim() === '') throw missingParameter('username');
  const checked = canonicalUsername(username);
  if (!checked.ok) throw invalidParameter(`username: ${checked.reason}`);
  return { user: await deps.store.users.findByName(checked.name), name: checked.name };
}

/** The end user's address from `ipaddr`, checked; null when the application did not send it. */
export function readIp(params: Map<string, string>): string | null {
  const ip = params.get('ipaddr');
  if (ip === undefined || ip === '') return null;
  if (isIP(ip) === 0) throw invalidParameter('ipaddr');
  return ip;
}
