// `countersign telephony outbox`: the text messages and calls the development outbox provider wrote.
import { telephonyOutboxDir } from '../../telephony/create-provider.ts';
import { readOutbox } from '../../telephony/outbox/outbox-provider.ts';
import { type Command, intOption } from '../command.ts';
import { configFor } from '../context.ts';
import { formatTable, print } from '../output.ts';

export const telephonyOutbox: Command = {
  name: 'telephony outbox',
  summary: 'Show the text messages and calls the outbox provider wrote (development: nothing is sent).',
  usage: 'countersign telephony outbox [--limit N]',
  positionals: 0,
  options: { limit: { type: 'string' } },
  async run(invocation) {
    const limit = intOption(invocation.values, 'limit', 1, 10_000) ?? 20;
    // Only files are read: no database, so it works beside a running server and before `init`.
    const entries = (await readOutbox(telephonyOutboxDir(configFor(invocation)))).slice(-limit);
    const rows = entries.map((entry) => ({
      time: new Date(entry.at).toISOString(),
      type: entry.type,
      to: entry.to,
      id: entry.id,
      text: entry.text.replace(/\s*\n\s*/g, ' / '),
    }));
    print(invocation.io, invocation.json, invocation.json ? entries : rows, () =>
      formatTable(rows, ['time', 'type', 'to', 'id', 'text']),
    );
    return entries;
  },
};
