// The drop recorder on a frozen clock: every drop counted, one log line per client and reason per minute.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { manualClock } from '../../core/clock.ts';
import { createDropRecorder, UNKNOWN_CLIENT } from './drop-summary.ts';

const SOURCE = { address: '192.0.2.1', port: 1645 };

function world() {
  const clock = manualClock(0);
  const lines: { level: string; details: Record<string, unknown> }[] = [];
  const at = (level: string) => (details: object) =>
    lines.push({ level, details: details as Record<string, unknown> });
  const counter = new Counter({
    name: 'dropped_total',
    help: 'drops',
    labelNames: ['client', 'reason'],
    registers: [new Registry()],
  });
  const drops = createDropRecorder({
    clock,
    logger: { debug: at('debug'), warn: at('warn'), error: at('error') },
    counter,
  });
  const series = async () =>
    Object.fromEntries(
      (await counter.get()).values.map((v) => [`${v.labels.client}/${v.labels.reason}`, v.value]),
    );
  const counts = () => lines.map((line) => [line.details.client, line.details.reason, line.details.dropped]);
  return { clock, lines, drops, series, counts };
}

test('the first drop is logged at once, the rest of the minute once it is over, each with its count', async () => {
  const { clock, drops, series, counts } = world();
  for (let n = 0; n < 100; n++) drops.record('nas1', 'malformed', SOURCE, `datagram ${n}`);
  assert.deepEqual(counts(), [['nas1', 'malformed', 1]]);
  clock.advance(59_999);
  drops.flush();
  assert.equal(counts().length, 1, 'not before the minute is over');
  clock.advance(1);
  drops.flush();
  assert.deepEqual(counts(), [
    ['nas1', 'malformed', 1],
    ['nas1', 'malformed', 99],
  ]);
  // A drop after a quiet minute is told at once again.
  clock.advance(60_000);
  drops.flush();
  drops.record('nas1', 'malformed', SOURCE, 'again');
  assert.deepEqual(counts().at(-1), ['nas1', 'malformed', 1]);
  assert.deepEqual(await series(), { 'nas1/malformed': 101 });
});

test('each client and reason has its own minute; the summary carries the last source and detail', () => {
  const { clock, lines, drops, counts } = world();
  drops.record('nas1', 'malformed', SOURCE, 'first');
  drops.record('nas2', 'malformed', SOURCE, 'other client');
  drops.record('nas1', 'bad_message_authenticator', SOURCE, 'other reason');
  drops.record('nas1', 'malformed', { address: '192.0.2.1', port: 1700 }, 'latest');
  clock.advance(60_000);
  drops.record('nas1', 'malformed', { address: '192.0.2.1', port: 1701 }, 'newest');
  assert.deepEqual(counts(), [
    ['nas1', 'malformed', 1],
    ['nas2', 'malformed', 1],
    ['nas1', 'bad_message_authenticator', 1],
    ['nas1', 'malformed', 2],
  ]);
  assert.deepEqual(lines.at(-1)?.details, {
    client: 'nas1',
    reason: 'malformed',
    dropped: 2,
    since: new Date(0).toISOString(),
    source: { address: '192.0.2.1', port: 1701 },
    detail: 'newest',
  });
  assert.equal(lines[0]?.level, 'warn');
});

test('unknown sources share one label, whatever addresses they claim, and are logged at debug level', async () => {
  const { lines, drops, series } = world();
  for (let n = 0; n < 1000; n++) {
    drops.record(null, 'unknown_client', { address: `10.${n >> 8}.${n & 255}.1`, port: n }, 'unknown');
  }
  assert.deepEqual(await series(), { [`${UNKNOWN_CLIENT}/unknown_client`]: 1000 });
  assert.equal(lines.length, 1);
  assert.equal(lines[0]?.level, 'debug');
});

test('stop() logs what is pending at once', () => {
  const { drops, counts } = world();
  drops.record('nas1', 'duplicate_in_flight', SOURCE, 'retransmission');
  drops.record('nas1', 'duplicate_in_flight', SOURCE, 'retransmission');
  drops.record('nas1', 'duplicate_in_flight', SOURCE, 'retransmission');
  drops.stop();
  assert.deepEqual(counts(), [
    ['nas1', 'duplicate_in_flight', 1],
    ['nas1', 'duplicate_in_flight', 2],
  ]);
  drops.stop();
  assert.equal(counts().length, 2, 'nothing twice');
});
