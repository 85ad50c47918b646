// The identity provider's single sign-on session: one browser signed in (password, and how), the relying parties it
// reached through OIDC or SAML. Distinct from "remember me" (core/web/remembered.ts), which only skips a second
// factor: this session skips the password. It is a web session of kind `sso`, so an administrator's
// "sign out everywhere" ends it with every other browser session.
import type { CoreDeps } from '../deps.ts';
import type { User, WebSession } from '../model.ts';
import { loadWebSession, startWebSession } from '../web/sessions.ts';
import type { SignInFacts } from './sign-in-facts.ts';

/** A relying party the session signed in: an OIDC client or a SAML service provider. */
export interface SsoParticipant {
  protocol: 'oidc' | 'saml';
  /** The OIDC client_id or the SAML SP's entity ID. */
  rp: string;
  /** SAML: the SessionIndex given to this SP (a LogoutRequest names it); absent for OIDC. */
  sessionIndex?: string;
  /** SAML: the NameID the SP knows the user by (a LogoutRequest to it must name it); absent for OIDC. */
  nameId?: { format: string; value: string };
  /**
   * OIDC: the provider's session (its `uid`) and the `sid` the client was given, once the provider made them; a
   * sign-out started elsewhere ends that session and names the `sid` in the client's back-channel logout token.
   */
  providerSession?: { uid: string; sid: string };
  at: number;
}

/** What the session remembers about its sign-in and where it was used. */
export interface SsoSessionData extends SignInFacts {
  participants: SsoParticipant[];
}

/** A loaded, live single sign-on session. */
export interface SsoSession {
  session: WebSession;
  data: SsoSessionData;
}

function dataOf(session: WebSession): SsoSessionData | null {
  if (session.kind !== 'sso') return null;
  const data = session.data as Partial<SsoSessionData>;
  if (typeof data.authTime !== 'number' || !Array.isArray(data.amr) || !Array.isArray(data.participants)) {
    return null;
  }
  return data as SsoSessionData;
}

/** Starts a session for a completed sign-in (a new token every time: ASVS 3.2.1); returns the cookie token once. */
export async function startSsoSession(
  deps: CoreDeps,
  user: User,
  facts: SignInFacts,
  ttlMs: number,
  participants: SsoParticipant[] = [],
): Promise<{ session: SsoSession; token: string }> {
  const data: SsoSessionData = { ...facts, participants };
  const { session, token } = await startWebSession(deps, user, 'sso', {
    ttlMs,
    mfa: facts.secondFactor,
    data: { ...data },
  });
  return { session: { session, data }, token };
}

/** The live session behind a cookie token, or null (unknown, revoked, expired, or another kind of session). */
export async function loadSsoSession(deps: CoreDeps, token: string | undefined): Promise<SsoSession | null> {
  const session = await loadWebSession(deps, token);
  const data = session && dataOf(session);
  return session && data ? { session, data } : null;
}

/** The live session with store id `id` (a SAML SessionIndex names it), or null. */
export async function loadSsoSessionById(deps: CoreDeps, id: string): Promise<SsoSession | null> {
  const session = await deps.store.webSessions.getActive(id, deps.clock.now());
  const data = session && dataOf(session);
  return session && data ? { session, data } : null;
}

/** Records that the session signed the user in to `participant` (again: the entry is replaced, not repeated). */
export async function addParticipant(
  deps: CoreDeps,
  sso: SsoSession,
  participant: SsoParticipant,
): Promise<SsoSession> {
  const others = sso.data.participants.filter(
    (p) => !(p.protocol === participant.protocol && p.rp === participant.rp),
  );
  const data: SsoSessionData = { ...sso.data, participants: [...others, participant] };
  await deps.store.webSessions.update(sso.session.id, { data: { ...data } });
  return { session: { ...sso.session, data: { ...data } }, data };
}

/** Ends the session (the user signed out); returns the relying parties it had reached, for logout messages. */
export async function endSsoSession(deps: CoreDeps, sso: SsoSession): Promise<SsoParticipant[]> {
  await deps.store.webSessions.revoke(sso.session.id, deps.clock.now());
  return sso.data.participants;
}
