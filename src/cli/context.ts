// Opens Countersign for a CLI command from the same configuration `serve` uses.
import { type Countersign, openCountersign } from '../app.ts';
import { type Config, loadConfig } from '../config.ts';
import type { Invocation } from './command.ts';

/** The configuration, with --config and --data-dir from the command line. */
export function configFor(invocation: Invocation): Readonly<Config> {
  const file = typeof invocation.values.config === 'string' ? invocation.values.config : undefined;
  const dataDir =
    typeof invocation.values['data-dir'] === 'string' ? invocation.values['data-dir'] : undefined;
  return loadConfig({
    ...(file !== undefined && { file }),
    env: invocation.io.env,
    overrides: { data_dir: dataDir },
  });
}

/** Runs `work` with an open Countersign and closes it afterwards. */
export async function withCountersign<T>(
  invocation: Invocation,
  work: (countersign: Countersign) => Promise<T>,
): Promise<T> {
  const countersign = await openCountersign(configFor(invocation));
  try {
    return await work(countersign);
  } finally {
    await countersign.close();
  }
}

/** Who the audit log names for actions taken from the command line. */
export function cliActor(invocation: Invocation): string {
  return `cli:${invocation.io.env.USER ?? invocation.io.env.LOGNAME ?? 'unknown'}`;
}
