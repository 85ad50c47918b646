// OpenID Connect clients are applications of type `oidc`: their metadata, built from the application and its
// client settings whenever the provider asks (a change made from any node's CLI applies at once).
import type { AdapterPayload } from 'oidc-provider';
import { applicationSecret } from '../../core/admin/create-application.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { readOidcClientSettings } from '../../core/oidc/client-settings.ts';

/** The client metadata (OIDC Dynamic Client Registration §2 names) of `clientId`, or undefined when unknown. */
export async function clientMetadata(deps: CoreDeps, clientId: string): Promise<AdapterPayload | undefined> {
  // Integration keys are 20 characters: anything else never reaches the database.
  if (clientId.length !== 20) return undefined;
  const app = await deps.store.applications.findByIkey(clientId);
  if (!app) return undefined;
  const settings = await readOidcClientSettings(deps.store, app);
  if (!settings) return undefined;
  return {
    client_id: app.ikey,
    client_name: app.name,
    ...(settings.tokenAuthMethod !== 'none' && { client_secret: applicationSecret(deps, app) }),
    token_endpoint_auth_method: settings.tokenAuthMethod,
    redirect_uris: settings.redirectUris,
    post_logout_redirect_uris: settings.postLogoutRedirectUris,
    response_types: ['code'],
    // Every ID token says when the user authenticated (the `auth_time` claim), asked for or not.
    require_auth_time: true,
    grant_types: settings.refreshTokens ? ['authorization_code', 'refresh_token'] : ['authorization_code'],
    ...(settings.backchannelLogoutUri !== null && {
      backchannel_logout_uri: settings.backchannelLogoutUri,
      backchannel_logout_session_required: true,
    }),
  };
}
