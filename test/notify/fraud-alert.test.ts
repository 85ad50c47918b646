// "Report fraud": the administrators get an .eml in the outbox and the console gets an alert.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { AuthTransaction, User } from '../../src/core/model.ts';
import { answerFactor } from '../../src/core/transaction/index.ts';
import { answerSigningString, type DeviceKey, signText } from '../../src/device-protocol/signing.ts';
import { alertLog } from '../../src/fronts/notify/alert-log.ts';
import { createNotifier } from '../../src/fronts/notify/create-notifier.ts';
import { type NotifyWorld, openNotifyWorld } from './notify-world.ts';

let world: NotifyWorld;
beforeEach(async () => {
  world = await openNotifyWorld({ adminEmails: ['security@example.org', 'oncall@example.org'] });
});
afterEach(async () => {
  await world.close();
});

async function reportFraud(deviceId: string, key: DeviceKey, tx: AuthTransaction): Promise<void> {
  const signedAt = world.h.clock.now();
  const signature = await signText(key, answerSigningString(tx.id, 'fraud', '', signedAt));
  const answered = await answerFactor(world.h.deps, tx.id, 'push', {
    deviceId,
    decision: 'fraud',
    code: '',
    signedAt,
    signature,
  });
  assert.equal(answered.state, 'fraud');
}

async function fraudFlow(): Promise<{ user: User; tx: AuthTransaction }> {
  const { user, device, key } = await world.device(null);
  const tx = await world.pushLogin(user, '203.0.113.9');
  await reportFraud(device.id, key, tx);
  return { user, tx };
}

test('fraud e-mails every administrator address as one RFC 5322 message in the outbox', async () => {
  const { user, tx } = await fraudFlow();
  const files = (await readdir(world.outbox)).filter((name) => name.endsWith('.eml'));
  assert.equal(files.length, 1);
  const eml = await readFile(join(world.outbox, files[0]!), 'utf8');
  const split = eml.indexOf('\r\n\r\n');
  const [head, body] = [eml.slice(0, split), eml.slice(split + 4)];
  const time = new Date(world.h.clock.now()).toISOString();
  assert.ok(head.split('\r\n').includes('To: security@example.org, oncall@example.org'));
  assert.ok(
    head
      .split('\r\n')
      .includes(
        `Subject: Fraud reported: ${user.username} denied a login to ${world.app.name} from 203.0.113.9 at ${time}`,
      ),
  );
  assert.match(head, /^From: Countersign <countersign@localhost>\r\n/);
  assert.match(head, /\r\nMessage-ID: <[^>]+@localhost>/);
  assert.ok(body.includes(`Transaction: ${tx.id}`));
});

test('issue 13: the user who reported fraud is told by e-mail too, from the fraud-alert-user template', async () => {
  const { user, device, key } = await world.device(null);
  await world.h.deps.store.users.update(user.id, { email: 'ada@example.org', realName: 'Ada <Lovelace>' });
  const tx = await world.pushLogin(await world.h.reload(user), '203.0.113.9');
  await reportFraud(device.id, key, tx);
  const mails = await Promise.all(
    (await readdir(world.outbox)).map((name) => readFile(join(world.outbox, name), 'utf8')),
  );
  const toUser = mails.find((eml) => eml.includes('\r\nTo: ada@example.org\r\n'));
  assert.ok(toUser, 'a mail to the user');
  assert.match(toUser, /\r\nSubject: Countersign: you reported a sign-in as fraud\r\n/);
  assert.ok(toUser.includes(`Hello Ada <Lovelace>,`), 'the text part as it is');
  assert.ok(toUser.includes(`<p>Hello Ada &lt;Lovelace&gt;,</p>`), 'the HTML part escaped');
  assert.ok(toUser.includes(`sign-in to ${world.app.name} with your account ${user.username} as fraud`));
  assert.ok(mails.some((eml) => eml.includes('To: security@example.org, oncall@example.org')));
});

test('fraud stores a console alert with who, where and which transaction', async () => {
  const { user, tx } = await fraudFlow();
  assert.deepEqual(await alertLog(world.h.deps.store).list(), [
    {
      at: world.h.clock.now(),
      kind: 'fraud',
      userId: user.id,
      username: user.username,
      application: world.app.name,
      txid: tx.id,
      ip: '203.0.113.9',
    },
  ]);
});

test('a failing mailer is logged and the alert is stored anyway', async () => {
  const notify = createNotifier({
    deps: world.h.deps,
    config: { adminEmails: ['security@example.org'] },
    log: world.log,
    mailer: { send: async () => Promise.reject(new Error('smtp down')) },
  });
  world.h.deps.notify = notify.notifier;
  await fraudFlow();
  assert.equal((await alertLog(world.h.deps.store).list()).length, 1);
  assert.ok(
    world.log.lines.some(
      (line) => line.message === 'fraud e-mail failed' && /smtp down/.test(String(line.details.error)),
    ),
  );
});

test('with no administrator addresses, no mail is written but the alert is', async () => {
  await world.close();
  world = await openNotifyWorld({ adminEmails: [] });
  await fraudFlow();
  assert.deepEqual(await readdir(world.outbox), []);
  assert.equal((await alertLog(world.h.deps.store).list()).length, 1);
});

test('the alert list keeps only the newest entries, and parallel writes lose none', async () => {
  const log = alertLog(world.h.deps.store, 5);
  const alert = (n: number) => ({
    at: n,
    kind: 'fraud' as const,
    userId: `U${n}`,
    username: `user${n}`,
    application: 'VPN',
    txid: `tx${n}`,
    ip: null,
  });
  await Promise.all([1, 2, 3, 4].map((n) => log.record(alert(n))));
  assert.deepEqual(
    (await log.list()).map((a) => a.at),
    [1, 2, 3, 4],
  );
  await Promise.all([5, 6, 7].map((n) => log.record(alert(n))));
  assert.deepEqual(
    (await log.list()).map((a) => a.at),
    [3, 4, 5, 6, 7],
  );
});
