// `countersign token …`: import hardware tokens (CSV or PSKC), assign one to a user.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { requireUser } from '../../core/admin/create-user.ts';
import { assignToken, importTokens } from '../../core/admin/import-tokens.ts';
import { parseTokenCsv } from '../../methods/token-import/csv.ts';
import type { ImportResult } from '../../methods/token-import/imported-token.ts';
import { type Command, UsageError } from '../command.ts';
import { cliActor, withCountersign } from '../context.ts';
import { print } from '../output.ts';

async function parseFile(text: string, format: string, keyHex: string | undefined): Promise<ImportResult> {
  if (format === 'csv') return parseTokenCsv(text);
  if (keyHex !== undefined && !/^([0-9a-fA-F]{2})+$/.test(keyHex)) throw new UsageError('--key must be hex');
  // The XML parser loads for a PSKC import only, not with every command (`serve` included; issue 14).
  const { parseTokenPskc } = await import('../../methods/token-import/pskc.ts');
  return parseTokenPskc(text, keyHex ? { preSharedKey: Buffer.from(keyHex, 'hex') } : {});
}

export const tokenImport: Command = {
  name: 'token import',
  summary: 'Import hardware tokens from CSV or PSKC (RFC 6030); a file with any bad row imports nothing.',
  usage: 'countersign token import <file> [--format csv|pskc] [--key HEX (PSKC pre-shared key)]',
  positionals: 1,
  options: { format: { type: 'string' }, key: { type: 'string' } },
  async run(invocation) {
    const path = invocation.positionals[0]!;
    const format =
      (invocation.values.format as string | undefined) ??
      (extname(path).toLowerCase() === '.csv'
        ? 'csv'
        : extname(path).toLowerCase() === '.xml' || extname(path).toLowerCase() === '.pskc'
          ? 'pskc'
          : '');
    if (format !== 'csv' && format !== 'pskc')
      throw new UsageError('say --format csv or --format pskc (the file name does not tell)');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new UsageError(`cannot read '${path}'`);
    }
    const parsed = await parseFile(text, format, invocation.values.key as string | undefined);
    if (!parsed.ok) {
      const lines = parsed.errors.map(
        (error) => `  line ${error.line}${error.field ? ` (${error.field})` : ''}: ${error.message}`,
      );
      throw new UsageError(
        `nothing imported; ${parsed.errors.length} problem(s) in ${path}:\n${lines.join('\n')}`,
      );
    }
    return withCountersign(invocation, async ({ deps }) => {
      const tokens = await importTokens(deps, cliActor(invocation), parsed.tokens);
      const result = { imported: tokens.length, serials: tokens.map((token) => token.serial) };
      print(invocation.io, invocation.json, result, () => `Imported ${tokens.length} token(s).`);
      return result;
    });
  },
};

export const tokenAssign: Command = {
  name: 'token assign',
  summary: 'Assign an imported hardware token to a user.',
  usage: 'countersign token assign <serial> <user>',
  positionals: 2,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const [serial, name] = invocation.positionals as [string, string];
      const user = await requireUser(deps, name);
      const token = await assignToken(deps, cliActor(invocation), serial, user);
      const result = { serial, user: user.username, id: token.id };
      print(invocation.io, invocation.json, result, () => `Token ${serial} assigned to ${user.username}.`);
      return result;
    }),
};

export const tokenCommands = [tokenImport, tokenAssign];
