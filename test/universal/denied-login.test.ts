// A Universal Prompt login that does not succeed ends with error=access_denied and never with a code, through the
// real prompt in Chromium and Duo's own SDK (whose exchange does not look at auth_result).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { Client } from '@duosecurity/duo_universal';
import axios, { type AxiosInstance } from 'axios';
import type { Browser, Page } from 'playwright-core';
import { systemClock } from '../../src/core/clock.ts';
import { activateDevice } from '../../src/core/enrollment/activate-device.ts';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import { isCountersignError } from '../../src/core/errors.ts';
import type { AuthTransaction, TransactionState, User } from '../../src/core/model.ts';
import { answerFactor } from '../../src/core/transaction/index.ts';
import { issueAuthorizationCode } from '../../src/core/web/universal-codes.ts';
import {
  answerSigningString,
  type DeviceKey,
  exportPublicKey,
  generateDeviceKeyPair,
  signText,
} from '../../src/device-protocol/signing.ts';
import { createTestCertificates, type TestCertificates } from '../auth-api/test-ca.ts';
import { launchChromium } from '../prompt/browser.ts';
import { type PromptWorld, startPromptWorld } from '../prompt/harness.ts';
import { addTestTotp, createTestUser } from '../support/server.ts';

describe('issue 9.6: a login that does not succeed never ends with a code', () => {
  let certs: TestCertificates;
  let world: PromptWorld<typeof systemClock>;
  let browser: Browser;
  let redirect: string;

  /** Duo's SDK, pointed at this server (reference §7, recipe 1), returning to the test front. */
  const sdkClient = () => {
    const client = new Client({
      clientId: world.client.clientId,
      clientSecret: world.client.secret,
      apiHost: new URL(world.url).host,
      redirectUrl: redirect,
    });
    (client as unknown as { axios: AxiosInstance }).axios = axios.create({
      baseURL: world.url,
      httpsAgent: new https.Agent({ ca: certs.caPem }),
    });
    return client;
  };

  /** Opens the prompt for `username` as the SDK's authorize URL; returns the page and the app's state. */
  const openPrompt = async (username: string): Promise<{ page: Page; state: string; client: Client }> => {
    const client = sdkClient();
    const state = client.generateState();
    const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
    await page.goto(await client.createAuthUrl(username, state));
    await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
    return { page, state, client };
  };

  /** Where the browser lands once it leaves the prompt. */
  const callback = async (page: Page): Promise<URL> => {
    await page.waitForURL(/\/test-front\/done\?/);
    return new URL(page.url());
  };

  /** The callback of a login that did not succeed: access_denied, words for people, the state, and no code. */
  const assertAccessDenied = (url: URL, state: string, description: string) => {
    assert.equal(`${url.origin}${url.pathname}`, redirect);
    assert.equal(url.searchParams.get('error'), 'access_denied', url.href);
    assert.equal(url.searchParams.get('state'), state);
    assert.equal(url.searchParams.get('error_description'), description);
    assert.equal(url.searchParams.get('duo_code'), null, 'no duo_code');
    assert.equal(url.searchParams.get('code'), null, 'no code');
  };

  /** A user with an activated push device (through the core, as the device API would). */
  const pushUser = async (username: string): Promise<{ user: User; deviceId: string; key: DeviceKey }> => {
    const user = await createTestUser(world.deps, username);
    const { code } = await createActivation(world.deps, 'test', user);
    const keys = await generateDeviceKeyPair(false);
    const { device } = await activateDevice(world.deps, {
      code,
      publicKey: await exportPublicKey(keys.publicKey),
      name: 'Phone',
    });
    return { user, deviceId: device.id, key: keys.privateKey };
  };

  before(async () => {
    certs = await createTestCertificates();
    world = await startPromptWorld({
      clock: systemClock,
      tls: { certFile: certs.certFile, keyFile: certs.keyFile },
    });
    redirect = `${world.url}/test-front/done`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await world?.close();
    await certs?.remove();
  });

  it('issue 9.6: a cancelled login returns error=access_denied with the state, and no code', async () => {
    await addTestTotp(world.deps, await createTestUser(world.deps, 'cancel-cara'));
    const { page, state, client } = await openPrompt('cancel-cara');
    await page.getByRole('button', { name: 'Cancel and return to Example Web App' }).click();
    const url = await callback(page);
    assertAccessDenied(url, state, 'The user cancelled the sign-in.');
    // An application written like Duo's example reads duo_code and hands it to the SDK: nothing to exchange.
    await assert.rejects(
      client.exchangeAuthorizationCodeFor2FAResult(url.searchParams.get('duo_code') as string, 'cancel-cara'),
      /Missing authorization code/,
    );
    await page.context().close();
  });

  it('issue 9.6: a push denied on the phone, then cancelled, returns error=access_denied and no code', async () => {
    const { user, deviceId, key } = await pushUser('denied-dan');
    const { page, state } = await openPrompt('denied-dan');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.locator('.verification-code').waitFor();
    const [tx] = await world.deps.store.transactions.listOpenForDevice(deviceId, world.clock.now());
    assert.ok(tx && tx.userId === user.id, 'the push is waiting on the phone');
    const signedAt = world.clock.now();
    const signature = await signText(key, answerSigningString(tx.id, 'deny', '', signedAt));
    await answerFactor(world.deps, tx.id, 'push', {
      deviceId,
      decision: 'deny',
      code: '',
      signedAt,
      signature,
    });
    await page.getByText('The request was denied on your device.').waitFor();
    await page.getByRole('button', { name: 'Cancel and return to Example Web App' }).click();
    // The user could have tried again; leaving is their choice.
    assertAccessDenied(await callback(page), state, 'The user cancelled the sign-in.');
    await page.context().close();
  });

  it('issue 9.6: a push reported as fraud ends with access_denied once the user returns', async () => {
    const { deviceId, key } = await pushUser('fraud-fay');
    const { page, state } = await openPrompt('fraud-fay');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.locator('.verification-code').waitFor();
    const [tx] = await world.deps.store.transactions.listOpenForDevice(deviceId, world.clock.now());
    assert.ok(tx);
    const signedAt = world.clock.now();
    const signature = await signText(key, answerSigningString(tx.id, 'fraud', '', signedAt));
    await answerFactor(world.deps, tx.id, 'push', {
      deviceId,
      decision: 'fraud',
      code: '',
      signedAt,
      signature,
    });
    await page.getByRole('heading', { name: 'Sign-in stopped' }).waitFor();
    await page.getByRole('button', { name: 'Return to Example Web App' }).click();
    assertAccessDenied(await callback(page), state, 'The sign-in was denied.');
    await page.context().close();
  });

  it('issue 9.6: the token endpoint never exchanges a code bound to a login that did not succeed', async () => {
    // Codes as an earlier version stored them (SHA-256 of `code\0<code>`), bound to every kind of failure.
    const user = await createTestUser(world.deps, 'old-olga');
    const now = world.clock.now();
    const failures: (TransactionState | 'cancelled')[] = [
      'deny',
      'fraud',
      'timeout',
      'locked_out',
      'awaiting_factor',
      'pushed',
      'cancelled',
    ];
    const client = sdkClient();
    const finish = {
      kind: 'universal' as const,
      clientId: world.client.clientId,
      redirectUri: redirect,
      state: 'x'.repeat(22),
      nonce: null,
      useDuoCode: true,
    };
    for (const state of failures) {
      let txid = `cancelled-${world.deps.random.uuid()}`;
      if (state !== 'cancelled') {
        const tx: AuthTransaction = {
          id: world.deps.random.uuid(),
          applicationId: world.client.app.id,
          userId: user.id,
          state,
          factor: 'push',
          deviceId: null,
          reason: state === 'deny' ? 'denied' : null,
          ip: null,
          createdAt: now,
          updatedAt: now,
          expiresAt: now + 60_000,
          version: 1,
          data: {},
        };
        await world.deps.store.transactions.create(tx);
        txid = tx.id;
        // Today's code refuses to issue one at all.
        await assert.rejects(issueAuthorizationCode(world.deps, finish, 'old-olga', tx), (e: unknown) =>
          isCountersignError(e, 'INVALID_INPUT'),
        );
      }
      const code = world.deps.random.bytes(32).toString('base64url');
      await world.deps.store.oauthCodes.create({
        id: createHash('sha256').update(`code\0${code}`).digest('base64url'),
        clientId: world.client.clientId,
        redirectUri: redirect,
        username: 'old-olga',
        nonce: null,
        txid,
        createdAt: now,
        expiresAt: now + 60_000,
        usedAt: null,
      });
      await assert.rejects(
        client.exchangeAuthorizationCodeFor2FAResult(code, 'old-olga'),
        /invalid_grant/,
        `a code bound to a ${state} login is refused`,
      );
    }
  });

  it('issue 9.6: an unknown user refused by the new-user policy goes back with access_denied', async () => {
    const { app } = world.client;
    await world.deps.store.applications.updatePolicy(app.id, { ...app.policy, newUserPolicy: 'deny' });
    try {
      const client = sdkClient();
      const state = client.generateState();
      const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
      const response = await page.goto(await client.createAuthUrl('nobody-here', state));
      assert.equal(response?.status(), 403);
      await page.getByRole('link', { name: 'Return to Example Web App' }).click();
      assertAccessDenied(await callback(page), state, 'The sign-in was denied.');
      assert.equal(await world.deps.store.users.findByName('nobody-here'), null);
      await page.context().close();
    } finally {
      await world.deps.store.applications.updatePolicy(app.id, app.policy);
    }
  });
});
