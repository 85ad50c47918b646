// Unit tests for the amr / acr / auth_time of a single sign-on (RFC 8176 values per factor).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthTransaction } from '../model.ts';
import { ACR, signInFacts } from './sign-in-facts.ts';

const allowed = (
  factor: string | null,
  reason: AuthTransaction['reason'],
  updatedAt = 5000,
): AuthTransaction => ({
  id: 'tx',
  applicationId: 'DA',
  userId: 'DU',
  state: 'allow',
  factor,
  deviceId: null,
  reason,
  ip: null,
  createdAt: 1000,
  updatedAt,
  expiresAt: 9000,
  version: 2,
  data: {},
});

describe('sign-in facts', () => {
  it('maps each factor to its RFC 8176 values, with pwd and mfa', () => {
    const facts = (tx: AuthTransaction) => signInFacts({ tx, device: null, passwordAt: 4000, session: null });
    assert.deepEqual(facts(allowed('push', 'user_approved')).amr, ['mfa', 'pwd', 'swk']);
    assert.deepEqual(facts(allowed('passcode', 'valid_passcode')).amr, ['mfa', 'otp', 'pwd']);
    assert.deepEqual(facts(allowed('webauthn', 'valid_webauthn')).amr, ['hwk', 'mfa', 'pwd', 'user']);
    assert.equal(facts(allowed('push', 'user_approved')).acr, ACR.mfa);
    assert.equal(
      facts(allowed('push', 'user_approved')).authTime,
      5000,
      'the factor came after the password',
    );
  });

  it('a remembered browser counts as the second factor but adds no method of its own', () => {
    const facts = signInFacts({
      tx: allowed('remembered', 'remembered'),
      device: null,
      passwordAt: 4000,
      session: null,
    });
    assert.deepEqual(facts.amr, ['mfa', 'pwd']);
    assert.equal(facts.secondFactor, true);
    assert.equal(facts.authTime, 4000, 'the password was the last thing the user did');
  });

  it('before enforcement (or a policy bypass) only the password counts: sfa', () => {
    const facts = signInFacts({
      tx: allowed(null, 'before_enforcement'),
      device: null,
      passwordAt: 4000,
      session: null,
    });
    assert.deepEqual(facts.amr, ['pwd']);
    assert.equal(facts.acr, ACR.sfa);
    assert.equal(facts.secondFactor, false);
  });

  it('rides on the session: its pwd and time when nothing was asked now, a fresh factor moves the time', () => {
    const session = { authTime: 2000, amr: ['mfa', 'pwd', 'swk'], acr: ACR.mfa, secondFactor: true };
    const remembered = signInFacts({
      tx: allowed('remembered', 'remembered'),
      device: null,
      passwordAt: null,
      session,
    });
    assert.deepEqual(remembered.amr, ['mfa', 'pwd', 'swk']);
    assert.equal(remembered.authTime, 2000);
    const fresh = signInFacts({
      tx: allowed('passcode', 'valid_passcode'),
      device: null,
      passwordAt: null,
      session,
    });
    assert.deepEqual(fresh.amr, ['mfa', 'otp', 'pwd', 'swk']);
    assert.equal(fresh.authTime, 5000);
  });
});
