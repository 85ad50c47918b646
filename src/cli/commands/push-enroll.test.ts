// `countersign push enroll`: links that parse back to the same code, validity, replacement, and clear refusals.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type CliSandbox, cliSandbox } from '../../../test/cli/run-cli.ts';
import { parseActivation } from '../../device-protocol/activation-link.ts';
import { parseValidity } from './push-enroll.ts';

let cli: CliSandbox;
before(async () => {
  cli = cliSandbox();
  await cli.json(['init']);
  await cli.json(['user', 'add', 'dana']);
});
after(() => cli.remove());

test('--json gives the activation page, the app link and code@server, all with one code', async () => {
  const result = await cli.json(['push', 'enroll', 'dana', '--valid', '1h']);
  assert.equal(result.user, 'dana');
  const page = new URL(String(result.activationPage));
  assert.equal(page.pathname, '/activate/');
  const code = new URLSearchParams(page.hash.slice(1)).get('code');
  assert.match(code ?? '', /^[A-Za-z0-9_-]{22}$/);
  const fromLink = parseActivation(String(result.appLink));
  const fromText = parseActivation(String(result.activationCode));
  assert.deepEqual(fromLink, { serverUrl: `${page.protocol}//${page.host}`, code });
  assert.deepEqual(fromText, fromLink);
  // issue 10: the page link is an activation link too (`countersign device activate` takes it).
  assert.deepEqual(parseActivation(String(result.activationPage)), fromLink);
  const hours = (Date.parse(String(result.expiresAt)) - Date.now()) / 3_600_000;
  assert.ok(hours > 0.9 && hours <= 1, `expires in about an hour, got ${hours} h`);
  assert.equal(result.replaces, null);
});

test('the text output shows both links and a terminal QR code', async () => {
  const result = await cli.run(['push', 'enroll', 'dana']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /\/activate\/#code=[A-Za-z0-9_-]{22}\n/);
  assert.match(result.stdout, /\/app\/#activate=[A-Za-z0-9_-]{22}\n/);
  assert.match(result.stdout, /[▀▄█]/, 'a QR code drawn with block characters');
});

test('bad --valid, an unknown user and an unknown replaced device are refused with exit 2', async () => {
  for (const [args, pattern] of [
    [['push', 'enroll', 'dana', '--valid', 'soon'], /--valid 'soon' must look like/],
    [['push', 'enroll', 'dana', '--valid', '10s'], /60 seconds to 30 days/],
    [['push', 'enroll', 'nobody'], /No such user/],
    [['push', 'enroll', 'dana', '--replace', 'DAAAAAAAAAAAAAAAAAAA'], /No such device/],
  ] as const) {
    const result = await cli.run([...args]);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
  }
});

test('parseValidity reads seconds and units', () => {
  assert.equal(parseValidity('90'), 90);
  assert.equal(parseValidity('30m'), 1800);
  assert.equal(parseValidity('24h'), 86_400);
  assert.equal(parseValidity('7d'), 604_800);
  assert.throws(() => parseValidity('1w'), /--valid '1w'/);
});
