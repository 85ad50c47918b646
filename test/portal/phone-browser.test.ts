// Issue 13: adding a phone number in the portal page, in Chromium with the keyboard-free happy path: the number,
// the code texted to it (outbox provider), the confirmation, the e-mail; axe-clean on each step.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { telephonyOutboxDir } from '../../src/telephony/create-provider.ts';
import { readOutbox } from '../../src/telephony/outbox/outbox-provider.ts';
import { chromiumMissing } from '../browser/support/browser.ts';
import { axeViolations } from '../browser/support/page-tools.ts';
import { createTestUser } from '../support/server.ts';
import { openPortalWorld, outbox, type PortalWorld, signIn } from './support.ts';

const skip = chromiumMissing();
let world: PortalWorld;

before(async () => {
  if (skip) return;
  world = await openPortalWorld({ 'telephony.enabled': true, 'telephony.provider': 'outbox' });
  await createTestUser(world.server.deps, 'pia', { password: 'correct horse 1', email: 'pia@example.edu' });
});
after(async () => {
  if (!skip) await world.close();
});

async function noAxeViolations(page: Page, where: string): Promise<void> {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `axe violations on ${where}: ${JSON.stringify(violations, null, 1)}`);
}

test('issue 13: a phone number is added with the code texted to it, and the user is e-mailed', {
  skip,
}, async () => {
  const page = await (await world.browser.newContext()).newPage();
  await signIn(page, world.url, 'pia', 'correct horse 1');
  await page.getByRole('button', { name: 'Phone number (calls and text messages)' }).click();
  await page.getByRole('heading', { level: 1, name: 'Phone number for calls and text messages' }).waitFor();
  await noAxeViolations(page, 'the phone number step');
  await page.getByLabel('Phone number, with the country code').fill('+1 503 555 0111');
  await page.getByRole('button', { name: 'Text me a code' }).click();
  await page.getByText('We sent a 7-digit code to XXX-XXX-0111.').waitFor();
  await noAxeViolations(page, 'the code step');
  const [text] = await readOutbox(telephonyOutboxDir(world.server.countersign.config));
  assert.equal(text?.to, '+15035550111');
  await page.getByLabel('7-digit code').fill(/[0-9]{7}/.exec(text!.text)![0]);
  await page.getByRole('button', { name: 'Save phone number' }).click();
  await page.getByText('Your phone number is saved.', { exact: false }).waitFor();
  const user = await world.server.deps.store.users.findByName('pia');
  const devices = await world.server.deps.store.authenticators.listForUser(user!.id);
  assert.deepEqual(
    devices.map((d) => [d.kind, d.data.number]),
    [['phone', '+15035550111']],
  );
  assert.ok(
    outbox(world.server).some((mail) => mail.to === 'pia@example.edu' && /was added/.test(mail.subject)),
  );
});
