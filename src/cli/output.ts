// Prints results: JSON for scripts (--json), aligned text for people.
import type { Io } from './command.ts';

/** Prints `value` as JSON, or through `human` as text. */
export function print(io: Io, json: boolean, value: unknown, human?: (value: unknown) => string): void {
  if (json) io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  else io.stdout(`${human ? human(value) : formatRecord(value)}\n`);
}

/** Key: value lines for an object. */
export function formatRecord(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value);
  const entries = Object.entries(value as Record<string, unknown>);
  const width = Math.max(0, ...entries.map(([key]) => key.length));
  return entries.map(([key, item]) => `${key.padEnd(width)}  ${formatValue(item)}`).join('\n');
}

/** A table of rows with the given columns. */
export function formatTable(rows: Array<Record<string, unknown>>, columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cells = rows.map((row) => columns.map((column) => formatValue(row[column])));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns), ...cells.map(line)].join('\n');
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map(formatValue).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
