// A sign-in request waiting for the user (an accepted AuthnRequest, or an IdP-initiated start), kept in the store
// so any node continues it, and bound to the browser that brought it: its SAML cookie holds a random value whose
// hash the request records (as OIDC's interaction cookie binds an interaction).
import { createHash } from 'node:crypto';
import type { CoreDeps } from '../../core/deps.ts';
import { open, seal } from '../../crypto/secret-box.ts';
import type { AcsEndpoint } from '../../saml/index.ts';

/** The browser's SAML binding cookie (one per browser; each request in it has its own reference). */
export const SAML_COOKIE = '__Host-cs-saml';

/** How long a request waits for the user: a sign-in with a push on the phone takes minutes, not hours. */
export const PENDING_TTL_MS = 15 * 60_000;

/** The stored request. */
export interface PendingRequest {
  /** The application the SP is. */
  appId: string;
  entityId: string;
  /** The AuthnRequest answered (its ID and ACS), or null for IdP-initiated SSO. */
  answering: { id: string; acs: AcsEndpoint } | null;
  relayState: string | null;
  forceAuthn: boolean;
  requireSecondFactor: boolean;
  /** SHA-256 of the browser's binding cookie. */
  browser: string;
  expiresAt: number;
}

const MODEL = 'SamlRequest';

const hash = (value: string) => createHash('sha256').update(value).digest('base64url');
const context = (id: string) => `saml:${MODEL}:${id}`;

/** Stores `request` under a new random reference (returned: it goes in the browser's URLs). */
export async function savePending(
  deps: CoreDeps,
  request: Omit<PendingRequest, 'browser' | 'expiresAt'>,
  browserToken: string,
): Promise<string> {
  const ref = deps.random.bytes(24).toString('base64url');
  const id = hash(ref);
  const stored: PendingRequest = {
    ...request,
    browser: hash(browserToken),
    expiresAt: deps.clock.now() + PENDING_TTL_MS,
  };
  await deps.store.oidcArtifacts.upsert({
    model: MODEL,
    id,
    payloadSealed: seal(deps.ring, Buffer.from(JSON.stringify(stored)), context(id)),
    grantId: null,
    uid: null,
    userCode: null,
    accountId: null,
    expiresAt: stored.expiresAt,
    consumedAt: null,
  });
  return ref;
}

/** The request `ref` when it is live and this browser's (`browserToken` from its cookie); else null. */
export async function loadPending(
  deps: CoreDeps,
  ref: string,
  browserToken: string | undefined,
): Promise<PendingRequest | null> {
  if (!browserToken) return null;
  const id = hash(ref);
  const row = await deps.store.oidcArtifacts.find(MODEL, id, deps.clock.now());
  if (!row || row.consumedAt !== null) return null;
  const request = JSON.parse(
    open(deps.ring, row.payloadSealed, context(id)).toString('utf8'),
  ) as PendingRequest;
  return request.browser === hash(browserToken) ? request : null;
}

/** Marks `ref` answered (compare-and-set): false when another tab or node answered it first. */
export function finishPending(deps: CoreDeps, ref: string): Promise<boolean> {
  return deps.store.oidcArtifacts.consume(MODEL, hash(ref), deps.clock.now());
}

/** A new browser binding value for the SAML cookie. */
export function newBrowserToken(deps: CoreDeps): string {
  return deps.random.bytes(32).toString('base64url');
}
