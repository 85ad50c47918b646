// fast-check properties: both importers never throw on arbitrary input, and valid CSV round-trips.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { encodeBase32 } from '../../crypto/base32.ts';
import { parseTokenCsv } from './csv.ts';
import { importResultProblems } from './import-result-invariants.ts';
import type { ImportedToken } from './imported-token.ts';
import { parseTokenPskc } from './pskc.ts';

const parsers = [
  ['csv', (text: string) => parseTokenCsv(text)],
  ['pskc', (text: string) => parseTokenPskc(text, { preSharedKey: new Uint8Array(16) })],
] as const;

// Random text biased towards the characters each format cares about.
const csvish = fc
  .array(
    fc.constantFrom(
      'serial',
      'secret',
      'type',
      'hotp',
      'totp',
      ',',
      '"',
      '\n',
      '\r\n',
      '3132',
      'GEZD',
      '8',
      ' ',
      '\uFEFF',
    ),
    {
      maxLength: 40,
    },
  )
  .map((parts) => parts.join(''));
const xmlish = fc
  .array(
    fc.constantFrom(
      '<KeyContainer>',
      '</KeyContainer>',
      '<KeyPackage>',
      '</KeyPackage>',
      '<Key Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:hotp">',
      '</Key>',
      '<Data>',
      '</Data>',
      '<Secret>',
      '</Secret>',
      '<PlainValue>',
      '</PlainValue>',
      '<EncryptedValue>',
      '</EncryptedValue>',
      'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=',
      '<MACMethod>',
      '</MACMethod>',
      '<!--',
      '-->',
      '&amp;',
      '<x/>',
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));
const soup = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1'));
const inputs = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  soup,
  csvish,
  xmlish,
);

for (const [name, parse] of parsers) {
  test(`${name}: arbitrary input never throws and yields ok:false or valid tokens`, () => {
    fc.assert(
      fc.property(inputs, (text) => {
        assert.deepEqual(importResultProblems(parse(text)), []);
      }),
      { numRuns: 500 },
    );
  });
}

test('pskc: mutated RFC 6030 Figure 6 never throws and yields ok:false or valid tokens', () => {
  const figure6 = readFileSync(
    new URL('../../../test/fixtures/tokens/rfc6030-figure6.pskc.xml', import.meta.url),
    'utf8',
  );
  const key = Uint8Array.from(Buffer.from('12345678901234567890123456789012', 'hex'));
  fc.assert(
    fc.property(fc.nat(figure6.length), fc.nat(40), fc.string({ maxLength: 20 }), (at, cut, insert) => {
      const mutated = figure6.slice(0, at) + insert + figure6.slice(at + cut);
      assert.deepEqual(importResultProblems(parseTokenPskc(mutated, { preSharedKey: key })), []);
    }),
    { numRuns: 300 },
  );
});

const arbToken: fc.Arbitrary<ImportedToken> = fc
  .record({
    kind: fc.constantFrom<'hotp' | 'totp'>('hotp', 'totp'),
    secret: fc.uint8Array({ minLength: 10, maxLength: 64 }),
    digits: fc.constantFrom<6 | 8>(6, 8),
    algorithm: fc.constantFrom<'sha1' | 'sha256' | 'sha512'>('sha1', 'sha256', 'sha512'),
    counter: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    period: fc.integer({ min: 1, max: 300 }),
  })
  .map((t) => ({
    ...t,
    serial: '',
    counter: t.kind === 'hotp' ? t.counter : 0n,
    period: t.kind === 'totp' ? t.period : 0,
  }));
// Serials: printable, may contain commas and quotes (exercising RFC 4180 quoting), no surrounding spaces.
const arbSerial = fc
  .string({ minLength: 1, maxLength: 64, unit: fc.constantFrom('A', 'z', '0', '-', ',', '"', ' ', 'é', '_') })
  .filter((s) => s.trim() === s && s.length > 0);

const quote = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);

/** Writes tokens as CSV with a shuffled column order and a random secret encoding. */
function writeCsv(tokens: ImportedToken[], order: string[], encodings: number[], crlf: boolean): string {
  const rows = tokens.map((t, i) => {
    const hex = Buffer.from(t.secret).toString('hex');
    const secret = [hex, `hex:${hex.toUpperCase()}`, `base32:${encodeBase32(t.secret)}`][encodings[i]! % 3]!;
    const values: Record<string, string> = {
      serial: t.serial,
      secret,
      type: t.kind,
      digits: String(t.digits),
      counter: t.kind === 'hotp' ? String(t.counter) : '',
      step: t.kind === 'totp' ? String(t.period) : '',
      algorithm: t.algorithm.toUpperCase(),
    };
    return order.map((column) => quote(values[column]!)).join(',');
  });
  const eol = crlf ? '\r\n' : '\n';
  return [order.join(','), ...rows].join(eol) + eol;
}

test('csv: a generated valid file round-trips', () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(arbSerial, { minLength: 1, maxLength: 8 }).chain((serials) =>
        fc.tuple(
          fc.tuple(...serials.map((serial) => arbToken.map((t) => ({ ...t, serial })))),
          fc.shuffledSubarray(['serial', 'secret', 'type', 'digits', 'counter', 'step', 'algorithm'], {
            minLength: 7,
          }),
          fc.array(fc.nat(), { minLength: serials.length, maxLength: serials.length }),
          fc.boolean(),
        ),
      ),
      ([tokens, order, encodings, crlf]) => {
        const result = parseTokenCsv(writeCsv(tokens, order, encodings, crlf));
        assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
        assert.deepEqual(result.tokens, tokens);
      },
    ),
  );
});
