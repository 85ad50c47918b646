// SAML's instants (core §1.3.3): xs:dateTime in UTC, written to the second, read strictly.
import { refuse } from './refusal.ts';

/** `ms` as `2025-06-02T00:00:15Z`: whole seconds, because some service providers choke on fractions. */
export function formatInstant(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

// Core §1.3.3 asks for UTC "with no time zone component"; senders write `Z`, a few write nothing.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z?$/;

/** Reads an instant, refusing anything but UTC xs:dateTime; `what` names the attribute in the refusal. */
export function parseInstant(value: string, what: string): number {
  const match = INSTANT.exec(value);
  if (match === null) return refuse('malformed', `${what} is not a UTC xs:dateTime`);
  const [, year, month, day, hour, minute, second, fraction] = match;
  const parts = [year, month, day, hour, minute, second].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]);
  const date = new Date(ms);
  // Date.UTC rolls 2025-02-30 or 12:60 over: a date whose parts do not round-trip is not a date.
  const back = [
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
  ];
  if (back.some((part, i) => part !== parts[i])) return refuse('malformed', `${what} is not a valid date`);
  return ms + (fraction === undefined ? 0 : Math.floor(Number(fraction) * 1000));
}
