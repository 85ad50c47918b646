// Which URLs a browser may be sent back to with a code: absolute, https (http only for loopback), no fragment.
import { isIP } from 'node:net';

/** True for hosts that never leave this machine (Duo's own example app returns to http://localhost:3000). */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Why `value` cannot be a redirect URI, in words for the person who sent it; null when it can. */
export function redirectUriProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'The redirect_uri is not an absolute URL.';
  }
  if (url.hash !== '') return 'The redirect_uri must not have a fragment.';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return null;
  return 'The redirect_uri must use https (http is allowed only for loopback hosts).';
}
