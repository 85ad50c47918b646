// The portal API's request schemas (/portal/api/…): what the portal's pages send, checked before any handler.
import { Type } from '@sinclair/typebox';
import { PROMPT_METHODS } from '../../core/web/user-prefs.ts';
import { Id, NoBody, WebauthnAssertion, WebauthnAttestation } from '../web-common/schemas.ts';

/** A device name as typed: 1 to 60 characters, none of them a control character (the core trims and checks too). */
export const DeviceName = Type.String({
  minLength: 1,
  maxLength: 60,
  pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F]*$',
});

/** POST /sign-in (a password over 1,024 characters is answered like a wrong one). */
export const SignInBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 1024 }),
  password: Type.String({ minLength: 1 }),
});

/** POST /step-up/start: how the user proves a second factor. */
export const StepUpStartBody = Type.Object({
  method: Type.Union([
    Type.Literal('push'),
    Type.Literal('passcode'),
    Type.Literal('webauthn'),
    Type.Literal('sms'),
  ]),
});

/** POST /step-up/passcode */
export const StepUpPasscodeBody = Type.Object({ code: Type.String({ maxLength: 32 }) });

/** POST /step-up/webauthn */
export const StepUpWebauthnBody = Type.Object({ response: WebauthnAssertion });

/** POST /step-up/push-status: the version already seen (the answer waits while it is current). */
export const PushStatusBody = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 0 })) });

/** POST /enroll/authenticator: a name for the app, and the device it replaces when moving to a new phone. */
export const EnrollAuthenticatorBody = Type.Object({
  name: Type.Optional(DeviceName),
  replacesDeviceId: Type.Optional(Id),
});

/** POST /enroll/totp/confirm: the code the app shows now, and a name for it. */
export const TotpConfirmBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 32 }),
  name: Type.Optional(DeviceName),
});

/** POST /enroll/webauthn/verify: the new key's answer, and a name for it. */
export const WebauthnVerifyBody = Type.Object({
  response: WebauthnAttestation,
  name: Type.Optional(DeviceName),
});

/** /devices/:id/… */
export const DeviceParams = Type.Object({ id: Id });

/** POST /devices/:id/rename */
export const RenameBody = Type.Object({ name: DeviceName });

/** POST /preferences: the prompt's default method (null: none) and automatic push. */
export const PreferencesBody = Type.Object({
  defaultMethod: Type.Union([...PROMPT_METHODS.map((method) => Type.Literal(method)), Type.Null()]),
  autoPush: Type.Boolean(),
});

export { NoBody };

/** An E.164 phone number as the portal sends it: `+`, a country code and the number, digits only. */
const PhoneNumber = Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$' });

/** POST /phone/send: where to text the confirmation code. */
export const PhoneSendBody = Type.Object({ number: PhoneNumber });

/** POST /phone/confirm: the number and the code texted to it. */
export const PhoneConfirmBody = Type.Object({
  number: PhoneNumber,
  code: Type.String({ pattern: '^[0-9]{7}$' }),
});
