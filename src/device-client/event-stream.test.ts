// Unit tests for the text/event-stream parser: framing, comments, multi-line data, chunks split anywhere.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createEventStreamParser, type StreamMessage } from './event-stream.ts';

function parseAll(chunks: string[]): StreamMessage[] {
  const seen: StreamMessage[] = [];
  const feed = createEventStreamParser((message) => seen.push(message));
  for (const chunk of chunks) feed(chunk);
  return seen;
}

const STREAM =
  ': connected\n\nevent: request\ndata: {"a":1}\n\n: keep-alive\n\nevent: resolved\r\ndata: x\r\ndata:y\r\n\r\ndata: plain\n\n';
const EXPECTED = [
  { event: 'request', data: '{"a":1}' },
  { event: 'resolved', data: 'x\ny' },
  { event: 'message', data: 'plain' },
];

test('events, comments and CRLF framing parse as the spec says', () => {
  assert.deepEqual(parseAll([STREAM]), EXPECTED);
});

test('the same stream split at every position gives the same events', () => {
  for (let cut = 1; cut < STREAM.length; cut++) {
    assert.deepEqual(parseAll([STREAM.slice(0, cut), STREAM.slice(cut)]), EXPECTED, `split at ${cut}`);
  }
});

test('an event is not dispatched before its blank line, and one without data never is', () => {
  assert.deepEqual(parseAll(['event: request\ndata: 1\n']), []);
  assert.deepEqual(parseAll(['event: request\n\n']), []);
});
