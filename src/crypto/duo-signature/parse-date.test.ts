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

  it('issue 15: agrees with a reference reading on dates near and far from valid, and on arbitrary text', () => {
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    // Each field ranges a little past what is valid, so both sides of every bound are drawn.
    const nearDate = fc
      .record({
        weekday: fc.constantFrom('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'),
        day: fc.integer({ min: 0, max: 32 }),
        twoDigitDay: fc.boolean(),
        month: fc.integer({ min: 0, max: 11 }),
        year: fc.integer({ min: 100, max: 9999 }),
        hour: fc.integer({ min: 0, max: 25 }),
        minute: fc.integer({ min: 0, max: 61 }),
        second: fc.integer({ min: 0, max: 62 }),
        zone: fc.oneof(
          fc.constant('GMT'),
          fc.tuple(
            fc.constantFrom('+', '-'),
            fc.integer({ min: 0, max: 25 }),
            fc.integer({ min: 0, max: 61 }),
          ),
        ),
      })
      .map((d) => {
        const zone =
          typeof d.zone === 'string' ? d.zone : `${d.zone[0]}${pad(d.zone[1], 2)}${pad(d.zone[2], 2)}`;
        const day = d.twoDigitDay ? pad(d.day, 2) : String(d.day);
        const text = `${d.weekday}, ${day} ${MONTH_NAMES[d.month]} ${pad(d.year, 4)} ${pad(d.hour, 2)}:${pad(d.minute, 2)}:${pad(d.second, 2)} ${zone}`;
        return text;
      });
    let parsed = 0;
    fc.assert(
      fc.property(fc.oneof(nearDate, fc.string({ unit: 'binary' })), (text) => {
        const expected = referenceDate(text);
        assert.equal(parseDuoDate(text), expected, text);
        if (expected !== null) parsed++;
      }),
      { numRuns: 3000 },
    );
    assert.ok(parsed > 300, `only ${parsed} valid dates were drawn: the property tested little`);
  });
});

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An independent reading of `Ddd, D[D] Mon YYYY HH:MM:SS (GMT|±HHMM)` for years from 100 (Date.UTC's range). */
function referenceDate(text: string): number | null {
  const m =
    /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d\d?) ([A-Z][a-z]{2}) (\d{4}) (\d\d):(\d\d):(\d\d) (GMT|[+-]\d{4})$/.exec(
      text,
    );
  if (!m) return null;
  const [day, year, hour, minute, second] = [m[1], m[3], m[4], m[5], m[6]].map(Number) as number[];
  const month = MONTH_NAMES.indexOf(m[2]!);
  if (month < 0 || year! < 100) return null;
  const zone = m[7]!;
  const offsetHours = zone === 'GMT' ? 0 : Number(zone.slice(1, 3));
  const offsetMinutes = zone === 'GMT' ? 0 : Number(zone.slice(3, 5));
  const lastDay = new Date(Date.UTC(year!, month + 1, 0)).getUTCDate();
  if (day! < 1 || day! > lastDay || hour! > 23 || minute! > 59 || second! > 60) return null;
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  const sign = zone.startsWith('-') ? -1 : 1;
  return (
    Date.UTC(year!, month, day!, hour!, minute!, second!) - sign * (offsetHours * 60 + offsetMinutes) * 60_000
  );
}
