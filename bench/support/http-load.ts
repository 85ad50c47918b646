// Drives an HTTP server with autocannon for one round; counts only the right answers.
import { createRequire } from 'node:module';
import type { Sample, Side } from './rounds.ts';
import type { PreparedRequest } from './sign-requests.ts';

/** The slice of autocannon's (untyped) API used here. */
interface AutocannonClient {
  setRequests(requests: PreparedRequest[]): void;
}
interface AutocannonResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  latency: { p50: number; p99: number };
}
type Autocannon = (options: {
  url: string;
  connections: number;
  pipelining: number;
  duration: number;
  requests: PreparedRequest[];
  setupClient: (client: AutocannonClient) => void;
  verifyBody: (body: string) => boolean;
}) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

export interface HttpSideOptions {
  label: string;
  url: URL;
  requests: readonly PreparedRequest[];
  connections: number;
  pipelining: number;
  /** True when a response body is the answer that may count. */
  isRight: (body: string) => boolean;
}

/**
 * autocannon ends a run at the first 1 s sample tick after `duration`; a whole number of seconds races that
 * tick and often adds a second. Asking for half a second less ends exactly on the wanted tick.
 */
export function autocannonDuration(seconds: number): number {
  return Math.max(0.5, Math.round(seconds) - 0.5);
}

/** Connection `index`'s share of `requests`: connections get disjoint slices, so no two share a user. */
export function sliceFor<T>(requests: readonly T[], connections: number, index: number): T[] {
  const size = Math.max(1, Math.floor(requests.length / connections));
  const start = (index * size) % requests.length;
  return requests.slice(start, start + size);
}

/** A side that loads `url` with `requests`, each connection cycling through its own slice of them. */
export function httpSide(options: HttpSideOptions): Side {
  return {
    label: options.label,
    async run(seconds): Promise<Sample> {
      let client = 0;
      const result = await autocannon({
        url: options.url.origin,
        connections: options.connections,
        pipelining: options.pipelining,
        duration: autocannonDuration(seconds),
        // autocannon deep-copies its options into every connection (and counts that setup time in its
        // duration): hand it one request, and each connection its own slice in setupClient.
        requests: options.requests.slice(0, 1),
        setupClient: (c) => c.setRequests(sliceFor(options.requests, options.connections, client++)),
        verifyBody: options.isRight,
      });
      return {
        // A mismatch is a 2xx (or other) answer whose body was wrong: it must not count.
        right: Math.max(0, result['2xx'] - result.mismatches),
        wrong: result.non2xx + result.errors + result.timeouts + result.mismatches,
        seconds: result.duration,
        raw: {
          'p50 ms': result.latency.p50,
          'p99 ms': result.latency.p99,
          'non-2xx': result.non2xx,
          'wrong body': result.mismatches,
          errors: result.errors + result.timeouts,
        },
      };
    },
  };
}
