// Activation links: both printed forms and the pasted text parse back to the same server and code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activationLink, activationPageLink, parseActivation } from './activation-link.ts';

const CODE = 'FdETxrYke8HBMUjpEjtRtA';

test('issue 10: the app link, the activation page link and code@server give the same parts', () => {
  for (const base of ['https://mfa.example.org', 'https://mfa.example.org/', 'https://example.org/mfa']) {
    const expected = { serverUrl: base.replace(/\/$/, ''), code: CODE };
    assert.deepEqual(parseActivation(activationLink(base, CODE)), expected);
    assert.deepEqual(parseActivation(activationPageLink(base, CODE)), expected);
    assert.deepEqual(parseActivation(`  ${CODE}@${base}\n`), expected);
  }
});

test('links of the wrong shape are refused with null, never an exception', () => {
  for (const text of [
    `https://mfa.example.org/activate/#activate=${CODE}`, // the page reads `code`, the app `activate`
    `https://mfa.example.org/app/#code=${CODE}`,
    `https://mfa.example.org/portal/#code=${CODE}`,
    'https://mfa.example.org/activate/#code=short',
    'https://mfa.example.org/activate/#code=%E0%A4%A',
    `https://mfa.example.org/activate/?code=${CODE}`,
    'not a link',
    `${CODE}@ftp://mfa.example.org`,
  ])
    assert.equal(parseActivation(text), null, text);
});
