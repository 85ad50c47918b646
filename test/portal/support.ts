// The portal test world: a real server reached as http://localhost:<port> (a secure context for WebAuthn and
// `__Host-` cookies), the built portal page, Chromium, and the e-mail outbox.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../browser/support/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ensureWebBuilt } from '../support/web-build.ts';

/** The portal page, built (see ensureWebBuilt). */
export function buildPortal(): void {
  ensureWebBuilt();
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

export interface PortalWorld {
  server: TestServer;
  /** `http://localhost:<port>`. */
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Builds the portal, starts the server on a known port with `public_url` on localhost (and `config` overrides by
 * dotted path), launches Chromium.
 */
export async function openPortalWorld(config: Record<string, unknown> = {}): Promise<PortalWorld> {
  buildPortal();
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const server = await startTestServer({ config: { ...config, 'http.port': port, public_url: url } });
  const browser = await launchChromium();
  return {
    server,
    url,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** The e-mails in the server's outbox (subject and recipient), oldest first. */
export function outbox(server: TestServer): { to: string; subject: string; text: string }[] {
  const dir = join(server.countersign.config.data_dir, 'outbox');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => {
      const raw = readFileSync(join(dir, name), 'utf8');
      return {
        to: /^To: (.*)$/m.exec(raw)?.[1]?.trim() ?? '',
        subject: /^Subject: (.*)$/m.exec(raw)?.[1]?.trim() ?? '',
        text: raw.split('\r\n\r\n').slice(1).join('\r\n\r\n'),
      };
    });
}

/** Signs in through the page with the keyboard only. */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/portal/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
}

/** Adds a CTAP2 platform authenticator with user verification to the page (Chromium's virtual authenticator). */
export async function virtualAuthenticator(
  context: BrowserContext,
  page: Page,
  options: {
    isUserVerified?: boolean;
    hasUserVerification?: boolean;
    hasResidentKey?: boolean;
    transport?: 'internal' | 'usb';
  } = {},
): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: options.transport ?? 'internal',
      hasResidentKey: options.hasResidentKey ?? true,
      hasUserVerification: options.hasUserVerification ?? true,
      isUserVerified: options.isUserVerified ?? true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

/** Fetches a portal API path from inside the page (same origin, the session cookie, the CSRF token). */
export async function api(page: Page, method: 'GET' | 'POST', path: string, body?: unknown) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = (await (await fetch('/portal/api/session')).json()) as { csrf?: string };
      const response = await fetch(`/portal/api${path}`, {
        method,
        headers:
          method === 'POST' ? { 'content-type': 'application/json', 'x-csrf-token': session.csrf ?? '' } : {},
        ...(method === 'POST' && { body: JSON.stringify(body ?? {}) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    { method, path, body },
  );
}

/** In-page script: navigator.credentials.create from the server's options JSON, answered as RegistrationResponseJSON. */
const CREATE_SCRIPT = `async ({ options, dropRpId }) => {
  const decode = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const encode = (b) => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const credential = await navigator.credentials.create({
    publicKey: {
      ...options,
      rp: dropRpId ? { name: options.rp.name } : options.rp,
      challenge: decode(options.challenge),
      user: { ...options.user, id: decode(options.user.id) },
      excludeCredentials: (options.excludeCredentials ?? []).map((c) => ({ ...c, id: decode(c.id) })),
    },
  });
  return {
    id: credential.id,
    rawId: encode(credential.rawId),
    type: 'public-key',
    clientExtensionResults: {},
    response: {
      clientDataJSON: encode(credential.response.clientDataJSON),
      attestationObject: encode(credential.response.attestationObject),
      transports: credential.response.getTransports(),
    },
  };
}`;

/**
 * Creates a credential in `page` for the server's creation options and returns the response (for tests that hold,
 * replay or misdirect it). `dropRpId` lets the browser use the page's own origin as RP ID.
 */
export async function createCredentialIn(
  page: Page,
  options: unknown,
  dropRpId = false,
): Promise<Record<string, unknown>> {
  return page.evaluate(`(${CREATE_SCRIPT})(${JSON.stringify({ options, dropRpId })})`);
}
