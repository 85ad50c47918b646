// Shared helpers for the LDAP integration tests: a config for the test slapd, closed ports, silent servers.
import { createServer, type Socket } from 'node:net';
import { DEFAULT_ATTRIBUTES, type LdapDirectoryConfig } from '../../src/primary/ldap/config.ts';
import { freePort, GROUPS_DN, PEOPLE_DN, SVC_DN, SVC_PASSWORD } from '../support/slapd.ts';

/** A configuration for the test tree, with short timeouts. */
export function configFor(urls: string[], overrides: Partial<LdapDirectoryConfig> = {}): LdapDirectoryConfig {
  return {
    name: 'test',
    urls,
    bindDn: SVC_DN,
    bindPassword: SVC_PASSWORD,
    baseDn: PEOPLE_DN,
    userAttribute: 'uid',
    userFilter: '(objectClass=inetOrgPerson)',
    groupBaseDn: GROUPS_DN,
    startTls: false,
    connectTimeoutMs: 2000,
    operationTimeoutMs: 2000,
    attributes: { ...DEFAULT_ATTRIBUTES },
    ...overrides,
  };
}

/** An ldap:// URL on a port where nothing listens. */
export async function closedPortUrl(): Promise<string> {
  return `ldap://127.0.0.1:${await freePort()}`;
}

/** A TCP server that accepts connections, counts them, and never answers (a hung LDAP server). */
export async function silentServer(): Promise<{
  url: string;
  connections(): number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `ldap://127.0.0.1:${port}`,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
