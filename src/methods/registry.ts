// The registry of second factors: adding a factor is one folder plus one line here.
import { CountersignError } from '../core/errors.ts';
import type { MethodId } from '../core/model.ts';
import { bypassMethod } from './bypass/bypass-method.ts';
import { hotpMethod } from './hotp/hotp-method.ts';
import type { Method } from './method.ts';
import { pushMethod } from './push/push-method.ts';
import { totpMethod } from './totp/totp-method.ts';
import { webauthnMethod } from './webauthn/webauthn-method.ts';

export const METHODS: readonly Method[] = [pushMethod, totpMethod, hotpMethod, bypassMethod, webauthnMethod];

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

/** The method that owns an authenticator of this kind, if any. */
export function methodForKind(kind: string): Method | undefined {
  return METHODS.find((method) => (method.kinds as readonly string[]).includes(kind));
}

/** Methods that accept typed passcodes and are allowed by policy. */
export function passcodeMethods(allowed: readonly MethodId[]): Method[] {
  return METHODS.filter((method) => method.verifyPasscode && allowed.includes(method.id));
}
