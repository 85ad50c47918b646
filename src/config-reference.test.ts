import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildConfig, outboxDir } from './config.ts';
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

test('issue 10: the reference says where e-mail goes when mail.outbox_dir is unset, where it really goes', () => {
  const config = buildConfig(undefined, {}, { data_dir: '/srv/countersign' });
  assert.equal(outboxDir(config), join('/srv/countersign', 'outbox'));
  const row = configReference()
    .split('\n')
    .find((line) => line.startsWith('| `mail.outbox_dir`'));
  assert.match(row ?? '', /`<data_dir>\/outbox`/);
  assert.doesNotMatch(row ?? '', /logged/);
});
