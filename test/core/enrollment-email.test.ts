// One user's enrollment e-mail (core/admin/rollout.ts): a fresh activation link handed to the mailer; refused for a
// user without an address or disabled; a mailer that refuses is MAIL_FAILED, and every attempt is logged.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sendEnrollmentEmail } from '../../src/core/admin/rollout.ts';
import { isCountersignError } from '../../src/core/errors.ts';
import { type CoreHarness, openCoreHarness } from '../support/core.ts';

let h: CoreHarness;
before(async () => {
  h = await openCoreHarness();
});
after(() => h.close());

const ACTOR = 'console:olivia';
const errorCode = (caught: unknown) => (isCountersignError(caught) ? caught.code : String(caught));

test('the mailer gets the user and a link valid 7 days; the e-mail is logged', async () => {
  const user = await h.user({ email: 'erin@example.test' });
  const sent: Array<{ to: string | null; code: string; expiresAt: number }> = [];
  await sendEnrollmentEmail(h.deps, ACTOR, user, async (to, link) => {
    sent.push({ to: to.email, ...link });
  });
  assert.equal(sent.length, 1);
  assert.equal(sent[0]!.to, 'erin@example.test');
  assert.equal(sent[0]!.expiresAt, h.deps.clock.now() + 7 * 86_400_000);
  const log = await h.deps.store.audit.tail({ limit: 10 });
  const entry = log.find((e) => e.action === 'enrollment.email' && e.userId === user.id);
  assert.equal(entry?.actor, ACTOR);
  assert.equal(entry?.result, 'ok');
});

test('no address, or disabled: INVALID_INPUT and nothing sent', async () => {
  const never = async () => assert.fail('nothing is sent');
  const mailless = await h.user();
  const disabled = await h.user({ email: 'dee@example.test', status: 'disabled' });
  for (const user of [mailless, disabled]) {
    await assert.rejects(sendEnrollmentEmail(h.deps, ACTOR, user, never), (caught) => {
      assert.equal(errorCode(caught), 'INVALID_INPUT');
      return true;
    });
  }
});

test('a mailer that refuses: MAIL_FAILED, logged as failed', async () => {
  const user = await h.user({ email: 'frank@example.test' });
  await assert.rejects(
    sendEnrollmentEmail(h.deps, ACTOR, user, async () => {
      throw new Error('550 mailbox unavailable');
    }),
    (caught) => {
      assert.equal(errorCode(caught), 'MAIL_FAILED');
      return true;
    },
  );
  const log = await h.deps.store.audit.tail({ limit: 10 });
  const entry = log.find((e) => e.action === 'enrollment.email' && e.userId === user.id);
  assert.equal(entry?.result, 'failed');
});
