// Schemas shared by the browser fronts' routes: ids, a body with no fields, and WebAuthn answers (as JSON).
import { Type } from '@sinclair/typebox';

/** A body with no fields (a POST that only acts; an absent body counts as this). */
export const NoBody = Type.Object({}, { description: 'No fields.' });

/** An id in a URL or a body: a device, a transaction, a flow. */
export const Id = Type.String({ minLength: 1, maxLength: 64 });

/** What `navigator.credentials` answered, as @simplewebauthn/browser encodes it; the ceremony checks the rest. */
const credentialShape = {
  id: Type.String({ minLength: 1, maxLength: 1024 }),
  rawId: Type.String({ minLength: 1, maxLength: 1024 }),
  type: Type.Literal('public-key'),
  clientExtensionResults: Type.Optional(Type.Object({})),
  authenticatorAttachment: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
};

/** A security key's answer to a sign-in challenge (AuthenticationResponseJSON). */
export const WebauthnAssertion = Type.Object({
  ...credentialShape,
  response: Type.Object({
    clientDataJSON: Type.String({ maxLength: 65536 }),
    authenticatorData: Type.String({ maxLength: 65536 }),
    signature: Type.String({ maxLength: 65536 }),
    userHandle: Type.Optional(Type.Union([Type.String({ maxLength: 1024 }), Type.Null()])),
  }),
});

/** A new security key's answer to a registration challenge (RegistrationResponseJSON). */
export const WebauthnAttestation = Type.Object({
  ...credentialShape,
  response: Type.Object({
    clientDataJSON: Type.String({ maxLength: 65536 }),
    attestationObject: Type.String({ maxLength: 65536 }),
    transports: Type.Optional(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 16 })),
    authenticatorData: Type.Optional(Type.String({ maxLength: 65536 })),
    publicKey: Type.Optional(Type.String({ maxLength: 8192 })),
    publicKeyAlgorithm: Type.Optional(Type.Integer()),
  }),
});
