// Gives back the memory a server's start-up used and no longer needs (issue 14: an idle `serve` within 100 MiB).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

/**
 * One memory-reducing full collection, once the servers listen. Loading ~1,300 modules grows V8's young
 * generation to its maximum and leaves their garbage behind; V8 shrinks it again only in a memory-reducing GC
 * (`last-resort`: what it runs under memory pressure), which an idle server would otherwise never reach. A few
 * tens of milliseconds, once, before the first request.
 */
export function settleMemory(): void {
  // --expose-gc at run time makes `gc` a global only of contexts created afterwards: a new one hands it over.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as GcFunction | undefined;
  gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
