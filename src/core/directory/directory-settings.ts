// Stores LDAP / AD directory settings in the settings table, the service-account password sealed at rest.
import { open, seal } from '../../crypto/secret-box.ts';
import type { LdapDirectoryConfig } from '../../primary/ldap/index.ts';
import { loadLdap } from '../../primary/ldap/load-ldap.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { Repositories } from '../repositories.ts';

/** The settings key holding every directory (a map name → stored settings). */
export const DIRECTORIES_KEY = 'directories';

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

/** The sealing context of a directory's bind password: a sealed value cannot be moved to another directory. */
export function bindPasswordContext(name: string): string {
  return `directory:${name}:bind`;
}

/** Every stored directory (raw, sealed). */
export async function readStoredDirectories(
  repos: Pick<Repositories, 'settings'>,
): Promise<StoredDirectories> {
  return (await repos.settings.get<StoredDirectories>(DIRECTORIES_KEY)) ?? {};
}

function summarize(stored: StoredDirectory): DirectorySummary {
  const { bindPasswordSealed: _sealed, ...summary } = stored;
  return summary;
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
    bindPasswordSealed: seal(deps.ring, Buffer.from(bindPassword, 'utf8'), bindPasswordContext(config.name)),
  };
  return deps.store.atomically(async (repos) => {
    const all = await readStoredDirectories(repos);
    const replaced = Object.hasOwn(all, config.name);
    await repos.settings.set(DIRECTORIES_KEY, { ...all, [config.name]: stored });
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'directory.save',
      actor,
      detail: { directory: config.name, replaced, urls: summary.urls, bindDn: summary.bindDn },
    });
    return { replaced };
  });
}

/** Every directory without its password, sorted by name. */
export async function listDirectories(deps: Pick<CoreDeps, 'store'>): Promise<DirectorySummary[]> {
  const all = await readStoredDirectories(deps.store);
  return Object.keys(all)
    .sort()
    .map((name) => summarize(all[name]!));
}

/** One directory with its bind password opened, or null when there is none by that name. */
export async function loadDirectory(
  deps: Pick<CoreDeps, 'store' | 'ring'>,
  name: string,
): Promise<LdapDirectoryConfig | null> {
  const all = await readStoredDirectories(deps.store);
  if (!Object.hasOwn(all, name)) return null;
  const stored = all[name]!;
  const bindPassword = open(deps.ring, stored.bindPasswordSealed, bindPasswordContext(name)).toString('utf8');
  // Re-checked on the way out too: the row may predate a stricter validator or have been edited by hand.
  const { validateLdapConfig } = await loadLdap();
  const checked = validateLdapConfig({ ...summarize(stored), name, bindPassword });
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
  return deps.store.atomically(async (repos) => {
    const all = await readStoredDirectories(repos);
    if (!Object.hasOwn(all, name))
      throw new CountersignError('INVALID_INPUT', `no directory named '${name}'`);
    const { [name]: _removed, ...rest } = all;
    await repos.settings.set(DIRECTORIES_KEY, rest);
    const users = (await listDirectoryUsers(repos, name)).length;
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'directory.remove',
      actor,
      detail: { directory: name, users },
    });
    return { users };
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
