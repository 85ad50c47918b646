// `countersign directory …`: add, list, remove, test and sync LDAP / Active Directory directories.
import { readFile } from 'node:fs/promises';
import {
  directoryNameProblem,
  listDirectories,
  removeDirectory,
  requireDirectory,
  type SyncReport,
  saveDirectory,
  syncDirectory,
} from '../../core/directory/index.ts';
import { canonicalUsername } from '../../core/usernames.ts';
import type { LdapUnavailableError } from '../../primary/ldap/index.ts';
import { loadLdap } from '../../primary/ldap/load-ldap.ts';
import { type Command, CommandFailure, type Invocation, requireOption, UsageError } from '../command.ts';
import { cliActor, withCountersign } from '../context.ts';
import { formatRecord, formatTable, print } from '../output.ts';

/** Reads one secret: a no-echo prompt on a terminal, else the first line of standard input. */
async function readSecret(invocation: Invocation, question: string): Promise<string> {
  const { io } = invocation;
  if (io.promptSecret) return io.promptSecret(question);
  return (await io.readStdin()).split(/\r?\n/)[0] ?? '';
}

/** An unreachable directory is an operational failure (exit 1) with one readable line. */
function unavailable(error: LdapUnavailableError): Error {
  return new CommandFailure(`directory unavailable: ${error.message}`);
}

function checkName(name: string): string {
  const problem = directoryNameProblem(name);
  if (problem) throw new UsageError(problem);
  return name;
}

