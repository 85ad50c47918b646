// One look for every long poll a process holds: the bus can miss a change (a PostgreSQL LISTEN reconnecting,
// another SQLite worker's process), so waiters are checked every SWEEP_MS, all in one query of versions instead of
// one read each (10,000 pending pushes made 5,000 reads a second, a third of a core: bench/README.md).
import type { Clock } from '../clock.ts';
import type { Repositories } from '../repositories.ts';

/** How often a waiter is checked without a bus message. Real time, as a timer must be. */
export const SWEEP_MS = 2_000;

/** Transactions per versions query: bounds a statement's parameters on both databases. */
const CHUNK = 500;

/** A waiting long poll as the sweep sees it; the watcher keeps `seenVersion` and `wakeAt` current. */
export interface Waiter {
  txid: string;
  /** The newest version the waiter has looked at. */
  seenVersion: number;
  /** When (its clock's milliseconds) the waiter must look again whatever the version: its deadline or expiry. */
  wakeAt: number;
  clock: Clock;
  wake(): void;
}

type Versions = Pick<Repositories['transactions'], 'versions'>;

interface Sweep {
  waiters: Set<Waiter>;
  timer: NodeJS.Timeout | null;
  /** A look is reading versions: it schedules the next one itself when it ends. */
  looking: boolean;
}

const sweeps = new WeakMap<Versions, Sweep>();

/** Checks `waiter` with every other of `transactions` every SWEEP_MS until the returned function is called. */
export function sweepWaiter(transactions: Versions, waiter: Waiter): () => void {
  let sweep = sweeps.get(transactions);
  if (!sweep) {
    sweep = { waiters: new Set(), timer: null, looking: false };
    sweeps.set(transactions, sweep);
  }
  const own = sweep;
  own.waiters.add(waiter);
  if (own.timer === null && !own.looking) schedule(transactions, own);
  return () => {
    own.waiters.delete(waiter);
    if (own.waiters.size === 0 && own.timer !== null) {
      clearTimeout(own.timer);
      own.timer = null;
    }
  };
}

function schedule(transactions: Versions, sweep: Sweep): void {
  sweep.timer = setTimeout(() => void look(transactions, sweep), SWEEP_MS);
  // The waiters' own timers and sockets keep the process alive; the sweep never should.
  sweep.timer.unref?.();
}

async function look(transactions: Versions, sweep: Sweep): Promise<void> {
  sweep.timer = null;
  sweep.looking = true;
  const waiters = [...sweep.waiters];
  const ids = [...new Set(waiters.map((waiter) => waiter.txid))];
  let versions: Map<string, number> | null = new Map();
  try {
    for (let start = 0; start < ids.length; start += CHUNK) {
      for (const [id, version] of await transactions.versions(ids.slice(start, start + CHUNK))) {
        versions.set(id, version);
      }
    }
  } catch {
    // The store is down: every waiter looks for itself and meets the error the way a read meets it.
    versions = null;
  }
  for (const waiter of waiters) {
    if (!sweep.waiters.has(waiter)) continue;
    const version = versions?.get(waiter.txid);
    // A transaction gone (purged) is looked at too: its waiter then reports it not found.
    if (version === undefined || version > waiter.seenVersion || waiter.clock.now() >= waiter.wakeAt) {
      waiter.wake();
    }
  }
  sweep.looking = false;
  if (sweep.waiters.size > 0 && sweep.timer === null) schedule(transactions, sweep);
}
