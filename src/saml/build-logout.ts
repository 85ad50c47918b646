// Single logout messages we send (SAML core §3.7): a LogoutRequest to an SP, a LogoutResponse to an SP's request.
import type { Random } from '../core/clock.ts';
import { append, newDocument, serializeDocument } from './dom-build.ts';
import type { IdpSettings } from './idp-settings.ts';
import { deliver, type OutboundMessage, sloEndpoint } from './logout-delivery.ts';
import type { NameId } from './name-id.ts';
import { type BindingName, NS, PREFIX, STATUS } from './names.ts';
import { newSamlId } from './saml-id.ts';
import { formatInstant } from './saml-time.ts';
import type { SpRecord } from './sp-record.ts';

function start(idp: IdpSettings, name: string, destination: string, now: number, random: Random) {
  const root = newDocument(NS.protocol, `${PREFIX.protocol}:${name}`, {
    [PREFIX.protocol]: NS.protocol,
    [PREFIX.assertion]: NS.assertion,
  });
  const id = newSamlId(random);
  root.setAttribute('ID', id);
  root.setAttribute('Version', '2.0');
  root.setAttribute('IssueInstant', formatInstant(now));
  root.setAttribute('Destination', destination);
  return { root, id, appendIssuer: () => append(root, NS.assertion, 'saml:Issuer', {}, idp.entityId) };
}

/**
 * A LogoutRequest ending the session `sessionIndex` of the user known to `sp` as `nameId` (the NameID its assertion
 * carried), signed for the SP's SLO binding. Null when the SP has no SingleLogoutService. The caller keeps `id`
 * to check the LogoutResponse's InResponseTo.
 */
export function buildLogoutRequest(input: {
  idp: IdpSettings;
  sp: SpRecord;
  nameId: NameId;
  sessionIndex: string;
  relayState?: string;
  now: number;
  random: Random;
}): { id: string; message: OutboundMessage } | null {
  const { idp, sp, now } = input;
  const endpoint = sloEndpoint(sp);
  if (endpoint === null) return null;
  const { root, id, appendIssuer } = start(idp, 'LogoutRequest', endpoint.url, now, input.random);
  // Core §3.7.1: a deadline, so a delayed request cannot end a later session.
  root.setAttribute('NotOnOrAfter', formatInstant(now + idp.requestLifetimeMs));
  appendIssuer();
  append(root, NS.assertion, 'saml:NameID', { Format: input.nameId.format }, input.nameId.value);
  append(root, NS.protocol, 'samlp:SessionIndex', {}, input.sessionIndex);
  const xml = serializeDocument(root);
  return {
    id,
    message: deliver(
      idp,
      endpoint.binding,
      endpoint.url,
      'SAMLRequest',
      'LogoutRequest',
      xml,
      input.relayState,
    ),
  };
}

/**
 * The LogoutResponse to an SP's LogoutRequest `inResponseTo`, Success unless `partial` (another SP's session
 * could not be ended: core §3.7.3.2 PartialLogout). Sent on the binding the request came on when the SP has an
 * endpoint there. Null when the SP has no SingleLogoutService.
 */
export function buildLogoutResponse(input: {
  idp: IdpSettings;
  sp: SpRecord;
  inResponseTo: string;
  binding: BindingName;
  partial?: boolean;
  relayState: string | undefined;
  now: number;
  random: Random;
}): { id: string; message: OutboundMessage } | null {
  const { idp, sp } = input;
  const endpoint = sloEndpoint(sp, input.binding);
  if (endpoint === null) return null;
  const { root, id, appendIssuer } = start(
    idp,
    'LogoutResponse',
    endpoint.responseUrl,
    input.now,
    input.random,
  );
  root.setAttribute('InResponseTo', input.inResponseTo);
  appendIssuer();
  const status = append(root, NS.protocol, 'samlp:Status');
  const code = append(status, NS.protocol, 'samlp:StatusCode', { Value: STATUS.success });
  if (input.partial) append(code, NS.protocol, 'samlp:StatusCode', { Value: STATUS.partialLogout });
  const xml = serializeDocument(root);
  return {
    id,
    message: deliver(
      idp,
      endpoint.binding,
      endpoint.responseUrl,
      'SAMLResponse',
      'LogoutResponse',
      xml,
      input.relayState,
    ),
  };
}
