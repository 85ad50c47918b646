// Checks that an ImportResult honours the ImportedToken contract; used by tests and as a defensive guard.
import type { ImportResult } from './imported-token.ts';

/** Lists every way `result` breaks the contract (empty when it is sound). */
export function importResultProblems(result: ImportResult): string[] {
  const problems: string[] = [];
  if (!result.ok) {
    if (result.errors.length === 0) problems.push('ok:false without errors');
    for (const e of result.errors) {
      if (!Number.isInteger(e.line) || e.line < 1) problems.push(`error line ${e.line} is not 1-based`);
      if (typeof e.message !== 'string' || e.message === '') problems.push('error without a message');
    }
    return problems;
  }
  const serials = new Set<string>();
  for (const t of result.tokens) {
    const where = `token ${JSON.stringify(t.serial)}`;
    const length = [...t.serial].length;
    if (length < 1 || length > 64) problems.push(`${where}: serial length ${length}`);
    if (serials.has(t.serial)) problems.push(`${where}: duplicate serial`);
    serials.add(t.serial);
    if (t.secret.length < 10 || t.secret.length > 64)
      problems.push(`${where}: secret is ${t.secret.length} bytes`);
    if (t.digits !== 6 && t.digits !== 8) problems.push(`${where}: digits ${t.digits}`);
    if (!['sha1', 'sha256', 'sha512'].includes(t.algorithm))
      problems.push(`${where}: algorithm ${t.algorithm}`);
    if (t.kind === 'hotp' && (t.period !== 0 || t.counter < 0n))
      problems.push(`${where}: bad hotp counter/period`);
    if (t.kind === 'totp' && (t.counter !== 0n || !(t.period >= 1 && t.period <= 300))) {
      problems.push(`${where}: bad totp counter/period`);
    }
    if (t.kind !== 'hotp' && t.kind !== 'totp') problems.push(`${where}: kind ${t.kind}`);
  }
  return problems;
}
