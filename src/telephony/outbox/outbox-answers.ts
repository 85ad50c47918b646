// Feeds keypresses left in the development outbox (`countersign telephony answer`) to their sign-in calls.
import type { TelephonyEvent } from '../provider.ts';

/** How often the outbox is looked at for keypresses. */
export const OUTBOX_POLL_MS = 1_000;

/** Something that hands out keypresses once each: the outbox provider. */
export interface AnswerSource {
  takeAnswers(): Promise<TelephonyEvent[]>;
}

/** True when `provider` is the outbox provider (it alone leaves keypresses in files). */
export function isAnswerSource(provider: unknown): provider is AnswerSource {
  return typeof (provider as Partial<AnswerSource> | null)?.takeAnswers === 'function';
}

/**
 * Looks for keypresses every `intervalMs` and hands each to `onEvent`; a failing look is reported to `onError`
 * and the next one goes on. `stop()` ends it after the look in progress.
 */
export function watchOutboxAnswers(
  source: AnswerSource,
  onEvent: (event: TelephonyEvent) => Promise<unknown>,
  onError: (error: unknown) => void,
  intervalMs = OUTBOX_POLL_MS,
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const look = async () => {
    for (const event of await source.takeAnswers()) await onEvent(event).catch(onError);
  };
  const timer = setInterval(() => {
    running = running.then(look).catch(onError);
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
