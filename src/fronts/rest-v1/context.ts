// What every REST v1 handler gets: the core, the server's address, how long a request may be held; the call.
import type { CoreDeps } from '../../core/deps.ts';
import type { Application } from '../../core/model.ts';

export interface RestV1Context {
  deps: CoreDeps;
  /** The server's public base URL (the enrollment portal is under it). */
  publicUrl: string;
  /** The longest a synchronous auth or a status poll holds its request (auth_api.max_sync_wait_seconds). */
  maxSyncWaitMs: number;
}

/** One verified call: the application whose key signed it and the parameters the signature covers. */
export interface V1Call {
  app: Application;
  params: Map<string, string>;
  /** Aborts when the client goes away. */
  signal: AbortSignal;
}

/** A REST v1 endpoint: returns the `response` document of a `{stat: "OK"}` answer, or throws a denial. */
export type V1Handler = (ctx: RestV1Context, call: V1Call) => Promise<Record<string, unknown>>;
