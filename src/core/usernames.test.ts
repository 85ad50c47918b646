// The canonical username rule: the examples, the folding exceptions, and every refusal in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCountersignError } from './errors.ts';
import {
  canonicalUsername,
  requireUsername,
  USERNAME_MAX_LENGTH,
  type UsernameProblem,
} from './usernames.ts';

const key = (raw: string) => {
  const checked = canonicalUsername(raw);
  assert.ok(checked.ok, `${JSON.stringify(raw)} refused: ${checked.ok ? '' : checked.reason}`);
  return checked.key;
};
const problem = (raw: string): UsernameProblem | null => {
  const checked = canonicalUsername(raw);
  return checked.ok ? null : checked.problem;
};

test('issue 9.4: each example of the issue is either alice (or kate) or a clear refusal', () => {
  assert.equal(key('alice '), 'alice');
  assert.equal(key(' alice'), 'alice');
  assert.equal(key('alice\t'), 'alice');
  assert.equal(key('ALİCE'), 'alice');
  assert.equal(key('\u212Aate'), 'kate'); // KELVIN SIGN
  assert.equal(problem('ali\u0441e'), 'mixed_script'); // CYRILLIC SMALL LETTER ES
  assert.equal(problem('alice\u200b'), 'invisible');
});

test('the stored name keeps case; the key is folded; both are fixed points', () => {
  assert.deepEqual(canonicalUsername('  Ada  Lovelace\u00a0'), {
    ok: true,
    name: 'Ada Lovelace',
    key: 'ada lovelace',
  });
  assert.deepEqual(canonicalUsername('\u212Aate'), { ok: true, name: 'Kate', key: 'kate' });
  assert.deepEqual(canonicalUsername('ＡＬＩＣＥ'), { ok: true, name: 'ALICE', key: 'alice' });
});

test('the fold: ß and ẞ are ss, final sigma is sigma, İ and i with a dot above are i', () => {
  assert.equal(key('Straße'), 'strasse');
  assert.equal(key('STRAẞE'), 'strasse');
  assert.equal(key('ΟΔΥΣΣΕΥΣ'), key('οδυσσευς'));
  assert.equal(key('I\u0307stanbul'), 'istanbul');
  assert.equal(key('i\u0307stanbul'), 'istanbul');
  assert.equal(key('ﬁona'), 'fiona'); // the ligature, by NFKC
  assert.equal(key('ſam'), 'sam'); // long s
  assert.equal(key('\u13a0\u13a1'), key('\uab70\uab71')); // Cherokee upper and lower
  // The dotless ı: its upper case is I, so it folds to i like every other way of writing i.
  assert.equal(key('alıce'), 'alice');
  // A combining ypogegrammeni upper-cases to a Greek iota: on a Latin letter the key would mix scripts.
  assert.equal(problem('a\u0345'), 'mixed_script');
});

test('refusals name the problem and the character', () => {
  const cases: Array<[string, UsernameProblem, RegExp]> = [
    ['', 'empty', /empty/],
    [' \t\u3000 ', 'empty', /empty/],
    ['al\tice', 'control', /control character \(U\+0009\)/],
    ['al\u0000ice', 'control', /U\+0000/],
    ['\ufeffalice', 'invisible', /invisible formatting character \(U\+FEFF\)/],
    ['al\u200dice', 'invisible', /U\+200D/],
    ['alice\ufe0f', 'invisible', /U\+FE0F/], // variation selector: default-ignorable, LDAP drops it
    ['al\u00adice', 'invisible', /U\+00AD/], // soft hyphen
    ['al\u2028ice', 'separator', /U\+2028/],
    ['al\ue000ice', 'private_use', /U\+E000/],
    ['al\u0378ice', 'unassigned', /U\+0378/],
    ['al\ufffdice', 'replacement', /UTF-8/],
    ['al\ud800ice', 'ill_formed', /Unicode/],
    ['ali\u0441e', 'mixed_script', /Latin and Cyrillic/],
    ['\u03b1lpha', 'mixed_script', /Latin and Greek/],
    ['a'.repeat(USERNAME_MAX_LENGTH + 1), 'too_long', /256/],
    ['a'.repeat(5000), 'too_long', /256/],
  ];
  for (const [raw, expected, words] of cases) {
    const checked = canonicalUsername(raw);
    assert.equal(checked.ok, false, JSON.stringify(raw));
    if (checked.ok) continue;
    assert.equal(checked.problem, expected, JSON.stringify(raw));
    assert.match(checked.reason, words, JSON.stringify(raw));
  }
});

test('accepted: one script with digits and punctuation, scripts that do not imitate Latin, the length limit', () => {
  for (const raw of [
    'ada.lovelace@example.org',
    'EXAMPLE\\ada',
    'иван',
    'Δημήτρης',
    'tanaka田中',
    'o\u2019brien',
  ]) {
    assert.ok(canonicalUsername(raw).ok, raw);
  }
  assert.ok(canonicalUsername('a'.repeat(USERNAME_MAX_LENGTH)).ok);
});

test('requireUsername throws INVALID_USERNAME with the reason as detail', () => {
  assert.deepEqual(requireUsername(' Grace '), { name: 'Grace', key: 'grace' });
  assert.throws(
    () => requireUsername('grace\u200b'),
    (error) => isCountersignError(error, 'INVALID_USERNAME') && /U\+200B/.test(error.detail ?? ''),
  );
});
