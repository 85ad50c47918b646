// The `countersign` command: finds the subcommand, parses its options, runs it, maps errors to exit codes.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config.ts';
import { isCountersignError } from '../core/errors.ts';
import { type Command, CommandFailure, type Io, UsageError } from './command.ts';
import { adminCommands } from './commands/admin.ts';
import { appCommands } from './commands/app.ts';
import { auditTail } from './commands/audit.ts';
import { backupCommand, restoreCommand } from './commands/backup.ts';
import { bypassIssue } from './commands/bypass.ts';
import { deviceCommands } from './commands/device.ts';
import { directoryCommands } from './commands/directory.ts';
import { initCommand } from './commands/init.ts';
import { keysRotate } from './commands/keys.ts';
import { oidcCommands } from './commands/oidc.ts';
import { policyCommands } from './commands/policy.ts';
import { pushEnroll } from './commands/push-enroll.ts';
import { radiusClientCommand } from './commands/radius.ts';
import { serveCommand, startCommand } from './commands/serve.ts';
import { telephonyOutbox } from './commands/telephony.ts';
import { tokenCommands } from './commands/token.ts';
import { totpAdd } from './commands/totp.ts';
import { userCommands } from './commands/user.ts';
import { releaseOptimizers } from './hold-optimizers.ts';

export const COMMANDS: Command[] = [
  initCommand,
  serveCommand,
  startCommand,
  ...userCommands,
  ...adminCommands,
  ...appCommands,
  totpAdd,
  pushEnroll,
  ...tokenCommands,
  bypassIssue,
  ...directoryCommands,
  radiusClientCommand,
  ...policyCommands,
  keysRotate,
  ...oidcCommands,
  backupCommand,
  restoreCommand,
  auditTail,
  ...deviceCommands,
  telephonyOutbox,
];

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' },
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function help(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'Usage: countersign <command> [options]   (every command takes --json, --config FILE, --data-dir DIR)',
    '',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
  ].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | null {
  for (const words of [3, 2, 1]) {
    const name = argv.slice(0, words).join(' ');
    const command = COMMANDS.find((candidate) => candidate.name === name);
    if (command) return { command, rest: argv.slice(words) };
  }
  return null;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 bad input). */
export async function runCli(argv: string[], io: Io): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(`${help()}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  const json = argv.includes('--json');
  const fail = (code: number, message: string) => {
    if (json) io.stdout(`${JSON.stringify({ error: message, exitCode: code })}\n`);
    io.stderr(`countersign: ${message}\n`);
    return code;
  };
  if (!found)
    return fail(2, `unknown command '${argv.slice(0, 2).join(' ')}'; run 'countersign --help' for the list`);
  const { command, rest } = found;
  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...GLOBAL_OPTIONS, ...command.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.values.help) {
      io.stdout(`${command.usage}\n\n${command.summary}\n`);
      return 0;
    }
    const [min, max] = Array.isArray(command.positionals)
      ? command.positionals
      : [command.positionals ?? 0, command.positionals ?? 0];
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError(`expected ${min === max ? min : `${min} to ${max}`} argument(s)`);
    }
    // Held while the modules loaded (bin/countersign.js); a server keeps them held until it listens.
    if (!command.releasesOptimizers) releaseOptimizers();
    await command.run({
      values: parsed.values,
      positionals: parsed.positionals,
      json: parsed.values.json === true,
      io,
    });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return fail(2, `${error.message}\nusage: ${command.usage}`);
    if (error instanceof ConfigError) return fail(2, error.message);
    if (error instanceof CommandFailure) return fail(1, error.message);
    if (isCountersignError(error)) {
      const message = error.detail ? `${error.message} (${error.detail})` : error.message;
      return fail(error.kind === 'unavailable' || error.kind === 'internal' ? 1 : 2, message);
    }
    return fail(1, (error as Error).stack ?? String(error));
  }
}

/** Standard streams, with a no-echo prompt when standard input is a terminal. */
export function processIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    ...(process.stdin.isTTY && {
      promptSecret: (question: string) =>
        new Promise<string>((resolve) => {
          const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
          const write = (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput;
          (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = (text: string) => {
            if (text.startsWith(question)) write.call(rl, text);
          };
          rl.question(question, (answer) => {
            rl.close();
            process.stdout.write('\n');
            resolve(answer);
          });
        }),
    }),
  };
}
