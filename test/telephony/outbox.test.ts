// The development outbox: one owner-only JSON file per message or call, and keypresses left for calls.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { manualClock } from '../../src/core/clock.ts';
import {
  answerOutboxCall,
  OutboxAnswerError,
  outboxProvider,
  readOutbox,
} from '../../src/telephony/outbox/outbox-provider.ts';

let dir: string;
before(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'countersign-telephony-outbox-')), 'telephony-outbox');
});
after(() => rm(join(dir, '..'), { recursive: true, force: true }));

test('issue 13: each message and call is one whole JSON file, readable by the owner only', async () => {
  const clock = manualClock(Date.UTC(2026, 0, 1));
  const outbox = outboxProvider(dir, { clock });
  assert.deepEqual(await readOutbox(dir), []);
  await outbox.sendSms({ id: 'TLA', to: '+15551234567', text: 'code 1' });
  await outbox.placeCall({
    id: 'TLB',
    to: '+15551234567',
    script: { organization: 'Org', application: 'App' },
  });
  const names = await readdir(dir);
  assert.equal(names.length, 2);
  assert.ok(
    names.every((name) => name.endsWith('.json') && !name.startsWith('.')),
    'no temporary files left',
  );
  for (const name of names) assert.equal((await stat(join(dir, name))).mode & 0o777, 0o600);
  assert.equal((await stat(dir)).mode & 0o777, 0o700);
  const entries = await readOutbox(dir);
  assert.deepEqual(
    entries.map((e) => [e.id, e.type, e.to]),
    [
      ['TLA', 'sms', '+15551234567'],
      ['TLB', 'phone', '+15551234567'],
    ],
  );
  assert.match(entries[1]!.text, /^This is Org\. Someone is signing in to App/);
  assert.deepEqual(JSON.parse(await readFile(join(dir, names.sort()[0]!), 'utf8')), entries[0]);
});

test('issue 13: a keypress left for an outbox call comes back once as an event', async () => {
  const outbox = outboxProvider(dir, { clock: manualClock(0) });
  await answerOutboxCall(dir, 'TLB', '9');
  assert.deepEqual(await outbox.takeAnswers(), [
    { type: 'keypress', callId: 'TLB', providerRef: null, digit: '9', outcome: 'fraud' },
  ]);
  assert.deepEqual(await outbox.takeAnswers(), []);
  assert.equal((await readOutbox(dir)).length, 2, 'answers are not listed as messages');
  for (const [id, digit, message] of [
    ['TLA', '1', /text message, not a call/],
    ['TLZ', '1', /no call TLZ/],
    ['TLB', '12', /must be one of/],
    ['../x', '1', /not an outbox id/],
  ] as const) {
    await assert.rejects(answerOutboxCall(dir, id, digit), { name: OutboxAnswerError.name, message });
  }
});
