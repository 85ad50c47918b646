// Keys, an IdP and helpers shared by the SAML tests: credentials made by openssl (kept in memory, never in the repo).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ManualClock, manualClock, secureRandom } from '../../src/core/clock.ts';
import {
  createSigningCredential,
  type NewSigningCredential,
} from '../../src/saml/create-signing-credential.ts';
import { defineIdp, type IdpSettings } from '../../src/saml/idp-settings.ts';
import type { InboundDeps } from '../../src/saml/read-inbound.ts';
import { memoryReplayCache } from '../../src/saml/replay-cache.ts';
import type { SamlSignIn } from '../../src/saml/sign-in.ts';
import { loadSigningCredential } from '../../src/saml/signing-credential.ts';
import type { SpRecord } from '../../src/saml/sp-record.ts';

export const IDP_ENTITY_ID = 'https://idp.example.test/saml/metadata';
export const SSO_URL = 'https://idp.example.test/saml/sso';
export const SLO_URL = 'https://idp.example.test/saml/slo';

/** RSA-2048 is enough for tests and quick to make; the product default is 3072. */
export const rsaPair = (name: string): Promise<NewSigningCredential> =>
  createSigningCredential(name, { bits: 2048 });

/** A P-256 key and self-signed certificate (for ECDSA-signed SP messages). */
export function ecPair(name: string): NewSigningCredential {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-saml-ec-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'key.pem',
      ].concat(['-out', 'cert.pem', '-days', '2', '-subj', `/CN=${name}`]),
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return {
      privateKeyPem: readFileSync(join(dir, 'key.pem'), 'utf8'),
      certificatePem: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The IdP under test with its own key pair. */
export async function testIdp(): Promise<{ idp: IdpSettings; pair: NewSigningCredential }> {
  const pair = await rsaPair('idp.example.test');
  const credential = loadSigningCredential(pair.privateKeyPem, pair.certificatePem);
  return { idp: defineIdp({ entityId: IDP_ENTITY_ID, ssoUrl: SSO_URL, sloUrl: SLO_URL, credential }), pair };
}

/** Inbound dependencies over a fixed list of SPs, a memory replay cache and `clock`. */
export function inboundDeps(idp: IdpSettings, sps: readonly SpRecord[], clock: ManualClock): InboundDeps {
  return {
    idp,
    findSp: async (entityId) => sps.find((sp) => sp.entityId === entityId) ?? null,
    replay: memoryReplayCache(clock),
    clock,
  };
}

/**
 * A clock frozen at the real time: the third-party SPs read the wall clock, so our messages must be dated now.
 * Whole seconds, as SAML instants are.
 */
export const realClock = (): ManualClock => manualClock(Math.floor(Date.now() / 1000) * 1000);

/** A sign-in of alice at `now`, with or without a second factor. */
export function aliceSignIn(now: number, secondFactor = true): SamlSignIn {
  return {
    subject: {
      userId: 'DUALICE0000000000001',
      username: 'alice@example.test',
      email: 'alice@example.test',
      realName: 'Alice Example',
      groups: ['staff', 'finance'],
      attributes: { immutableId: ['aGVsbG8gd29ybGQ='] },
    },
    authnInstant: now,
    sessionIndex: '_session-alice-1',
    secondFactor,
  };
}

export const random = secureRandom;

/** The `name="value"` hidden inputs of an HTML form (node-saml's POST binding renders one). */
export function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields[match[1]!] = match[2]!
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  }
  return fields;
}

/** The query string of `url`, exactly as it would arrive (everything after `?`). */
export function rawQuery(url: string): string {
  return url.slice(url.indexOf('?') + 1);
}

/** Decodes a base64 POST-binding value to its XML, and back. */
export const fromBase64 = (value: string): string => Buffer.from(value, 'base64').toString('utf8');
export const toBase64 = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');
