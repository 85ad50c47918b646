// Splits CSV text into records per RFC 4180 (quoted fields, doubled quotes, CRLF or LF line breaks).

/** One CSV record: its fields and the 1-based line it starts on; `error` when it could not be read. */
export interface CsvRecord {
  line: number;
  fields: string[];
  error?: string;
}

/**
 * Splits `text` into records. Never throws: a malformed record carries an `error` and reading resumes
 * on the next line. A final line break does not start an extra record.
 */
export function splitCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  const atLineEnd = (k: number) => k >= n || text[k] === '\n' || text[k] === '\r';
  // Advances past one line break (CRLF, LF or a lone CR) and counts it.
  const skipBreak = () => {
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else i += 1;
    line += 1;
  };

  while (i < n) {
    const record: CsvRecord = { line, fields: [] };
    records.push(record);
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        // RFC 4180 §2.5–2.7: quoted field; `""` is a literal quote; line breaks may appear inside.
        const startLine = line;
        i += 1;
        let closed = false;
        while (i < n) {
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i += 1;
            closed = true;
            break;
          }
          if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line += 1;
          field += ch;
          i += 1;
        }
        if (!closed) {
          record.error = `quoted field starting on line ${startLine} is never closed`;
          return records;
        }
        if (!atLineEnd(i) && text[i] !== ',') {
          record.error = 'unexpected character after a closing quote; quote the whole field';
        }
      } else {
        while (!atLineEnd(i) && text[i] !== ',') {
          if (text[i] === '"')
            record.error ??= 'a quote inside an unquoted field; quote the field and double its quotes';
          field += text[i];
          i += 1;
        }
      }
      if (record.error !== undefined) {
        while (!atLineEnd(i)) i += 1;
      }
      record.fields.push(field);
      if (i < n && text[i] === ',') {
        i += 1;
        continue;
      }
      break;
    }
    if (i < n) skipBreak();
  }
  return records;
}
