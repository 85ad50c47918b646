// Administers the RADIUS client table (NAS entries) in the settings repository, each shared secret sealed at rest.
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { Repositories } from '../repositories.ts';
import { createClientTable, type RadiusClient, RadiusClientConfigError } from './radius-client-table.ts';
import {
  openSecret,
  RADIUS_CLIENTS,
  readSealedMap,
  sealSecret,
  sortedSummaries,
  updateSealedMap,
  withoutSecret,
} from './sealed-settings.ts';

export const RADIUS_MODES = ['auto', 'concat', 'challenge', 'mfa-only'] as const;
export type RadiusMode = (typeof RADIUS_MODES)[number];

export const FAILMODES = ['secure', 'safe'] as const;
export type Failmode = (typeof FAILMODES)[number];

export const REPLY_ATTRIBUTE_NAMES = ['Class', 'Filter-Id', 'Reply-Message'] as const;
export type ReplyAttributeName = (typeof REPLY_ATTRIBUTE_NAMES)[number];

/** On Access-Accept, members of `group` get `attribute` = `value`. */
export interface ReplyAttributeRule {
  group: string;
  attribute: ReplyAttributeName;
  value: string;
}

/** A client as administrators see it: everything but the shared secret. */
export interface RadiusClientSummary {
  name: string;
  address: string;
  mode: RadiusMode;
  applicationId: string;
  delimiter: string;
  requireMessageAuthenticator: boolean;
  failmode: Failmode;
  replyAttributes: ReplyAttributeRule[];
}

/** A client with its secret in plain text: what the server needs. */
export interface RadiusClientConfig extends RadiusClientSummary, RadiusClient {
  secret: string;
  requireMessageAuthenticator: boolean;
}

/** A client as stored: the secret only in sealed form. */
export interface StoredRadiusClient extends RadiusClientSummary {
  secretSealed: string;
}

export type StoredRadiusClients = Record<string, StoredRadiusClient>;

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Every problem with `config` (empty when it is usable); messages name the field. */
export function radiusClientProblems(config: RadiusClientConfig): string[] {
  const problems: string[] = [];
  if (!NAME.test(config.name))
    problems.push(`name '${config.name}' must be 1-64 of A-Z, a-z, 0-9, '_', '.', '-'`);
  try {
    createClientTable([{ name: config.name, address: config.address, secret: config.secret || 'x' }]);
  } catch (error) {
    if (!(error instanceof RadiusClientConfigError)) throw error;
    problems.push(`address: '${config.address}' is not an IPv4/IPv6 address or CIDR block without host bits`);
  }
  if (config.secret.length === 0) problems.push('secret must not be empty');
  if (Buffer.byteLength(config.secret) > 128) problems.push('secret must be at most 128 bytes');
  if (!RADIUS_MODES.includes(config.mode)) problems.push(`mode must be one of ${RADIUS_MODES.join(', ')}`);
  if (!FAILMODES.includes(config.failmode)) problems.push(`failmode must be one of ${FAILMODES.join(', ')}`);
  if (config.delimiter.length < 1 || config.delimiter.length > 4 || /\s/.test(config.delimiter)) {
    problems.push('delimiter must be 1-4 characters without spaces');
  }
  if (config.applicationId === '') problems.push('applicationId must not be empty');
  for (const [index, rule] of config.replyAttributes.entries()) {
    const where = `replyAttributes[${index}]`;
    if (rule.group === '') problems.push(`${where}: group must not be empty`);
    if (!REPLY_ATTRIBUTE_NAMES.includes(rule.attribute)) {
      problems.push(`${where}: attribute must be one of ${REPLY_ATTRIBUTE_NAMES.join(', ')}`);
    }
    const size = Buffer.byteLength(rule.value);
    if (size < 1 || size > 253) problems.push(`${where}: value must be 1-253 bytes`);
  }
  return problems;
}

/** Every stored client (raw, sealed). */
export function readStoredRadiusClients(repos: Pick<Repositories, 'settings'>): Promise<StoredRadiusClients> {
  return readSealedMap<StoredRadiusClient>(repos, RADIUS_CLIENTS);
}

/** Validates and stores a client (adding or replacing it by name); returns whether it replaced one. */
export async function saveRadiusClient(
  deps: Pick<CoreDeps, 'store' | 'ring' | 'clock'>,
  actor: string,
  config: RadiusClientConfig,
): Promise<{ replaced: boolean }> {
  const problems = radiusClientProblems(config);
  if (problems.length > 0) throw new CountersignError('INVALID_INPUT', problems.join('; '));
  const { secret, ...summary } = config;
  const stored: StoredRadiusClient = {
    ...summary,
    secretSealed: sealSecret(deps.ring, RADIUS_CLIENTS, config.name, secret),
  };
  return updateSealedMap<StoredRadiusClient, { replaced: boolean }>(
    deps.store,
    RADIUS_CLIENTS,
    async (all, repos) => {
      const replaced = Object.hasOwn(all, config.name);
      const others = Object.values(all).filter((client) => client.name !== config.name);
      try {
        // Two clients for the same network would make the lookup ambiguous.
        createClientTable([...others, stored].map((client) => ({ ...client, secret: 'x' })));
      } catch (error) {
        if (error instanceof RadiusClientConfigError)
          throw new CountersignError('INVALID_INPUT', error.message);
        throw error;
      }
      await audit(repos, deps.clock.now(), {
        kind: 'admin',
        action: 'radius_client.save',
        actor,
        applicationId: config.applicationId,
        detail: { client: config.name, address: config.address, mode: config.mode, replaced },
      });
      return { all: { ...all, [config.name]: stored }, result: { replaced } };
    },
  );
}

/** Every client without its secret, sorted by name. */
export async function listRadiusClients(deps: Pick<CoreDeps, 'store'>): Promise<RadiusClientSummary[]> {
  return sortedSummaries(RADIUS_CLIENTS, await readStoredRadiusClients(deps.store));
}

/** Removes a client by name; INVALID_INPUT when there is none. */
export async function removeRadiusClient(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  actor: string,
  name: string,
): Promise<void> {
  await updateSealedMap<StoredRadiusClient, void>(deps.store, RADIUS_CLIENTS, async (all, repos) => {
    if (!Object.hasOwn(all, name))
      throw new CountersignError('INVALID_INPUT', `no RADIUS client named '${name}'`);
    const { [name]: removed, ...rest } = all;
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'radius_client.remove',
      actor,
      applicationId: removed?.applicationId ?? null,
      detail: { client: name },
    });
    return { all: rest, result: undefined };
  });
}

/** Every stored client with its secret opened; an entry that cannot be opened is reported, not returned. */
export async function loadRadiusClients(
  deps: Pick<CoreDeps, 'store' | 'ring'>,
): Promise<{ clients: RadiusClientConfig[]; problems: string[] }> {
  const all = await readStoredRadiusClients(deps.store);
  const clients: RadiusClientConfig[] = [];
  const problems: string[] = [];
  for (const name of Object.keys(all).sort()) {
    const stored = all[name]!;
    try {
      const secret = openSecret(deps.ring, RADIUS_CLIENTS, name, stored);
      const config: RadiusClientConfig = { ...withoutSecret(RADIUS_CLIENTS, stored), name, secret };
      const invalid = radiusClientProblems(config);
      if (invalid.length > 0) problems.push(`RADIUS client '${name}': ${invalid.join('; ')}`);
      else clients.push(config);
    } catch (error) {
      problems.push(`RADIUS client '${name}': ${(error as Error).message}`);
    }
  }
  return { clients, problems };
}
