// Local passwords: argon2id with its parameters stored in the PHC string (NIST 800-63B §5.1.1.2).
import { hash, verify } from '@node-rs/argon2';

/** OWASP's argon2id minimum: 19 MiB, 2 passes, 1 lane. */
export const ARGON2_PARAMS = {
  algorithm: 2 as const /* Algorithm.Argon2id, a const enum type stripping cannot read */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};

export const MAX_PASSWORD_BYTES = 1024;

/** Hashes a password with argon2id; the PHC string records the parameters. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

/** Checks a password against a PHC string; malformed hashes and oversized input simply fail. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  if (password.length === 0 || Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return false;
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the same work as a real check, so an unknown user is not revealed by timing. */
export async function burnPasswordCheck(password: string): Promise<false> {
  dummyHash ??= hashPassword('countersign-timing-equalizer');
  await verifyPassword(await dummyHash, password || 'x');
  return false;
}
