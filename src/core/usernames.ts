// The one canonical form of a username (docs/usernames.md): what is stored, what is matched, what is refused.
import { CountersignError } from './errors.ts';

/** The longest name accepted, in characters (code points) after normalisation. */
export const USERNAME_MAX_LENGTH = 256;
// Longer input is refused before any normalisation work (NFKC can grow a string, never needs this much).
const RAW_MAX_LENGTH = 4 * USERNAME_MAX_LENGTH;

/** Why a name is refused, as a code for audit records and tests; `reason` says it in words. */
export type UsernameProblem =
  | 'empty'
  | 'too_long'
  | 'ill_formed'
  | 'control'
  | 'invisible'
  | 'separator'
  | 'private_use'
  | 'unassigned'
  | 'replacement'
  | 'mixed_script'
  | 'unstable';

/** An accepted name: `name` is stored and shown (case kept), `key` is what names are matched and kept unique by. */
export interface Username {
  name: string;
  key: string;
}

export type UsernameCheck =
  | ({ ok: true } & Username)
  | { ok: false; problem: UsernameProblem; reason: string };

// Unicode White_Space, not only ASCII (JS `trim` misses U+0085 and trims U+FEFF, which is no space).
const EDGE_SPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;
const INNER_SPACE = /\p{Zs}+/gu;

// Checked in order on the trimmed name and again on the result; the first hit names the problem.
const REFUSED_CHARACTERS: ReadonlyArray<readonly [RegExp, UsernameProblem, string]> = [
  [/\p{Cc}/u, 'control', 'a control character'],
  // Cf (zero-width space and joiners, BOM, bidi controls, soft hyphen, tags) and the other default-ignorables
  // (variation selectors, combining grapheme joiner, Hangul fillers): invisible, and dropped by LDAP's
  // string preparation (RFC 4518 §2.2), so "alice\u200b" would be alice to the directory and a stranger here.
  [/[\p{Cf}\p{Default_Ignorable_Code_Point}]/u, 'invisible', 'an invisible formatting character'],
  [/[\p{Zl}\p{Zp}]/u, 'separator', 'a line or paragraph separator'],
  [/\p{Co}/u, 'private_use', 'a private-use character'],
  // NFKC of a character this Unicode version does not know may change once it is assigned (UAX #15 §3).
  [/\p{Cn}/u, 'unassigned', 'a character Unicode has not assigned'],
  [/\uFFFD/u, 'replacement', 'the replacement character, left where text was not valid UTF-8'],
];

// UTS #39 §5.2 "highly restrictive" in its simplest useful form: these scripts share letter shapes with one
// another ("aliсe" with a Cyrillic с), so one name may use letters of at most one of them.
const LOOKALIKE_SCRIPTS: ReadonlyArray<readonly [string, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
];

const refuse = (problem: UsernameProblem, reason: string): UsernameCheck => ({ ok: false, problem, reason });

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first forbidden character of `text`, as a refusal; null when there is none. */
function forbiddenCharacter(text: string): UsernameCheck | null {
  for (const [pattern, problem, what] of REFUSED_CHARACTERS) {
    const hit = pattern.exec(text);
    if (hit) return refuse(problem, `it contains ${what} (${codePoint(hit[0])})`);
  }
  return null;
}

function mixedScripts(text: string): UsernameCheck | null {
  const used = LOOKALIKE_SCRIPTS.filter(([, pattern]) => pattern.test(text)).map(([script]) => script);
  if (used.length < 2) return null;
  return refuse(
    'mixed_script',
    `it mixes ${used.join(' and ')} letters, which can pass for another name (use one script)`,
  );
}

/** Trim → NFKC → one space for each run of spaces → trim: the stored form, case kept. */
function displayForm(text: string): string {
  return text.replace(EDGE_SPACE, '').normalize('NFKC').replace(INNER_SPACE, ' ').replace(EDGE_SPACE, '');
}

/**
 * Full case folding → NFKC. lower(upper(lower(s))) is Unicode full case folding (CaseFolding.txt, C and F rows)
 * up to two differences: Cherokee folds to lower case instead of upper, and the dotless ı folds to i (its upper
 * case is I). ß, ẞ → ss; ς → σ; ᾳ → αι. Then İ (U+0130), whose lower case is i + combining dot above, folds to
 * plain i, as does any i followed by combining dots above, because an i is already dotted: "ALİCE" is alice.
 * NFKC again, as folding can leave text unnormalised.
 */
function foldForm(name: string): string {
  return name
    .toLowerCase()
    .toUpperCase()
    .toLowerCase()
    .replace(/i\u0307+/g, 'i')
    .normalize('NFKC');
}

/** Checks `raw` and returns its stored name and matching key, or why it is refused (never throws). */
export function canonicalUsername(raw: string): UsernameCheck {
  if (raw.length > RAW_MAX_LENGTH) {
    return refuse('too_long', `it is longer than ${USERNAME_MAX_LENGTH} characters`);
  }
  if (!raw.isWellFormed()) return refuse('ill_formed', 'it is not valid Unicode text (a lone surrogate)');
  const trimmed = raw.replace(EDGE_SPACE, '');
  if (trimmed === '') return refuse('empty', 'it is empty');
  const before = forbiddenCharacter(trimmed);
  if (before) return before;
  const name = displayForm(trimmed);
  if (name === '') return refuse('empty', 'it is empty');
  if ([...name].length > USERNAME_MAX_LENGTH) {
    return refuse('too_long', `it is longer than ${USERNAME_MAX_LENGTH} characters`);
  }
  const after = forbiddenCharacter(name) ?? mixedScripts(name);
  if (after) return after;
  const key = foldForm(name);
  // Folding can bring a script in (a combining ypogegrammeni becomes a Greek iota): the key is checked too.
  const folded = mixedScripts(key);
  if (folded) return folded;
  // Both forms must be fixed points, or a stored name could match differently the next time it is read.
  if (displayForm(name) !== name || foldForm(key) !== key || displayForm(key) !== key) {
    return refuse('unstable', 'it does not keep one form under Unicode normalisation');
  }
  return { ok: true, name, key };
}

/** The stored name and key of `raw`; a refused name is INVALID_USERNAME with the reason as detail. */
export function requireUsername(raw: string): Username {
  const checked = canonicalUsername(raw);
  if (!checked.ok) throw new CountersignError('INVALID_USERNAME', checked.reason);
  return { name: checked.name, key: checked.key };
}
