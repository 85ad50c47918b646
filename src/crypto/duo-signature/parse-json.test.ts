// parseJsonPairs: JSON bodies of signature v5 as the (key, value) pairs the endpoints read.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseJsonPairs } from './parse-json.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

it('keeps document order; numbers and booleans as text, nested values as JSON, nulls left out', () => {
  assert.deepEqual(parseJsonPairs(bytes('{"username":"ü","async":1,"ok":true,"list":[1,"a"],"gone":null}')), [
    ['username', 'ü'],
    ['async', '1'],
    ['ok', 'true'],
    ['list', '[1,"a"]'],
  ]);
});

it('refuses invalid UTF-8, invalid JSON and anything but an object', () => {
  assert.equal(parseJsonPairs(Uint8Array.from([0x7b, 0xff, 0x7d])), 'not valid UTF-8 JSON');
  assert.equal(parseJsonPairs(bytes('{"a":')), 'not valid UTF-8 JSON');
  for (const text of ['null', '[]', '"a"', '1'])
    assert.equal(parseJsonPairs(bytes(text)), 'not a JSON object');
});
