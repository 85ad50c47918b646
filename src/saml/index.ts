// Public surface of the SAML 2.0 identity provider's protocol core: what the HTTP front and the CLI call.

export { buildLogoutRequest, buildLogoutResponse } from './build-logout.ts';
export {
  type Answering,
  buildLoginResponse,
  buildStatusResponse,
  type OutboundResponse,
} from './build-response.ts';
export { certificateBody, normalizePem, pemFromBody } from './certificates.ts';
export { createSigningCredential, type NewSigningCredential } from './create-signing-credential.ts';
export { SamlBuildError } from './dom-build.ts';
export { idpMetadata } from './idp-metadata.ts';
export { defineIdp, IDP_DEFAULTS, type IdpSettings } from './idp-settings.ts';
export { importSpMetadata } from './import-sp-metadata.ts';
export { type OutboundMessage, sloEndpoint } from './logout-delivery.ts';
export type { NameId } from './name-id.ts';
export { AUTHN_CONTEXT, BINDING, NAME_ID_FORMAT, STATUS } from './names.ts';
export { type AcceptedAuthnRequest, readAuthnRequest, type StatusProblem } from './read-authn-request.ts';
export type { InboundDeps, InboundHttp } from './read-inbound.ts';
export {
  type AcceptedLogoutRequest,
  type AcceptedLogoutResponse,
  readLogoutRequest,
  readLogoutResponse,
} from './read-logout.ts';
export { REFUSAL_REASONS, type ReadResult, type RefusalReason } from './refusal.ts';
export { memoryReplayCache, type SamlReplayCache, storeReplayCache } from './replay-cache.ts';
export type { SamlSignIn } from './sign-in.ts';
export { loadSigningCredential, type SigningCredential } from './signing-credential.ts';
export { ENTRA_ACS_URL, ENTRA_ENTITY_ID, entraIdSp, workdaySp } from './sp-presets.ts';
export {
  type AcsEndpoint,
  type AttributeRule,
  defineSp,
  type SloEndpoint,
  type SpInput,
  type SpRecord,
  type SubjectSource,
} from './sp-record.ts';
export { type SamlSubject, subjectFromUser } from './subject.ts';
