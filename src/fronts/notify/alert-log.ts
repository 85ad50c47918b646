// Alerts for the console (settings key `alerts`): newest kept, oldest dropped past a bound.
import type { Store } from '../../core/repositories.ts';

/** The settings key holding the alert list (oldest first). */
export const ALERTS_SETTING = 'alerts';
/** How many alerts are kept. */
export const ALERTS_KEPT = 500;

/** One alert as the console lists it. */
export interface Alert {
  at: number;
  kind: 'fraud';
  userId: string;
  username: string;
  application: string | null;
  txid: string;
  ip: string | null;
}

export interface AlertLog {
  /** Appends `alert`, keeping the newest `ALERTS_KEPT`. */
  record(alert: Alert): Promise<void>;
  /** The stored alerts, oldest first. */
  list(): Promise<Alert[]>;
}

/** Reads the stored alerts; anything that is not a list reads as none. */
export async function readAlerts(store: Pick<Store, 'settings'>): Promise<Alert[]> {
  const stored = await store.settings.get<unknown>(ALERTS_SETTING);
  return Array.isArray(stored) ? (stored as Alert[]) : [];
}

/** An alert log on `store`; writes from this process are queued so none overwrites another. */
export function alertLog(store: Pick<Store, 'atomically' | 'settings'>, kept = ALERTS_KEPT): AlertLog {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    record(alert) {
      const write = queue.then(() =>
        store.atomically(async (repos) => {
          const next = [...(await readAlerts(repos)), alert].slice(-kept);
          await repos.settings.set(ALERTS_SETTING, next);
        }),
      );
      queue = write.catch(() => {});
      return write;
    },
    list: () => readAlerts(store),
  };
}
