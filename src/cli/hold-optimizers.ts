// V8's optimizing compilers are held off while Countersign starts (issue 14: an idle `serve` within 100 MiB).
// bin/countersign.js holds them, first thing, before a single module loads; this turns them back on.
import { setFlagsFromString } from 'node:v8';

/** Set by bin/countersign.js when it turned Maglev and TurboFan off (never when the operator chose V8's tiers). */
export const OPTIMIZERS_HELD = Symbol.for('countersign.optimizersHeld');

/**
 * Turns Maglev and TurboFan back on if bin/countersign.js held them; nothing otherwise. Start-up code (loading
 * ~1,500 modules, building schemas, registering routes) runs once, but often enough to be optimized while it runs:
 * that pages ~7 MiB of the compilers' own machine code into the process and leaves their working memory in
 * malloc's arenas, ~13 MiB of an idle server's resident memory spent on code that never runs again. V8 reads both
 * flags at each tiering decision, so code that runs from here on (requests under load) is optimized as before.
 */
export function releaseOptimizers(): void {
  const global = globalThis as { [OPTIMIZERS_HELD]?: boolean };
  if (!global[OPTIMIZERS_HELD]) return;
  delete global[OPTIMIZERS_HELD];
  setFlagsFromString('--maglev');
  setFlagsFromString('--turbofan');
}
