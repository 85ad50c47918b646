// Enrolls a third-party authenticator app (TOTP) for a user: a fresh seed, sealed, and its otpauth URI.
import { buildOtpauthUri } from '../../crypto/otp/otpauth-uri.ts';
import { seal } from '../../crypto/secret-box.ts';
import { seedContext } from '../../methods/totp/totp-method.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { newId } from '../ids.ts';
import type { Authenticator, OtpAlgorithm, User } from '../model.ts';

export interface TotpOptions {
  name?: string;
  algorithm?: OtpAlgorithm;
  digits?: 6 | 8;
  period?: number;
  issuer: string;
}

/** Creates a TOTP authenticator for `user`; returns it and the otpauth URI to show as a QR code. */
export async function addTotp(
  deps: CoreDeps,
  actor: string,
  user: User,
  options: TotpOptions,
): Promise<{ authenticator: Authenticator; uri: string }> {
  const algorithm = options.algorithm ?? 'sha1';
  // RFC 4226 §4: at least 128 bits; 160 bits matches SHA-1's block use and what authenticator apps expect.
  const secret = deps.random.bytes(algorithm === 'sha512' ? 64 : algorithm === 'sha256' ? 32 : 20);
  const authenticator = await saveTotpAuthenticator(deps, actor, user, {
    secret,
    algorithm,
    digits: options.digits ?? 6,
    period: options.period ?? 30,
    name: options.name ?? 'Authenticator app',
    lastUsedStep: null,
    byAdministrator: true,
  });
  const uri = buildOtpauthUri({
    type: 'totp',
    issuer: options.issuer,
    account: user.username,
    secret,
    algorithm,
    digits: authenticator.digits as 6 | 8,
    period: authenticator.period,
  });
  return { authenticator, uri };
}

/** Stores a TOTP authenticator with its seed sealed, audited; `lastUsedStep` marks a confirming code as spent. */
export async function saveTotpAuthenticator(
  deps: CoreDeps,
  actor: string,
  user: User,
  input: {
    secret: Uint8Array;
    algorithm: OtpAlgorithm;
    digits: number;
    period: number;
    name: string;
    lastUsedStep: number | null;
    /** An administrator added it (the CLI, the Admin API): the audit entry is then of kind `admin`. */
    byAdministrator?: boolean;
  },
): Promise<Authenticator> {
  const now = deps.clock.now();
  const id = newId(deps.random, 'D');
  const authenticator: Authenticator = {
    id,
    userId: user.id,
    kind: 'totp',
    name: input.name,
    serial: null,
    secretSealed: seal(deps.ring, input.secret, seedContext(id)),
    algorithm: input.algorithm,
    digits: input.digits,
    period: input.period,
    counter: 0,
    lastUsedStep: input.lastUsedStep,
    data: {},
    createdAt: now,
    lastUsedAt: null,
  };
  await deps.store.atomically(async (repos) => {
    await repos.authenticators.create(authenticator);
    await audit(repos, now, {
      kind: input.byAdministrator ? 'admin' : 'enrollment',
      action: 'totp.add',
      actor,
      userId: user.id,
      username: user.username,
      detail: { authenticatorId: id, confirmed: input.lastUsedStep !== null },
    });
  });
  return authenticator;
}
