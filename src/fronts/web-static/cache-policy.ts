// HTTP headers for the built web apps: caching that suits a service worker, and a strict content policy.

/** Cache-Control for a file of a built app, by its path inside the app's folder. */
export function cacheControlFor(path: string): string {
  const name = path.replaceAll('\\', '/');
  // Vite puts content-hashed files under assets/: a new release has new names, so they never change.
  if (/(^|\/)assets\//.test(name)) return 'public, max-age=31536000, immutable';
  // sw.js, index.html, the manifest and icons keep their names: always revalidate (ETag makes that cheap).
  return 'no-cache';
}

/**
 * Content-Security-Policy for the app pages. Scripts, styles and workers come from this server only;
 * `connect-src` stays open to http(s) because the app may hold accounts on other Countersign servers.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' https: http:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** Every header a static file of the apps gets. */
export function staticHeaders(path: string): Record<string, string> {
  return {
    'cache-control': cacheControlFor(path),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}
