// Bypass codes: help-desk or backup codes, hashed at rest, spent atomically, expiring.
import { verifyCode } from '../../crypto/code-hash.ts';
import type { Method } from '../method.ts';

export const BYPASS_CODE_LENGTH = 9;

export const bypassMethod = {
  id: 'bypass',
  kinds: [],
  capabilities: () => [],
  codeLengths: () => [BYPASS_CODE_LENGTH],
  async verifyPasscode(repos, deps, user, _authenticators, code, known) {
    if (code.length !== BYPASS_CODE_LENGTH) return null;
    const now = deps.clock.now();
    // Codes read earlier in the same database transaction are current; consume() re-checks each one anyway.
    const active = known?.bypassCodes ?? (await repos.bypassCodes.listActive(user.id, now));
    for (const stored of active) {
      if (verifyCode(deps.ring, stored, code) && (await repos.bypassCodes.consume(stored.id, now))) {
        return { methodId: 'bypass', authenticatorId: null };
      }
    }
    return null;
  },
} satisfies Method;
