// Once-a-minute housekeeping for a serving node: summarise refused logins, forget what no rule needs any more.
import type { CoreDeps } from './deps.ts';
import { summarisePendingRefusals } from './limits/start-limits.ts';
import { repeatEvery, type Timers } from './repeat.ts';

/** Finished transactions are kept this long: every push rule looks back 20 minutes at most, auth_status less. */
export const TRANSACTION_RETENTION_MS = 24 * 60 * 60_000;

const INTERVAL_MS = 60_000;

/** The part of a pino / Fastify logger maintenance writes to. */
export interface MaintenanceLog {
  error(details: Record<string, unknown>, message: string): void;
}

/**
 * One round: refusal summaries written to the audit log, old transactions and idle rate-limit rows deleted, and
 * the OpenID provider's expired artifacts (sessions, codes, tokens, interactions) and expired texted codes deleted.
 */
export async function runMaintenance(deps: Pick<CoreDeps, 'store' | 'clock'>): Promise<void> {
  await summarisePendingRefusals(deps);
  await deps.store.transactions.purge(deps.clock.now() - TRANSACTION_RETENTION_MS);
  await deps.store.oidcArtifacts.purge(deps.clock.now());
  await deps.store.smsPasscodes.purge(deps.clock.now());
}

/**
 * Runs maintenance every minute on this node (several nodes may all run it: every step is idempotent and
 * each summary is written once, under compare-and-set). Errors are logged and the schedule carries on.
 */
export function scheduleMaintenance(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  options: { log: MaintenanceLog; timers?: Timers },
): { stop(): Promise<void> } {
  return repeatEvery(
    INTERVAL_MS,
    () => runMaintenance(deps).catch((error) => options.log.error({ err: error }, 'maintenance failed')),
    options.timers,
  );
}
