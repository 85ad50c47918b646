// Reads the command lines out of a Markdown document's ```sh blocks, as a shell would see them.

export interface DocCommand {
  /** The document, relative to the repository root. */
  document: string;
  /** The line of the document where the command starts (1-based). */
  line: number;
  /** The command as written, continuation lines included, without its trailing comment. */
  source: string;
  /** The same on one line with runs of spaces made one: how the tables in the test name it. */
  key: string;
}

/** Where a shell comment starts in `line` (a `#` at the start of a word, outside quotes), or -1. */
export function commentStart(line: string): number {
  let quote: string | null = null;
  let wordStart = true;
  for (let index = 0; index < line.length; index++) {
    const char = line[index]!;
    if (quote) {
      if (char === quote) quote = null;
      else if (char === '\\' && quote === '"') index++;
    } else if (char === '#' && wordStart) return index;
    else if (char === "'" || char === '"') quote = char;
    else if (char === '\\') index++; // the escaped character belongs to the word, even a space
    wordStart = quote === null && /\s/.test(char);
  }
  return -1;
}

function withoutComment(line: string): string {
  const start = commentStart(line);
  return (start === -1 ? line : line.slice(0, start)).trimEnd();
}

/** Every command line of every ```sh block; a line ending in `\` continues on the next, as in the shell. */
export function shellCommands(document: string, markdown: string): DocCommand[] {
  const commands: DocCommand[] = [];
  const lines = markdown.split('\n');
  let inBlock = false;
  let pending: { line: number; parts: string[] } | null = null;
  for (const [index, raw] of lines.entries()) {
    if (/^```/.test(raw)) {
      if (pending) throw new Error(`${document}:${pending.line}: a continued line runs into the block's end`);
      inBlock = !inBlock && /^```sh\s*$/.test(raw);
      continue;
    }
    if (!inBlock) continue;
    const text = withoutComment(raw);
    const continues = text.endsWith('\\');
    if (!pending) {
      if (text.trim() === '') continue;
      pending = { line: index + 1, parts: [] };
    }
    pending.parts.push(continues ? text.slice(0, -1) : text);
    if (continues) continue;
    const source = pending.parts.join('\\\n');
    const key = pending.parts.join(' ').trim().replace(/\s+/g, ' ');
    commands.push({ document, line: pending.line, source: source.trim(), key });
    pending = null;
  }
  return commands;
}
