// Starts a server in a child process (as it runs in production: its own process and event loop) and stops it.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A running child server and how to stop it. */
export interface ChildServer {
  url: URL;
  pid: number;
  /** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
  stop(): Promise<void>;
}

export interface ChildOptions {
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Give up if no `{"url": …}` line is printed within this time. */
  startTimeoutMs?: number;
}

/** Thrown when the child exits or stays silent before announcing its URL. */
export class ChildServerError extends Error {
  override name = 'ChildServerError';
}

/**
 * Node options for every child server, from COUNTERSIGN_BENCH_SERVER_NODE_ARGS (space-separated), e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the servers under load (Node refuses those in NODE_OPTIONS).
 */
function extraNodeArgs(): string[] {
  return (process.env.COUNTERSIGN_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
}

/** Spawns `node <args>` and waits for it to print a JSON line `{"url": "http://…"}` on stdout. */
export async function startChildServer(options: ChildOptions): Promise<ChildServer> {
  const child = spawn(process.execPath, [...extraNodeArgs(), ...options.args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await announcedUrl(child, exited, options.startTimeoutMs ?? 30_000, () => stderr);
    return { url, pid: child.pid!, stop: () => stopChild(child, exited) };
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
}

async function announcedUrl(
  child: ChildProcess,
  exited: Promise<void>,
  timeoutMs: number,
  stderr: () => string,
): Promise<URL> {
  const lines = createInterface({ input: child.stdout! });
  const name = `'node ${child.spawnargs.slice(1).join(' ')}'`;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new ChildServerError(`${name} printed no URL within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const gone = exited.then(() => {
    throw new ChildServerError(`${name} exited before listening:\n${stderr()}`);
  });
  const found = (async () => {
    for await (const line of lines) {
      const url = parseUrlLine(line);
      if (url) return url;
    }
    throw new ChildServerError(`${name} closed stdout before printing its URL:\n${stderr()}`);
  })();
  try {
    return await Promise.race([found, gone, timeout]);
  } finally {
    clearTimeout(timer);
    // Keep draining stdout so a chatty child never blocks on a full pipe.
    child.stdout!.resume();
  }
}

/** Reads `{"url": "…"}` from one line of output; null for any other line. */
export function parseUrlLine(line: string): URL | null {
  if (!line.startsWith('{')) return null;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'object' && parsed !== null && 'url' in parsed && typeof parsed.url === 'string') {
      return new URL(parsed.url);
    }
  } catch {
    // Not JSON: some other log line.
  }
  return null;
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(force);
}
