// The Auth API v2's parameters per endpoint (Duo's wire reference), described for the API document. They arrive
// signed (query for GET, form or JSON body for POST); the handlers read them only after the signature holds and
// refuse them in Duo's envelope (40001 missing, 40002 invalid), which Duo's SDKs read: so they are checked there.
import { Type } from '@sinclair/typebox';

const Text = (description: string) => Type.Optional(Type.String({ description }));

/** Who the call is about: exactly one of them. */
const userFields = {
  username: Text('The username or an alias (canonical form: docs/usernames.md).'),
  user_id: Text('The user id, instead of username.'),
};

/** GET|POST /check, GET /logo: no parameters beyond the signature. */
export const CheckParams = Type.Object({});

/** POST /preauth */
export const PreauthParams = Type.Object({
  ...userFields,
  ipaddr: Text("The end user's IP address."),
});

/** POST /auth */
export const AuthParams = Type.Object({
  ...userFields,
  factor: Type.String({ description: 'auto, push, passcode, phone, sms or prompt.' }),
  ipaddr: Text("The end user's IP address."),
  async: Text('1 or true: answer with a txid at once, and poll /auth_status.'),
  device: Text('The device id for a push, or auto.'),
  passcode: Text('For factor=passcode: the code, up to 64 characters.'),
  prompt: Text('For factor=prompt: a passcode, or push1, push2… (duo_unix).'),
  type: Text('The word shown before "request" in the app (up to 40 characters).'),
  display_username: Text('The name the app shows (up to 128 characters).'),
  pushinfo: Text('URL-encoded key=value pairs shown in the app (under 20,000 bytes).'),
  client_supports_verified_push: Text('1 when the client can show a verified-push number.'),
});

/** GET /auth_status */
export const AuthStatusParams = Type.Object({ txid: Type.String({ description: 'From an async /auth.' }) });

/** POST /enroll */
export const EnrollParams = Type.Object({
  username: Text('The new user (a random one when absent).'),
  valid_secs: Text('How long the activation lasts, 10 to 9,999,999 seconds (default 86,400).'),
});

/** POST /enroll_status */
export const EnrollStatusParams = Type.Object({
  user_id: Type.String(),
  activation_code: Type.String({ description: 'The code, or the code@server text /enroll returned.' }),
});
