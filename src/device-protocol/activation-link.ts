// Activation links and codes: what the QR code holds, the page an administrator sends, and the text a user can paste.

const CODE = /^[A-Za-z0-9_-]{16,64}$/;

/** The link a phone's camera opens: the app's page with the code in the fragment (never sent to a server log). */
export function activationLink(serverUrl: string, code: string): string {
  return `${serverUrl.replace(/\/$/, '')}/app/#activate=${encodeURIComponent(code)}`;
}

/** The page an administrator sends the user to (install the app, then scan the code), the code in its fragment. */
export function activationPageLink(serverUrl: string, code: string): string {
  return `${serverUrl.replace(/\/$/, '')}/activate/#code=${encodeURIComponent(code)}`;
}

/** Where each kind of link keeps the code: the path it ends with and the fragment parameter. */
const LINK_FORMS = [
  { path: /\/app\/?$/, parameter: 'activate' },
  { path: /\/activate\/?$/, parameter: 'code' },
] as const;

/** Reads either link (or `code@server-url` text) back into its parts; null when it is none of them. */
export function parseActivation(text: string): { serverUrl: string; code: string } | null {
  const trimmed = text.trim();
  const at = trimmed.lastIndexOf('@');
  if (!trimmed.includes('://') || (at > 0 && !trimmed.slice(0, at).includes('/'))) {
    if (at <= 0) return null;
    const code = trimmed.slice(0, at);
    const serverUrl = trimmed.slice(at + 1).replace(/\/$/, '');
    return CODE.test(code) && /^https?:\/\//.test(serverUrl) ? { serverUrl, code } : null;
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  const form = LINK_FORMS.find((candidate) => candidate.path.test(url.pathname));
  if (!form) return null;
  const encoded = new URLSearchParams(url.hash.slice(1)).get(form.parameter);
  if (encoded === null || !CODE.test(encoded)) return null;
  return { serverUrl: `${url.origin}${url.pathname.replace(form.path, '')}`, code: encoded };
}