async function readCaFile(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--ca-file '${path}' cannot be read: ${(error as Error).message}`);
  }
}

export const directoryAdd: Command = {
  name: 'directory add',
  summary: 'Add (or replace) an LDAP / AD directory; the bind password is read from standard input.',
  usage:
    'countersign directory add <name> --url <ldap[s]://host>[,<fallback URL>...] --bind-dn <dn> --base-dn <dn> ' +
    '--user-attribute <attr> [--user-filter F] [--group-base-dn <dn>] [--starttls] [--ca-file PEM]',
  positionals: 1,
  options: {
    url: { type: 'string' },
    'bind-dn': { type: 'string' },
    'base-dn': { type: 'string' },
    'user-attribute': { type: 'string' },
    'user-filter': { type: 'string' },
    'group-base-dn': { type: 'string' },
    starttls: { type: 'boolean' },
    'ca-file': { type: 'string' },
  },
  async run(invocation) {
    const { values } = invocation;
    const name = invocation.positionals[0]!;
    const urls = requireOption(values, 'url')
      .split(',')
      .map((url) => url.trim())
      .filter((url) => url !== '');
    const raw: Record<string, unknown> = {
      name,
      urls,
      bindDn: requireOption(values, 'bind-dn'),
      baseDn: requireOption(values, 'base-dn'),
      userAttribute: requireOption(values, 'user-attribute'),
      startTls: values.starttls === true,
    };
    if (values['user-filter'] !== undefined) raw.userFilter = values['user-filter'];
    if (values['group-base-dn'] !== undefined) raw.groupBaseDn = values['group-base-dn'];
    const caPem = await readCaFile(values['ca-file'] as string | undefined);
    if (caPem !== undefined) raw.tlsCaPem = caPem;
    raw.bindPassword = await readSecret(invocation, `Bind password for ${raw.bindDn}: `);
    const nameProblem = directoryNameProblem(name);
    const checked = (await loadLdap()).validateLdapConfig(raw);
    const errors = [...(nameProblem ? [nameProblem] : []), ...(checked.ok ? [] : checked.errors)];
    if (errors.length > 0 || !checked.ok) throw new UsageError(errors.join('\n'));
    return withCountersign(invocation, async ({ deps }) => {
      const { replaced } = await saveDirectory(deps, cliActor(invocation), checked.config);
      const result = { name, urls, replaced };
      print(invocation.io, invocation.json, result, () =>
        replaced ? `Replaced directory ${name}.` : `Added directory ${name}.`,
      );
      return result;
    });
  },
};

export const directoryList: Command = {
  name: 'directory list',
  summary: 'List directories (never their passwords).',
  usage: 'countersign directory list',
  positionals: 0,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const directories = (await listDirectories(deps)).map(({ tlsCaPem, ...rest }) => ({
        ...rest,
        customCa: tlsCaPem !== undefined,
      }));
      print(invocation.io, invocation.json, directories, () =>
        formatTable(directories, ['name', 'urls', 'bindDn', 'baseDn', 'userAttribute', 'startTls']),
      );
      return directories;
    }),
};

export const directoryRemove: Command = {
  name: 'directory remove',
  summary: 'Remove a directory; its users stay but cannot log in until it is added again.',
  usage: 'countersign directory remove <name>',
  positionals: 1,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const name = checkName(invocation.positionals[0]!);
      const { users } = await removeDirectory(deps, cliActor(invocation), name);
      const result = { name, removed: true, users };
      print(invocation.io, invocation.json, result, () =>
        users > 0
          ? `Removed directory ${name}. ${users} user(s) still belong to it and cannot log in until it is added again.`
          : `Removed directory ${name}.`,
      );
      return result;
    }),
};

export const directoryTest: Command = {
  name: 'directory test',
  summary: "Check a user's login against a directory and show what it says about them.",
  usage: 'countersign directory test <name> <username>   (the password is read from standard input)',
  positionals: 2,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const name = checkName(invocation.positionals[0]!);
      // The directory is asked for the name a login would send: the canonical one (docs/usernames.md).
      const checked = canonicalUsername(invocation.positionals[1]!);
      if (!checked.ok)
        throw new UsageError(`username '${invocation.positionals[1]}' is not valid: ${checked.reason}`);
      const username = checked.name;
      const config = await requireDirectory(deps, name);
      const password = await readSecret(invocation, `Password for ${username}: `);
      const outcome = await (await loadLdap()).authenticateLdap(config, username, password);
      const result = outcome.ok
        ? { directory: name, username, ok: true, user: outcome.user }
        : { directory: name, username, ok: false, reason: outcome.reason, detail: outcome.detail ?? null };
      print(invocation.io, invocation.json, result, () =>
        outcome.ok
          ? `Login works for ${username}.\n${formatRecord(outcome.user)}`
          : `Login fails for ${username}: ${outcome.reason}${outcome.detail ? ` (${outcome.detail})` : ''}.`,
      );
      return result;
    }),
};

function formatReport(report: SyncReport): string {
  const names = (list: string[]) => (list.length > 0 ? `: ${list.join(', ')}` : '');
  return [
    `${report.dryRun ? 'Would sync' : 'Synced'} directory ${report.directory}:`,
    `  added      ${report.added.length}${names(report.added)}`,
    `  updated    ${report.updated.length}${names(report.updated.map((u) => `${u.username} (${Object.keys(u.changes).join(', ')})`))}`,
    `  disabled   ${report.disabled.length}${names(report.disabled)}`,
    `  reenabled  ${report.reenabled.length}${names(report.reenabled)}`,
    `  unchanged  ${report.unchanged}`,
    `  conflicts  ${report.conflicts.length}${names(report.conflicts)}${report.conflicts.length > 0 ? ' (local users with the same name: left alone)' : ''}`,
    `  skipped    ${report.skipped.length}${report.skipped.length > 0 ? ' (names Countersign refuses: not imported)' : ''}`,
    ...report.skipped.map((s) => `    ${JSON.stringify(s.username)}: ${s.reason}`),
  ].join('\n');
}

export const directorySync: Command = {
  name: 'directory sync',
  summary: 'Add, update and disable users to match a directory (--dry-run only reports).',
  usage: 'countersign directory sync <name> [--dry-run]',
  positionals: 1,
  options: { 'dry-run': { type: 'boolean' } },
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const name = checkName(invocation.positionals[0]!);
      let report: SyncReport;
      try {
        report = await syncDirectory(deps, cliActor(invocation), name, {
          dryRun: invocation.values['dry-run'] === true,
        });
      } catch (error) {
        throw error instanceof (await loadLdap()).LdapUnavailableError ? unavailable(error) : error;
      }
      print(invocation.io, invocation.json, report, () => formatReport(report));
      return report;
    }),
};

export const directoryCommands = [directoryAdd, directoryList, directoryRemove, directoryTest, directorySync];
