// The Auth API v2 parameters and responses as typed data (wire reference §3).

/** `{time}` from /ping and /check: the server's Unix time in seconds. */
export interface TimeResponse {
  time: number;
}

/** One device in a preauth `auth` answer. */
export interface AuthApiDevice {
  device: string;
  type: 'phone' | 'token';
  number: string;
  name: string;
  display_name: string;
  capabilities: string[];
  sms_nextcode?: string;
}

/** Names the user: exactly one of `username` (or an alias) and `user_id`. */
export type UserRef = { username: string; user_id?: never } | { user_id: string; username?: never };

export type PreauthParams = UserRef & {
  ipaddr?: string;
  hostname?: string;
  trusted_device_token?: string;
  client_supports_verified_push?: 0 | 1;
};

/** duo_unix's menu (§3 extension): `factors` maps menu keys (`1`, `default`) to tokens such as `push1`. */
export interface AuthApiPrompt {
  text: string;
  factors: Record<string, string>;
}

export type PreauthResponse =
  | { result: 'auth'; status_msg: string; devices: AuthApiDevice[]; prompt?: AuthApiPrompt; txid?: string }
  | { result: 'allow'; status_msg: string }
  | { result: 'deny'; status_msg: string }
  | { result: 'enroll'; status_msg: string; enroll_portal_url: string };

export type AuthFactor = 'auto' | 'push' | 'passcode' | 'phone' | 'sms' | 'prompt';

export type AuthParams = UserRef & {
  factor: AuthFactor;
  passcode?: string;
  /** duo_unix: the menu choice (`push1`) or a passcode, with factor=prompt. */
  prompt?: string;
  client_supports_verified_push?: 0 | 1;
  device?: string;
  type?: string;
  display_username?: string;
  pushinfo?: string;
  ipaddr?: string;
  hostname?: string;
  txid?: string;
};

/** The synchronous outcome of /auth. */
export interface AuthResponse {
  result: 'allow' | 'deny';
  status: string;
  status_msg: string;
  trusted_device_token?: string;
}

/** The immediate answer of /auth with `async=1`. */
export interface AsyncAuthResponse {
  txid: string;
}

/** /auth_status: the transaction as it stands (`waiting` until it ends). */
export interface AuthStatusResponse {
  result: 'waiting' | 'allow' | 'deny';
  status: string;
  status_msg: string;
  trusted_device_token?: string;
  auth_delayed?: boolean;
}

export interface EnrollParams {
  username?: string;
  valid_secs?: number;
  bypass_codes?: number;
}

export interface EnrollResponse {
  activation_barcode: string;
  activation_code: string;
  activation_url: string;
  expiration: number;
  user_id: string;
  username: string;
}

export interface EnrollStatusParams {
  user_id: string;
  activation_code: string;
}

export type EnrollStatusResponse = 'success' | 'waiting' | 'invalid';
