// A service provider as we store it: where its assertions may go, how it signs, what it is told about the user.
import { X509Certificate } from 'node:crypto';
import { fail } from '../core/errors.ts';
import { normalizePem } from './certificates.ts';
import { AUTHN_CONTEXT, type BindingName, type NameIdFormatName } from './names.ts';

/** An Assertion Consumer Service: only HTTP-POST, the binding Web SSO responses travel on (profiles §4.1.2). */
export interface AcsEndpoint {
  url: string;
  index: number;
  isDefault: boolean;
}

/** A SingleLogoutService: where LogoutRequests go and, when different, where LogoutResponses go. */
export interface SloEndpoint {
  binding: BindingName;
  url: string;
  responseUrl: string;
}

/** Where a value about the user comes from: a field of the user, or a named directory attribute. */
export type SubjectSource = 'userId' | 'username' | 'email' | 'realName' | 'groups' | { attribute: string };

/** How the NameID is made for this SP. */
export interface NameIdRule {
  format: NameIdFormatName;
  source: SubjectSource;
}

/** One SAML Attribute of the AttributeStatement. */
export interface AttributeRule {
  /** The Attribute's Name, as the SP expects it (`IDPEmail`, a URI, an OID). */
  name: string;
  nameFormat?: string;
  friendlyName?: string;
  source: SubjectSource;
  /** When the user has no value: leave the attribute out (default) or refuse the sign-in. */
  required?: boolean;
}

/** A registered service provider. */
export interface SpRecord {
  entityId: string;
  /** A human name for audit and the prompt. */
  name: string;
  acs: readonly AcsEndpoint[];
  slo: readonly SloEndpoint[];
  /** PEM certificates whose keys may sign this SP's messages (two during a key rollover). */
  certificates: readonly string[];
  nameId: NameIdRule;
  attributes: readonly AttributeRule[];
  /** AuthnContextClassRef: `default` normally, `secondFactor` when the sign-in used one (Entra's multipleauthn). */
  authnContext: { default: string; secondFactor: string };
  /** The Audience of our assertions; the entity ID unless the SP says otherwise. */
  audience: string;
  /** Sign the Response as well as the Assertion. */
  signResponse: boolean;
  /** Refuse AuthnRequests that are not signed (they need a registered certificate). */
  wantAuthnRequestsSigned: boolean;
}

/** The fields an administrator types; everything else has a default. */
export interface SpInput {
  entityId: string;
  name?: string;
  acs: ReadonlyArray<string | AcsEndpoint>;
  slo?: readonly SloEndpoint[];
  certificates?: readonly string[];
  nameId?: Partial<NameIdRule>;
  attributes?: readonly AttributeRule[];
  authnContext?: Partial<SpRecord['authnContext']>;
  audience?: string;
  signResponse?: boolean;
  wantAuthnRequestsSigned?: boolean;
}

/** The source a NameID format takes its value from unless told otherwise. */
const DEFAULT_SOURCE: Readonly<Record<NameIdFormatName, SubjectSource>> = {
  emailAddress: 'email',
  // Our user id is opaque and never reassigned, as persistent identifiers must be (core §8.3.7).
  persistent: 'userId',
  unspecified: 'username',
};

function checkUrl(url: string, what: string, problems: string[]): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.push(`${what} '${url}' is not a URL`);
    return;
  }
  // Assertions are bearer tokens: over plain HTTP anyone on the path could replay them (profiles §4.1.4.5).
  const local =
    parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1' || parsed.hostname === '[::1]';
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local)) {
    problems.push(`${what} '${url}' must be https`);
  }
}

function checkCertificate(pem: string, problems: string[]): void {
  try {
    const key = new X509Certificate(pem).publicKey;
    const bits = key.asymmetricKeyDetails?.modulusLength;
    if (key.asymmetricKeyType === 'rsa' && (bits ?? 0) < 2048) {
      problems.push(`a certificate has a ${bits}-bit RSA key (at least 2048)`);
    }
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ec') {
      problems.push(`a certificate has a ${key.asymmetricKeyType} key (RSA or EC only)`);
    }
  } catch {
    problems.push('a certificate does not parse as PEM X.509');
  }
}

/**
 * Builds and checks an SP record, reporting every problem at once (INVALID_INPUT with each problem listed). A Workday-style SP is just `{ entityId, acs:
 * [url] }`: POST only, no metadata, unsigned AuthnRequests accepted (the ACS comes from this record, never from
 * the request, so an unsigned request cannot send an assertion elsewhere).
 */
export function defineSp(input: SpInput): SpRecord {
  const problems: string[] = [];
  if (input.entityId.trim() === '' || input.entityId !== input.entityId.trim()) {
    problems.push('entityId must be a non-empty string without surrounding spaces');
  }
  const acs = input.acs.map(
    (entry, i): AcsEndpoint =>
      typeof entry === 'string' ? { url: entry, index: i, isDefault: i === 0 } : entry,
  );
  if (acs.length === 0) problems.push('at least one ACS URL is needed');
  for (const endpoint of acs) checkUrl(endpoint.url, 'ACS URL', problems);
  if (new Set(acs.map((a) => a.index)).size !== acs.length) problems.push('ACS indexes must be unique');
  for (const endpoint of input.slo ?? []) {
    checkUrl(endpoint.url, 'SLO URL', problems);
    checkUrl(endpoint.responseUrl, 'SLO response URL', problems);
  }
  for (const pem of input.certificates ?? []) checkCertificate(pem, problems);
  const wantAuthnRequestsSigned = input.wantAuthnRequestsSigned ?? false;
  if (wantAuthnRequestsSigned && (input.certificates ?? []).length === 0) {
    problems.push('signed AuthnRequests are required but no certificate is registered');
  }
  const format = input.nameId?.format ?? 'unspecified';
  if (problems.length > 0) {
    fail('INVALID_INPUT', `service provider '${input.entityId}': ${problems.join('; ')}`);
  }
  return {
    entityId: input.entityId,
    name: input.name ?? input.entityId,
    acs,
    slo: input.slo ?? [],
    certificates: (input.certificates ?? []).map(normalizePem),
    nameId: { format, source: input.nameId?.source ?? DEFAULT_SOURCE[format] },
    attributes: input.attributes ?? [],
    authnContext: {
      default: input.authnContext?.default ?? AUTHN_CONTEXT.passwordProtectedTransport,
      secondFactor:
        input.authnContext?.secondFactor ??
        input.authnContext?.default ??
        AUTHN_CONTEXT.passwordProtectedTransport,
    },
    audience: input.audience ?? input.entityId,
    signResponse: input.signResponse ?? false,
    wantAuthnRequestsSigned,
  };
}

/** The ACS used when a request names none: the one marked default, else the lowest index (metadata §2.2.3). */
export function defaultAcs(sp: SpRecord): AcsEndpoint {
  const sorted = [...sp.acs].sort((a, b) => a.index - b.index);
  return sp.acs.find((a) => a.isDefault) ?? sorted[0]!;
}
