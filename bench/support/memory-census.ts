// Preloaded into a server (`node --import`) by the idle-memory benchmark: counts the modules it loads, by package,
// and on SIGUSR2 writes them with the live heap's figures as JSON to $COUNTERSIGN_BENCH_CENSUS_FILE.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { getHeapSpaceStatistics } from 'node:v8';

/** Modules and source bytes loaded, per package (or per folder of Countersign's own src/). */
const loaded = new Map<string, { modules: number; bytes: number }>();

/** `fastify`, `@sinclair/typebox`, `src/fronts`, `node:*`: where a module URL belongs. */
export function packageOf(url: string): string {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1]!;
  if (url.startsWith('node:')) return 'node:*';
  const own = /\/(src|bin)\/(?:([^/]+)\/)?/.exec(url);
  return own ? `${own[1]}/${own[2] ?? ''}` : url;
}

registerHooks({
  load(url, context, nextLoad) {
    const result = nextLoad(url, context);
    const name = packageOf(url);
    const entry = loaded.get(name) ?? { modules: 0, bytes: 0 };
    entry.modules++;
    entry.bytes += result.source === undefined || result.source === null ? 0 : String(result.source).length;
    loaded.set(name, entry);
    return result;
  },
});

process.on('SIGUSR2', () => {
  const file = process.env.COUNTERSIGN_BENCH_CENSUS_FILE;
  if (!file) return;
  // Live objects only (the server runs with --expose-gc): garbage not yet collected would blur the comparison.
  (globalThis as { gc?: () => void }).gc?.();
  const spaces = Object.fromEntries(
    getHeapSpaceStatistics().map((space) => [space.space_name, space.space_used_size]),
  );
  const packages = [...loaded].sort((a, b) => b[1].bytes - a[1].bytes);
  writeFileSync(file, JSON.stringify({ memory: process.memoryUsage(), spaces, packages }));
});
