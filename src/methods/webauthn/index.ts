// WebAuthn (security keys and passkeys): the ceremonies, the challenge slot and the relying party.
export type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
export {
  verifyWebauthnAuthentication,
  type WebauthnAuthResult,
  webauthnAuthenticationOptions,
} from './authentication.ts';
export * from './challenge-slot.ts';
export { credentialOf, type WebauthnCredentialData, webauthnCredentials } from './credential.ts';
export type { WebauthnDeps } from './deps.ts';
export { WEBAUTHN_FAILURES, WebauthnError, type WebauthnFailure } from './errors.ts';
export { verifyWebauthnRegistration, webauthnRegistrationOptions } from './registration.ts';
export { type RelyingParty, relyingPartyFor } from './relying-party.ts';
export { webauthnMethod } from './webauthn-method.ts';
