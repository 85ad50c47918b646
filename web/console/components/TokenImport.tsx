// Hardware token import: a CSV or PSKC file, previewed (dry run) with each row's problem, then imported in chunks
// with a progress bar.
import { type ChangeEvent, useState } from 'react';
import { admin, messageOf } from '../api.ts';
import { ErrorText, Notice, useHeadingFocus } from './common.tsx';

interface RowResult {
  row: number;
  serial: string | null;
  type: string | null;
  ok: boolean;
  error?: string;
}

/** CSV rows sent per request: the server answers each chunk well within a second. */
const CHUNK_ROWS = 500;

/** A piece of a CSV file: the header and up to CHUNK_ROWS lines, and how many file lines precede its first row. */
export interface CsvChunk {
  data: string;
  lineOffset: number;
}

/**
 * A CSV file's chunks: each carries the header line and up to CHUNK_ROWS lines after it. The server numbers a
 * chunk's rows from its header (line 1); `lineOffset` makes them the lines of the whole file.
 */
export function csvChunks(text: string): CsvChunk[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const [header, ...rows] = lines;
  if (header === undefined) return [];
  const chunks: CsvChunk[] = [];
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    chunks.push({ data: [header, ...rows.slice(start, start + CHUNK_ROWS)].join('\n'), lineOffset: start });
  }
  return chunks.length > 0 ? chunks : [{ data: header, lineOffset: 0 }];
}

/** `row` marked bad when an earlier chunk already had its serial (the server's wording); remembers it otherwise. */
function repeatedAcrossChunks(row: RowResult, firstLine: Map<string, number>): RowResult {
  if (row.serial === null) return row;
  const first = firstLine.get(row.serial);
  if (first === undefined) {
    firstLine.set(row.serial, row.row);
    return row;
  }
  if (first === row.row || !row.ok) return row;
  return { ...row, ok: false, error: `duplicate serial "${row.serial}" (first used on line ${first})` };
}

export function TokenImport() {
  const heading = useHeadingFocus();
  const [file, setFile] = useState<{ name: string; text: string; format: 'csv' | 'pskc' } | null>(null);
  const [pskcKey, setPskcKey] = useState('');
  const [rows, setRows] = useState<RowResult[] | null>(null);
  /** The last check found every row good: only then may the file be imported. */
  const [checked, setChecked] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    setRows(null);
    setChecked(false);
    setNotice(null);
    setProgress(null);
    if (!chosen) return setFile(null);
    const text = await chosen.text();
    setFile({
      name: chosen.name,
      text,
      format: /<\?xml|<KeyContainer/i.test(text.slice(0, 500)) ? 'pskc' : 'csv',
    });
  }

  async function run(dryRun: boolean) {
    if (!file) return;
    setError(null);
    setNotice(null);
    // A PSKC file is one document; a CSV file goes in chunks, their rows numbered as in the whole file.
    const chunks = file.format === 'csv' ? csvChunks(file.text) : [{ data: file.text, lineOffset: 0 }];
    const results: RowResult[] = [];
    let imported = 0;
    let failed = false;
    // The server finds a serial repeated within one chunk; the page finds it repeated across chunks.
    const firstLine = new Map<string, number>();
    setChecked(false);
    setProgress({ done: 0, total: chunks.length });
    try {
      for (const [index, chunk] of chunks.entries()) {
        const { response } = await admin<{ rows: RowResult[]; imported: number }>(
          'POST',
          '/v1/countersign/tokens/import',
          {
            format: file.format,
            data: chunk.data,
            dry_run: dryRun ? 'true' : 'false',
            line_offset: chunk.lineOffset,
            ...(file.format === 'pskc' && pskcKey !== '' && { pskc_key: pskcKey }),
          },
        );
        results.push(...response.rows.map((row) => repeatedAcrossChunks(row, firstLine)));
        imported += response.imported;
        setProgress({ done: index + 1, total: chunks.length });
      }
    } catch (caught) {
      failed = true;
      setError(messageOf(caught));
    }
    setRows(results);
    const bad = results.filter((row) => !row.ok).length;
    if (dryRun) {
      setChecked(!failed && bad === 0 && results.length > 0);
      setNotice(
        bad > 0
          ? `Checked ${results.length} row(s): ${bad} have a problem. Fix them in the file and choose it again; nothing was imported.`
          : `Checked ${results.length} row(s): all can be imported.`,
      );
    } else {
      setNotice(`Imported ${imported} token(s).${bad > 0 ? ` ${bad} row(s) were not imported.` : ''}`);
    }
  }

  const bad = rows?.filter((row) => !row.ok) ?? [];
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        Token import
      </h1>
      <section className="card" aria-labelledby="import-heading">
        <h2 id="import-heading">Import hardware tokens</h2>
        <p className="hint">
          A CSV file (serial, secret, …: see the guide) or a PSKC file from the vendor. Check it first:
          nothing is saved until every row is good and you import it.
        </p>
        <div className="field">
          <label htmlFor="token-file">File</label>
          <input
            id="token-file"
            type="file"
            accept=".csv,.xml,.pskc,text/csv,application/xml"
            onChange={choose}
          />
        </div>
        {file?.format === 'pskc' && (
          <div className="field">
            <label htmlFor="pskc-key">PSKC key (hex), if the file is encrypted</label>
            <input
              id="pskc-key"
              value={pskcKey}
              onChange={(event) => setPskcKey(event.target.value)}
              autoComplete="off"
            />
          </div>
        )}
        <div className="actions">
          <button type="button" className="secondary" disabled={!file} onClick={() => run(true)}>
            Check the file
          </button>
          <button type="button" className="primary" disabled={!file || !checked} onClick={() => run(false)}>
            Import
          </button>
        </div>
        {progress && (
          <div className="field">
            <label htmlFor="import-progress">
              Progress: {progress.done} of {progress.total} part(s)
            </label>
            <progress id="import-progress" max={progress.total} value={progress.done} />
          </div>
        )}
        <ErrorText message={error} />
        <Notice message={notice} />
        {bad.length > 0 && (
          <table className="data">
            <caption>Rows with a problem</caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">Serial</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {bad.map((row) => (
                <tr key={row.row}>
                  <td>{row.row}</td>
                  <td>{row.serial ?? '—'}</td>
                  <td>{row.error}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
