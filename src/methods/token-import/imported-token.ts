// Row and result types shared by the hardware-token bulk importers (CSV, PSKC).

/** One token ready to be stored: secret material plus its OTP parameters. */
export interface ImportedToken {
  serial: string; // 1..64 chars, printable, unique within the file
  kind: 'hotp' | 'totp';
  secret: Uint8Array; // 10..64 bytes
  digits: 6 | 8;
  algorithm: 'sha1' | 'sha256' | 'sha512';
  counter: bigint; // hotp: starting counter (default 0); totp: 0
  period: number; // totp step in seconds (default 30); hotp: 0
}

/** One problem found in an import file. `line` is 1-based (PSKC: the KeyPackage's 1-based index). */
export interface ImportRowError {
  line: number;
  field?: string;
  message: string;
}

/** All tokens, or every error found: a file with any bad row imports nothing. */
export type ImportResult = { ok: true; tokens: ImportedToken[] } | { ok: false; errors: ImportRowError[] };

/** A row that read well, and where it is in the file. */
export interface ImportedRow {
  line: number;
  token: ImportedToken;
}

/** Every row as read: the good ones with their lines and every problem (a preview shows both). */
export interface ImportRows {
  found: ImportedRow[];
  errors: ImportRowError[];
}

/** All tokens, or every error when any row is bad. */
export function importResult(rows: ImportRows): ImportResult {
  return rows.errors.length > 0
    ? { ok: false, errors: rows.errors }
    : { ok: true, tokens: rows.found.map((row) => row.token) };
}
