// `countersign bypass issue <user>`: help-desk bypass codes with a count, uses and a lifetime.
import { requireUser } from '../../core/admin/create-user.ts';
import { issueBypassCodes, MAX_ACTIVE_BYPASS_CODES } from '../../core/admin/issue-bypass-codes.ts';
import { type Command, intOption, UsageError } from '../command.ts';
import { cliActor, withCountersign } from '../context.ts';
import { print } from '../output.ts';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Parses a lifetime: `90`, `30m`, `1h`, `7d` (seconds, minutes, hours, days) or `never`. */
export function parseLifetime(text: string): number | null {
  if (text === 'never') return null;
  const match = /^([0-9]{1,7})([smhd]?)$/.exec(text);
  if (!match || Number(match[1]) === 0)
    throw new UsageError(`--expires '${text}' must look like 3600, 30m, 1h, 7d or never`);
  return Number(match[1]) * UNITS[match[2] || 's']!;
}

export const bypassIssue: Command = {
  name: 'bypass issue',
  summary: 'Issue bypass codes (default: 1 code, 1 use, valid 1 hour).',
  usage:
    'countersign bypass issue <user> [--count N] [--uses N|unlimited] [--expires 1h|30m|7d|SECONDS|never]',
  positionals: 1,
  options: { count: { type: 'string' }, uses: { type: 'string' }, expires: { type: 'string' } },
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const { values } = invocation;
      const count = intOption(values, 'count', 1, MAX_ACTIVE_BYPASS_CODES) ?? 1;
      const uses = values.uses === 'unlimited' ? null : (intOption(values, 'uses', 1, 1000) ?? 1);
      const lifetime = typeof values.expires === 'string' ? parseLifetime(values.expires) : 3600;
      if (uses === null && lifetime === null) throw new UsageError('a code with unlimited uses must expire');
      const user = await requireUser(deps, invocation.positionals[0]!);
      const { codes, expiresAt } = await issueBypassCodes(deps, cliActor(invocation), user, {
        count,
        uses,
        expiresInSeconds: lifetime,
      });
      const result = {
        user: user.username,
        codes,
        uses,
        expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      };
      print(invocation.io, invocation.json, result, () =>
        [
          `Bypass code${codes.length > 1 ? 's' : ''} for ${user.username}:`,
          ...codes.map((code) => `  ${code}`),
          `Each works ${uses === null ? 'any number of times' : `${uses} time${uses > 1 ? 's' : ''}`}, ${result.expiresAt ? `until ${result.expiresAt}` : 'with no expiry'}.`,
        ].join('\n'),
      );
      return result;
    }),
};
