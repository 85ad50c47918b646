// Opens LDAP connections: URL failover in order, timeouts, StartTLS, and the service-account bind.
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client, ResultCodeError } from 'ldapts';
import type { LdapDirectoryConfig } from './config.ts';

/** One URL that could not be used, and why. */
export interface LdapAttempt {
  url: string;
  error: string;
}

/** Every configured server was down, timed out, refused TLS or refused the service bind. */
export class LdapUnavailableError extends Error {
  readonly kind = 'unavailable';
  readonly tried: LdapAttempt[];
  constructor(tried: LdapAttempt[]) {
    super(`no LDAP server answered: ${tried.map((t) => `${t.url} (${t.error})`).join('; ')}`);
    this.name = 'LdapUnavailableError';
    this.tried = tried;
  }
}

/** A bound client and the URL it talks to (so a user bind can go to the same server). */
export interface LdapConnection {
  client: Client;
  url: string;
}

type ConnectSettings = Pick<
  LdapDirectoryConfig,
  'startTls' | 'tlsCaPem' | 'tlsRejectUnauthorized' | 'connectTimeoutMs' | 'operationTimeoutMs'
>;

/** A readable one-line reason for any error an LDAP call threw. */
export function describeLdapError(error: unknown): string {
  if (error instanceof ResultCodeError) return `${error.name} (result code ${error.code}): ${error.message}`;
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function tlsOptions(config: ConnectSettings, url: string): ConnectionOptions {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const options: ConnectionOptions = {
    host, // StartTLS upgrades a bare socket: without this Node checks the certificate against 'localhost'
    rejectUnauthorized: config.tlsRejectUnauthorized ?? true,
    minVersion: 'TLSv1.2',
  };
  if (!isIP(host)) options.servername = host; // RFC 6066 §3: SNI carries DNS names only
  if (config.tlsCaPem) options.ca = [config.tlsCaPem];
  return options;
}

/** Runs work with an overall deadline; on expiry calls onTimeout and rejects. */
async function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Unbinds and closes a client, ignoring errors (the connection may already be gone). */
export async function closeClient(client: Client): Promise<void> {
  try {
    await client.unbind();
  } catch {
    // nothing to do: unbind() destroys the socket in any case
  }
}

/**
 * Opens a connection to one URL, upgrades it with StartTLS when configured, then runs `then`
 * (typically a bind) — all under one deadline. The client is closed if anything fails.
 */
export async function openClient(
  config: ConnectSettings,
  url: string,
  then: (client: Client) => Promise<void>,
): Promise<Client> {
  const tls = tlsOptions(config, url);
  const client = new Client({
    url,
    connectTimeout: config.connectTimeoutMs,
    timeout: config.operationTimeoutMs,
    // ldapts speaks TLS from the first byte whenever tlsOptions is set, so only give it for ldaps://
    ...(url.toLowerCase().startsWith('ldaps:') ? { tlsOptions: tls } : {}),
  });
  // covers the TCP connect, the TLS handshake (not under ldapts' timers) and two operations
  const budget = config.connectTimeoutMs + 2 * config.operationTimeoutMs;
  try {
    await withDeadline(
      (async () => {
        if (config.startTls) await client.startTLS({ ...tls });
        await then(client);
      })(),
      budget,
      () => void closeClient(client),
    );
    return client;
  } catch (error) {
    await closeClient(client);
    throw error;
  }
}

/**
 * Connects to the first URL that answers (in order) and binds as the service account.
 * Throws LdapUnavailableError listing every URL tried when none works.
 */
export async function connectLdap(
  config: ConnectSettings & Pick<LdapDirectoryConfig, 'urls' | 'bindDn' | 'bindPassword'>,
): Promise<LdapConnection> {
  const tried: LdapAttempt[] = [];
  // RFC 4513 §5.1.2: never send an empty password, it would be an anonymous bind
  if (config.bindPassword === '')
    throw new LdapUnavailableError([{ url: '-', error: 'empty service password' }]);
  for (const url of config.urls) {
    try {
      const client = await openClient(config, url, (c) => c.bind(config.bindDn, config.bindPassword));
      return { client, url };
    } catch (error) {
      tried.push({ url, error: describeLdapError(error) });
    }
  }
  throw new LdapUnavailableError(tried);
}
