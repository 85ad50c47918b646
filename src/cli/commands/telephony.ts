// `countersign telephony outbox`: the text messages and calls the development outbox provider wrote, and a
// keypress for one of its calls (`--answer ID --press 1`), as if the person had picked up.
import { telephonyOutboxDir } from '../../telephony/create-provider.ts';
import { answerOutboxCall, OutboxAnswerError, readOutbox } from '../../telephony/outbox/outbox-provider.ts';
import { type Command, intOption, UsageError } from '../command.ts';
import { configFor } from '../context.ts';
import { formatTable, print } from '../output.ts';

export const telephonyOutbox: Command = {
  name: 'telephony outbox',
  summary:
    'Show the text messages and calls the outbox provider wrote (development: nothing is sent), or answer a call.',
  usage: 'countersign telephony outbox [--limit N] | --answer ID --press 1|9',
  positionals: 0,
  options: { limit: { type: 'string' }, answer: { type: 'string' }, press: { type: 'string' } },
  async run(invocation) {
    const dir = telephonyOutboxDir(configFor(invocation));
    const { answer, press } = invocation.values;
    if (answer !== undefined || press !== undefined) {
      if (typeof answer !== 'string' || typeof press !== 'string')
        throw new UsageError('--answer and --press go together: the call id and the key pressed');
      try {
        // The running server picks the keypress up within a second and decides the sign-in.
        await answerOutboxCall(dir, answer, press);
      } catch (error) {
        if (error instanceof OutboxAnswerError) throw new UsageError(error.message);
        throw error;
      }
      const result = { id: answer, pressed: press };
      print(invocation.io, invocation.json, result, () => `pressed ${press} on call ${answer}`);
      return result;
    }
    const limit = intOption(invocation.values, 'limit', 1, 10_000) ?? 20;
    // Only files are read: no database, so it works beside a running server and before `init`.
    const entries = (await readOutbox(dir)).slice(-limit);
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
