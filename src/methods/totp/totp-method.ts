// TOTP (RFC 6238): authenticator apps and time-based hardware tokens; each code is accepted once.
import { matchTotp } from '../../crypto/otp/verify.ts';
import { open } from '../../crypto/secret-box.ts';
import type { Method } from '../method.ts';

/** The sealing context of an authenticator's seed. */
export function seedContext(authenticatorId: string): string {
  return `authenticator:${authenticatorId}:secret`;
}

export const totpMethod = {
  id: 'totp',
  kinds: ['totp'],
  capabilities: () => ['mobile_otp'],
  codeLengths: (authenticator) => [authenticator?.digits ?? 6],
  async verifyPasscode(repos, deps, _user, authenticators, code) {
    const now = deps.clock.now();
    for (const authenticator of authenticators) {
      // The Authenticator app (kind push) shows TOTP passcodes too.
      if ((authenticator.kind !== 'totp' && authenticator.kind !== 'push') || !authenticator.secretSealed)
        continue;
      if (code.length !== authenticator.digits) continue;
      const step = matchTotp({
        secret: open(deps.ring, authenticator.secretSealed, seedContext(authenticator.id)),
        nowMs: now,
        code,
        digits: authenticator.digits as 6 | 8,
        algorithm: authenticator.algorithm,
        period: authenticator.period,
        window: 1,
        lastUsedStep: authenticator.lastUsedStep === null ? null : BigInt(authenticator.lastUsedStep),
      });
      // RFC 6238 §5.2 / 800-63B §5.1.4.2: the compare-and-set makes a replayed or raced code fail.
      if (step !== null && (await repos.authenticators.claimTotpStep(authenticator.id, Number(step), now))) {
        return { methodId: 'totp', authenticatorId: authenticator.id };
      }
    }
    return null;
  },
} satisfies Method;
