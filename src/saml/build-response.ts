// Builds the login Response (SAML core §3.2.2, profiles §4.1.4.2): status, signed assertion, optionally signed itself.
import type { Element } from '@xmldom/xmldom';
import type { Random } from '../core/clock.ts';
import { encodePost } from './bindings.ts';
import { appendAssertion } from './build-assertion.ts';
import { append, newDocument, serializeDocument } from './dom-build.ts';
import type { IdpSettings } from './idp-settings.ts';
import type { NameId } from './name-id.ts';
import { NS, PREFIX, STATUS } from './names.ts';
import { newSamlId } from './saml-id.ts';
import { formatInstant } from './saml-time.ts';
import { type PathStep, signEnveloped } from './sign-enveloped.ts';
import type { SamlSignIn } from './sign-in.ts';
import { type AcsEndpoint, defaultAcs, type SpRecord } from './sp-record.ts';

/** The request a Response answers: what readAuthnRequest accepted. Absent for IdP-initiated SSO. */
export interface Answering {
  id: string;
  acs: AcsEndpoint;
}

/** A Response ready for the HTTP-POST binding: the front renders a form posting `samlResponse` to `acsUrl`. */
export interface OutboundResponse {
  xml: string;
  /** The SAMLResponse form field (base64). */
  samlResponse: string;
  acsUrl: string;
  responseId: string;
  assertionId: string | undefined;
  /** The NameID the SP now knows the user by: keep it with the SSO session, a LogoutRequest must name it. */
  nameId: NameId | undefined;
}

const RESPONSE: PathStep = [NS.protocol, 'Response'];
const ASSERTION: PathStep = [NS.assertion, 'Assertion'];
const ISSUER: PathStep = [NS.assertion, 'Issuer'];

function startResponse(
  idp: IdpSettings,
  acsUrl: string,
  inResponseTo: string | undefined,
  now: number,
  random: Random,
) {
  const root = newDocument(NS.protocol, `${PREFIX.protocol}:Response`, {
    [PREFIX.protocol]: NS.protocol,
    [PREFIX.assertion]: NS.assertion,
  });
  const id = newSamlId(random);
  root.setAttribute('ID', id);
  root.setAttribute('Version', '2.0');
  root.setAttribute('IssueInstant', formatInstant(now));
  root.setAttribute('Destination', acsUrl);
  if (inResponseTo !== undefined) root.setAttribute('InResponseTo', inResponseTo);
  append(root, NS.assertion, 'saml:Issuer', {}, idp.entityId);
  return { root, id };
}

function appendStatus(root: Element, code: string, subCode?: string, message?: string): void {
  const status = append(root, NS.protocol, 'samlp:Status');
  const top = append(status, NS.protocol, 'samlp:StatusCode', { Value: code });
  if (subCode !== undefined) append(top, NS.protocol, 'samlp:StatusCode', { Value: subCode });
  if (message !== undefined) append(status, NS.protocol, 'samlp:StatusMessage', {}, message);
}

/**
 * The Response that signs `signIn` in at `sp`: to the ACS of the request it answers, or to the SP's default ACS
 * for IdP-initiated SSO. The assertion is always signed; the Response too when the SP record asks. Throws
 * SamlBuildError when the SP's NameID or a required attribute has no value for this user.
 */
export function buildLoginResponse(input: {
  idp: IdpSettings;
  sp: SpRecord;
  signIn: SamlSignIn;
  answering: Answering | undefined;
  now: number;
  random: Random;
}): OutboundResponse {
  const { idp, sp, answering, now, random } = input;
  const acs = answering?.acs ?? defaultAcs(sp);
  const { root, id } = startResponse(idp, acs.url, answering?.id, now, random);
  appendStatus(root, STATUS.success);
  const assertion = appendAssertion(root, { ...input, acs, inResponseTo: answering?.id });
  // The assertion first: the Response's digest then covers the assertion's signature too.
  let xml = signEnveloped(serializeDocument(root), [RESPONSE, ASSERTION], ISSUER, idp.credential);
  if (sp.signResponse) xml = signEnveloped(xml, [RESPONSE], ISSUER, idp.credential);
  return {
    xml,
    samlResponse: encodePost(xml),
    acsUrl: acs.url,
    responseId: id,
    assertionId: assertion.id,
    nameId: assertion.nameId,
  };
}

/**
 * A signed Response without an assertion, telling the SP why it gets none (core §3.2.2.2): `code` is Requester or
 * Responder, `subCode` the precise status (NoPassive, AuthnFailed, RequestDenied, InvalidNameIDPolicy…).
 */
export function buildStatusResponse(input: {
  idp: IdpSettings;
  sp: SpRecord;
  answering: Answering;
  code: typeof STATUS.requester | typeof STATUS.responder;
  subCode?: string;
  message?: string;
  now: number;
  random: Random;
}): OutboundResponse {
  const { idp, answering } = input;
  const { root, id } = startResponse(idp, answering.acs.url, answering.id, input.now, input.random);
  appendStatus(root, input.code, input.subCode, input.message);
  const xml = signEnveloped(serializeDocument(root), [RESPONSE], ISSUER, idp.credential);
  return {
    xml,
    samlResponse: encodePost(xml),
    acsUrl: answering.acs.url,
    responseId: id,
    assertionId: undefined,
    nameId: undefined,
  };
}
