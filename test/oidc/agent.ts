// A browser without a screen for OIDC tests: a cookie jar, redirects followed by hand, forms posted with our Origin.
// It stops at the first address outside the server (the relying party's callback) or at a page to read.

/** One answer: where the agent ended, its status and body. */
export interface Landing {
  url: URL;
  status: number;
  body: string;
}

export interface Agent {
  /** GETs `url` and follows redirects on this server; stops at a page or at a redirect elsewhere. */
  open(url: string | URL): Promise<Landing>;
  /** POSTs a form (like a browser: Origin set) and follows redirects. */
  submit(url: string | URL, form: Record<string, string>): Promise<Landing>;
  /** Calls the prompt's JSON API (with the flow's CSRF token, when given). */
  api<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: object,
    csrf?: string,
  ): Promise<{ status: number; body: T }>;
  /** The jar's cookie `name`, if any. */
  cookie(name: string): string | undefined;
  /** Forgets one cookie (a browser restart forgets session cookies: use `forgetSessionCookies`). */
  forget(name: string): void;
}

/**
 * An agent for the server at `base` (its origin is what it sends as Origin). `route` picks where each request
 * really goes (several nodes behind one public URL): by default, where its URL says.
 */
export function createAgent(base: string, route: (url: URL) => URL = (url) => url): Agent {
  const origin = new URL(base).origin;
  const jar = new Map<string, string>();
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const request = async (url: URL, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', cookieHeader());
    const response = await fetch(route(url), { ...init, headers, redirect: 'manual' });
    remember(response);
    return response;
  };
  const follow = async (first: Response, from: URL): Promise<Landing> => {
    let response = first;
    let url = from;
    for (let hops = 0; hops < 20; hops++) {
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { url, status: response.status, body: await response.text() };
      }
      await response.body?.cancel();
      url = new URL(location, url);
      if (url.origin !== origin) return { url, status: response.status, body: '' };
      response = await request(url, { method: 'GET' });
    }
    throw new Error(`too many redirects, last at ${url}`);
  };
  return {
    async open(target) {
      const url = new URL(target, base);
      return follow(await request(url, { method: 'GET' }), url);
    },
    async submit(target, form) {
      const url = new URL(target, base);
      const response = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: new URLSearchParams(form),
      });
      return follow(response, url);
    },
    async api<T>(method: 'GET' | 'POST', path: string, body?: object, csrf?: string) {
      const response = await request(new URL(path, base), {
        method,
        headers: {
          origin,
          ...(method === 'POST' && { 'content-type': 'application/json' }),
          ...(csrf && { 'x-csrf-token': csrf }),
        },
        ...(method === 'POST' && { body: JSON.stringify(body ?? {}) }),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    cookie: (name) => jar.get(name),
    forget: (name) => {
      jar.delete(name);
    },
  };
}
