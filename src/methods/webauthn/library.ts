// @simplewebauthn/server, loaded at the first WebAuthn ceremony: with the X.509 and ASN.1 code under it, it holds
// about 7 MiB of heap that a server whose users never use a security key would carry for nothing (issue 14).

/** The WebAuthn library; the first call loads it, later calls get the same module. */
export function loadWebauthnLibrary(): Promise<typeof import('@simplewebauthn/server')> {
  return import('@simplewebauthn/server');
}
