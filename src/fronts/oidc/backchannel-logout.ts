// Tells relying parties that an administrator signed a user out (OIDC Back-Channel Logout 1.0): each client the
// user's provider sessions reached, with a back-channel logout URI, gets a logout token naming the session.
import type { Provider } from 'oidc-provider';
import type { CoreDeps } from '../../core/deps.ts';
import type { SignOutListener } from '../../core/sso/sign-user-out.ts';
import { openArtifact } from './artifact-payload.ts';
import type { ProviderLog } from './create-provider.ts';

/** One relying party's session of the user: the client and the `sid` it was given. */
export interface SignedInClient {
  clientId: string;
  sid: string;
}

/** The clients the user's live provider sessions signed in to (read before the sessions are revoked). */
export async function signedInClients(deps: CoreDeps, userId: string): Promise<SignedInClient[]> {
  const sessions = await deps.store.oidcArtifacts.listForAccount('Session', userId, deps.clock.now());
  const found: SignedInClient[] = [];
  for (const row of sessions) {
    const authorizations = openArtifact(deps, row).authorizations as
      | Record<string, { sid?: unknown }>
      | undefined;
    for (const [clientId, { sid }] of Object.entries(authorizations ?? {})) {
      if (typeof sid === 'string') found.push({ clientId, sid });
    }
  }
  return found;
}

/** Sends the logout tokens; a relying party that cannot be reached is logged, never an error. Returns how many went. */
export async function sendBackchannelLogouts(
  provider: Provider,
  userId: string,
  clients: readonly SignedInClient[],
  log: ProviderLog,
): Promise<number> {
  const sent = await Promise.all(
    clients.map(async ({ clientId, sid }) => {
      const client = await provider.Client.find(clientId).catch(() => undefined);
      if (!client?.backchannelLogoutUri) return false;
      try {
        await client.backchannelLogout(userId, sid);
        return true;
      } catch (error) {
        log.warn({ err: error, clientId }, 'back-channel logout was not delivered');
        return false;
      }
    }),
  );
  return sent.filter(Boolean).length;
}

/** The OpenID provider's part in signing a user out: its clients with a back-channel logout URI are told. */
export function oidcSignOutListener(
  deps: CoreDeps,
  provider: () => Promise<Provider>,
  log: ProviderLog,
): SignOutListener {
  return {
    async prepare(userId) {
      const clients = await signedInClients(deps, userId);
      return async () =>
        clients.length === 0 ? 0 : sendBackchannelLogouts(await provider(), userId, clients, log);
    },
  };
}
