// The device API's request schemas (/device/v1/…): what the Countersign Authenticator and the Node client send.
// Bodies arrive raw (the device signature covers their bytes) and are checked with these after it holds.
import { Type } from '@sinclair/typebox';
import { Id, NoBody } from '../web-common/schemas.ts';

/** One base64url coordinate of a P-256 point (32 bytes). */
const Coordinate = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });

/** The device's P-256 public key as a JWK (RFC 7517); other JWK members (`ext`, `key_ops`) are ignored. */
export const PublicJwkSchema = Type.Object({
  kty: Type.Literal('EC'),
  crv: Type.Literal('P-256'),
  x: Coordinate,
  y: Coordinate,
});

/** A browser's Web Push subscription (what `PushSubscription.toJSON()` gives, less what the server ignores). */
export const PushSubscriptionSchema = Type.Object({
  endpoint: Type.String({ pattern: '^https?://', maxLength: 2047 }),
  keys: Type.Object({
    p256dh: Type.String({ minLength: 1, maxLength: 199 }),
    auth: Type.String({ minLength: 1, maxLength: 99 }),
  }),
});

const OptionalText = (max: number) =>
  Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));

/** POST /activate (unsigned: the single-use code is the credential). */
export const ActivateBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 128 }),
  publicKey: PublicJwkSchema,
  name: OptionalText(64),
  platform: OptionalText(64),
  pushSubscription: Type.Optional(Type.Union([PushSubscriptionSchema, Type.Null()])),
});

/** /requests/:txid/… */
export const TxParams = Type.Object({ txid: Id });

/** POST /requests/:txid/answer: the decision, signed by the device key over `answerSigningString`. */
export const AnswerBody = Type.Object({
  decision: Type.Union([Type.Literal('approve'), Type.Literal('deny'), Type.Literal('fraud')]),
  code: Type.String({ maxLength: 16 }),
  signedAt: Type.Number(),
  signature: Type.String({ maxLength: 1024 }),
});

/** PUT /push-subscription: the new subscription, or null (or nothing) to stop Web Push. */
export const PushSubscriptionBody = Type.Object({
  pushSubscription: Type.Optional(Type.Union([PushSubscriptionSchema, Type.Null()])),
});

/** GET /events: the single-use ticket from POST /events/ticket. */
export const EventsQuery = Type.Object({ ticket: Type.Optional(Type.String({ maxLength: 256 })) });

/** OPTIONS /*: a CORS preflight for any path. */
export const AnyPath = Type.Object({ '*': Type.String() });

export { NoBody };
