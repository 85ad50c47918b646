// Form/query decoding (§2.3 step 1), including Node's wire encoding round trip.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalParams } from './canonicalize.ts';
import { parseFormPairs, parseQueryPairs } from './parse-form.ts';

describe('parseFormPairs', () => {
  it("round-trips Node 1.5.0's wire text to the signed text (§2.3 example)", () => {
    const pairs = parseFormPairs("v=a%20b!*'()~.-_%40%2F%2B%26%3D%C3%BC");
    assert.deepEqual(pairs, [['v', "a b!*'()~.-_@/+&=ü"]]);
    assert.equal(canonicalParams(pairs ?? [], 'wire'), 'v=a%20b%21%2A%27%28%29~.-_%40%2F%2B%26%3D%C3%BC');
  });

  it('decodes + as a space (Python urlencode) and keeps wire order and repeats', () => {
    assert.deepEqual(parseFormPairs('b=z&a=First+Last&b=a+b'), [
      ['b', 'z'],
      ['a', 'First Last'],
      ['b', 'a b'],
    ]);
  });

  it('treats a segment without "=" as an empty value and skips empty segments', () => {
    assert.deepEqual(parseFormPairs('flag&&x=&=v&'), [
      ['flag', ''],
      ['x', ''],
      ['', 'v'],
    ]);
    assert.deepEqual(parseFormPairs(''), []);
  });

  it('keeps "=" inside a value and a leading BOM', () => {
    assert.deepEqual(parseFormPairs('k=a=b&bom=%EF%BB%BFx'), [
      ['k', 'a=b'],
      ['bom', '\ufeffx'],
    ]);
  });

  it('accepts raw non-ASCII text as its UTF-8 bytes', () => {
    assert.deepEqual(parseFormPairs('name=Zoë%20ü'), [['name', 'Zoë ü']]);
  });

  it('returns null for malformed escapes and invalid UTF-8', () => {
    for (const bad of ['a=%zz', 'a=%', 'a=%4', '%G0=1', 'a=%C3%28', 'a=%FF', 'a=%ED%A0%80', 'a=\ud800']) {
      assert.equal(parseFormPairs(bad), null, bad);
    }
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (body) => {
        const pairs = parseFormPairs(body);
        assert.ok(pairs === null || Array.isArray(pairs));
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes what encodeURIComponent produced, for any well-formed Unicode', () => {
    const text = fc.string({ unit: 'grapheme' });
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 6 }), (pairs) => {
        const wire = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        assert.deepEqual(parseFormPairs(wire), pairs);
      }),
    );
  });
});

describe('parseQueryPairs', () => {
  it('ignores a leading "?" and gives no pairs for an empty query (Python /check?)', () => {
    assert.deepEqual(parseQueryPairs(''), []);
    assert.deepEqual(parseQueryPairs('?'), []);
    assert.deepEqual(parseQueryPairs('?txid=45f7'), [['txid', '45f7']]);
  });
});
