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

  it('issue 15: whatever the input, null only for a bad escape, else one pair per segment that re-encodes the same', () => {
    // Form-ish text: escapes good and bad, separators, and any other character.
    const piece = fc.oneof(
      fc.constantFrom('&', '=', '+', '%', '%2', '%zz', '%41', '%C3%A9', '%FF', '%ED%A0%80', 'a', 'é'),
      fc.string({ unit: 'binary', maxLength: 3 }),
    );
    const body = fc.oneof(
      fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')),
      fc.string({ unit: 'binary' }),
    );
    let decoded = 0;
    fc.assert(
      fc.property(body, (text) => {
        const pairs = parseFormPairs(text);
        const segments = text.split('&').filter((segment) => segment !== '');
        if (pairs === null) {
          // Refused only when some segment carries a malformed escape or bytes that are not UTF-8.
          assert.ok(
            segments.some((segment) => !decodesAlone(segment)),
            text,
          );
          return;
        }
        decoded++;
        assert.equal(pairs.length, segments.length, text);
        for (const [key, value] of pairs) assert.ok(key.isWellFormed() && value.isWellFormed(), text);
        const again = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        assert.deepEqual(parseFormPairs(again), pairs, text);
      }),
      { numRuns: 3000 },
    );
    assert.ok(decoded > 300, `only ${decoded} bodies decoded: the property tested little`);
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

/** Whether one segment decodes on its own, by an independent reading: `+` and `%XX` bytes, then strict UTF-8. */
function decodesAlone(segment: string): boolean {
  if (!segment.isWellFormed()) return false;
  const bytes: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    if (segment[i] === '%') {
      const hex = segment.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) return false;
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      const char = String.fromCodePoint(segment.codePointAt(i)!);
      bytes.push(...Buffer.from(char === '+' ? ' ' : char, 'utf8'));
      i += char.length - 1;
    }
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
    return true;
  } catch {
    return false;
  }
}
