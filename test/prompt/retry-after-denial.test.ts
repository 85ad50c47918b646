// The prompt in Chromium after a denied push: starting again within the cooldown refuses the automatic push,
// and the page offers a way on (send a request yourself, another method) instead of a dead end.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createActivation } from '../../src/core/enrollment/create-activation.ts';
import { prefsKey } from '../../src/core/web/user-prefs.ts';
import { activateDevice } from '../../src/device-client/activate.ts';
import { createDeviceClient } from '../../src/device-client/client.ts';
import { activationLink } from '../../src/device-protocol/activation-link.ts';
import { createTestUser } from '../support/server.ts';
import { assertAxeClean, callbackCode, launchChromium } from './browser.ts';
import { type PromptWorld, startPromptWorld } from './harness.ts';

describe('login prompt: a push denied, then a new sign-in within the cooldown', () => {
  let world: PromptWorld;
  let browser: Browser;

  before(async () => {
    world = await startPromptWorld();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await world?.close();
  });

  const newPage = async (): Promise<Page> => (await browser.newContext()).newPage();

  it('issue 15: a refused automatic push after a denial offers a retry, not "cannot be used to sign in here"', async () => {
    const user = await createTestUser(world.deps, 'erin');
    await world.deps.store.settings.set(prefsKey(user.id), { defaultMethod: 'push', autoPush: true });
    const { code } = await createActivation(world.deps, 'test', user);
    const account = await activateDevice(activationLink(world.url, code), { name: 'Erin’s phone' });
    const device = createDeviceClient(account, { clock: world.clock });

    // First sign-in: the automatic push goes out and the user denies it on the phone.
    const first = await newPage();
    await first.goto(world.authorizeUrl('erin'));
    await first.locator('.verification-code').waitFor();
    const [pending] = await device.pending();
    assert.ok(pending, 'the automatic push reached the device');
    assert.equal(await device.deny(pending.txid), 'deny');
    await first.getByText('The request was denied on your device.').waitFor();

    // A minute later (within the default five-minute cooldown) the user signs in again: the automatic push is
    // refused, and the page says why and keeps the way on open.
    world.clock.advance(60_000);
    const second = await newPage();
    await second.goto(world.authorizeUrl('erin'));
    const outcome = second.getByText(/Automatic requests are paused|cannot be used to sign in here/);
    await outcome.waitFor();
    assert.match((await outcome.textContent()) ?? '', /Automatic requests are paused after a denial/);
    await assertAxeClean(second, 'the push step after a refused automatic push');

    // Sending a request yourself is not automatic: it goes out, and approving it signs in.
    await second.getByRole('button', { name: 'Send request' }).click();
    const text = (await second.locator('.verification-code').textContent()) ?? '';
    const shown = /([0-9]+)\s*$/.exec(text)?.[1] ?? '';
    const [again] = await device.pending();
    assert.ok(again, 'the explicit push reached the device');
    assert.equal(await device.approve(again.txid, shown), 'allow');
    const { body } = await world.exchange(await callbackCode(second));
    const claims = world.claims(String(body.id_token)) as { auth_result: { result: string } };
    assert.equal(claims.auth_result.result, 'allow');
  });
});
