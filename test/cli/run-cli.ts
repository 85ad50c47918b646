// Test helpers for the CLI: runCli with a fake Io on a temporary --data-dir, and the real `bin/countersign.js`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../src/cli/command.ts';
import { runCli } from '../../src/cli/main.ts';

export const BIN = fileURLToPath(new URL('../../bin/countersign.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A temporary data directory and a `run` that passes `--data-dir` to every command. */
export interface CliSandbox {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], stdin?: string): Promise<CliResult>;
  /** Runs with --json, expects exit 0 and returns the parsed standard output. */
  json<T = Record<string, unknown>>(args: string[], stdin?: string): Promise<T>;
  remove(): void;
}

/** Creates a sandbox; nothing in it reads the real environment or the working directory's ./data. */
export function cliSandbox(): CliSandbox {
  const dataDir = mkdtempSync(join(tmpdir(), 'countersign-cli-'));
  const env: NodeJS.ProcessEnv = { USER: 'tester', COUNTERSIGN_DATA_DIR: dataDir };
  const sandbox: CliSandbox = {
    dataDir,
    env,
    async run(args, stdin = '') {
      let stdout = '';
      let stderr = '';
      const io: Io = {
        stdout: (text) => {
          stdout += text;
        },
        stderr: (text) => {
          stderr += text;
        },
        readStdin: async () => stdin,
        env,
      };
      const code = await runCli([...args, '--data-dir', dataDir], io);
      return { code, stdout, stderr };
    },
    async json(args, stdin) {
      const result = await sandbox.run([...args, '--json'], stdin);
      assert.equal(result.code, 0, `${args.join(' ')} failed: ${result.stderr}`);
      return JSON.parse(result.stdout) as never;
    },
    remove: () => rmSync(dataDir, { recursive: true, force: true }),
  };
  return sandbox;
}

/** Runs the real executable with Node 24 in a child process. */
export function runBin(args: string[], options: { env: NodeJS.ProcessEnv; input?: string }): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH, ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Asserts a clean usage failure: exit 2, a `countersign:` message matching `pattern`, no stack trace. */
export function assertUsageError(result: CliResult, pattern: RegExp): void {
  assert.equal(result.code, 2, `expected exit 2, got ${result.code}: ${result.stderr}`);
  assert.match(result.stderr, /^countersign: /);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}
