// "Dump the database and find no seed": the SQLite files hold no OTP seed and no bypass code in any encoding.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { importTokens } from '../../src/core/admin/import-tokens.ts';
import { issueBypassCodes } from '../../src/core/admin/issue-bypass-codes.ts';
import { encodeBase32 } from '../../src/crypto/base32.ts';
import { type CoreHarness, openCoreHarness } from '../support/core.ts';

let h: CoreHarness;
before(async () => {
  h = await openCoreHarness();
});
after(() => h.close());

/** Every way a secret could plausibly be written down. */
function encodings(secret: Buffer): string[] {
  return [
    secret.toString('hex'),
    secret.toString('hex').toUpperCase(),
    encodeBase32(secret, { pad: false }),
    encodeBase32(secret, { pad: false }).toLowerCase(),
    secret.toString('base64').replace(/=+$/, ''),
    secret.toString('base64url'),
  ];
}

function assertAbsent(bytes: Buffer, needle: Buffer | string, what: string) {
  assert.equal(bytes.indexOf(needle), -1, `${what} found in the database files`);
}

test('no OTP seed, imported token seed or bypass code appears in the database files', async () => {
  const user = await h.user({ username: 'dump-check-user' });
  const app = await h.app();
  const { seed: totpSeed } = await h.totp(user);
  const tokenSeed = Buffer.from('a-hardware-token-seed-0123456789');
  await importTokens(h.deps, 'test', [
    {
      serial: 'DUMP-1',
      kind: 'hotp',
      secret: tokenSeed,
      digits: 6,
      algorithm: 'sha1',
      counter: 0n,
      period: 0,
    },
  ]);
  const { codes } = await issueBypassCodes(h.deps, 'helpdesk', user, { count: 5, uses: 2 });
  // Spend one use so the code's row is rewritten too.
  assert.equal((await h.login(user, app, codes[0]!)).state, 'allow');

  const bytes = h.databaseBytes();
  // The dump is real: plain columns are visible in it, so a missing secret is not a reading mistake.
  assert.notEqual(bytes.indexOf('dump-check-user'), -1, 'the dump should show the username');
  assert.notEqual(bytes.indexOf('DUMP-1'), -1, 'the dump should show the token serial');

  for (const [name, seed] of [
    ['TOTP seed', totpSeed],
    ['token seed', tokenSeed],
  ] as const) {
    assertAbsent(bytes, seed, `${name} (raw bytes)`);
    for (const text of encodings(seed)) assertAbsent(bytes, text, `${name} (${text})`);
  }
  for (const code of codes) assertAbsent(bytes, code, `bypass code ${code}`);
});

test('bypass codes are stored as salted hashes: each has its own salt and none is stored as digits', async () => {
  const user = await h.user();
  await issueBypassCodes(h.deps, 'helpdesk', user, { count: 3 });
  const stored = await h.deps.store.bypassCodes.listActive(user.id, h.clock.now());
  assert.equal(stored.length, 3);
  assert.equal(new Set(stored.map((code) => code.salt)).size, 3);
  for (const code of stored) {
    assert.equal(code.keyId, h.deps.ring.primaryId);
    assert.doesNotMatch(code.hash, /^[0-9]{9}$/);
  }
});
