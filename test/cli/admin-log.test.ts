// Issue 12: every administrative action through the CLI lands in the administrator log, naming the CLI actor.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { AuditEntry } from '../../src/core/model.ts';
import { openStore } from '../../src/store/open-store.ts';
import { type CliSandbox, cliSandbox } from './run-cli.ts';

let cli: CliSandbox;
before(async () => {
  cli = cliSandbox();
  await cli.json(['init']);
});
after(() => cli.remove());

/** The administrator log as stored, oldest first. */
async function adminLog(): Promise<AuditEntry[]> {
  const store = await openStore({ sqlitePath: join(cli.dataDir, 'countersign.db') });
  try {
    return await store.audit.tail({ limit: 10_000, kind: 'admin' });
  } finally {
    await store.close();
  }
}

/** Runs a command that must succeed and returns the admin entries it added. */
async function logged(args: string[], stdin?: string): Promise<AuditEntry[]> {
  const before = (await adminLog()).length;
  const result = await cli.run(args, stdin);
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  return (await adminLog()).slice(before);
}

test('each CLI command that changes something leaves an admin entry by cli:<user>', async () => {
  const fixture = join(import.meta.dirname, '../fixtures/tokens/tokens-valid.csv');
  const commands: Array<[string[], string, string?]> = [
    [['user', 'add', 'frank', '--email', 'frank@example.test'], 'user.create'],
    [['user', 'set-status', 'frank', 'bypass'], 'user.status'],
    [['user', 'set-password', 'frank'], 'user.password', 'correct horse battery staple\n'],
    [['user', 'sign-out', 'frank'], 'user.sign-out-everywhere'],
    [['app', 'add', 'Mail'], 'application.create'],
    [['app', 'set', 'Mail', '--legacy-rest-v1', 'on'], 'application.legacy-rest-v1'],
    [['policy', 'set', '--app', 'Mail', 'rememberHours=4'], 'policy.update'],
    [['bypass', 'issue', 'frank'], 'bypass.issue'],
    [['totp', 'add', 'frank'], 'totp.add'],
    [['token', 'import', fixture], 'token.import'],
    [['token', 'assign', 'HW-0001', 'frank'], 'token.assign'],
    [['push', 'enroll', 'frank'], 'activation.create'],
    [['keys', 'rotate'], 'keys.rotate'],
    [['oidc', 'keys', 'rotate'], 'oidc.keys-rotate'],
  ];
  const missing: string[] = [];
  for (const [args, expected, stdin] of commands) {
    const entries = await logged(args, stdin);
    const actions = entries.map((entry) => `${entry.action} by ${entry.actor}`);
    if (!entries.some((entry) => entry.actor === 'cli:tester'))
      missing.push(`${args.join(' ')}: ${actions.join(', ') || 'nothing'}`);
    else
      assert.ok(
        entries.some((entry) => entry.action.startsWith(expected.split('.')[0]!)),
        `${args.join(' ')}: ${actions.join(', ')}`,
      );
  }
  assert.deepEqual(missing, [], 'commands that left no admin entry by cli:tester');
});

test('restore records itself in the restored database: who restored which backup', async () => {
  const file = join(cli.dataDir, 'before-restore.db');
  await cli.json(['backup', file]);
  const entries = await logged(['restore', file]);
  assert.deepEqual(
    entries.map((entry) => [entry.action, entry.actor, entry.detail.file]),
    [['database.restore', 'cli:tester', file]],
  );
});
