#!/usr/bin/env node
// The `countersign` command. Countersign's TypeScript runs directly on Node.js 22.13 or newer.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(
    `countersign: Node.js ${process.versions.node} is too old (22.13 or newer is needed).\n` +
      'Install Node.js 24 from the npm registry:  npm i -g --prefix ~/.node24 node@24 && export PATH=~/.node24/bin:$PATH\n',
  );
  process.exit(2);
}
const { runCli, processIo } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2), processIo());
