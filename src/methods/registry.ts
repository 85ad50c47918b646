// The registry of second factors: adding a factor is one folder plus one line here.
import { CountersignError } from '../core/errors.ts';
import type { MethodId } from '../core/model.ts';
import { bypassMethod } from './bypass/bypass-method.ts';
import { hotpMethod } from './hotp/hotp-method.ts';
import type { Method } from './method.ts';
import { phoneMethod } from './phone/phone-method.ts';
import { pushMethod } from './push/push-method.ts';
import { smsMethod } from './sms/sms-method.ts';
import { totpMethod } from './totp/totp-method.ts';
import { webauthnMethod } from './webauthn/webauthn-method.ts';

export const METHODS = [
  pushMethod,
  totpMethod,
  hotpMethod,
  bypassMethod,
  webauthnMethod,
  phoneMethod,
  smsMethod,
] as const satisfies readonly Method[];

type Registered = (typeof METHODS)[number];

/** The ids of methods that start an attempt and judge its answer (push, WebAuthn, phone calls). */
export type InteractiveId = Extract<Registered, { challenge: unknown; verify: unknown }>['id'];
type Interactive<Id extends InteractiveId> = Extract<Registered, { id: Id }>;
/** What starting an attempt of method `Id` takes. */
export type StartInput<Id extends InteractiveId> = Parameters<Interactive<Id>['challenge']>[1];
/** What an attempt of method `Id` shows the user (WebAuthn request options; null for a push). */
export type Shown<Id extends InteractiveId> =
  Awaited<ReturnType<Interactive<Id>['challenge']>> extends { shown: infer S } ? S : never;
/** What answering an attempt of method `Id` takes. */
export type AnswerInput<Id extends InteractiveId> = Parameters<Interactive<Id>['verify']>[1];

/** Looks a method up by id; an unknown id is an error that lists the known ones. */
export function getMethod(id: string): Method {
  const method = METHODS.find((candidate) => candidate.id === id);
  if (!method) {
    throw new CountersignError(
      'INVALID_INPUT',
      `unknown method '${id}'; known methods: ${METHODS.map((m) => m.id).join(', ')}`,
    );
  }
  return method;
}

/** The interactive method `id`, typed by what its attempts take and show. */
export function interactiveMethod<Id extends InteractiveId>(
  id: Id,
): Method<StartInput<Id>, Shown<Id>, AnswerInput<Id>> {
  const method = getMethod(id);
  if (!method.challenge || !method.verify) {
    throw new CountersignError('INVALID_INPUT', `method '${id}' does not start attempts`);
  }
  return method as Method<StartInput<Id>, Shown<Id>, AnswerInput<Id>>;
}

/** The method that owns an authenticator of this kind, if any. */
export function methodForKind(kind: string): Method | undefined {
  return METHODS.find((method) => (method.kinds as readonly string[]).includes(kind));
}

/** The ids of every method that signs in with an authenticator of this kind (its owner, and those using it). */
export function methodIdsForKind(kind: string): MethodId[] {
  return METHODS.filter((method) =>
    [...method.kinds, ...('usesKinds' in method ? method.usesKinds : [])].includes(kind as never),
  ).map((method) => method.id);
}

/** Methods that accept typed passcodes and are allowed by policy. */
export function passcodeMethods(allowed: readonly MethodId[]): Method[] {
  return METHODS.filter((method) => 'verifyPasscode' in method && allowed.includes(method.id));
}
