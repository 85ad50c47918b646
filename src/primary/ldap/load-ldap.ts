// The LDAP module (and ldapts under it), loaded the first time a directory is used: a server with no directory
// configured never needs it (issue 14, idle memory). Types are imported statically; they cost nothing at run time.

/** The LDAP module's public surface (index.ts); the first call loads it, later calls get the same module. */
export function loadLdap(): Promise<typeof import('./index.ts')> {
  return import('./index.ts');
}
