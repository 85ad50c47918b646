// A sign-out that started at a SAML service provider reaches the OpenID clients of the same SSO session: their
// provider sessions end (no silent sign-in from them) and each client with a back-channel logout URI is told.
import type { CoreDeps } from '../../core/deps.ts';
import type { SsoParticipant } from '../../core/sso/sso-session.ts';
import { type SignedInClient, sendBackchannelLogouts } from './backchannel-logout.ts';
import type { ProviderLog } from './create-provider.ts';
import type { ProviderHost } from './provider-host.ts';

/** Ends the provider sessions `participants` name and sends their clients logout tokens; returns how many went. */
export async function endProviderSessions(
  deps: CoreDeps,
  host: ProviderHost,
  log: ProviderLog,
  userId: string,
  participants: readonly SsoParticipant[],
): Promise<number> {
  const clients: SignedInClient[] = [];
  const ended = new Set<string>();
  for (const p of participants) {
    if (p.protocol !== 'oidc' || !p.providerSession) continue;
    const { uid, sid } = p.providerSession;
    if (!ended.has(uid)) {
      ended.add(uid);
      const row = await deps.store.oidcArtifacts.findByUid('Session', uid, deps.clock.now());
      // Only the user's own session: the entry came from our store, but a uid is not a proof of ownership.
      if (row && row.accountId === userId) await deps.store.oidcArtifacts.destroy('Session', row.id);
    }
    clients.push({ clientId: p.rp, sid });
  }
  return clients.length === 0 ? 0 : sendBackchannelLogouts(await host.get(), userId, clients, log);
}
