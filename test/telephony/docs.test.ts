// docs/telephony.md shows configuration to copy: each TOML block must load as written (with its secrets set).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildConfig } from '../../src/config.ts';

const page = readFileSync(new URL('../../docs/telephony.md', import.meta.url), 'utf8');
/** The environment variables the page tells operators to set. */
const SECRETS = {
  COUNTERSIGN_TWILIO_AUTH_TOKEN: 'your_auth_token',
  COUNTERSIGN_KANNEL_PASSWORD: 'change-this-sendsms-password',
  COUNTERSIGN_SMTP_PASSWORD: 'smtp-password',
};

test('issue 13: every TOML example in docs/telephony.md is a valid configuration', () => {
  const blocks = [...page.matchAll(/^ *```toml\n([\s\S]*?)^ *```$/gm)].map((match) =>
    match[1]!.replace(/^ {3}/gm, ''),
  );
  assert.ok(blocks.length >= 6, `found ${blocks.length} TOML blocks`);
  for (const block of blocks) {
    assert.doesNotThrow(() => buildConfig(block, SECRETS), `this block does not load:\n${block}`);
  }
});
