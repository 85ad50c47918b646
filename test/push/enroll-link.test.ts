// The links `countersign push enroll` prints, fed back to `countersign device activate`, through real processes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BIN, cli, environment, type ServeProcess, startServe, stopServe } from '../support/serve-process.ts';

let dataDir: string;
let env: NodeJS.ProcessEnv;
let node: ServeProcess;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'countersign-enroll-link-'));
  env = environment({
    COUNTERSIGN_DATA_DIR: dataDir,
    COUNTERSIGN_HTTP_HOST: '127.0.0.1',
    COUNTERSIGN_LOG_LEVEL: 'warn',
  });
  await cli(env, ['init']);
  node = await startServe(env);
  // The links name the server by public_url: the one just started, on its random port.
  env = { ...env, COUNTERSIGN_PUBLIC_URL: node.url };
});
after(async () => {
  if (node) assert.equal(await stopServe(node), 0, node.stderr());
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs the real executable; returns its exit code and output. */
function bin(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The lines of `push enroll`'s text output that are links, in the order printed. */
function printedLinks(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^https?:\/\//.test(line));
}

test('issue 10: every link `push enroll` prints activates the headless device, the first one included', async () => {
  for (const [index, username] of ['ines', 'jonas'].entries()) {
    assert.equal(bin(['user', 'add', username]).code, 0);
    const enrolled = bin(['push', 'enroll', username]);
    assert.equal(enrolled.code, 0, enrolled.stderr);
    const links = printedLinks(enrolled.stdout);
    assert.equal(links.length, 2, enrolled.stdout);
    assert.match(links[0]!, /\/activate\/#code=/, 'the activation page comes first');
    // One activation per user: the first user activates with the page link, the second with the app link.
    const activated = bin(['device', 'activate', links[index]!, '--json']);
    assert.equal(activated.code, 0, `${links[index]}: ${activated.stderr}`);
    assert.equal(JSON.parse(activated.stdout).username, username);
  }
});
