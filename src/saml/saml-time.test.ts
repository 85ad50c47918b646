import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SamlRefusal } from './refusal.ts';
import { formatInstant, parseInstant } from './saml-time.ts';

describe('SAML instants', () => {
  it('writes whole seconds in UTC', () => {
    assert.equal(formatInstant(Date.UTC(2025, 5, 2, 0, 0, 15, 999)), '2025-06-02T00:00:15Z');
  });

  it('reads UTC with or without Z and with fractions', () => {
    const ms = Date.UTC(2025, 5, 2, 0, 0, 15);
    assert.equal(parseInstant('2025-06-02T00:00:15Z', 'x'), ms);
    assert.equal(parseInstant('2025-06-02T00:00:15', 'x'), ms);
    assert.equal(parseInstant('2025-06-02T00:00:15.250Z', 'x'), ms + 250);
    assert.equal(parseInstant('2025-06-02T00:00:15.1234567Z', 'x'), ms + 123);
  });

  it('refuses offsets, impossible dates and other shapes', () => {
    for (const text of [
      '2025-06-02T00:00:15+02:00',
      '2025-02-30T00:00:00Z',
      '2025-06-02T24:00:00Z',
      '2025-06-02T12:60:00Z',
      '2025-06-02 00:00:15Z',
      '1748822415',
      '',
    ]) {
      assert.throws(
        () => parseInstant(text, 'IssueInstant'),
        (e: unknown) => e instanceof SamlRefusal && e.reason === 'malformed',
        text,
      );
    }
  });
});
