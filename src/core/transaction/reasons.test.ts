import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { TRANSACTION_STATES } from '../model.ts';
import { PUSH_REFUSALS } from './push-limits.ts';
import { isReason, parseReason, REASONS, type Reason, type ReasonInfo, reasonWords } from './reasons.ts';
import { isFinal } from './states.ts';

const entries = Object.entries(REASONS) as Array<[Reason, ReasonInfo]>;

/** The reasons table of docs/reasons.md: reason → [states, retryable, label, Duo status]. */
function documentedReasons(): Map<string, string[]> {
  const page = readFileSync(new URL('../../../docs/reasons.md', import.meta.url), 'utf8');
  const rows = new Map<string, string[]>();
  for (const line of page.split('\n')) {
    const row = /^\| `([a-z_]+)` \|(.*)\|$/.exec(line);
    if (!row) continue;
    const cells = row[2]!.split(' | ').map((cell) => cell.trim());
    rows.set(row[1]!, cells.slice(0, 4));
  }
  return rows;
}

test('every reason is documented in docs/reasons.md as the table says, and every documented one exists', () => {
  const documented = documentedReasons();
  const expected = new Map(
    entries.map(([reason, info]) => [
      reason,
      [
        info.states.length > 0 ? info.states.join(', ') : '—',
        info.retryable ? 'yes' : 'no',
        info.label,
        info.duo.status,
      ],
    ]),
  );
  assert.deepEqual([...documented.keys()].sort(), [...expected.keys()].sort(), 'the same reasons, both ways');
  for (const [reason, cells] of expected) assert.deepEqual(documented.get(reason), cells, reason);
});

test('every reason has words in each place: label, user words, Duo status and status_msg', () => {
  for (const [reason, info] of entries) {
    assert.match(reason, /^[a-z]+(_[a-z]+)*$/, reason);
    assert.ok(info.label.length > 0 && info.label.length <= 40, `${reason}: a short label`);
    assert.match(info.words, /^[A-Z].*[.]$/, `${reason}: the user's words are sentences`);
    assert.doesNotMatch(info.words.replaceAll('{application}', ''), /[{}]/, `${reason}: only {application}`);
    assert.ok(info.duo.status.length > 0 && info.duo.statusMsg.length > 0, `${reason}: Duo's words`);
    assert.ok(
      info.states.every((state) => TRANSACTION_STATES.includes(state)),
      reason,
    );
  }
});

test('allow reasons accept without a Reply-Message and have a Duo log name; every refusal says something', () => {
  for (const [reason, info] of entries) {
    const allows = info.states.includes('allow');
    assert.equal(info.duo.logReason !== null, allows, `${reason}: a log name exactly when it allows`);
    // Challenge's prompt is picked by the RADIUS mode; a pushed (or calling) transaction is never a RADIUS answer.
    const answersWithoutMessage =
      allows || reason === 'challenge' || reason === 'pushed' || reason === 'calling';
    assert.equal(info.radius === null, answersWithoutMessage, `${reason}: RADIUS Reply-Message`);
    if (allows) assert.deepEqual(info.states, ['allow'], `${reason}: an allow reason allows only`);
  }
});

test('only a final refusal can be retried, and only an allow proves a factor', () => {
  for (const [reason, info] of entries) {
    if (info.retryable) {
      assert.ok(info.states.length > 0, `${reason}: stored on a transaction`);
      assert.ok(
        info.states.every((state) => isFinal(state) && state !== 'allow'),
        `${reason}: retryable refusals are final`,
      );
    }
    if (info.provesFactor) assert.deepEqual(info.states, ['allow'], reason);
  }
  const proofs = entries.filter(([, info]) => info.provesFactor).map(([reason]) => reason);
  assert.deepEqual(proofs.sort(), ['user_approved', 'valid_passcode', 'valid_webauthn']);
});

test('issue 15: every push refusal, recent_denial included, lets the user try again', () => {
  for (const refusal of PUSH_REFUSALS) assert.equal(REASONS[refusal].retryable, true, refusal);
  assert.equal(isReason('denial_cooldown'), false, 'the spelling push-limits.ts never stored');
});

test('a stored reason this version does not know reads as unknown_reason and is reported', () => {
  const told: string[] = [];
  const tell = (value: string) => told.push(value);
  assert.equal(parseReason('denied', tell), 'denied');
  assert.equal(parseReason(null, tell), null);
  assert.equal(parseReason('from_a_newer_version', tell), 'unknown_reason');
  assert.equal(parseReason('constructor', tell), 'unknown_reason', 'not an inherited property');
  assert.deepEqual(told, ['from_a_newer_version', 'constructor']);
  const unknown = REASONS.unknown_reason;
  assert.deepEqual([unknown.retryable, unknown.provesFactor, unknown.states], [false, false, []]);
});

test("the user's words name the application where they mention it", () => {
  assert.equal(
    reasonWords('policy_deny', 'VPN'),
    "Your organization's policy does not allow signing in to VPN. Contact your help desk if you need access.",
  );
  assert.match(reasonWords('policy_deny'), /signing in to this application\./);
  assert.equal(reasonWords('user_disabled'), reasonWords('locked_out'), 'refusals read the same');
  assert.equal(reasonWords('user_disabled'), reasonWords('new_user_denied'), 'refusals read the same');
});
