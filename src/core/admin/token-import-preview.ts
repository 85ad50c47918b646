// A hardware-token file read row by row for a preview: each row's serial and type or its problems, and the import
// itself only when every row is good (all or nothing, as importTokens); a dry run writes nothing.
import { parseTokenCsvRows } from '../../methods/token-import/csv.ts';
import type { ImportRows } from '../../methods/token-import/imported-token.ts';
import type { CoreDeps } from '../deps.ts';
import { importTokens } from './import-tokens.ts';

export interface TokenFile {
  format: 'csv' | 'pskc';
  data: string;
  /** True: check every row, store nothing. */
  dryRun: boolean;
  /** PSKC: the pre-shared key its secrets are encrypted with. */
  pskcKey?: Uint8Array;
  /** Added to every row number: a file sent in chunks numbers rows as in the whole file. */
  lineOffset?: number;
}

export interface PreviewRow {
  /** The CSV line (1-based, the header is line 1) or PSKC KeyPackage index, plus the offset. */
  row: number;
  serial: string | null;
  /** Duo's token type: h6/h8 (HOTP), t6/t8 (TOTP), by digits; null when the row did not read. */
  type: string | null;
  ok: boolean;
  error?: string;
}

/** Reads the rows (the XML parser loads for a PSKC file only: issue 14). */
async function readRows(file: TokenFile): Promise<ImportRows> {
  if (file.format === 'csv') return parseTokenCsvRows(file.data);
  const { parseTokenPskcRows } = await import('../../methods/token-import/pskc.ts');
  return parseTokenPskcRows(file.data, file.pskcKey ? { preSharedKey: Buffer.from(file.pskcKey) } : {});
}

/** Every row of `file` with its outcome, and how many tokens were stored (0 on a dry run or when a row is bad). */
export async function importTokenFile(
  deps: CoreDeps,
  actor: string,
  file: TokenFile,
): Promise<{ rows: PreviewRow[]; imported: number }> {
  const { found, errors } = await readRows(file);
  const offset = file.lineOffset ?? 0;
  const problems = new Map<number, string[]>();
  const problem = (line: number, text: string) => problems.set(line, [...(problems.get(line) ?? []), text]);
  for (const error of errors)
    problem(error.line, error.field ? `${error.field}: ${error.message}` : error.message);
  // A serial already stored is a problem of its row, found now rather than as a failed import.
  const stored = await Promise.all(
    found.map((row) => deps.store.authenticators.findBySerial(row.token.serial)),
  );
  found.forEach((row, i) => {
    if (stored[i]) problem(row.line, `serial '${row.token.serial}' is already in the system`);
  });
  const rows: PreviewRow[] = found.map(({ line, token }) => {
    const error = problems.get(line);
    return {
      row: line + offset,
      serial: token.serial,
      type: `${token.kind === 'hotp' ? 'h' : 't'}${token.digits}`,
      ok: error === undefined,
      ...(error && { error: error.join('; ') }),
    };
  });
  const foundLines = new Set(found.map((row) => row.line));
  for (const [line, texts] of problems) {
    if (!foundLines.has(line)) {
      rows.push({ row: line + offset, serial: null, type: null, ok: false, error: texts.join('; ') });
    }
  }
  rows.sort((a, b) => a.row - b.row);
  if (file.dryRun || problems.size > 0) return { rows, imported: 0 };
  const created = await importTokens(
    deps,
    actor,
    found.map((row) => row.token),
  );
  return { rows, imported: created.length };
}
