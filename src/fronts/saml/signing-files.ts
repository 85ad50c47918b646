// The IdP's signing key and certificate on disk: read when present, else made once (key 0600) and kept.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../private-files.ts';
import { createSigningCredential } from '../../saml/create-signing-credential.ts';
import { loadSigningCredential, type SigningCredential } from '../../saml/signing-credential.ts';

async function readIfPresent(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Loads the credential from `keyFile` and `certFile`; when both are missing, creates them for `host` (a key alone,
 * or a certificate alone, is an operator's mistake and is refused rather than replaced: SPs pin the certificate).
 * Returns whether they were created.
 */
export async function ensureSigningFiles(
  files: { keyFile: string; certFile: string },
  host: string,
): Promise<{ credential: SigningCredential; created: boolean }> {
  const key = await readIfPresent(files.keyFile);
  const cert = await readIfPresent(files.certFile);
  if (key !== null && cert !== null) return { credential: loadSigningCredential(key, cert), created: false };
  if (key !== null || cert !== null) {
    const missing = key === null ? files.keyFile : files.certFile;
    throw new Error(`saml: '${missing}' is missing; restore it, or remove both files to make a new key`);
  }
  const made = await createSigningCredential(host);
  for (const path of [files.keyFile, files.certFile]) {
    await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  }
  // `wx`: two nodes starting at once never overwrite each other's new key.
  await writeFile(files.keyFile, made.privateKeyPem, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  await writeFile(files.certFile, made.certificatePem, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  return { credential: loadSigningCredential(made.privateKeyPem, made.certificatePem), created: true };
}
