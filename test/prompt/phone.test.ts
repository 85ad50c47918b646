// Issue 13: the prompt in Chromium offers "Text me codes" and "Call me" for a user with a confirmed phone number
// (outbox provider): a texted code signs in, and a call answered with 1 signs in; axe-clean on both steps.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { confirmPhone, sendPhoneConfirmation } from '../../src/core/enrollment/phone-number.ts';
import { telephonyOutboxDir } from '../../src/telephony/create-provider.ts';
import { answerOutboxCall, readOutbox } from '../../src/telephony/outbox/outbox-provider.ts';
import { createTestUser } from '../support/server.ts';
import { assertAxeClean, callbackCode, launchChromium } from './browser.ts';
import { type PromptWorld, startPromptWorld } from './harness.ts';

const NUMBER = '+15035550901';

describe('issue 13: the prompt texts codes and calls', () => {
  let world: PromptWorld;
  let browser: Browser;
  let page: Page;
  const seen = new Set<string>();
  const dir = () => telephonyOutboxDir(world.countersign.config);
  /** The one outbox entry of `type` not looked at before, once it is there. */
  async function fresh(type: 'sms' | 'phone') {
    for (let attempt = 0; attempt < 100; attempt++) {
      const entry = (await readOutbox(dir())).find(
        (e) => e.to === NUMBER && e.type === type && !seen.has(e.id),
      );
      if (entry) {
        seen.add(entry.id);
        return entry;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no ${type} to ${NUMBER}`);
  }

  before(async () => {
    world = await startPromptWorld({
      policy: { allowedMethods: ['push', 'totp', 'sms', 'phone'] },
      config: { 'telephony.enabled': true, 'telephony.provider': 'outbox' },
    });
    browser = await launchChromium();
    const user = await createTestUser(world.deps, 'pat');
    await sendPhoneConfirmation(world.deps, user, NUMBER);
    const [code] = /[0-9]{7}/.exec((await fresh('sms')).text)!;
    await confirmPhone(world.deps, 'test', user, { number: NUMBER, code });
  });
  after(async () => {
    await browser?.close();
    await world?.close();
  });

  const open = async () => {
    page = await (await browser.newContext()).newPage();
    await page.goto(world.authorizeUrl('pat'));
    await page.getByRole('heading', { name: 'Confirm it’s you' }).waitFor();
  };

  const choose = async (option: string) => {
    await page.getByRole('button', { name: 'Other options' }).click();
    await page.getByRole('button', { name: option }).click();
  };

  it('"Text me codes" sends a batch; one of the codes signs in', async () => {
    await open();
    await choose('Text me codes');
    await page.getByText('We will text a few codes to XXX-XXX-0901.').waitFor();
    await page.getByRole('button', { name: 'Text me codes' }).click();
    await page.getByText('We sent you a text message with codes. Enter one of them below.').waitFor();
    await assertAxeClean(page, 'the texted-codes step');
    const codes = (await fresh('sms')).text.match(/\b[0-9]{7}\b/g) ?? [];
    assert.equal(codes.length, 10);
    await page.getByLabel('Passcode', { exact: true }).fill(codes[4]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    const { status, body } = await world.exchange(await callbackCode(page));
    assert.equal(status, 200);
    assert.equal((world.claims(String(body.id_token)).auth_result as { result: string }).result, 'allow');
  });

  it('"Call me" rings the phone; pressing 1 signs in', async () => {
    await open();
    await choose('Call me');
    await page.getByRole('button', { name: 'Call me' }).click();
    await page.getByText('We are calling XXX-XXX-0901.', { exact: false }).waitFor();
    await assertAxeClean(page, 'the call step');
    const call = await fresh('phone');
    assert.match(call.text, /signing in to Example Web App/);
    await answerOutboxCall(dir(), call.id, '1');
    const { status, body } = await world.exchange(await callbackCode(page));
    assert.equal(status, 200);
    assert.equal((world.claims(String(body.id_token)).auth_result as { result: string }).result, 'allow');
  });
});
