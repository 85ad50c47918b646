// The prompt API's request schemas (/prompt/api/flows/:flowId/…): what the page sends, checked before any handler.
import { Type } from '@sinclair/typebox';
import { Id, NoBody, WebauthnAssertion } from '../web-common/schemas.ts';

/** Every prompt API URL names its flow. */
export const FlowParams = Type.Object({ flowId: Id });

/** GET …/:flowId: back from inline enrollment, the one-time resume token. */
export const FlowQuery = Type.Object({
  resume: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
});

/** GET …/status: the version the page already shows (the answer waits while it is current). */
export const StatusQuery = Type.Object({ version: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) });

/** POST …/password (an empty password is answered on the page, not refused here). */
export const PasswordBody = Type.Object({ password: Type.String({ maxLength: 1024 }) });

/** POST …/push: which device (`auto` for every push device), and whether the page sent it by itself. */
export const PushBody = Type.Object({
  device: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  automatic: Type.Optional(Type.Boolean()),
});

/** POST …/passcode: as typed (spaces are removed before it is checked). */
export const PasscodeBody = Type.Object({ passcode: Type.String({ maxLength: 64 }) });

/** POST …/webauthn: the security key's answer. */
export const WebauthnBody = Type.Object({ response: WebauthnAssertion });

/** POST …/finish: "remember me on this browser". */
export const FinishBody = Type.Object({ remember: Type.Optional(Type.Boolean()) });

export { NoBody };
