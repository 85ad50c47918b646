// Reads an inbound AuthnRequest (SAML core §3.4.1, profiles §4.1.4.1) on either binding into what the prompt needs.
import type { Element } from '@xmldom/xmldom';
import { attribute, booleanAttribute, childrenNamed, optionalChild, textOf } from './dom-read.ts';
import type { BindingName } from './names.ts';
import { NAME_ID_FORMAT, NS, STATUS } from './names.ts';
import { type InboundDeps, type InboundHttp, readInbound } from './read-inbound.ts';
import { asResult, type ReadResult } from './refusal.ts';
import { resolveAcs } from './resolve-acs.ts';
import type { AcsEndpoint, SpRecord } from './sp-record.ts';

/** A status to answer at the ACS instead of signing in: the request was sound, we cannot honour it. */
export interface StatusProblem {
  subCode: string;
  message: string;
}

/** An accepted AuthnRequest. */
export interface AcceptedAuthnRequest {
  id: string;
  sp: SpRecord;
  /** Where the Response goes (from our SP record). */
  acs: AcsEndpoint;
  binding: BindingName;
  signed: boolean;
  relayState: string | undefined;
  /** The SP wants a fresh authentication: no remembered session (core §3.4.1 ForceAuthn). */
  forceAuthn: boolean;
  /** The SP wants no user interaction: answer NoPassive unless a session already signs the user in. */
  isPassive: boolean;
  /** The SP asked for the class it gets after a second factor (Entra's multipleauthn): MFA is required. */
  requireSecondFactor: boolean;
  /** When set, answer with buildStatusResponse(Requester, subCode) at the ACS instead of signing in. */
  statusProblem: StatusProblem | undefined;
}

/** NameIDPolicy's Format must be unspecified or the one this SP is configured for (core §3.4.1.1). */
function nameIdProblem(request: Element, sp: SpRecord): StatusProblem | undefined {
  const policy = optionalChild(request, NS.protocol, 'NameIDPolicy');
  const format = policy === null ? undefined : attribute(policy, 'Format');
  if (
    format === undefined ||
    format === NAME_ID_FORMAT.unspecified ||
    format === NAME_ID_FORMAT[sp.nameId.format]
  ) {
    return undefined;
  }
  return {
    subCode: STATUS.invalidNameIdPolicy,
    message: `this IdP issues ${NAME_ID_FORMAT[sp.nameId.format]} to this SP`,
  };
}

/**
 * RequestedAuthnContext (core §3.3.2.2.1): the classes we can assert to this SP are its default and its
 * second-factor class. `exact`, `minimum` and `maximum` are read as "one of these": asking only for the
 * second-factor class requires MFA, and so does `better` than the default class. Asking only for classes we never
 * assert is answered NoAuthnContext.
 */
function requestedContext(
  request: Element,
  sp: SpRecord,
): { requireSecondFactor: boolean; problem?: StatusProblem } {
  const requested = optionalChild(request, NS.protocol, 'RequestedAuthnContext');
  if (requested === null) return { requireSecondFactor: false };
  const classes = childrenNamed(requested, NS.assertion, 'AuthnContextClassRef').map(textOf);
  const { default: normal, secondFactor } = sp.authnContext;
  const better = attribute(requested, 'Comparison') === 'better';
  const offered = better
    ? secondFactor !== normal && classes.includes(normal)
    : classes.some((c) => c === normal || c === secondFactor);
  if (!offered) {
    return {
      requireSecondFactor: false,
      problem: {
        subCode: STATUS.noAuthnContext,
        message: 'none of the requested authentication classes is offered',
      },
    };
  }
  return { requireSecondFactor: better || !classes.includes(normal) };
}

/**
 * Reads an AuthnRequest from the SSO endpoint: every common inbound check (readInbound), then the ACS from our SP
 * record, then the request's wishes. Never throws for bad input: a refusal comes back as `{ ok: false }`.
 */
export function readAuthnRequest(
  input: InboundHttp,
  deps: InboundDeps,
): Promise<ReadResult<AcceptedAuthnRequest>> {
  return asResult(() =>
    readInbound(
      input,
      deps,
      {
        parameter: 'SAMLRequest',
        localName: 'AuthnRequest',
        endpoint: deps.idp.ssoUrl,
        requireSignature: (sp) => sp.wantAuthnRequestsSigned,
      },
      ({ sp, root, id, binding, signed, relayState }) => {
        const acs = resolveAcs(root, sp);
        const context = requestedContext(root, sp);
        return {
          id,
          sp,
          acs,
          binding,
          signed,
          relayState,
          forceAuthn: booleanAttribute(root, 'ForceAuthn') ?? false,
          isPassive: booleanAttribute(root, 'IsPassive') ?? false,
          requireSecondFactor: context.requireSecondFactor,
          statusProblem: nameIdProblem(root, sp) ?? context.problem,
        };
      },
    ),
  );
}
