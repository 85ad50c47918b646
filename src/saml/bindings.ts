// The HTTP-Redirect and HTTP-POST bindings (SAML bindings §3.4, §3.5): decoding what arrives, encoding what leaves.
import { sign } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { DSIG } from './names.ts';
import { MAX_MESSAGE_CHARS } from './parse-xml.ts';
import { refuse } from './refusal.ts';
import type { SigningCredential } from './signing-credential.ts';
import { isXmlText } from './xml-chars.ts';

/** Which parameter carries the message: requests and responses travel alike. */
export type MessageParameter = 'SAMLRequest' | 'SAMLResponse';

/** RelayState is opaque to us and echoed back; §3.4.3 says 80 bytes, real SPs send URLs, so we allow more. */
export const MAX_RELAY_STATE_CHARS = 1024;

/** The Redirect binding's detached signature: the algorithm, the signature, and the exact octets it covers. */
export interface RedirectSignature {
  sigAlg: string;
  signature: Buffer;
  /** `SAMLRequest=…&RelayState=…&SigAlg=…` from the query as received, never re-encoded (§3.4.4.1). */
  signedOctets: Buffer;
}

/** A message as a binding delivered it, before any check of its content. */
export interface DecodedMessage {
  xml: string;
  relayState: string | undefined;
  /** Redirect binding only: the query signature, if the sender signed. */
  redirectSignature: RedirectSignature | undefined;
}

const DEFLATE_ENCODING = 'urn:oasis:names:tc:SAML:2.0:bindings:URL-Encoding:DEFLATE';

/** The query parameters of the Redirect binding; others (an SP's own) are ignored, and never signed. */
const REDIRECT_PARAMETERS: ReadonlySet<string> = new Set([
  'SAMLRequest',
  'SAMLResponse',
  'RelayState',
  'SigAlg',
  'Signature',
  'SAMLEncoding',
]);

function formDecode(raw: string, name: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return refuse('malformed', `${name} is not URL-encoded`);
  }
}

/** Strict base64 (white space from line wrapping allowed): anything else is refused, not silently skipped. */
function base64Bytes(text: string, name: string): Buffer {
  const compact = text.replace(/[\t\n\r ]+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    refuse('malformed', `${name} is not base64`);
  }
  return Buffer.from(compact, 'base64');
}

function utf8(bytes: Buffer, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse('malformed', `${name} is not UTF-8`);
  }
}

/** RelayState is echoed back and may be stored with the flow: bounded, and free of NUL and control characters. */
function checkRelayState(relayState: string | undefined): string | undefined {
  if (relayState !== undefined && relayState.length > MAX_RELAY_STATE_CHARS) {
    refuse('malformed', `RelayState is longer than ${MAX_RELAY_STATE_CHARS} characters`);
  }
  if (relayState !== undefined && !isXmlText(relayState))
    refuse('malformed', 'RelayState holds control characters');
  return relayState;
}

/**
 * Decodes a Redirect-binding query (the part after `?`, exactly as received): the DEFLATEd message, RelayState,
 * and the signature with the octets it covers. Refuses a repeated parameter, a missing message, a foreign
 * SAMLEncoding, and output over the size limit (a DEFLATE bomb stops at the limit, it is never inflated whole).
 */
export function decodeRedirect(rawQuery: string, parameter: MessageParameter): DecodedMessage {
  const raw = new Map<string, string>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = equals === -1 ? pair : pair.slice(0, equals);
    if (!REDIRECT_PARAMETERS.has(name)) continue;
    if (raw.has(name)) refuse('malformed', `the query repeats ${name}`);
    raw.set(name, equals === -1 ? '' : pair.slice(equals + 1));
  }
  const message = raw.get(parameter);
  if (message === undefined) refuse('malformed', `the query has no ${parameter}`);
  const encoding = raw.get('SAMLEncoding');
  if (encoding !== undefined && formDecode(encoding, 'SAMLEncoding') !== DEFLATE_ENCODING) {
    refuse('malformed', 'SAMLEncoding is not DEFLATE');
  }
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(base64Bytes(formDecode(message, parameter), parameter), {
      maxOutputLength: MAX_MESSAGE_CHARS * 4,
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      refuse('malformed', `${parameter} is too large`);
    }
    return refuse('malformed', `${parameter} is not DEFLATE-compressed`);
  }
  const relayRaw = raw.get('RelayState');
  const relayState = checkRelayState(relayRaw === undefined ? undefined : formDecode(relayRaw, 'RelayState'));
  const sigAlgRaw = raw.get('SigAlg');
  const signatureRaw = raw.get('Signature');
  let redirectSignature: RedirectSignature | undefined;
  if (sigAlgRaw !== undefined || signatureRaw !== undefined) {
    if (sigAlgRaw === undefined || signatureRaw === undefined) {
      refuse('malformed', 'SigAlg and Signature come together');
    }
    const signed = [`${parameter}=${message}`];
    if (relayRaw !== undefined) signed.push(`RelayState=${relayRaw}`);
    signed.push(`SigAlg=${sigAlgRaw}`);
    redirectSignature = {
      sigAlg: formDecode(sigAlgRaw, 'SigAlg'),
      signature: base64Bytes(formDecode(signatureRaw, 'Signature'), 'Signature'),
      signedOctets: Buffer.from(signed.join('&'), 'utf8'),
    };
  }
  return { xml: utf8(inflated, parameter), relayState, redirectSignature };
}

/** Decodes a POST-binding form field (base64 of the XML, §3.5.4) and its RelayState. */
export function decodePost(
  value: string | undefined,
  relayState: string | undefined,
  parameter: MessageParameter,
): DecodedMessage {
  if (value === undefined) refuse('malformed', `the form has no ${parameter}`);
  const bytes = base64Bytes(value, parameter);
  if (bytes.length > MAX_MESSAGE_CHARS * 4) refuse('malformed', `${parameter} is too large`);
  return {
    xml: utf8(bytes, parameter),
    relayState: checkRelayState(relayState),
    redirectSignature: undefined,
  };
}

/** The form field value of a POST-binding message: its XML in base64. */
export function encodePost(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

/**
 * The URL that carries `xml` to `location` on the Redirect binding, DEFLATEd and signed with RSA-SHA256 over
 * `parameter=…&RelayState=…&SigAlg=…` (§3.4.4.1); the message itself carries no XML signature there.
 */
export function encodeRedirect(
  location: string,
  parameter: MessageParameter,
  xml: string,
  relayState: string | undefined,
  credential: SigningCredential,
): string {
  const parts = [
    `${parameter}=${encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`,
  ];
  if (relayState !== undefined) parts.push(`RelayState=${encodeURIComponent(relayState)}`);
  parts.push(`SigAlg=${encodeURIComponent(DSIG.rsaSha256)}`);
  const signature = sign('sha256', Buffer.from(parts.join('&'), 'utf8'), credential.privateKey);
  parts.push(`Signature=${encodeURIComponent(signature.toString('base64'))}`);
  return `${location}${location.includes('?') ? '&' : '?'}${parts.join('&')}`;
}
