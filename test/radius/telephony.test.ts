// Issue 13 over RADIUS with Debian's radclient (concat mode): `password,sms` texts a batch and rejects saying so,
// as Duo's proxy does, then `password,code` signs in; `password,phone` holds the request until the keypress.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { updatePolicyLayer } from '../../src/core/admin/set-policy.ts';
import { confirmPhone, sendPhoneConfirmation } from '../../src/core/enrollment/phone-number.ts';
import type { User } from '../../src/core/model.ts';
import { REASONS } from '../../src/core/transaction/index.ts';
import { telephonyOutboxDir } from '../../src/telephony/create-provider.ts';
import {
  answerOutboxCall,
  type OutboxEntry,
  readOutbox,
} from '../../src/telephony/outbox/outbox-provider.ts';
import { attribute, PASSWORD, type RadiusHarness, startRadiusHarness } from './fixture.ts';
import { radclientAvailable } from './radclient.ts';

const skip = radclientAvailable() ? false : 'radclient not on PATH: apt-get install -y freeradius-utils';
const CALL_WAIT = { timeoutSeconds: 20 };

describe('issue 13: RADIUS pw,sms and pw,phone with radclient', { skip }, () => {
  let h: RadiusHarness;
  const seen = new Set<string>();
  const outbox = () => readOutbox(telephonyOutboxDir(h.server.countersign.config));
  /** The one entry to `to` not looked at before. */
  async function fresh(to: string): Promise<OutboxEntry> {
    const entries = (await outbox()).filter((entry) => entry.to === to && !seen.has(entry.id));
    assert.equal(entries.length, 1, `one new message or call to ${to}`);
    seen.add(entries[0]!.id);
    return entries[0]!;
  }

  before(async () => {
    h = await startRadiusHarness(
      { mode: 'concat' },
      { config: { 'telephony.enabled': true, 'telephony.provider': 'outbox' } },
    );
    await updatePolicyLayer(
      h.server.deps,
      'test',
      { layer: 'application', ref: h.app.name },
      {
        set: { allowedMethods: ['push', 'totp', 'sms', 'phone'] },
        clear: [],
      },
    );
    // The live client table holds the application as loaded: reload it with the new policy.
    await h.configureClient({ mode: 'concat' });
  });
  after(async () => {
    await h?.close();
  });

  async function userWithPhone(name: string, number: string): Promise<User> {
    const user = await h.user(name);
    await sendPhoneConfirmation(h.server.deps, user, number);
    const [code] = /[0-9]{7}/.exec((await fresh(number)).text)!;
    await confirmPhone(h.server.deps, 'test', user, { number, code });
    return user;
  }

  test('password,sms is rejected saying codes were sent; password,code then signs in once', async () => {
    await userWithPhone('radius-sms', '+15035550401');
    const sent = await h.auth('radius-sms', `${PASSWORD},sms`);
    assert.equal(sent.code, 'Access-Reject', sent.stdout);
    assert.equal(attribute(sent, 'Reply-Message'), REASONS.sms_sent.radius);
    const codes = (await fresh('+15035550401')).text.match(/\b[0-9]{7}\b/g) ?? [];
    assert.equal(codes.length, 10);
    const login = await h.auth('radius-sms', `${PASSWORD},${codes[0]}`);
    assert.equal(login.code, 'Access-Accept', login.stdout);
    h.server.clock.advance(1_000);
    const again = await h.auth('radius-sms', `${PASSWORD},${codes[0]}`);
    assert.equal(again.code, 'Access-Reject', 'a texted code works once');
    const wrongPassword = await h.auth('radius-sms', `nope,sms`);
    assert.equal(wrongPassword.code, 'Access-Reject');
    assert.equal((await outbox()).filter((entry) => !seen.has(entry.id)).length, 0, 'nothing texted');
  });

  test('password,phone holds the request until the call is answered: 1 accepts, 9 rejects', async () => {
    await userWithPhone('radius-call', '+15035550402');
    const press = async (digit: string) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const call = (await outbox()).find(
          (entry) => entry.to === '+15035550402' && entry.type === 'phone' && !seen.has(entry.id),
        );
        if (call) {
          seen.add(call.id);
          await answerOutboxCall(telephonyOutboxDir(h.server.countersign.config), call.id, digit);
          return call;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('no call reached the outbox');
    };
    const [accepted, call] = await Promise.all([
      h.auth('radius-call', `${PASSWORD},phone`, CALL_WAIT),
      press('1'),
    ]);
    assert.equal(accepted.code, 'Access-Accept', accepted.stdout);
    assert.match(call.text, /signing in to vpn/);
    h.server.clock.advance(1_000);
    const [rejected] = await Promise.all([h.auth('radius-call', `${PASSWORD},phone`, CALL_WAIT), press('9')]);
    assert.equal(rejected.code, 'Access-Reject', rejected.stdout);
    const fraud = await h.auditFor('radius-call');
    assert.ok(fraud.some((entry) => entry.kind === 'fraud' && entry.action === 'phone.fraud'));
  });
});
