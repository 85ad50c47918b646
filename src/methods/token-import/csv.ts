// Parses a hardware-token CSV export (serial,secret,type,digits,counter,step,algorithm) into tokens.
import { type CsvRecord, splitCsvRecords } from './csv-records.ts';
import {
  type ImportedRow,
  type ImportedToken,
  type ImportResult,
  type ImportRowError,
  type ImportRows,
  importResult,
} from './imported-token.ts';
import { decodeSecretText } from './secret-text.ts';
import {
  checkAlgorithm,
  checkCounter,
  checkDigits,
  checkKind,
  checkPeriod,
  checkSecretLength,
  checkSerial,
  collect,
  createSerialTracker,
} from './token-rules.ts';

const COLUMNS = ['serial', 'secret', 'type', 'digits', 'counter', 'step', 'algorithm'] as const;
type Column = (typeof COLUMNS)[number];
const REQUIRED: readonly Column[] = ['serial', 'secret', 'type'];

type ColumnIndex = Map<Column, number>;

/** What readRow needs besides the record: the header layout, the error list and the serial tracker. */
interface RowContext {
  index: ColumnIndex;
  width: number;
  errors: ImportRowError[];
  trackSerial: ReturnType<typeof createSerialTracker>;
}

const isColumn = (name: string): name is Column => (COLUMNS as readonly string[]).includes(name);
const isBlank = (record: CsvRecord) => record.fields.length === 1 && record.fields[0] === '';

/** Reads the header row into a column → position map, reporting unknown, repeated and missing columns. */
function readHeader(record: CsvRecord, errors: ImportRowError[]): ColumnIndex | null {
  const index: ColumnIndex = new Map();
  const unknown: string[] = [];
  record.fields.forEach((raw, position) => {
    const name = raw.trim().toLowerCase();
    if (!isColumn(name)) unknown.push(raw);
    else if (index.has(name))
      errors.push({ line: record.line, field: name, message: `column "${name}" appears twice` });
    else index.set(name, position);
  });
  if (unknown.length > 0) {
    errors.push({
      line: record.line,
      field: unknown.join(','),
      message: `unknown column(s) ${unknown.map((u) => JSON.stringify(u)).join(', ')}; allowed: ${COLUMNS.join(',')}`,
    });
  }
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length > 0) {
    errors.push({
      line: record.line,
      message: `header is missing required column(s): ${missing.join(', ')}`,
    });
    return null;
  }
  return index;
}

/** Converts one data record into a token, pushing one error per bad field. */
function readRow(record: CsvRecord, ctx: RowContext): ImportedToken | undefined {
  const { index, width, errors } = ctx;
  const { line, fields } = record;
  if (fields.length !== width) {
    errors.push({ line, message: `expected ${width} fields as in the header, found ${fields.length}` });
    return undefined;
  }
  const get = (column: Column) => {
    const position = index.get(column);
    return position === undefined ? '' : (fields[position] ?? '');
  };
  const before = errors.length;
  const checkedSerial = collect(errors, line, 'serial', checkSerial(get('serial')));
  // Duplicates are reported on the second line even if the first one has other errors.
  const serial = checkedSerial && collect(errors, line, 'serial', ctx.trackSerial(checkedSerial, line));
  const decoded = collect(errors, line, 'secret', decodeSecretText(get('secret')));
  const secret = decoded && collect(errors, line, 'secret', checkSecretLength(decoded));
  const kind = collect(errors, line, 'type', checkKind(get('type')));
  const digits = collect(errors, line, 'digits', checkDigits(get('digits')));
  const algorithm = collect(errors, line, 'algorithm', checkAlgorithm(get('algorithm')));
  let counter = 0n;
  let period = 0;
  if (kind === 'hotp') {
    counter = collect(errors, line, 'counter', checkCounter(get('counter'))) ?? 0n;
    if (get('step').trim() !== '')
      errors.push({ line, field: 'step', message: 'step applies only to totp tokens' });
  } else if (kind === 'totp') {
    period = collect(errors, line, 'step', checkPeriod(get('step'))) ?? 0;
    if (get('counter').trim() !== '') {
      errors.push({ line, field: 'counter', message: 'counter applies only to hotp tokens' });
    }
  }
  if (errors.length > before || !serial || !secret || !kind || !digits || !algorithm) return undefined;
  return { serial, kind, secret, digits, algorithm, counter, period };
}

/**
 * Parses a token CSV: header row required (case-insensitive, any order); see secret-text.ts for how
 * secrets are read. Returns every token, or every error when any row is bad.
 */
export function parseTokenCsv(text: string): ImportResult {
  return importResult(parseTokenCsvRows(text));
}

/** Reads a token CSV row by row: the tokens of the good rows with their lines, and every problem. */
export function parseTokenCsvRows(text: string): ImportRows {
  const records = splitCsvRecords(text.startsWith('\uFEFF') ? text.slice(1) : text);
  // A trailing empty line (or several) is tolerated; blank lines elsewhere are reported.
  while (records.length > 0 && isBlank(records[records.length - 1]!)) records.pop();
  const [header, ...rows] = records;
  if (header === undefined) {
    return {
      found: [],
      errors: [{ line: 1, message: `file is empty; expected a header row: ${COLUMNS.join(',')}` }],
    };
  }
  const errors: ImportRowError[] = [];
  if (header.error !== undefined) errors.push({ line: header.line, message: header.error });
  const index = header.error === undefined ? readHeader(header, errors) : null;
  if (index === null) return { found: [], errors };

  const found: ImportedRow[] = [];
  const ctx: RowContext = { index, width: header.fields.length, errors, trackSerial: createSerialTracker() };
  for (const record of rows) {
    if (record.error !== undefined) errors.push({ line: record.line, message: record.error });
    else if (isBlank(record))
      errors.push({ line: record.line, message: 'empty line; only a trailing empty line is allowed' });
    else {
      const token = readRow(record, ctx);
      if (token) found.push({ line: record.line, token });
    }
  }
  if (found.length === 0 && errors.length === 0) {
    errors.push({ line: header.line + 1, message: 'file has a header but no token rows' });
  }
  return { found, errors };
}
