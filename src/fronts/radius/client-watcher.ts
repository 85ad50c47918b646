// Keeps the live RADIUS client table in step with the stored one, so `radius client add` reaches a running server.

import { type ClientTable, createClientTable } from '../../core/admin/radius-client-table.ts';
import { loadRadiusClients, type RadiusClientConfig } from '../../core/admin/radius-clients.ts';
import type { CoreDeps } from '../../core/deps.ts';
import type { Application } from '../../core/model.ts';
import type { RadiusLogger } from './pipeline.ts';

/** A client ready to serve: its settings and the application whose policy applies (null if it is gone). */
export interface LiveRadiusClient extends RadiusClientConfig {
  app: Application | null;
}

export interface ClientWatcher {
  /** The client for a source address, or null (unknown sources are ignored). */
  find(ip: string): LiveRadiusClient | null;
  /** Reads the stored clients now; on failure the previous table stays in use. */
  reload(): Promise<void>;
  stop(): void;
}

/** Loads the client table, then reloads it every `intervalMs` (default 5 s). */
export async function watchRadiusClients(
  deps: Pick<CoreDeps, 'store' | 'ring'>,
  options: { intervalMs?: number; logger: RadiusLogger },
): Promise<ClientWatcher> {
  let table: ClientTable<LiveRadiusClient> = createClientTable<LiveRadiusClient>([]);
  let lastProblems = '';

  async function reload(): Promise<void> {
    try {
      const { clients, problems } = await loadRadiusClients(deps);
      const live: LiveRadiusClient[] = [];
      for (const client of clients) {
        live.push({ ...client, app: await deps.store.applications.get(client.applicationId) });
      }
      table = createClientTable(live);
      // Logged when they change, not on every reload.
      const text = problems.join('\n');
      if (text !== '' && text !== lastProblems) options.logger.error({ problems }, 'RADIUS clients skipped');
      lastProblems = text;
    } catch (error) {
      options.logger.warn({ err: error }, 'RADIUS client table not reloaded; keeping the previous one');
    }
  }

  await reload();
  const timer = setInterval(() => void reload(), options.intervalMs ?? 5_000);
  timer.unref();
  return {
    find: (ip) => table.findClient(ip),
    reload,
    stop: () => clearInterval(timer),
  };
}
