// Activation links and codes: what the QR code holds, and the text form a user can paste.

/** The link a phone's camera opens: the app's page with the code in the fragment (never sent to a server log). */
export function activationLink(serverUrl: string, code: string): string {
  return `${serverUrl.replace(/\/$/, '')}/app/#activate=${encodeURIComponent(code)}`;
}

/** Reads a link (or `code@server-url` text) back into its parts; null when it is neither. */
export function parseActivation(text: string): { serverUrl: string; code: string } | null {
  const trimmed = text.trim();
  const at = trimmed.lastIndexOf('@');
  if (!trimmed.includes('://') || (at > 0 && !trimmed.slice(0, at).includes('/'))) {
    if (at <= 0) return null;
    const code = trimmed.slice(0, at);
    const serverUrl = trimmed.slice(at + 1).replace(/\/$/, '');
    return /^[A-Za-z0-9_-]{16,64}$/.test(code) && /^https?:\/\//.test(serverUrl) ? { serverUrl, code } : null;
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  const match = /(?:^#|&)activate=([^&]+)/.exec(url.hash);
  if (!match || !/\/app\/?$/.test(url.pathname)) return null;
  const code = decodeURIComponent(match[1]!);
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(code)) return null;
  return { serverUrl: `${url.origin}${url.pathname.replace(/\/app\/?$/, '')}`, code };
}
