// Makes a new IdP signing key and self-signed certificate with the openssl command line (Node cannot issue certificates).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A new credential in PEM, to be stored by the caller (the key with owner-only access). */
export interface NewSigningCredential {
  privateKeyPem: string;
  certificatePem: string;
}

/**
 * Creates an RSA key (3072 bits unless told) and a self-signed SHA-256 certificate for `commonName`, valid `days`
 * days. Service
 * providers pin this certificate (they do not check a chain), so self-signed is what SAML deployments use. The key
 * exists on disk only inside a private temporary folder, removed before this returns.
 */
export async function createSigningCredential(
  commonName: string,
  options: { days?: number; bits?: 2048 | 3072 | 4096 } = {},
): Promise<NewSigningCredential> {
  const { days = 3650, bits = 3072 } = options;
  if (!/^[A-Za-z0-9.:_-]{1,64}$/.test(commonName)) {
    throw new Error('saml: the certificate name must be a host name');
  }
  const dir = await mkdtemp(join(tmpdir(), 'countersign-saml-'));
  try {
    await run(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        `rsa:${bits}`,
        '-nodes',
        '-sha256',
        '-keyout',
        'key.pem',
        '-out',
        'cert.pem',
        '-days',
        String(days),
        '-subj',
        `/CN=${commonName}`,
      ],
      { cwd: dir },
    );
    return {
      privateKeyPem: await readFile(join(dir, 'key.pem'), 'utf8'),
      certificatePem: await readFile(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
