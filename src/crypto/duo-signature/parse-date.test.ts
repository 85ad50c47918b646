// Strict Duo date parsing (§2.2).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseDuoDate } from './parse-date.ts';

const AUG_21 = Date.UTC(2012, 7, 21, 17, 29, 18);

describe('parseDuoDate', () => {
  it('parses the forms every client sends (Node GMT, Python -0000, Go/C# +0000)', () => {
    assert.equal(parseDuoDate('Tue, 21 Aug 2012 17:29:18 GMT'), AUG_21);
    assert.equal(parseDuoDate('Tue, 21 Aug 2012 17:29:18 -0000'), AUG_21);
    assert.equal(parseDuoDate('Tue, 21 Aug 2012 17:29:18 +0000'), AUG_21);
  });

  it('applies numeric offsets (Python sig_timezone)', () => {
    assert.equal(parseDuoDate('Tue, 21 Aug 2012 22:59:18 +0530'), AUG_21);
    assert.equal(parseDuoDate('Tue, 21 Aug 2012 12:29:18 -0500'), AUG_21);
  });

  it('accepts a one-digit day, 29 February in a leap year and a leap second', () => {
    assert.equal(parseDuoDate('Fri, 7 Dec 2012 17:18:00 -0000'), Date.UTC(2012, 11, 7, 17, 18, 0));
    assert.equal(parseDuoDate('Tue, 29 Feb 2000 00:00:00 GMT'), Date.UTC(2000, 1, 29));
    assert.equal(parseDuoDate('Sat, 31 Dec 2016 23:59:60 GMT'), Date.UTC(2017, 0, 1));
  });

  it('keeps four-digit years below 100 as written', () => {
    assert.equal(parseDuoDate('Mon, 01 Jan 0050 00:00:00 GMT'), new Date('0050-01-01T00:00:00Z').getTime());
  });

  it('rejects everything that is not the strict RFC 1123 shape', () => {
    const bad = [
      '',
      '1345570158',
      '2012-08-21T17:29:18Z',
      'Tue, 21 Aug 2012 17:29:18', // no zone (Python test_v4 style)
      'Tue, 21 Aug 2012 17:29:18 UTC',
      'Tue, 21 Aug 2012 17:29:18 EST',
      'Tue, 21 Aug 12 17:29:18 GMT',
      'Tue 21 Aug 2012 17:29:18 GMT',
      'Tue,  21 Aug 2012 17:29:18 GMT',
      ' Tue, 21 Aug 2012 17:29:18 GMT',
      'Tue, 21 Aug 2012 17:29:18 GMT ',
      'tue, 21 aug 2012 17:29:18 GMT',
      'Tuesday, 21 Aug 2012 17:29:18 GMT',
      'Tue, 21 August 2012 17:29:18 GMT',
      'Tue, 21 Aug 2012 7:29:18 GMT',
      'Tue, 32 Aug 2012 17:29:18 GMT',
      'Tue, 00 Aug 2012 17:29:18 GMT',
      'Thu, 29 Feb 2001 17:29:18 GMT',
      'Tue, 31 Apr 2012 17:29:18 GMT',
      'Tue, 21 Aug 2012 24:00:00 GMT',
      'Tue, 21 Aug 2012 17:60:18 GMT',
      'Tue, 21 Aug 2012 17:29:61 GMT',
      'Tue, 21 Aug 2012 17:29:18 +2400',
      'Tue, 21 Aug 2012 17:29:18 +0060',
      'Tue, 21 Aug 2012 17:29:18 +05:30',
      'Tue, 21 Aug 2012 17:29:18 +530',
    ];
    for (const value of bad) assert.equal(parseDuoDate(value), null, value);
  });

  it('round-trips every instant written by Date.toUTCString (the Node client)', () => {
    const ms = fc
      .integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) })
      .map((n) => n - (n % 1000));
    fc.assert(fc.property(ms, (t) => assert.equal(parseDuoDate(new Date(t).toUTCString()), t)));
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const t = parseDuoDate(s);
        assert.ok(t === null || Number.isFinite(t));
      }),
      { numRuns: 2000 },
    );
  });
});
