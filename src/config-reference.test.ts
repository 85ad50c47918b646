import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { configReference } from './config-reference.ts';

test('docs/configuration.md is generated from the current schema (run: node scripts/config-docs.ts)', () => {
  const committed = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');
  assert.equal(committed, configReference());
});

test('every option has a description', () => {
  const undocumented = configReference()
    .split('\n')
    .filter((line) => line.startsWith('| `') && line.endsWith('|  |'));
  assert.deepEqual(undocumented, []);
});
