// Cookies for browser sessions: `__Host-` prefixed, Secure, HttpOnly, SameSite, Path=/ (ASVS 3.4).
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = '__Host-cs-session';
/** A login prompt flow: its own cookie, so a prompt never ends a portal session in the same browser. */
export const PROMPT_COOKIE = '__Host-cs-prompt';
export const REMEMBER_COOKIE = '__Host-cs-remember';
/** The console's session: its own cookie (SameSite=Strict), so the portal and the console never end each other. */
export const CONSOLE_COOKIE = '__Host-cs-console';
/** The identity provider's single sign-on session (OIDC and SAML), distinct from the remembered second factor. */
export const SSO_COOKIE = '__Host-cs-sso';

/** Reads one cookie from the request (no library: the format is small and we need only our own names). */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  return readCookieHeader(request.headers.cookie, name);
}

/** Reads one cookie from a raw `Cookie` header. */
export function readCookieHeader(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Sets a cookie with every protection a `__Host-` cookie needs; `expiresAt` null makes a session cookie. */
export function setCookie(
  reply: FastifyReply,
  name: string,
  value: string,
  options: { expiresAt: number | null; sameSite?: 'Strict' | 'Lax' },
): void {
  const cookie = cookieString(name, value, options);
  const existing = reply.getHeader('set-cookie');
  const list =
    existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  reply.header('set-cookie', [...list, cookie]);
}

/** The `Set-Cookie` value of one of our cookies (for handlers that write the raw response). */
export function cookieString(
  name: string,
  value: string,
  options: { expiresAt: number | null; sameSite?: 'Strict' | 'Lax' },
): string {
  const parts = [`${name}=${value}`, 'Path=/', 'Secure', 'HttpOnly', `SameSite=${options.sameSite ?? 'Lax'}`];
  if (options.expiresAt !== null) parts.push(`Expires=${new Date(options.expiresAt).toUTCString()}`);
  return parts.join('; ');
}

/** Deletes a cookie. */
export function clearCookie(reply: FastifyReply, name: string): void {
  setCookie(reply, name, '', { expiresAt: 0 });
}
