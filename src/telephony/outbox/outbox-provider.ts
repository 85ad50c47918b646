// A development provider: each SMS and call becomes a JSON file in <data_dir>/telephony-outbox, nothing is sent.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.ts';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../../private-files.ts';
import { callPrompt, keypressOutcome } from '../call-script.ts';
import type { TelephonyEvent, TelephonyProvider } from '../provider.ts';

/** One message or call as written to the outbox. */
export interface OutboxEntry {
  id: string;
  at: number;
  type: 'sms' | 'phone';
  to: string;
  /** The SMS text, or what the call says. */
  text: string;
}

/** A keypress left for a call with `countersign telephony outbox --answer ID --press DIGIT`. */
interface OutboxAnswer {
  id: string;
  digit: string;
}

const ANSWER_SUFFIX = '.answer.json';

/** Writes `value` as `name` in `dir`, whole or not at all, readable by the owner only. */
async function writeWhole(dir: string, name: string, value: unknown): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const partial = join(dir, `.${name}.tmp`);
  await writeFile(partial, `${JSON.stringify(value, null, 2)}\n`, {
    encoding: 'utf8',
    mode: PRIVATE_FILE_MODE,
  });
  await rename(partial, join(dir, name));
}

/** The outbox provider writing into `dir`; it can call too (answers come from `takeAnswers`). */
export function outboxProvider(
  dir: string,
  deps: { clock: Clock },
): TelephonyProvider & {
  /** The keypresses left since the last look, as events; each is returned once. */
  takeAnswers(): Promise<TelephonyEvent[]>;
} {
  const write = async (entry: OutboxEntry) => {
    // The time first, so the names sort oldest first; the id keeps two in one millisecond apart.
    const name = `${new Date(entry.at).toISOString().replace(/[:.]/g, '-')}-${entry.id}.json`;
    await writeWhole(dir, name, entry);
    return { providerRef: null };
  };
  return {
    name: 'outbox',
    canCall: true,
    sendSms: (message) =>
      write({ id: message.id, at: deps.clock.now(), type: 'sms', to: message.to, text: message.text }),
    placeCall: (call) =>
      write({ id: call.id, at: deps.clock.now(), type: 'phone', to: call.to, text: callPrompt(call.script) }),
    async takeAnswers() {
      let names: string[];
      try {
        names = (await readdir(dir)).filter((name) => name.endsWith(ANSWER_SUFFIX)).sort();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      const events: TelephonyEvent[] = [];
      for (const name of names) {
        const path = join(dir, name);
        const answer = JSON.parse(await readFile(path, 'utf8')) as OutboxAnswer;
        // Removed before it is returned: a second look never reports the same keypress again.
        await rm(path, { force: true });
        events.push({
          type: 'keypress',
          callId: answer.id,
          providerRef: null,
          digit: answer.digit,
          outcome: keypressOutcome(answer.digit),
        });
      }
      return events;
    },
  };
}

/** Thrown for an outbox call that cannot be answered (unknown id, not a call, not a digit). */
export class OutboxAnswerError extends Error {
  override name = 'OutboxAnswerError';
}

/** The entries in `dir`, oldest first (none when it does not exist yet); files that are not entries are skipped. */
export async function readOutbox(dir: string): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: OutboxEntry[] = [];
  for (const name of names.filter((n) => n.endsWith('.json') && !n.endsWith(ANSWER_SUFFIX)).sort()) {
    try {
      const entry = JSON.parse(await readFile(join(dir, name), 'utf8')) as OutboxEntry;
      if (typeof entry.id === 'string' && (entry.type === 'sms' || entry.type === 'phone'))
        entries.push(entry);
    } catch {
      // Not one of ours (or half-edited by hand): the listing shows the rest.
    }
  }
  return entries;
}

/** Leaves the keypress `digit` for the outbox call `id`, as if the person had pressed it. */
export async function answerOutboxCall(dir: string, id: string, digit: string): Promise<void> {
  // Log ids and sign-in call ids (a login's UUID): letters, digits and dashes, so no path can be formed.
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new OutboxAnswerError(`'${id}' is not an outbox id`);
  if (!/^[0-9*#]$/.test(digit))
    throw new OutboxAnswerError(`the keypress must be one of 0-9, * or #, got '${digit}'`);
  const call = (await readOutbox(dir)).find((entry) => entry.id === id);
  if (!call) throw new OutboxAnswerError(`no call ${id} in the outbox ${dir}`);
  if (call.type !== 'phone') throw new OutboxAnswerError(`${id} is a text message, not a call`);
  await writeWhole(dir, `${id}${ANSWER_SUFFIX}`, { id, digit } satisfies OutboxAnswer);
}
