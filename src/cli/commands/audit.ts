// `countersign audit tail`: the newest audit entries, optionally following new ones.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditEntry } from '../../core/model.ts';
import { type Command, intOption, UsageError } from '../command.ts';
import { withCountersign } from '../context.ts';

const KINDS = ['auth', 'admin', 'enrollment', 'fraud'];

function line(entry: AuditEntry): string {
  const when = new Date(entry.at).toISOString();
  const who = entry.username ?? entry.userId ?? '-';
  const parts = [when, entry.kind.padEnd(10), entry.action.padEnd(18), who.padEnd(16)];
  if (entry.result) parts.push(`${entry.result}${entry.reason ? ` (${entry.reason})` : ''}`);
  if (entry.factor) parts.push(`factor=${entry.factor}`);
  if (entry.ip) parts.push(`ip=${entry.ip}`);
  if (entry.actor) parts.push(`by=${entry.actor}`);
  return parts.join(' ');
}

export const auditTail: Command = {
  name: 'audit tail',
  summary: 'Show the newest audit entries (authentications and administrative actions).',
  usage: 'countersign audit tail [--limit N] [--kind auth|admin|enrollment|fraud] [--follow]',
  positionals: 0,
  options: { limit: { type: 'string' }, kind: { type: 'string' }, follow: { type: 'boolean' } },
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const limit = intOption(invocation.values, 'limit', 1, 10_000) ?? 20;
      const kind = invocation.values.kind as AuditEntry['kind'] | undefined;
      if (kind !== undefined && !KINDS.includes(kind))
        throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
      const emit = (entries: AuditEntry[]) => {
        for (const entry of entries)
          invocation.io.stdout(`${invocation.json ? JSON.stringify(entry) : line(entry)}\n`);
      };
      let entries = await deps.store.audit.tail({ limit, ...(kind && { kind }) });
      if (invocation.json && !invocation.values.follow) {
        invocation.io.stdout(`${JSON.stringify(entries, null, 2)}\n`);
        return entries;
      }
      emit(entries);
      let lastId = entries.at(-1)?.id ?? 0;
      while (invocation.values.follow) {
        await sleep(1000);
        entries = await deps.store.audit.tail({ limit: 1000, afterId: lastId, ...(kind && { kind }) });
        emit(entries);
        lastId = entries.at(-1)?.id ?? lastId;
      }
      return entries;
    }),
};
