// fast-check properties of the canonical username: idempotent, and never a control or invisible character.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { canonicalUsername } from './usernames.ts';

// Whole-range code points (including unassigned, surrogates and controls) mixed with name-like text.
const arbRaw = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        'a',
        'A',
        'İ',
        'ß',
        'ẞ',
        '\u212A',
        '\u0307',
        ' ',
        '\t',
        '\u00a0',
        'ﬁ',
        'ς',
        'Σ',
        'ǅ',
        '\u0345',
      ),
      {
        maxLength: 20,
      },
    )
    .map((parts) => parts.join('')),
);

const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Zl}\p{Zp}\p{Co}\p{Cn}\uFFFD]/u;

test('issue 9.4: canonicalUsername is idempotent and never returns a control or format character', () => {
  fc.assert(
    fc.property(arbRaw, (raw) => {
      const first = canonicalUsername(raw);
      if (!first.ok) {
        assert.ok(first.reason.length > 0);
        return;
      }
      assert.doesNotMatch(first.name, FORBIDDEN);
      assert.doesNotMatch(first.key, FORBIDDEN);
      assert.equal(first.name, first.name.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, ''));
      // The stored name reads back as itself with the same key; the key is a name whose key is itself.
      assert.deepEqual(canonicalUsername(first.name), first);
      const ofKey = canonicalUsername(first.key);
      assert.ok(ofKey.ok);
      assert.equal(ofKey.key, first.key);
      assert.equal(ofKey.name, first.key);
    }),
    { numRuns: 20_000 },
  );
});

test('case variants of an accepted name share its key', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), (raw) => {
      const checked = canonicalUsername(raw);
      if (!checked.ok) return;
      for (const variant of [raw.toUpperCase(), raw.toLowerCase()]) {
        const other = canonicalUsername(variant);
        if (other.ok) assert.equal(other.key, checked.key, JSON.stringify([raw, variant]));
      }
    }),
    { numRuns: 5_000 },
  );
});
