// Child servers: reading the announced URL, and a child that dies before listening is a clear error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChildServerError, parseUrlLine, startChildServer } from './child-server.ts';

test('reads {"url": …} lines and ignores every other line', () => {
  assert.equal(parseUrlLine('{"url":"http://127.0.0.1:4000"}')?.port, '4000');
  assert.equal(parseUrlLine('Countersign is listening on http://127.0.0.1:4000'), null);
  assert.equal(parseUrlLine('{"level":40,"msg":"x"}'), null);
  assert.equal(parseUrlLine('{not json'), null);
});

test('starts the bare server, which answers allow, and stops it', async () => {
  const server = await startChildServer({
    args: ['bench/support/bare-server.ts'],
    cwd: `${import.meta.dirname}/../..`,
  });
  try {
    const response = await fetch(new URL('/auth/v2/auth', server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'factor=passcode&passcode=1&username=a',
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { stat: 'OK', response: { result: 'allow' } });
  } finally {
    await server.stop();
  }
});

test('a child that exits before printing its URL is a ChildServerError with its stderr', async () => {
  await assert.rejects(
    startChildServer({ args: ['-e', 'console.error("no database"); process.exit(3)'] }),
    (error: unknown) => error instanceof ChildServerError && /no database/.test(error.message),
  );
});
