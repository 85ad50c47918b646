// A single logout in progress: after an SP's LogoutRequest (or an OpenID client's logout) ended the SSO session, the
// browser visits each other SAML SP of that session with our LogoutRequest (RelayState names the run), then returns
// the LogoutResponse to the SP that asked (or goes where the OpenID provider was sending it). Kept in the store (any node continues it) until its deadline: SPs still waiting then are skipped and
// the answer says PartialLogout (core §3.7.3.2).
import { createHash } from 'node:crypto';
import type { CoreDeps } from '../../core/deps.ts';
import { open, seal } from '../../crypto/secret-box.ts';
import type { NameId } from '../../saml/index.ts';
import type { BindingName } from '../../saml/names.ts';

/** How long the browser has to go round every SP. */
export const LOGOUT_RUN_MS = 2 * 60_000;

export interface LogoutRun {
  /** The SP whose LogoutRequest started the run, answered last; null when an OpenID client's logout started it. */
  origin: { entityId: string; inResponseTo: string; binding: BindingName; relayState: string | null } | null;
  /** Without an origin SP: where the browser goes at the end (null: our "signed out" page). */
  returnTo: string | null;
  /** SPs still to be told. */
  remaining: Array<{ entityId: string; nameId: NameId; sessionIndex: string }>;
  /** The LogoutRequest out now, whose LogoutResponse the run waits for. */
  awaiting: { entityId: string; requestId: string } | null;
  /** Some SP's session could not be ended (no SLO endpoint, a failure status, or out of time). */
  partial: boolean;
  deadline: number;
}

const MODEL = 'SamlLogout';
const hash = (value: string) => createHash('sha256').update(value).digest('base64url');
const context = (id: string) => `saml:${MODEL}:${id}`;

/** Stores `run` under `ref` (a new one when null); returns the ref (the RelayState of our LogoutRequests). */
export async function saveRun(deps: CoreDeps, ref: string | null, run: LogoutRun): Promise<string> {
  const key = ref ?? deps.random.bytes(24).toString('base64url');
  const id = hash(key);
  await deps.store.oidcArtifacts.upsert({
    model: MODEL,
    id,
    payloadSealed: seal(deps.ring, Buffer.from(JSON.stringify(run)), context(id)),
    grantId: null,
    uid: null,
    userCode: null,
    accountId: null,
    // Kept past the deadline, so a late answer still lets the run tell the asking SP (PartialLogout).
    expiresAt: run.deadline + LOGOUT_RUN_MS,
    consumedAt: null,
  });
  return key;
}

/** The run `ref`, or null (unknown or finished). */
export async function loadRun(deps: CoreDeps, ref: string | undefined): Promise<LogoutRun | null> {
  if (!ref || ref.length > 64) return null;
  const id = hash(ref);
  const row = await deps.store.oidcArtifacts.find(MODEL, id, deps.clock.now());
  if (!row || row.consumedAt !== null) return null;
  return JSON.parse(open(deps.ring, row.payloadSealed, context(id)).toString('utf8')) as LogoutRun;
}

/** Ends the run `ref` (it is answered now). */
export async function endRun(deps: CoreDeps, ref: string): Promise<void> {
  await deps.store.oidcArtifacts.destroy(MODEL, hash(ref));
}
