// (d) Resident memory of a fresh idle `countersign serve` (SQLite, nothing connected), worker threads included, against
// 100 MiB; then, in a second server, where its heap goes: the modules it loaded, by package.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeMeasurement } from '../report.ts';
import { BenchFailure, type BenchResult, type BenchSuite, type Log, type Measurement } from '../suite.ts';
import { type ChildServer, startChildServer } from '../support/child-server.ts';
import { initDataDir, REPOSITORY } from '../support/provision.ts';

const MIB = 1024 * 1024;
const TARGET_MIB = 100;
/** After it says it listens, the server settles (JIT, the first checkpoint, timers) before it is measured. */
const SETTLE_MS = 5_000;
const SAMPLES = 5;
const SAMPLE_GAP_MS = 1_000;

const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;

/** `VmRSS`, `RssAnon`, `RssFile` and `Threads` of a process, from /proc (memory in bytes). */
async function procStatus(pid: number): Promise<Record<'VmRSS' | 'RssAnon' | 'RssFile' | 'Threads', number>> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status);
    if (!match) throw new BenchFailure(`/proc/${pid}/status has no ${name} line`);
    return Number(match[1]) * (name === 'Threads' ? 1 : 1024);
  };
  return {
    VmRSS: field('VmRSS'),
    RssAnon: field('RssAnon'),
    RssFile: field('RssFile'),
    Threads: field('Threads'),
  };
}

/** `countersign serve` on `dataDir` as an administrator starts it, every listener on a free port. */
function startServe(
  dataDir: string,
  nodeOptions: string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<ChildServer> {
  return startChildServer({
    args: [...nodeOptions, 'bin/countersign.js', 'serve', '--json', '--data-dir', dataDir, '--port', '0'],
    cwd: REPOSITORY,
    env: {
      ...process.env,
      ...env,
      COUNTERSIGN_LOG_LEVEL: 'warn',
      COUNTERSIGN_HTTP_HOST: '127.0.0.1',
      COUNTERSIGN_RADIUS_PORT: '0',
      COUNTERSIGN_METRICS_PORT: '0',
    },
  });
}

interface Census {
  memory: NodeJS.MemoryUsage;
  spaces: Record<string, number>;
  packages: Array<[string, { modules: number; bytes: number }]>;
}

/** A second server with the module census preloaded: what its heap holds and which packages it loaded. */
async function census(dataDir: string, log: Log): Promise<Census> {
  const file = join(dataDir, 'census.json');
  const server = await startServe(dataDir, ['--expose-gc', '--import', './bench/support/memory-census.ts'], {
    COUNTERSIGN_BENCH_CENSUS_FILE: file,
  });
  try {
    await sleep(SETTLE_MS);
    process.kill(server.pid, 'SIGUSR2');
    await sleep(500);
    const found = JSON.parse(await readFile(file, 'utf8')) as Census;
    const { memory } = found;
    const modules = found.packages.reduce((sum, [, entry]) => sum + entry.modules, 0);
    log(
      `census (a second server, the census hook loaded): live heap ${mib(memory.heapUsed)} of ${mib(memory.heapTotal)}, external ${mib(memory.external)}, ${modules} modules loaded`,
    );
    const top = found.packages
      .slice(0, 15)
      .map(([name, entry]) => `${name} ${entry.modules} (${Math.round(entry.bytes / 1024)} KiB)`);
    log(`largest sources loaded (modules, source size): ${top.join(', ')}`);
    return found;
  } finally {
    await server.stop();
  }
}

export const suite: BenchSuite = {
  name: 'idle-memory',
  summary: `resident memory of a fresh idle serve (SQLite, nothing connected, worker threads included) against ${TARGET_MIB} MiB, as target ÷ measured`,
  target: 1,
  async run(options): Promise<BenchResult> {
    const dataDir = await mkdtemp(join(tmpdir(), 'countersign-bench-memory-'));
    try {
      await initDataDir(dataDir);
      const server = await startServe(dataDir);
      const samples: Array<Awaited<ReturnType<typeof procStatus>>> = [];
      try {
        await sleep(SETTLE_MS);
        for (let index = 0; index < SAMPLES; index++) {
          if (index > 0) await sleep(SAMPLE_GAP_MS);
          samples.push(await procStatus(server.pid));
        }
      } finally {
        await server.stop();
      }
      // The largest sample: "at or under" the target must hold at every moment measured.
      const worst = samples.reduce((a, b) => (b.VmRSS > a.VmRSS ? b : a));
      const measured: Measurement = {
        label: 'idle serve resident memory',
        perSecond: 0,
        operations: SAMPLES,
        seconds: (SETTLE_MS + (SAMPLES - 1) * SAMPLE_GAP_MS) / 1000,
        cell: `${mib(worst.VmRSS)} RSS`,
        raw: {
          'RSS MiB': worst.VmRSS / MIB,
          'anonymous MiB': worst.RssAnon / MIB,
          'file-backed MiB': worst.RssFile / MIB,
          threads: worst.Threads,
        },
      };
      const limit: Measurement = {
        label: 'target',
        perSecond: 0,
        operations: 0,
        seconds: 0,
        cell: `${TARGET_MIB} MiB RSS`,
        raw: {},
      };
      options.log(describeMeasurement(measured));
      const found = await census(dataDir, options.log);
      measured.raw['live heap MiB'] = found.memory.heapUsed / MIB;
      const ratio = TARGET_MIB / (worst.VmRSS / MIB);
      return {
        name: this.name,
        measured,
        limit,
        ratio,
        target: this.target,
        verdict: ratio >= this.target ? 'meets' : 'below target',
      };
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
