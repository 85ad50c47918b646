// The repository conformance suite: every Store implementation must pass it on its own database.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Store } from '../../src/core/repositories.ts';
import { activityCases } from './conformance-activity.ts';
import { adminCases } from './conformance-admin.ts';
import { administratorCases } from './conformance-administrators.ts';
import { alertCases, fraudReportCases } from './conformance-alerts.ts';
import { configCases } from './conformance-config.ts';
import { credentialCases } from './conformance-credentials.ts';
import { limitCases } from './conformance-limits.ts';
import { oidcCases } from './conformance-oidc.ts';
import { singleUseCases } from './conformance-single-use.ts';
import { telephonyCases } from './conformance-telephony.ts';
import { userCases, usernameKeyCases } from './conformance-users.ts';
import { fixtures } from './fixtures.ts';

/** Registers the suite for `name`; `open` must return a store on the same (initially empty) database each call. */
export function runRepositoryConformance(name: string, open: () => Promise<Store>): void {
  describe(`store conformance: ${name}`, () => {
    let current: Store | undefined;
    const store = () => {
      assert.ok(current, 'store not opened');
      return current;
    };
    const f = fixtures();
    before(async () => {
      current = await open();
    });
    after(async () => {
      await current?.close();
    });

    it('answers ping and opens again without re-applying migrations', async () => {
      assert.equal(await store().ping(), true);
      const again = await open();
      try {
        assert.equal(again.dialect, store().dialect);
        assert.equal(await again.ping(), true);
      } finally {
        await again.close();
      }
    });

    describe('users', () => userCases(store, f));
    describe('username keys', () => usernameKeyCases(store, f));
    describe('applications, groups, settings', () => configCases(store, f));
    describe('authenticators and bypass codes', () => credentialCases(store, f));
    describe('transactions, audit, atomically', () => activityCases(store, f));
    describe('alerts', () => alertCases(store, open, f));
    describe('fraud reports', () => fraudReportCases(store, f));
    describe('used signatures and live tickets', () => singleUseCases(store, f));
    describe('push activity and rate limits', () => limitCases(store, f));
    describe('telephony log and credits', () => telephonyCases(store, open, f));
    describe('OpenID Connect artifacts and signing keys', () => oidcCases(store, f));
    describe('admin API reads and writes', () => adminCases(store, f));
    describe('administrators', () => administratorCases(store, f));
  });
}
