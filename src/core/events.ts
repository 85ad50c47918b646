// The event bus lets any node carry on any step: a change made on one node wakes waiters on every node.
import type { AuthTransaction } from './model.ts';

/** A message on the bus: which transaction (or other topic) changed, and its new version. */
export interface BusMessage {
  topic: string;
  version?: number;
  payload?: Record<string, unknown>;
  /**
   * The transaction as this node committed it, for subscribers in this process only: a waiter woken with it need
   * not read the row back (one store round trip per wake-up, thousands a second with many pushes pending). Never
   * sent to other nodes, which read the store.
   */
  committed?: AuthTransaction;
}

export interface EventBus {
  publish(message: BusMessage): Promise<void>;
  /** Calls `handler` for every message on `topic` until the returned function is called. */
  subscribe(topic: string, handler: (message: BusMessage) => void): () => void;
  close(): Promise<void>;
}

/** An in-process bus: enough when one process owns the (SQLite) database; also the local half of other buses. */
export function inProcessBus(onError: (error: unknown) => void = () => {}): EventBus {
  const handlers = new Map<string, Set<(message: BusMessage) => void>>();
  return {
    async publish(message) {
      // A copy: a handler may unsubscribe while we deliver; one failing handler must not starve the others.
      for (const handler of [...(handlers.get(message.topic) ?? [])]) {
        try {
          handler(message);
        } catch (error) {
          onError(error);
        }
      }
    },
    subscribe(topic, handler) {
      let set = handlers.get(topic);
      if (!set) {
        set = new Set();
        handlers.set(topic, set);
      }
      set.add(handler);
      return () => {
        set.delete(handler);
        if (set.size === 0 && handlers.get(topic) === set) handlers.delete(topic);
      };
    },
    async close() {
      handlers.clear();
    },
  };
}
