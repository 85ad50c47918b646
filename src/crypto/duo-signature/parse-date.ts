// Strict parser for the Duo date header (§2.2): `Ddd, DD Mon YYYY HH:MM:SS (GMT|±HHMM)`.

// RFC 5322 §3.3 date-time, restricted to the forms Duo clients send (Node, Python, Go, C#).
const DUO_DATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (GMT|[+-]\d{4})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Parses a Duo date header into ms since the epoch, or null if it is not a valid RFC 1123/2822 date. */
export function parseDuoDate(value: string): number | null {
  const m = DUO_DATE.exec(value);
  if (m === null) return null;
  // The weekday is not checked against the date, as Python's email.utils.parsedate_tz does not either.
  const [, , dayText, monthText, yearText, hourText, minuteText, secondText, zone] = m;
  const day = Number(dayText);
  const month = MONTHS.indexOf(monthText ?? '');
  const year = Number(yearText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  // RFC 5322 §3.3: second 60 is a leap second; everything else must be a real calendar time.
  if (day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) return null;
  const offsetMinutes = parseOffset(zone ?? '');
  if (offsetMinutes === null) return null;
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const midnight = new Date(0);
  midnight.setUTCFullYear(year, month, day);
  const secondsOfDay = (hour * 60 + minute) * 60 + second - offsetMinutes * 60;
  return midnight.getTime() + secondsOfDay * 1000;
}

/** `GMT` is 0; `±HHMM` is minutes east of UTC (RFC 5322 §3.3: `-0000` also means UTC). */
function parseOffset(zone: string): number | null {
  if (zone === 'GMT') return 0;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(3, 5));
  if (hours > 23 || minutes > 59) return null;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (hours * 60 + minutes);
}

/** Number of days in a month (0-based), Gregorian leap years included. */
function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(2000, month + 1, 0)).getUTCDate() - (month === 1 && !isLeapYear(year) ? 1 : 0);
}

/** Gregorian leap-year rule. */
function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
