// Reads policy settings from text (`key=value`, as the CLI and admin API take them), with clear errors.
import { CountersignError } from '../errors.ts';
import { AUTH_POLICIES, METHOD_IDS, type MethodId, NEW_USER_POLICIES, type PolicyLayer } from '../model.ts';
import { MAX_LOCKOUT_THRESHOLD, MAX_PUSH_TIMEOUT_SECONDS } from './defaults.ts';

type Parser = (value: string) => unknown;

function oneOf(choices: readonly string[]): Parser {
  return (value) => {
    if (!choices.includes(value)) throw new Error(`must be one of ${choices.join(', ')}`);
    return value;
  };
}

function integer(min: number, max: number, nullable = false): Parser {
  return (value) => {
    if (nullable && (value === 'none' || value === 'null')) return null;
    if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new Error(`must be a whole number from ${min} to ${max}${nullable ? ', or none' : ''}`);
    }
    return Number(value);
  };
}

const PARSERS: Record<keyof PolicyLayer, Parser> = {
  newUserPolicy: oneOf(NEW_USER_POLICIES),
  authPolicy: oneOf(AUTH_POLICIES),
  allowedMethods: (value) => {
    const methods = value
      .split(',')
      .map((method) => method.trim())
      .filter(Boolean);
    const unknown = methods.filter((method) => !(METHOD_IDS as readonly string[]).includes(method));
    if (unknown.length > 0)
      throw new Error(`has unknown methods ${unknown.join(', ')}; known: ${METHOD_IDS.join(', ')}`);
    return methods as MethodId[];
  },
  rememberHours: integer(0, 720),
  enforcementDate: (value) => {
    if (value === 'none' || value === 'null') return null;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw new Error('must be a date YYYY-MM-DD, or none');
    }
    return value;
  },
  lockoutThreshold: integer(1, MAX_LOCKOUT_THRESHOLD),
  autoUnlockMinutes: integer(1, 10_080, true),
  pushTimeoutSeconds: integer(10, MAX_PUSH_TIMEOUT_SECONDS),
  verifiedPush: oneOf(['true', 'false']),
  verifiedPushDigits: (value) => {
    if (value !== '3' && value !== '6') throw new Error('must be 3 or 6');
    return Number(value);
  },
  pushLimit: integer(1, 100),
  pushLimitWindowMinutes: integer(1, 1440),
  denialCooldownMinutes: integer(0, 1440),
  fraudPauseMinutes: integer(0, 10_080),
  rememberScope: oneOf(['shared', 'application', 'off']),
  userVerification: oneOf(['required', 'preferred', 'discouraged']),
};

/** The policy keys an operator can set. */
export const POLICY_KEYS = Object.keys(PARSERS) as Array<keyof PolicyLayer>;

/** Parses `key=value` settings into a layer; `key=` (empty) clears a key. Every error is reported at once. */
export function parsePolicySettings(settings: string[]): {
  set: PolicyLayer;
  clear: Array<keyof PolicyLayer>;
} {
  const set: Record<string, unknown> = {};
  const clear: Array<keyof PolicyLayer> = [];
  const errors: string[] = [];
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    const key = (eq === -1 ? setting : setting.slice(0, eq)) as keyof PolicyLayer;
    const value = eq === -1 ? '' : setting.slice(eq + 1).trim();
    const parse = PARSERS[key];
    if (!parse || eq === -1) {
      errors.push(
        eq === -1
          ? `'${setting}' must look like key=value`
          : `unknown policy key '${key}'; known: ${POLICY_KEYS.join(', ')}`,
      );
      continue;
    }
    if (value === '') {
      clear.push(key);
      continue;
    }
    try {
      const parsed = parse(value);
      set[key] = key === 'verifiedPush' ? parsed === 'true' : parsed;
    } catch (error) {
      errors.push(`policy: option '${key}' ${(error as Error).message} but it's configured as '${value}'`);
    }
  }
  if (errors.length > 0) throw new CountersignError('INVALID_INPUT', errors.join('; '));
  return { set: set as PolicyLayer, clear };
}
