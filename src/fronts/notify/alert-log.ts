// Alerts for the console (table `alerts`): one row per alert, the newest kept, the oldest pruned past a bound.
import type { Alert } from '../../core/model.ts';
import type { Store } from '../../core/repositories.ts';

export type { Alert } from '../../core/model.ts';

/** How many alerts are kept. */
export const ALERTS_KEPT = 500;

export interface AlertLog {
  /** Stores `alert`, keeping the newest `ALERTS_KEPT` (atomic per alert: no write of any node is lost). */
  record(alert: Alert): Promise<void>;
  /** The stored alerts, oldest first. */
  list(): Promise<Alert[]>;
}

/** An alert log on `store`, keeping the newest `kept` alerts. */
export function alertLog(store: Pick<Store, 'alerts'>, kept = ALERTS_KEPT): AlertLog {
  return {
    record: (alert) => store.alerts.append(alert, kept),
    list: () => store.alerts.list(kept),
  };
}
