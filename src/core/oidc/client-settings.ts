// An OpenID Connect client is an application of type `oidc`: its client_id is the integration key, its secret the
// secret key (sealed at rest); these settings say where it may send browsers and what it may ask for.
import { createApplication } from '../admin/create-application.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import type { Application, PolicyLayer } from '../model.ts';
import type { Repositories } from '../repositories.ts';
import { redirectUriProblem } from '../web/redirect-uri.ts';

export interface OidcClientSettings {
  /** Where authorization responses may go (exact match, OAuth 2.0 Security BCP §4.1.3). */
  redirectUris: string[];
  /** Where the browser may return after RP-initiated logout. */
  postLogoutRedirectUris: string[];
  /** OIDC Back-Channel Logout: where the provider POSTs a logout token when the user signs out. */
  backchannelLogoutUri: string | null;
  /** May receive refresh tokens (when it asks for `offline_access`). */
  refreshTokens: boolean;
  /**
   * How the client authenticates at the token endpoint: its secret in an HTTP Basic header or in the form body, or
   * not at all (`none`: a public single-page or native app, which PKCE alone protects).
   */
  tokenAuthMethod: (typeof TOKEN_AUTH_METHODS)[number];
}

export const TOKEN_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'] as const;

/** The settings key of a client's settings. */
export function oidcClientKey(app: Pick<Application, 'id'>): string {
  return `oidc-client:${app.id}`;
}

/** At most this many URIs of each kind, each at most this long. */
const MAX_URIS = 20;
const MAX_URI_LENGTH = 2000;

function checkUris(name: string, values: readonly string[]): string[] {
  if (values.length > MAX_URIS) throw new CountersignError('INVALID_INPUT', `at most ${MAX_URIS} ${name}s`);
  for (const value of values) {
    const problem = value.length > MAX_URI_LENGTH ? 'The URI is too long.' : redirectUriProblem(value);
    if (problem !== null) {
      throw new CountersignError(
        'INVALID_INPUT',
        `${name} ${JSON.stringify(value)}: ${problem.replace('redirect_uri', 'URI')}`,
      );
    }
  }
  return [...new Set(values)];
}

/** Validates settings: at least one redirect URI; every URI absolute, https (http only for loopback), no fragment. */
export function checkOidcClientSettings(input: Partial<OidcClientSettings>): OidcClientSettings {
  const redirectUris = checkUris('redirect URI', input.redirectUris ?? []);
  if (redirectUris.length === 0)
    throw new CountersignError('INVALID_INPUT', 'an OIDC client needs at least one redirect URI');
  const backchannel = input.backchannelLogoutUri ?? null;
  if (input.tokenAuthMethod !== undefined && !TOKEN_AUTH_METHODS.includes(input.tokenAuthMethod)) {
    throw new CountersignError(
      'INVALID_INPUT',
      `the token auth method must be one of ${TOKEN_AUTH_METHODS.join(', ')}`,
    );
  }
  return {
    redirectUris,
    postLogoutRedirectUris: checkUris('post-logout redirect URI', input.postLogoutRedirectUris ?? []),
    backchannelLogoutUri:
      backchannel === null ? null : checkUris('back-channel logout URI', [backchannel])[0]!,
    refreshTokens: input.refreshTokens ?? false,
    tokenAuthMethod: input.tokenAuthMethod ?? 'client_secret_basic',
  };
}

/** A client's settings, or null when the application is not an OIDC client (or was never given any). */
export async function readOidcClientSettings(
  repos: Pick<Repositories, 'settings'>,
  app: Application,
): Promise<OidcClientSettings | null> {
  if (app.type !== 'oidc') return null;
  return repos.settings.get<OidcClientSettings>(oidcClientKey(app));
}

/** Connects an OIDC client; returns it with its secret (the only time it is shown). */
export async function createOidcClient(
  deps: CoreDeps,
  actor: string,
  input: { name: string; policy?: PolicyLayer; settings: Partial<OidcClientSettings> },
): Promise<{ app: Application; secret: string; settings: OidcClientSettings }> {
  const settings = checkOidcClientSettings(input.settings);
  const { app, skey } = await createApplication(deps, actor, {
    name: input.name,
    type: 'oidc',
    ...(input.policy && { policy: input.policy }),
  });
  await deps.store.settings.set(oidcClientKey(app), settings);
  return { app, secret: skey, settings };
}
