// Drives an HTTP server with autocannon for one round; counts only the right answers.
import { createRequire } from 'node:module';
import { processTreeCpuMs } from './process-cpu.ts';
import type { BenchUser } from './provision.ts';
import { type Sample, SERVER_CPU_MS, type Side } from './rounds.ts';
import type { PreparedRequest } from './sign-requests.ts';

/** A request autocannon builds anew each time it is sent, from what `setupRequest` returns. */
interface DynamicRequest {
  method: PreparedRequest['method'];
  path: string;
  setupRequest: (request: Record<string, unknown>) => Record<string, unknown>;
}

/** The slice of autocannon's (untyped) API used here. */
interface AutocannonClient {
  setRequests(requests: Array<PreparedRequest | DynamicRequest>): void;
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
  requests: Array<PreparedRequest | DynamicRequest>;
  setupClient: (client: AutocannonClient) => void;
  verifyBody: (body: string) => boolean;
}) => Promise<AutocannonResult>;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** New requests for a server that refuses a replay: `fresh(user)` signs a request never sent before. */
export interface FreshRequests {
  users: readonly BenchUser[];
  fresh(user: BenchUser): PreparedRequest;
}

export interface HttpSideOptions {
  label: string;
  url: URL;
  /**
   * A fixed list, each connection cycling through its own slice (for a server that checks no signature), or
   * fresh requests, each connection signing a new one for its own slice of the users before every send.
   */
  requests: readonly PreparedRequest[] | FreshRequests;
  connections: number;
  pipelining: number;
  /** True when a response body is the answer that may count. */
  isRight: (body: string) => boolean;
  /** The server's process: its CPU time (workers included) over each round goes in the raw numbers. */
  serverPid?: number;
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

/** Connection `index`'s requests: its slice of a fixed list, or one entry that is signed anew before each send. */
function requestsFor(options: HttpSideOptions, index: number): Array<PreparedRequest | DynamicRequest> {
  const { requests, connections } = options;
  if (!('fresh' in requests)) return sliceFor(requests, connections, index);
  const users = sliceFor(requests.users, connections, index);
  let turn = 0;
  // autocannon rebuilds a request that has setupRequest before every send; the connection's users take turns.
  const setupRequest = (request: Record<string, unknown>) => ({
    ...request,
    ...requests.fresh(users[turn++ % users.length]!),
  });
  return [{ method: 'POST', path: '/', setupRequest }];
}

/** A side that loads `url` with `requests`, each connection with its own slice of them (or of the users). */
export function httpSide(options: HttpSideOptions): Side {
  return {
    label: options.label,
    async run(seconds): Promise<Sample> {
      let client = 0;
      const cpuBefore = options.serverPid === undefined ? 0 : processTreeCpuMs(options.serverPid);
      const result = await autocannon({
        url: options.url.origin,
        connections: options.connections,
        pipelining: options.pipelining,
        duration: autocannonDuration(seconds),
        // autocannon deep-copies its options into every connection (and counts that setup time in its
        // duration): hand it one request, and each connection its own in setupClient.
        requests: requestsFor(options, 0).slice(0, 1),
        setupClient: (c) => c.setRequests(requestsFor(options, client++)),
        verifyBody: options.isRight,
      });
      const cpu: Record<string, number> = {};
      if (options.serverPid !== undefined)
        cpu[SERVER_CPU_MS] = processTreeCpuMs(options.serverPid) - cpuBefore;
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
          ...cpu,
        },
      };
    },
  };
}
