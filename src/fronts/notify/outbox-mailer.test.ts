import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { manualClock, secureRandom } from '../../core/clock.ts';
import { formatEml, MailFormatError, outboxMailer, rfc5322Date } from './outbox-mailer.ts';

const AT = Date.UTC(2026, 2, 2, 9, 30, 5);

test('rfc5322Date writes a numeric UTC zone', () => {
  assert.equal(rfc5322Date(AT), 'Mon, 02 Mar 2026 09:30:05 +0000');
});

test('formatEml: headers, blank line, CRLF body; non-ASCII subjects are RFC 2047 encoded', () => {
  const eml = formatEml(
    { to: ['a@example.org', 'b@example.org'], subject: 'Fraude signalée', text: 'line 1\nline 2' },
    { from: 'Countersign <mfa@example.org>', dateMs: AT, messageId: 'x1@example.org' },
  );
  const [head, body] = eml.split('\r\n\r\n');
  assert.equal(body, 'line 1\r\nline 2\r\n');
  const lines = head!.split('\r\n');
  assert.ok(lines.includes('To: a@example.org, b@example.org'));
  assert.ok(lines.includes(`Subject: =?utf-8?B?${Buffer.from('Fraude signalée').toString('base64')}?=`));
  assert.ok(lines.includes('Message-ID: <x1@example.org>'));
  assert.ok(lines.includes('Content-Type: text/plain; charset=utf-8'));
});

test('formatEml refuses header injection and empty recipient lists', () => {
  const envelope = { from: 'mfa@example.org', dateMs: AT, messageId: 'x@example.org' };
  assert.throws(
    () => formatEml({ to: 'a@example.org', subject: 'hi\r\nBcc: evil@example.org', text: '' }, envelope),
    {
      name: MailFormatError.name,
      message: /Subject header must be one line/,
    },
  );
  assert.throws(() => formatEml({ to: [], subject: 'hi', text: '' }, envelope), { message: /recipient/ });
});

test('outboxMailer writes one .eml per message and no temp files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'countersign-outbox-'));
  try {
    const mailer = outboxMailer(join(dir, 'outbox'), {
      clock: manualClock(AT),
      random: secureRandom,
      from: 'Countersign <mfa@example.org>',
    });
    await mailer.send({ to: 'a@example.org', subject: 'one', text: 'first' });
    await mailer.send({ to: 'a@example.org', subject: 'two', text: 'second' });
    const files = (await readdir(join(dir, 'outbox'))).sort();
    assert.equal(files.length, 2);
    assert.ok(files.every((name) => name.endsWith('.eml') && name.startsWith('2026-03-02T09-30-05-000Z')));
    const texts = await Promise.all(files.map((name) => readFile(join(dir, 'outbox', name), 'utf8')));
    assert.deepEqual(texts.map((t) => /^Subject: (.*)$/m.exec(t)?.[1]?.trim()).sort(), ['one', 'two']);
    assert.ok(
      texts.every((t) => /@example\.org>\r\n/.test(t) && t.includes('Date: Mon, 02 Mar 2026 09:30:05 +0000')),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('issue 13: with HTML, formatEml writes multipart/alternative: the text part first, then the HTML', () => {
  const eml = formatEml(
    { to: 'a@example.org', subject: 'hi', text: 'plain\nbody', html: '<p>rich &amp; body</p>' },
    { from: 'mfa@example.org', dateMs: AT, messageId: 'x1@example.org', boundary: 'B0undary' },
  );
  const [head, ...rest] = eml.split('\r\n\r\n');
  assert.ok(head!.split('\r\n').includes('Content-Type: multipart/alternative; boundary="=_B0undary"'));
  assert.ok(!head!.includes('charset'), 'the charset belongs to each part');
  assert.equal(
    rest.join('\r\n\r\n'),
    [
      '--=_B0undary',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'plain',
      'body',
      '--=_B0undary',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      '<p>rich &amp; body</p>',
      '--=_B0undary--',
      '',
    ].join('\r\n'),
  );
});
