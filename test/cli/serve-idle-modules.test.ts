// An idle `countersign serve` loads none of the libraries it loads on first use (issue 14: idle memory). A single
// eager import of one of their modules brings the whole library back into every server (oidc-provider and Koa,
// ~200 modules, came back once through the back-channel logout's import of the OIDC adapter).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startChildServer } from '../../bench/support/child-server.ts';
import { initDataDir, REPOSITORY } from '../../bench/support/provision.ts';

/** Loaded when first used, never by a server that has served nothing (bench/README.md, "Idle memory"). */
const LOADED_ON_FIRST_USE = [
  'oidc-provider',
  'koa',
  '@simplewebauthn/server',
  'nodemailer',
  'web-push',
  'ldapts',
  'pg',
  'qrcode',
  'xml-crypto',
  '@xmldom/xmldom',
  'xpath',
  'bson',
];

test('issue 14: an idle serve has not loaded the libraries it loads on first use', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'countersign-idle-modules-'));
  try {
    await initDataDir(dataDir);
    const censusFile = join(dataDir, 'census.json');
    const server = await startChildServer({
      args: ['--import', './bench/support/memory-census.ts', 'bin/countersign.js', 'serve', '--json'],
      cwd: REPOSITORY,
      env: {
        ...process.env,
        COUNTERSIGN_DATA_DIR: dataDir,
        COUNTERSIGN_LOG_LEVEL: 'warn',
        COUNTERSIGN_HTTP_HOST: '127.0.0.1',
        COUNTERSIGN_HTTP_PORT: '0',
        COUNTERSIGN_RADIUS_PORT: '0',
        COUNTERSIGN_METRICS_PORT: '0',
        COUNTERSIGN_BENCH_CENSUS_FILE: censusFile,
      },
    });
    let packages: string[];
    try {
      process.kill(server.pid, 'SIGUSR2');
      let text: string | undefined;
      for (let tries = 0; text === undefined && tries < 100; tries++) {
        await sleep(100);
        text = await readFile(censusFile, 'utf8').catch(() => undefined);
      }
      assert.ok(text, 'the census was written');
      packages = (JSON.parse(text) as { packages: Array<[string, unknown]> }).packages.map(([name]) => name);
    } finally {
      await server.stop();
    }
    assert.ok(
      packages.includes('fastify'),
      `the census counted the server's packages: ${packages.join(', ')}`,
    );
    assert.deepEqual(
      LOADED_ON_FIRST_USE.filter((name) => packages.includes(name)),
      [],
    );
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
