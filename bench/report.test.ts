// The summary table and the per-measurement line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeMeasurement, summaryTable } from './report.ts';
import { compare, type Measurement } from './suite.ts';

const measure = (label: string, perSecond: number): Measurement => ({
  label,
  perSecond,
  operations: perSecond * 10,
  seconds: 10,
  raw: { 'p50 ms': 3 },
});

test('compare gives the ratio and the verdict against the target', () => {
  assert.equal(compare('a', 0.5, measure('m', 600), measure('l', 1000)).verdict, 'meets');
  const below = compare('a', 0.9, measure('m', 600), measure('l', 1000));
  assert.equal(below.ratio, 0.6);
  assert.equal(below.verdict, 'below target');
});

test('the table has one row per suite, failed and skipped ones included', () => {
  const table = summaryTable([
    compare('auth-api', 0.5, measure('m', 1234.4), measure('l', 10000)),
    { name: 'password', error: 'BenchFailure: boom' },
    { name: 'pg-nodes', skipped: 'no PostgreSQL server configured' },
  ]);
  const lines = table.split('\n');
  assert.match(lines[0]!, /^name\s+measured\s+limit\s+ratio\s+target\s+verdict$/);
  assert.match(
    lines[2]!,
    /^auth-api\s+1,234\/s \(12,344 in 10\.0 s\)\s+10,000\/s \(100,000 in 10\.0 s\)\s+0\.123\s+>= 0\.5\s+below target$/,
  );
  assert.match(lines[3]!, /^password\s+-.*failed$/);
  assert.match(lines[4]!, /^pg-nodes\s+-\s+-\s+-\s+-\s+skipped$/);
});

test('a measurement line carries the raw numbers', () => {
  assert.equal(describeMeasurement(measure('argon2', 52.5)), 'argon2: 52.5/s (525 in 10.0 s, p50 ms 3)');
});

test('a figure that is not a rate prints its own cell, in the line and in the table', () => {
  const memory: Measurement = {
    label: 'idle RSS',
    perSecond: 0,
    operations: 5,
    seconds: 9,
    raw: { threads: 11 },
    cell: '93.0 MiB RSS',
  };
  const target: Measurement = {
    label: 'target',
    perSecond: 0,
    operations: 0,
    seconds: 0,
    raw: {},
    cell: '100 MiB RSS',
  };
  assert.equal(describeMeasurement(memory), 'idle RSS: 93.0 MiB RSS (threads 11)');
  assert.equal(describeMeasurement(target), 'target: 100 MiB RSS');
  const row = summaryTable([
    { name: 'idle-memory', measured: memory, limit: target, ratio: 100 / 93, target: 1, verdict: 'meets' },
  ]).split('\n')[2]!;
  assert.match(row, /^idle-memory\s+93\.0 MiB RSS\s+100 MiB RSS\s+1\.075\s+>= 1\s+meets$/);
});
