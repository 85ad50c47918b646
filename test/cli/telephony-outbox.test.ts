// `countersign telephony outbox`: what the development provider "sent", read from <data_dir>/telephony-outbox.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { manualClock } from '../../src/core/clock.ts';
import { telephonyOutboxDir } from '../../src/telephony/create-provider.ts';
import { outboxProvider } from '../../src/telephony/outbox/outbox-provider.ts';
import { assertUsageError, type CliSandbox, cliSandbox } from './run-cli.ts';

let cli: CliSandbox;
before(() => {
  cli = cliSandbox();
});
after(() => cli.remove());

test('issue 13: an empty outbox lists nothing', async () => {
  const result = await cli.run(['telephony', 'outbox']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, '(none)\n');
  assert.deepEqual(await cli.json(['telephony', 'outbox']), []);
});

test('issue 13: messages and calls are listed oldest first, the newest kept by --limit', async () => {
  const clock = manualClock(Date.UTC(2026, 2, 2, 9, 30));
  const outbox = outboxProvider(telephonyOutboxDir({ data_dir: cli.dataDir }), { clock });
  await outbox.sendSms({ id: 'TLSMS0001', to: '+15551234567', text: 'Example passcodes:\n1234567' });
  clock.advance(1_000);
  await outbox.placeCall({
    id: 'TLCALL0001',
    to: '+442071234567',
    script: { organization: 'Example', application: 'VPN' },
  });
  const table = await cli.run(['telephony', 'outbox']);
  assert.equal(table.code, 0, table.stderr);
  const lines = table.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^time\s+type\s+to\s+id\s+text$/);
  assert.match(
    lines[1]!,
    /^2026-03-02T09:30:00\.000Z\s+sms\s+\+15551234567\s+TLSMS0001\s+Example passcodes: \/ 1234567$/,
  );
  assert.match(
    lines[2]!,
    /^2026-03-02T09:30:01\.000Z\s+phone\s+\+442071234567\s+TLCALL0001\s+This is Example\. .*VPN.*press 1.*press 9/,
  );
  const newest = await cli.json<Array<{ id: string; type: string; text: string }>>([
    'telephony',
    'outbox',
    '--limit',
    '1',
  ]);
  assert.deepEqual(
    newest.map((entry) => [entry.id, entry.type]),
    [['TLCALL0001', 'phone']],
  );
  assertUsageError(
    await cli.run(['telephony', 'outbox', '--limit', '0']),
    /--limit must be between 1 and 10000/,
  );
});

test('issue 13: --answer leaves a keypress for an outbox call; bad ids and keys are usage errors', async () => {
  const dir = telephonyOutboxDir({ data_dir: cli.dataDir });
  const outbox = outboxProvider(dir, { clock: manualClock(Date.UTC(2026, 2, 2, 9, 31)) });
  const txid = '7bb2d86d-b942-4f3f-91f4-c19eaf742d88';
  await outbox.placeCall({
    id: txid,
    to: '+15551234567',
    script: { organization: 'Example', application: 'VPN' },
  });
  const pressed = await cli.run(['telephony', 'outbox', '--answer', txid, '--press', '1']);
  assert.equal(pressed.code, 0, pressed.stderr);
  assert.equal(pressed.stdout, `pressed 1 on call ${txid}\n`);
  assert.deepEqual(await outbox.takeAnswers(), [
    { type: 'keypress', callId: txid, providerRef: null, digit: '1', outcome: 'approve' },
  ]);
  assertUsageError(
    await cli.run(['telephony', 'outbox', '--answer', txid]),
    /--answer and --press go together/,
  );
  assertUsageError(
    await cli.run(['telephony', 'outbox', '--answer', 'TLSMS0001', '--press', '1']),
    /is a text message, not a call/,
  );
  assertUsageError(
    await cli.run(['telephony', 'outbox', '--answer', txid, '--press', '12']),
    /the keypress must be one of/,
  );
});
