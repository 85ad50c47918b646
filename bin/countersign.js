#!/usr/bin/env node
// The `countersign` command. Countersign's TypeScript runs directly on Node.js 22.13 or newer.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `countersign: Node.js ${process.versions.node} is too old (22.13 or newer is needed).\n` +
      'In a Countersign checkout, `npm ci` installs Node.js 24 for npm to use: run `npx countersign …` (or `npm start`).\n' +
      'Elsewhere, install Node.js 24 from the npm registry:  npm i -g --prefix ~/.node24 node@24 && export PATH=~/.node24/bin:$PATH\n',
  );
  process.exit(2);
}
// V8's optimizing compilers stay off while Countersign starts: each command turns them on when it runs, a server
// once it listens (src/cli/hold-optimizers.ts: optimizing code that runs once costs an idle server ~13 MiB). First
// thing, as even resolving the modules' paths is hot enough to be optimized. Options the operator gave V8 about its
// compilers are left alone.
const v8Options = [...process.execArgv, process.env.NODE_OPTIONS].join(' ');
if (!/--(no-)?(maglev|turbofan|sparkplug|jitless|max-opt)\b/.test(v8Options)) {
  const { setFlagsFromString } = await import('node:v8');
  setFlagsFromString('--no-maglev');
  setFlagsFromString('--no-turbofan');
  globalThis[Symbol.for('countersign.optimizersHeld')] = true;
}
// Everything Countersign creates is its owner's alone, whatever the shell's umask: the SQLite database and the
// -wal/-shm files SQLite makes by itself, keys, mail. Set here, at the application's entry, not in the modules
// (which set explicit modes too), so programs that import Countersign's code keep their own umask.
process.umask(0o077);
// Node's compile cache keeps the modules' stripped TypeScript and V8 code between runs, in the installation itself
// (as trusted as the code; NODE_COMPILE_CACHE chooses another folder): a start then skips the type stripper and most
// compiling, and the server holds about 5 MiB less (issue 14). Where the folder cannot be written, Node goes on
// without it. Set in the environment too, so the checkpoint worker thread and `workers` processes use it.
process.env.NODE_COMPILE_CACHE ??= new URL('../.cache/compile', import.meta.url).pathname;
(await import('node:module')).enableCompileCache?.(process.env.NODE_COMPILE_CACHE);
const { runCli, processIo } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2), processIo());
