// Reads inbound single-logout messages (SAML core §3.7, profiles §4.4): an SP's LogoutRequest or its LogoutResponse.
import { attribute, childrenNamed, optionalChild, requiredChild, textOf } from './dom-read.ts';
import type { NameId } from './name-id.ts';
import { type BindingName, NAME_ID_FORMAT, NS, STATUS } from './names.ts';
import { type InboundDeps, type InboundHttp, readInbound } from './read-inbound.ts';
import { asResult, type ReadResult, refuse } from './refusal.ts';
import { parseInstant } from './saml-time.ts';
import type { SpRecord } from './sp-record.ts';

/** An accepted LogoutRequest: end the SSO session(s) of this NameID at this SP, then answer with buildLogoutResponse. */
export interface AcceptedLogoutRequest {
  id: string;
  sp: SpRecord;
  nameId: NameId;
  /** The sessions to end; empty means every session of this NameID (core §3.7.1). */
  sessionIndexes: string[];
  binding: BindingName;
  relayState: string | undefined;
}

/** An accepted LogoutResponse to a LogoutRequest of ours. */
export interface AcceptedLogoutResponse {
  inResponseTo: string;
  sp: SpRecord;
  /** The SP ended the session (top-level status Success). */
  success: boolean;
  status: string;
  relayState: string | undefined;
}

/**
 * Reads a LogoutRequest from the SLO endpoint. It must be signed (profiles §4.4.4.1): an unsigned one could sign
 * anyone out, so an SP without a registered certificate cannot start a logout. Never throws for bad input.
 */
export function readLogoutRequest(
  input: InboundHttp,
  deps: InboundDeps,
): Promise<ReadResult<AcceptedLogoutRequest>> {
  return asResult(() =>
    readInbound(
      input,
      deps,
      {
        parameter: 'SAMLRequest',
        localName: 'LogoutRequest',
        endpoint: deps.idp.sloUrl,
        requireSignature: () => true,
      },
      ({ sp, root, id, binding, relayState }) => {
        const deadline = attribute(root, 'NotOnOrAfter');
        if (
          deadline !== undefined &&
          parseInstant(deadline, 'NotOnOrAfter') <= deps.clock.now() - deps.idp.clockSkewMs
        ) {
          refuse('stale', 'the LogoutRequest has expired (NotOnOrAfter)');
        }
        const nameIdElement = optionalChild(root, NS.assertion, 'NameID');
        // BaseID and EncryptedID are never in our assertions, so never in a request about them.
        if (nameIdElement === null) refuse('malformed', 'the LogoutRequest has no NameID');
        return {
          id,
          sp,
          nameId: {
            format: attribute(nameIdElement, 'Format') ?? NAME_ID_FORMAT.unspecified,
            value: textOf(nameIdElement),
          },
          sessionIndexes: childrenNamed(root, NS.protocol, 'SessionIndex').map(textOf),
          binding,
          relayState,
        };
      },
    ),
  );
}

/**
 * Reads a LogoutResponse from the SLO endpoint: signed, and answering the LogoutRequest we sent that SP, whose ID
 * the caller kept: `pending` is that ID, or a lookup from the (verified) SP to the ID awaited from it, for a logout
 * that went out to several SPs. Never throws for bad input.
 */
export function readLogoutResponse(
  input: InboundHttp,
  deps: InboundDeps,
  pending: string | ((sp: SpRecord) => string | undefined),
): Promise<ReadResult<AcceptedLogoutResponse>> {
  return asResult(() =>
    readInbound(
      input,
      deps,
      {
        parameter: 'SAMLResponse',
        localName: 'LogoutResponse',
        endpoint: deps.idp.sloUrl,
        requireSignature: () => true,
      },
      ({ sp, root, relayState }) => {
        const inResponseTo = attribute(root, 'InResponseTo');
        const awaited = typeof pending === 'string' ? pending : pending(sp);
        if (inResponseTo === undefined || inResponseTo !== awaited) {
          refuse('in_response_to', 'the LogoutResponse answers no request of ours');
        }
        const status = requiredChild(requiredChild(root, NS.protocol, 'Status'), NS.protocol, 'StatusCode');
        const code = attribute(status, 'Value') ?? '';
        return { inResponseTo, sp, success: code === STATUS.success, status: code, relayState };
      },
    ),
  );
}
