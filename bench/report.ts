// Renders benchmark results: one line per measurement as it lands, and the closing summary table.
import type { Measurement, Outcome } from './suite.ts';

/** Formats a rate with a thousands separator and one decimal when small. */
export function formatRate(perSecond: number): string {
  return perSecond >= 100 ? Math.round(perSecond).toLocaleString('en-US') : perSecond.toFixed(1);
}

/** `label: 1,234/s (12,340 in 10.0 s; p50 2 ms, …)`: the raw numbers behind a rate. */
export function describeMeasurement(m: Measurement): string {
  const extras = Object.entries(m.raw).map(
    ([key, value]) => `${key} ${Number.isInteger(value) ? value : value.toFixed(2)}`,
  );
  if (m.cell !== undefined)
    return `${m.label}: ${m.cell}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
  const detail = [`${m.operations.toLocaleString('en-US')} in ${m.seconds.toFixed(1)} s`, ...extras].join(
    ', ',
  );
  return `${m.label}: ${formatRate(m.perSecond)}/s (${detail})`;
}

/** `551/s (5,761 in 10.5 s)`: the rate with the raw count and window it came from (or the figure's own cell). */
function rateCell(m: Measurement): string {
  if (m.cell !== undefined) return m.cell;
  return `${formatRate(m.perSecond)}/s (${m.operations.toLocaleString('en-US')} in ${m.seconds.toFixed(1)} s)`;
}

/** The summary table: name, measured, limit, ratio, target, verdict. */
export function summaryTable(outcomes: readonly Outcome[]): string {
  const header = ['name', 'measured', 'limit', 'ratio', 'target', 'verdict'];
  const rows = outcomes.map((r) =>
    'error' in r
      ? [r.name, '-', '-', '-', '-', 'failed']
      : 'skipped' in r
        ? [r.name, '-', '-', '-', '-', 'skipped']
        : [r.name, rateCell(r.measured), rateCell(r.limit), r.ratio.toFixed(3), `>= ${r.target}`, r.verdict],
  );
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
