// An event bus across nodes over PostgreSQL LISTEN/NOTIFY on one channel, with local delivery to subscribers.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { CountersignError } from '../core/errors.ts';
import { type BusMessage, type EventBus, inProcessBus } from '../core/events.ts';
import { asStoreError } from './db-errors.ts';

export const BUS_CHANNEL = 'countersign_events';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
export const MAX_PAYLOAD_BYTES = 7999;

export interface PostgresBusOptions {
  /** Told when the LISTEN connection fails (it then reconnects) or a handler throws. */
  onError?: (error: unknown) => void;
  /** First reconnect delay in ms; doubles up to `maxReconnectDelayMs`. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

/** What travels in a notification: the message plus the sending bus's id, so a bus skips its own echo. */
interface Envelope {
  origin: string;
  message: BusMessage;
}

function parseEnvelope(text: string | undefined): Envelope | null {
  if (text === undefined) return null;
  try {
    const value = JSON.parse(text) as Partial<Envelope> | null;
    if (typeof value?.origin !== 'string' || typeof value.message?.topic !== 'string') return null;
    return value as Envelope;
  } catch {
    return null;
  }
}

/** Connects a bus to PostgreSQL at `url`: resolves once it listens. */
export async function postgresBus(url: string, options: PostgresBusOptions = {}): Promise<EventBus> {
  const onError = options.onError ?? (() => {});
  const baseDelay = options.reconnectDelayMs ?? 100;
  const maxDelay = options.maxReconnectDelayMs ?? 5000;
  const origin = randomUUID();
  const local = inProcessBus(onError);
  // Publishing goes through a small pool so it keeps working while the LISTEN connection reconnects.
  const publisher = new pg.Pool({ connectionString: url, max: 2 });
  publisher.on('error', onError);
  let listener: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let delay = baseDelay;

  const deliver = (message: BusMessage) => void local.publish(message);

  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', (n) => {
      const envelope = n.channel === BUS_CHANNEL ? parseEnvelope(n.payload) : null;
      // Our own publications were delivered locally already; NOTIFY echoes them back to us.
      if (envelope && envelope.origin !== origin) deliver(envelope.message);
    });
    const lost = (error?: unknown) => {
      if (listener !== client) return;
      listener = null;
      if (error) onError(error);
      client.end().catch(() => {});
      schedule();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${BUS_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await client.end();
      return;
    }
    listener = client;
    delay = baseDelay;
  };

  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((error) => {
        onError(error);
        delay = Math.min(delay * 2, maxDelay);
        schedule();
      });
    }, delay);
  };

  try {
    await connect();
  } catch (error) {
    await publisher.end().catch(() => {});
    throw error;
  }

  return {
    async publish(message) {
      // The committed row stays on this node: others read their store (and it could outgrow NOTIFY's limit).
      const { committed: _local, ...shared } = message;
      const payload = JSON.stringify({ origin, message: shared } satisfies Envelope);
      const bytes = Buffer.byteLength(payload);
      if (bytes > MAX_PAYLOAD_BYTES) {
        throw new CountersignError(
          'INVALID_INPUT',
          `bus message on ${message.topic} is ${bytes} bytes; NOTIFY allows at most ${MAX_PAYLOAD_BYTES}`,
        );
      }
      deliver(message);
      // The bus is part of the store: a database that went away is STORE_UNAVAILABLE (503), as every query is.
      await publisher.query('SELECT pg_notify($1, $2)', [BUS_CHANNEL, payload]).catch((error: unknown) => {
        throw asStoreError(error);
      });
    },

    subscribe: (topic, handler) => local.subscribe(topic, handler),

    async close() {
      closed = true;
      clearTimeout(retry);
      await local.close();
      const client = listener;
      listener = null;
      await Promise.allSettled([client?.end(), publisher.end()]);
    },
  };
}
