// Bypass codes: help-desk or backup codes, hashed at rest, spent atomically, expiring.
import { verifyCode } from '../../crypto/code-hash.ts';
import type { Method } from '../method.ts';

export const BYPASS_CODE_LENGTH = 9;

export const bypassMethod = {
  id: 'bypass',
  kinds: [],
  capabilities: () => [],
  codeLengths: () => [BYPASS_CODE_LENGTH],
  async verifyPasscode(repos, deps, user, _authenticators, code) {
    if (code.length !== BYPASS_CODE_LENGTH) return null;
    const now = deps.clock.now();
    for (const stored of await repos.bypassCodes.listActive(user.id, now)) {
      if (verifyCode(deps.ring, stored, code) && (await repos.bypassCodes.consume(stored.id, now))) {
        return { methodId: 'bypass', authenticatorId: null };
      }
    }
    return null;
  },
} satisfies Method;
