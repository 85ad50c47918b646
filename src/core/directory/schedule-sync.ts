// Runs directory sync for every configured directory on an interval, one directory at a time.
import type { CoreDeps } from '../deps.ts';
import { repeatEvery, type Timers } from '../repeat.ts';
import { listDirectories } from './directory-settings.ts';
import { type SyncReport, syncDirectory } from './sync-directory.ts';

/** The part of a pino / Fastify logger the scheduler writes to. */
export interface SyncLog {
  info(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

/** Timer functions, replaceable in tests. */
export type SyncTimers = Timers;

export interface ScheduleOptions {
  /** Minutes between runs; 0 never runs. */
  intervalMinutes: number;
  log: SyncLog;
  timers?: SyncTimers;
  /** The sync of one directory (replaceable in tests). */
  sync?: (name: string) => Promise<SyncReport>;
}

/** Who the audit log names for scheduled syncs. */
export const SCHEDULED_SYNC_ACTOR = 'system:directory-sync';

/**
 * Syncs every directory each `intervalMinutes`, first after one interval. The next round is timed from the
 * end of the previous one, so rounds never overlap; errors are logged and the schedule carries on.
 * `stop()` cancels the next round and resolves once a round in progress has finished.
 */
export function scheduleDirectorySync(
  deps: Pick<CoreDeps, 'store' | 'ring' | 'clock' | 'random'>,
  options: ScheduleOptions,
): { stop(): Promise<void> } {
  const { intervalMinutes, log } = options;
  if (!(intervalMinutes > 0)) return { stop: async () => {} };
  const sync = options.sync ?? ((name: string) => syncDirectory(deps, SCHEDULED_SYNC_ACTOR, name));
  let stopped = false;

  const round = async () => {
    let names: string[] = [];
    try {
      names = (await listDirectories(deps)).map((d) => d.name);
    } catch (error) {
      log.error({ err: error }, 'directory sync: could not list directories');
    }
    for (const name of names) {
      if (stopped) return;
      try {
        const r = await sync(name);
        const counts = {
          added: r.added.length,
          updated: r.updated.length,
          disabled: r.disabled.length,
          reenabled: r.reenabled.length,
          unchanged: r.unchanged,
          conflicts: r.conflicts.length,
          skipped: r.skipped.length,
        };
        log.info({ directory: name, ...counts }, 'directory sync finished');
      } catch (error) {
        log.error({ directory: name, err: error }, 'directory sync failed');
      }
    }
  };
  const schedule = repeatEvery(intervalMinutes * 60_000, round, options.timers);
  return {
    async stop() {
      stopped = true;
      await schedule.stop();
    },
  };
}
