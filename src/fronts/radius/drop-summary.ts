// Dropped datagrams: each one counted (a Prometheus counter by client and reason), logged as a summary at most
// once a minute per client and reason, so a flood of garbage cannot flood the log.
import type { Clock } from '../../core/clock.ts';
import type { RadiusLogger, RadiusSource } from './pipeline.ts';

/** Why a datagram got no answer; a fixed list, so metric labels stay bounded. */
export const DROP_REASONS = [
  'unknown_client',
  'malformed',
  'unsupported_code',
  'bad_message_authenticator',
  'missing_message_authenticator',
  'duplicate_in_flight',
  'reply_too_large',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/**
 * The `client` label of datagrams from unknown sources: one value for all of them (source addresses can be
 * spoofed at will, so they must never become labels). Client names cannot contain parentheses.
 */
export const UNKNOWN_CLIENT = '(unknown)';

/** How loudly each reason is logged: traffic from strangers and retransmissions are routine, the rest is not. */
const LEVELS: Record<DropReason, keyof RadiusLogger> = {
  unknown_client: 'debug',
  malformed: 'warn',
  unsupported_code: 'warn',
  bad_message_authenticator: 'warn',
  missing_message_authenticator: 'warn',
  duplicate_in_flight: 'debug',
  reply_too_large: 'error',
};

/** Where drops are counted: prom-client's Counter<'client' | 'reason'> fits. */
export interface DropCounter {
  inc(labels: { client: string; reason: DropReason }, value?: number): void;
}

export interface DropRecorder {
  /** Counts one drop; `client` is the configured client's name, or null for an unknown source. */
  record(client: string | null, reason: DropReason, source: RadiusSource, detail: string): void;
  /** Logs every summary whose minute is over (the periodic check calls it). */
  flush(): void;
  /** Stops the periodic check and logs whatever is still pending. */
  stop(): void;
}

export interface DropRecorderOptions {
  clock: Clock;
  logger: RadiusLogger;
  counter?: DropCounter;
  /** At most one summary per client and reason in this long (default one minute). */
  intervalMs?: number;
}

interface Pending {
  client: string;
  reason: DropReason;
  /** Drops since the last summary. */
  count: number;
  /** When the last summary was logged (by the injected clock). */
  loggedAt: number;
  last: { source: RadiusSource; detail: string };
}

/** Creates a recorder; its periodic check is unref'd, so it never keeps the process alive. */
export function createDropRecorder(options: DropRecorderOptions): DropRecorder {
  const { clock, logger, counter } = options;
  const interval = options.intervalMs ?? 60_000;
  // Keys are (configured client or UNKNOWN_CLIENT) × a fixed reason: bounded whatever the traffic.
  const pending = new Map<string, Pending>();

  const summarise = (entry: Pending, now: number) => {
    const details = {
      client: entry.client,
      reason: entry.reason,
      dropped: entry.count,
      since: new Date(entry.loggedAt).toISOString(),
      source: entry.last.source,
      detail: entry.last.detail,
    };
    logger[LEVELS[entry.reason]](details, 'RADIUS datagrams dropped');
    entry.count = 0;
    entry.loggedAt = now;
  };

  const check = (force: boolean) => {
    const now = clock.now();
    for (const [key, entry] of pending) {
      const due = now - entry.loggedAt >= interval;
      if (entry.count > 0 && (due || force)) summarise(entry, now);
      // Quiet for a whole interval: forget it, the next drop is told at once again.
      else if (entry.count === 0 && due) pending.delete(key);
    }
  };

  const timer = setInterval(() => check(false), Math.max(1000, interval / 4));
  timer.unref();

  return {
    record(client, reason, source, detail) {
      const name = client ?? UNKNOWN_CLIENT;
      counter?.inc({ client: name, reason });
      const now = clock.now();
      const key = `${name}\u0000${reason}`;
      const entry = pending.get(key);
      if (!entry) {
        // The first drop in a while is told at once, so an operator sees a new problem without delay.
        const first: Pending = { client: name, reason, count: 1, loggedAt: now, last: { source, detail } };
        pending.set(key, first);
        summarise(first, now);
        return;
      }
      entry.count++;
      entry.last = { source, detail };
      if (now - entry.loggedAt >= interval) summarise(entry, now);
    },
    flush: () => check(false),
    stop() {
      clearInterval(timer);
      check(true);
    },
  };
}
