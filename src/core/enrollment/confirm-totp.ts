// Enrolls a third-party authenticator app (TOTP) only after the user proves it works by typing a current code.
import { buildOtpauthUri } from '../../crypto/otp/otpauth-uri.ts';
import { matchTotp } from '../../crypto/otp/verify.ts';
import { saveTotpAuthenticator } from '../admin/add-totp.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { Authenticator, User } from '../model.ts';

/** RFC 6238 defaults every authenticator app supports. */
const DIGITS = 6;
const PERIOD = 30;

/** A fresh 160-bit seed (RFC 4226 §4) and its otpauth URI, not yet saved: `confirmTotp` saves it. */
export function newTotpSeed(
  deps: Pick<CoreDeps, 'random'>,
  user: Pick<User, 'username'>,
  issuer: string,
): { secret: Buffer; uri: string } {
  const secret = deps.random.bytes(20);
  const uri = buildOtpauthUri({
    type: 'totp',
    issuer,
    account: user.username,
    secret,
    algorithm: 'sha1',
    digits: DIGITS,
    period: PERIOD,
  });
  return { secret, uri };
}

/**
 * Saves the TOTP authenticator if `code` is valid now for `secret` (±1 step); the confirming step counts as
 * used, so the same code cannot then log in (RFC 6238 §5.2). Throws INVALID_INPUT for a wrong code.
 */
export async function confirmTotp(
  deps: CoreDeps,
  actor: string,
  user: User,
  input: { secret: Uint8Array; code: string; name: string },
): Promise<Authenticator> {
  const now = deps.clock.now();
  const code = input.code.trim();
  const step = /^[0-9]{6}$/.test(code)
    ? matchTotp({
        secret: input.secret,
        nowMs: now,
        code,
        digits: DIGITS,
        algorithm: 'sha1',
        period: PERIOD,
        window: 1,
        lastUsedStep: null,
      })
    : null;
  if (step === null) throw new CountersignError('INVALID_INPUT', 'that code is not the current one');
  return saveTotpAuthenticator(deps, actor, user, {
    secret: input.secret,
    algorithm: 'sha1',
    digits: DIGITS,
    period: PERIOD,
    name: input.name,
    lastUsedStep: Number(step),
  });
}
