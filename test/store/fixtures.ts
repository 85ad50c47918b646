// Test data for the store conformance suite: complete model objects with unique ids and a frozen time.
import type {
  Alert,
  Application,
  Authenticator,
  AuthTransaction,
  BypassCode,
  User,
} from '../../src/core/model.ts';

/** The frozen "now" every conformance case measures time from (ms). */
export const NOW = 1_750_000_000_000;

/** Makes model objects whose ids and names never repeat within one database. */
export function fixtures() {
  const run = Math.random().toString(36).slice(2, 8).toUpperCase();
  let n = 0;
  const next = (prefix: string) => `${prefix}${run}${String(++n).padStart(5, '0')}`;
  return {
    next,
    user(overrides: Partial<User> = {}): User {
      const id = next('DU');
      return {
        id,
        username: `user-${id}`,
        aliases: [],
        realName: 'Ada Lovelace',
        email: 'ada@example.test',
        phone: '+15550100',
        groups: ['staff'],
        status: 'active',
        passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
        directory: null,
        failedAttempts: 0,
        lockedAt: null,
        createdAt: NOW,
        lastLoginAt: null,
        notes: null,
        ...overrides,
      };
    },
    application(overrides: Partial<Application> = {}): Application {
      const id = next('DA');
      return {
        id,
        name: `app-${id}`,
        type: 'auth-api',
        ikey: `DI${next('').slice(0, 18).padEnd(18, 'X')}`,
        skeySealed: 'sealed:skey',
        legacyRestV1: false,
        policy: { authPolicy: 'enforce', allowedMethods: ['push', 'totp'] },
        createdAt: NOW,
        permissions: [],
        ...overrides,
      };
    },
    authenticator(userId: string | null, overrides: Partial<Authenticator> = {}): Authenticator {
      return {
        id: next('DP'),
        userId,
        kind: 'totp',
        name: 'Phone app',
        serial: null,
        secretSealed: 'sealed:seed',
        algorithm: 'sha1',
        digits: 6,
        period: 30,
        counter: 0,
        lastUsedStep: null,
        data: {},
        createdAt: NOW,
        lastUsedAt: null,
        ...overrides,
      };
    },
    bypassCode(userId: string, overrides: Partial<BypassCode> = {}): BypassCode {
      return {
        id: next('BC'),
        userId,
        keyId: 'k1',
        salt: 'c2FsdA',
        hash: 'aGFzaA',
        remainingUses: 1,
        expiresAt: NOW + 3_600_000,
        createdAt: NOW,
        createdBy: 'admin',
        ...overrides,
      };
    },
    alert(overrides: Partial<Alert> = {}): Alert {
      return {
        at: NOW,
        kind: 'fraud',
        userId: next('DU'),
        username: 'ada',
        application: 'VPN',
        txid: next('TX'),
        ip: '192.0.2.1',
        ...overrides,
      };
    },
    transaction(overrides: Partial<AuthTransaction> = {}): AuthTransaction {
      return {
        id: next('TX'),
        applicationId: 'DAAPP',
        userId: 'DUUSER',
        state: 'awaiting_factor',
        factor: null,
        deviceId: null,
        reason: null,
        ip: '192.0.2.1',
        createdAt: NOW,
        updatedAt: NOW,
        expiresAt: NOW + 60_000,
        version: 1,
        data: {},
        ...overrides,
      };
    },
  };
}

export type Fixtures = ReturnType<typeof fixtures>;

/** Runs `task` `count` times at once and counts how many calls returned a truthy result. */
export async function countWinners<T>(count: number, task: (i: number) => Promise<T>): Promise<number> {
  const results = await Promise.all(Array.from({ length: count }, (_, i) => task(i)));
  return results.filter(Boolean).length;
}
