// Alternating rounds: the order of sides, how rounds add up, and that wrong answers are all counted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureInRounds, type Sample, type Side, summarize } from './rounds.ts';

function fakeSide(label: string, perSecond: number, calls: string[], wrong = 0): Side {
  return {
    label,
    async run(seconds): Promise<Sample> {
      calls.push(`${label}:${seconds}`);
      return { right: perSecond * seconds, wrong, seconds, raw: { 'p99 ms': perSecond, errors: wrong } };
    },
  };
}

const options = { seconds: 4, rounds: 2, warmupSeconds: 1, settleMs: 0, sleep: async () => {} };

test('warms both up, then alternates A B, B A and sums each side', async () => {
  const calls: string[] = [];
  const outcome = await measureInRounds(fakeSide('m', 50, calls), fakeSide('l', 200, calls), options);
  assert.deepEqual(calls, ['l:1', 'm:1', 'l:2', 'm:2', 'm:2', 'l:2']);
  assert.equal(outcome.measured.perSecond, 50);
  assert.equal(outcome.measured.operations, 200);
  assert.equal(outcome.measured.seconds, 4);
  assert.equal(outcome.limit.perSecond, 200);
  assert.equal(outcome.wrong, 0);
});

test('wrong answers from warm-up and every round are counted', async () => {
  const outcome = await measureInRounds(fakeSide('m', 10, [], 1), fakeSide('l', 10, []), options);
  assert.equal(outcome.wrong, 3);
});

test('summarize keeps the worst percentile, sums counters and shows the round spread', () => {
  const m = summarize('x', [
    { right: 100, wrong: 0, seconds: 2, raw: { 'p99 ms': 9, errors: 1 } },
    { right: 300, wrong: 0, seconds: 2, raw: { 'p99 ms': 4, errors: 2 } },
  ]);
  assert.equal(m.perSecond, 100);
  assert.deepEqual(m.raw, { 'p99 ms': 9, errors: 3, 'slowest round/s': 50, 'fastest round/s': 150 });
});
