// Canonical parameter line (§2.3) against duo_client_python's TestQueryParameters and Node's behaviour.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalV2 } from './canonical-request.ts';
import { canonicalParams, canonicalParamsWholeSort, duoEncode } from './canonicalize.ts';
import { PYTHON_REQUEST, PYTHON_UNICODE_LINE, PYTHON_UNICODE_PARAMS } from './test-vectors.ts';

describe('duoEncode', () => {
  it('keeps only A-Za-z0-9-._~ and escapes the rest in uppercase hex', () => {
    assert.equal(duoEncode('a b@/~.-_Z9'), 'a%20b%40%2F~.-_Z9');
    assert.equal(duoEncode("!*'()"), '%21%2A%27%28%29');
    assert.equal(duoEncode('ü'), '%C3%BC');
    assert.equal(duoEncode('😀'), '%F0%9F%98%80');
    assert.equal(duoEncode(''), '');
  });

  it('matches Python test_printable_ascii_characters', () => {
    assert.equal(
      duoEncode('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'),
      '%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E_%60%7B%7C%7D~',
    );
    assert.equal(duoEncode('\t\n\x0b\x0c\r '), '%09%0A%0B%0C%0D%20');
  });
});

describe('canonicalParams', () => {
  it('is empty for no parameters', () => {
    assert.equal(canonicalParams([], 'sorted'), '');
  });

  it('sorts keys, with a prefix first (Python test_sort_order_with_common_prefix)', () => {
    const pairs: Array<[string, string]> = [
      ['foo_bar', '2'],
      ['foo', '1'],
    ];
    assert.equal(canonicalParams(pairs, 'sorted'), 'foo=1&foo_bar=2');
  });

  it('matches Python test_unicode_fuzz_keys_and_values', () => {
    assert.equal(canonicalParams(PYTHON_UNICODE_PARAMS, 'sorted'), PYTHON_UNICODE_LINE);
    assert.equal(canonicalParams([...PYTHON_UNICODE_PARAMS].reverse(), 'wire'), PYTHON_UNICODE_LINE);
  });

  it('matches Python TestCanonicalize.test_v2 for the whole v2 string', () => {
    const line = canonicalParams(PYTHON_UNICODE_PARAMS, 'sorted');
    assert.equal(
      canonicalV2(PYTHON_REQUEST, line),
      `Fri, 07 Dec 2012 17:18:00 -0000\nPOST\nfoo.bar52.com\n/Foo/BaR2/qux\n${PYTHON_UNICODE_LINE}`,
    );
  });

  it('orders multiple values like Python (sorted) or Node (wire order)', () => {
    const pairs: Array<[string, string]> = [
      ['b', 'z'],
      ['a', '1'],
      ['b', 'a b'],
    ];
    assert.equal(canonicalParams(pairs, 'sorted'), 'a=1&b=a%20b&b=z');
    assert.equal(canonicalParams(pairs, 'wire'), 'a=1&b=z&b=a%20b');
  });
});

describe('canonicalParamsWholeSort (C#)', () => {
  it('differs from the key sort when a key prefix is followed by a byte below "="', () => {
    const pairs: Array<[string, string]> = [
      ['a', '1'],
      ['a-b', '2'],
    ];
    assert.equal(canonicalParams(pairs, 'sorted'), 'a=1&a-b=2');
    assert.equal(canonicalParamsWholeSort(pairs), 'a-b=2&a=1');
  });
});
