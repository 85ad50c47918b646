// Stores LDAP / AD directory settings in the settings table, the service-account password sealed at rest.
import type { LdapDirectoryConfig } from '../../primary/ldap/index.ts';
import { loadLdap } from '../../primary/ldap/load-ldap.ts';
import {
  DIRECTORIES,
  openSecret,
  readSealedMap,
  sealSecret,
  sortedSummaries,
  updateSealedMap,
  withoutSecret,
} from '../admin/sealed-settings.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { Repositories } from '../repositories.ts';

/** A directory as shown to administrators: everything but the service-account password. */
export type DirectorySummary = Omit<LdapDirectoryConfig, 'bindPassword'>;

/** A directory as stored: the password only in sealed form. */
export interface StoredDirectory extends DirectorySummary {
  bindPasswordSealed: string;
}

export type StoredDirectories = Record<string, StoredDirectory>;

const NAME = /^[a-z0-9_-]{1,64}$/;

/** An error message when `name` is not a valid directory name, else null. */
export function directoryNameProblem(name: string): string | null {
  return NAME.test(name) ? null : `directory name '${name}' must be 1-64 of a-z, 0-9, '_' and '-'`;
}

/** Every stored directory (raw, sealed). */
export function readStoredDirectories(repos: Pick<Repositories, 'settings'>): Promise<StoredDirectories> {
  return readSealedMap<StoredDirectory>(repos, DIRECTORIES);
}

/** Validates and stores a directory (adding or replacing it by name); returns whether it replaced one. */
export async function saveDirectory(
  deps: Pick<CoreDeps, 'store' | 'ring' | 'clock'>,
  actor: string,
  config: LdapDirectoryConfig,
): Promise<{ replaced: boolean }> {
  const nameProblem = directoryNameProblem(config.name);
  const { validateLdapConfig } = await loadLdap();
  const checked = validateLdapConfig(config);
  const errors = [...(nameProblem ? [nameProblem] : []), ...(checked.ok ? [] : checked.errors)];
  if (errors.length > 0 || !checked.ok) throw new CountersignError('INVALID_INPUT', errors.join('; '));
  const { bindPassword, ...summary } = checked.config;
  const stored: StoredDirectory = {
    ...summary,
    bindPasswordSealed: sealSecret(deps.ring, DIRECTORIES, config.name, bindPassword),
  };
  return updateSealedMap<StoredDirectory, { replaced: boolean }>(
    deps.store,
    DIRECTORIES,
    async (all, repos) => {
      const replaced = Object.hasOwn(all, config.name);
      await audit(repos, deps.clock.now(), {
        kind: 'admin',
        action: 'directory.save',
        actor,
        detail: { directory: config.name, replaced, urls: summary.urls, bindDn: summary.bindDn },
      });
      return { all: { ...all, [config.name]: stored }, result: { replaced } };
    },
  );
}

/** Every directory without its password, sorted by name. */
export async function listDirectories(deps: Pick<CoreDeps, 'store'>): Promise<DirectorySummary[]> {
  return sortedSummaries(DIRECTORIES, await readStoredDirectories(deps.store));
}

/** One directory with its bind password opened, or null when there is none by that name. */
export async function loadDirectory(
  deps: Pick<CoreDeps, 'store' | 'ring'>,
  name: string,
): Promise<LdapDirectoryConfig | null> {
  const all = await readStoredDirectories(deps.store);
  if (!Object.hasOwn(all, name)) return null;
  const stored = all[name]!;
  const bindPassword = openSecret(deps.ring, DIRECTORIES, name, stored);
  // Re-checked on the way out too: the row may predate a stricter validator or have been edited by hand.
  const { validateLdapConfig } = await loadLdap();
  const checked = validateLdapConfig({ ...withoutSecret(DIRECTORIES, stored), name, bindPassword });
  if (!checked.ok) {
    throw new CountersignError(
      'INVALID_INPUT',
      `stored directory '${name}' is not valid: ${checked.errors.join('; ')}`,
    );
  }
  return checked.config;
}

/** Loads a directory or fails with INVALID_INPUT naming it. */
export async function requireDirectory(
  deps: Pick<CoreDeps, 'store' | 'ring'>,
  name: string,
): Promise<LdapDirectoryConfig> {
  const config = await loadDirectory(deps, name);
  if (!config) throw new CountersignError('INVALID_INPUT', `no directory named '${name}'`);
  return config;
}

/**
 * Removes a directory's settings. Its users stay (disabled ones stay disabled) but cannot log in until a
 * directory of that name is added again; returns how many users still name it.
 */
export async function removeDirectory(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  actor: string,
  name: string,
): Promise<{ users: number }> {
  return updateSealedMap<StoredDirectory, { users: number }>(deps.store, DIRECTORIES, async (all, repos) => {
    if (!Object.hasOwn(all, name))
      throw new CountersignError('INVALID_INPUT', `no directory named '${name}'`);
    const { [name]: _removed, ...rest } = all;
    const users = (await listDirectoryUsers(repos, name)).length;
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'directory.remove',
      actor,
      detail: { directory: name, users },
    });
    return { all: rest, result: { users } };
  });
}

const PAGE = 500;

/** Every stored user whose `directory` is `name`. */
export async function listDirectoryUsers(repos: Pick<Repositories, 'users'>, name: string) {
  const users = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await repos.users.list({ limit: PAGE, offset }, { directory: name });
    users.push(...page);
    if (page.length < PAGE) return users;
  }
}
