// HOTP (RFC 4226): counter-based hardware tokens with a look-ahead window and an atomic counter.
import { matchHotp } from '../../crypto/otp/verify.ts';
import { open } from '../../crypto/secret-box.ts';
import type { Method } from '../method.ts';
import { seedContext } from '../totp/totp-method.ts';

/** RFC 4226 §7.4: the look-ahead window for a token pressed without logging in. */
export const HOTP_LOOK_AHEAD = 10;

export const hotpMethod = {
  id: 'hotp',
  kinds: ['hotp'],
  capabilities: () => ['mobile_otp'],
  codeLengths: (authenticator) => [authenticator?.digits ?? 6],
  async verifyPasscode(repos, deps, _user, authenticators, code) {
    const now = deps.clock.now();
    for (const authenticator of authenticators) {
      if (authenticator.kind !== 'hotp' || !authenticator.secretSealed) continue;
      if (code.length !== authenticator.digits) continue;
      const matched = matchHotp({
        secret: open(deps.ring, authenticator.secretSealed, seedContext(authenticator.id)),
        counter: BigInt(authenticator.counter),
        code,
        digits: authenticator.digits as 6 | 8,
        algorithm: authenticator.algorithm,
        lookAhead: HOTP_LOOK_AHEAD,
      });
      if (matched === null) continue;
      const next = Number(matched) + 1;
      if (await repos.authenticators.advanceHotpCounter(authenticator.id, authenticator.counter, next, now)) {
        return { methodId: 'hotp', authenticatorId: authenticator.id };
      }
    }
    return null;
  },
} satisfies Method;
