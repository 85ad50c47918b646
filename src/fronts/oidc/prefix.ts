// Where the provider is mounted, in a module of its own: the routes need it at start, oidc-provider only on first use.

/** Where the provider is mounted, under the public URL: the issuer is `<public_url>/oidc`. */
export const OIDC_PREFIX = '/oidc';
