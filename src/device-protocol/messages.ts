// The messages the Countersign Authenticator (PWA or Node device client) and the server exchange.
// Shared by both sides: this folder imports nothing from Node or the browser beyond WebCrypto.

/** A P-256 public key as a JSON Web Key (RFC 7517): all the server ever holds of a device's key. */
export interface PublicJwk {
  kty: string;
  crv: string;
  x: string;
  y: string;
}

/** POST /device/v1/activate */
export interface ActivateRequest {
  code: string;
  /** The device's P-256 public key (JWK); the private key never leaves the device. */
  publicKey: PublicJwk;
  name?: string;
  platform?: string;
  pushSubscription?: PushSubscriptionData | null;
}

export interface PushSubscriptionData {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface ActivateResponse {
  deviceId: string;
  username: string;
  realName: string | null;
  organization: string;
  serverUrl: string;
  /** The seed for offline passcodes (RFC 6238). */
  totp: { secret: string; digits: number; period: number; algorithm: 'SHA1' | 'SHA256' | 'SHA512' };
}

/** A login waiting for the user's answer, as the app shows it. */
export interface PendingRequest {
  txid: string;
  application: string;
  username: string;
  realName: string | null;
  /** Duo's `type`: the word shown before "request" ("Login", "Transaction"). */
  type: string;
  createdAt: number;
  expiresAt: number;
  ip: string | null;
  location: string | null;
  /** Extra lines the application asked to show (Duo's `pushinfo`). */
  details: Array<[string, string]>;
  /** Verified push: the user must type the number shown on the login screen, of this many digits. */
  verification: { digits: number } | null;
}

export type Decision = 'approve' | 'deny' | 'fraud';

/** POST /device/v1/requests/:txid/answer */
export interface AnswerRequest {
  decision: Decision;
  /** The verified-push number the user typed ('' when none was asked). */
  code: string;
  /** When the device signed (ms since the epoch). */
  signedAt: number;
  /** ECDSA P-256 SHA-256 signature (IEEE P1363 r||s, base64url) over `answerSigningString`. */
  signature: string;
}

export interface AnswerResponse {
  state: 'allow' | 'deny' | 'fraud';
}

/** POST /device/v1/events/ticket (device-signed): what opens the live channel, once, within seconds. */
export interface LiveTicketResponse {
  /** Opens GET /device/v1/events?ticket=… once. */
  ticket: string;
  /** When the ticket stops working (ms since the epoch). */
  expiresAt: number;
}

/** Server-sent events on GET /device/v1/events?ticket=… */
export type DeviceEvent =
  | { type: 'request'; request: PendingRequest }
  | { type: 'resolved'; txid: string; state: string };

export const DEVICE_API_PREFIX = '/device/v1';
