// Issue 13: a phone number in the portal (HTTP only). It is added only with the code texted to it; changing it
// needs a fresh second factor (the step-up, here a TOTP passcode through the portal's own step-up routes), and
// the user is told by e-mail. Telephony off: no phone numbers at all.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { updatePolicyLayer } from '../../src/core/admin/set-policy.ts';
import type { User } from '../../src/core/model.ts';
import { startWebSession } from '../../src/core/web/sessions.ts';
import { SESSION_COOKIE } from '../../src/fronts/web-common/cookies.ts';
import { telephonyOutboxDir } from '../../src/telephony/create-provider.ts';
import { readOutbox } from '../../src/telephony/outbox/outbox-provider.ts';
import {
  addTestTotp,
  createTestUser,
  startTestServer,
  type TestServer,
  type TestTotp,
} from '../support/server.ts';
import { outbox } from './support.ts';

interface Session {
  token: string;
  csrf: string;
}

function world(config: Record<string, unknown>) {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config });
  });
  after(() => server.close());
  const post = async (who: Session, path: string, body: unknown = {}) => {
    const response = await fetch(`${server.url}/portal/api${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: `${SESSION_COOKIE}=${who.token}`,
        origin: new URL(server.url).origin,
        'x-csrf-token': who.csrf,
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const session = async (user: User): Promise<Session> => {
    const { session, token } = await startWebSession(server.deps, user, 'portal', {
      mfa: true,
      data: { scope: 'full' },
    });
    return { token, csrf: session.csrf };
  };
  return { server: () => server, post, session };
}

describe('issue 13: a phone number in the portal', () => {
  const w = world({ 'telephony.enabled': true, 'telephony.provider': 'outbox' });
  const seen = new Set<string>();
  /** The code of the one text to `to` not looked at before. */
  async function textedCode(to: string): Promise<string> {
    const texts = (await readOutbox(telephonyOutboxDir(w.server().countersign.config))).filter(
      (entry) => entry.to === to && !seen.has(entry.id),
    );
    assert.equal(texts.length, 1, `one new text to ${to}`);
    seen.add(texts[0]!.id);
    return /[0-9]{7}/.exec(texts[0]!.text)![0];
  }

  test('added with the code texted to it; a wrong code adds nothing; the user is e-mailed', async () => {
    const user = await createTestUser(w.server().deps, 'phone-add', { email: 'add@example.edu' });
    const me = await w.session(user);
    const sent = await w.post(me, '/phone/send', { number: '+15035550601' });
    assert.deepEqual(sent, { status: 200, body: { sent: 'XXX-XXX-0601' } });
    const code = await textedCode('+15035550601');
    const wrong = await w.post(me, '/phone/confirm', {
      number: '+15035550601',
      code: code === '0000000' ? '0000001' : '0000000',
    });
    assert.equal(wrong.status, 400);
    assert.equal((await w.server().deps.store.authenticators.listForUser(user.id)).length, 0);
    const confirmed = await w.post(me, '/phone/confirm', { number: '+15035550601', code });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    const [phone] = await w.server().deps.store.authenticators.listForUser(user.id);
    assert.deepEqual([phone?.kind, phone?.data], ['phone', { number: '+15035550601' }]);
    assert.ok(
      outbox(w.server()).some(
        (mail) => mail.to === 'add@example.edu' && mail.subject.endsWith('A sign-in method was added'),
      ),
    );
    const bad = await w.post(me, '/phone/send', { number: '5550601' });
    assert.equal(bad.status, 400, 'not E.164');
  });

  test('changing it needs a fresh second factor, replaces the old number and e-mails the user', async () => {
    const deps = w.server().deps;
    const user = await createTestUser(deps, 'phone-change', { email: 'change@example.edu' });
    const totp: TestTotp = await addTestTotp(deps, user);
    const me = await w.session(user);
    await w.post(me, '/phone/send', { number: '+15035550701' });
    await w.post(me, '/phone/confirm', { number: '+15035550701', code: await textedCode('+15035550701') });

    // Twenty minutes later the session's second factor is stale: no change without a step-up.
    w.server().clock.advance(20 * 60_000);
    const refused = await w.post(me, '/phone/send', { number: '+15035550702' });
    assert.deepEqual([refused.status, refused.body.error], [403, 'STEP_UP_REQUIRED']);
    assert.equal(
      (await readOutbox(telephonyOutboxDir(w.server().countersign.config))).filter(
        (e) => e.to === '+15035550702',
      ).length,
      0,
    );

    assert.equal((await w.post(me, '/step-up/start', { method: 'passcode' })).status, 200);
    const stepped = await w.post(me, '/step-up/passcode', { code: totp.codeAt(w.server().clock.now()) });
    assert.equal(stepped.body.ok, true, JSON.stringify(stepped.body));
    assert.equal((await w.post(me, '/phone/send', { number: '+15035550702' })).status, 200);
    const changed = await w.post(me, '/phone/confirm', {
      number: '+15035550702',
      code: await textedCode('+15035550702'),
    });
    assert.equal(changed.status, 200);
    const phones = (await deps.store.authenticators.listForUser(user.id)).filter((a) => a.kind === 'phone');
    assert.deepEqual(
      phones.map((p) => p.data.number),
      ['+15035550702'],
      'the old number is gone',
    );
    const mail = outbox(w.server()).find(
      (m) => m.to === 'change@example.edu' && m.subject.endsWith('Your phone number was changed'),
    );
    assert.ok(mail, 'the user is told');
    assert.match(mail.text, /now go to XXX-XXX-0702 instead of XXX-XXX-0701/);
  });
  test('a user whose only factor is the phone steps up with texted codes', async () => {
    const deps = w.server().deps;
    // Texted codes count as a second factor only where policy allows them.
    await updatePolicyLayer(
      deps,
      'test',
      { layer: 'global' },
      {
        set: { allowedMethods: ['push', 'totp', 'hotp', 'webauthn', 'bypass', 'sms'] },
        clear: [],
      },
    );
    const user = await createTestUser(deps, 'phone-only');
    const me = await w.session(user);
    await w.post(me, '/phone/send', { number: '+15035550801' });
    await w.post(me, '/phone/confirm', { number: '+15035550801', code: await textedCode('+15035550801') });
    w.server().clock.advance(20 * 60_000);
    const info = await fetch(`${w.server().url}/portal/api/session`, {
      headers: { cookie: `${SESSION_COOKIE}=${me.token}` },
    });
    assert.deepEqual(((await info.json()) as { stepUpMethods: string[] }).stepUpMethods, ['sms']);
    assert.equal((await w.post(me, '/step-up/start', { method: 'sms' })).status, 200);
    const code = await textedCode('+15035550801');
    await w.post(me, '/step-up/start', { method: 'passcode' });
    const stepped = await w.post(me, '/step-up/passcode', { code });
    assert.equal(stepped.body.ok, true, JSON.stringify(stepped.body));
    assert.equal(
      (await w.post(me, '/phone/send', { number: '+15035550802' })).status,
      200,
      'may change it now',
    );
  });
});

describe('issue 13: the portal without telephony', () => {
  const w = world({});
  test('no phone numbers: the page hides them and the routes refuse', async () => {
    const user = await createTestUser(w.server().deps, 'no-phone');
    const me = await w.session(user);
    const list = await fetch(`${w.server().url}/portal/api/devices`, {
      headers: { cookie: `${SESSION_COOKIE}=${me.token}` },
    });
    assert.equal(((await list.json()) as { phoneEnabled: boolean }).phoneEnabled, false);
    const refused = await w.post(me, '/phone/send', { number: '+15035550801' });
    assert.deepEqual([refused.status, refused.body.error], [400, 'TELEPHONY_DISABLED']);
  });
});
