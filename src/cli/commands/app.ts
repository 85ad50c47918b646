// `countersign app …`: add (the secret key is shown once; OIDC clients with their redirect URIs, SAML SPs from
// metadata or typed by hand), list, show, set (REST v1 on or off).
import type { Countersign } from '../../app.ts';
import { publicUrl } from '../../config.ts';
import {
  createApplication,
  requireApplication,
  setLegacyRestV1,
} from '../../core/admin/create-application.ts';
import {
  ADMIN_PERMISSIONS,
  APPLICATION_TYPES,
  type Application,
  type ApplicationType,
} from '../../core/model.ts';
import {
  createOidcClient,
  type OidcClientSettings,
  readOidcClientSettings,
  TOKEN_AUTH_METHODS,
} from '../../core/oidc/client-settings.ts';
import { createServiceProvider, readSpRecord } from '../../core/saml/service-providers.ts';
import { type Command, type Invocation, UsageError } from '../command.ts';
import { cliActor, withCountersign } from '../context.ts';
import { formatTable, print } from '../output.ts';
import { idpValues, SAML_OPTIONS, samlOptionsGiven, spFromOptions } from './app-saml.ts';

/** An application without its sealed secret. */
export function publicApplication(app: Application) {
  const { skeySealed: _sealed, ...rest } = app;
  return rest;
}

/** Said wherever REST v1 is switched on (docs/pam.md says it too). */
export const LEGACY_REST_V1_WARNING = [
  'Warning: REST v1 requests are signed without a date, so a captured request never expires and can be sent again.',
  'Serve Countersign over HTTPS only, keep this application for duo_unix 1.x alone, and set `failmode = secure`',
  'in its pam_duo.conf / login_duo.conf (docs/pam.md).',
].join('\n');

/** The lines a command prints after switching REST v1 on for `app`. */
function legacyRestV1Notice(app: Application): string[] {
  return [
    `REST v1 is on for '${app.name}': duo_unix 1.x (Debian's and Ubuntu's login_duo and pam_duo) can log in with it.`,
    LEGACY_REST_V1_WARNING,
  ];
}

/** The OIDC-only options of `app add`, read into client settings (undefined when none was given). */
function oidcSettings(values: Invocation['values']): Partial<OidcClientSettings> | undefined {
  const list = (name: string): string[] => {
    const value = values[name];
    return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
  };
  const method = values['token-auth'];
  if (method !== undefined && !(TOKEN_AUTH_METHODS as readonly unknown[]).includes(method)) {
    throw new UsageError(`--token-auth must be one of ${TOKEN_AUTH_METHODS.join(', ')}`);
  }
  const backchannel = values['backchannel-logout-uri'];
  const given = OIDC_OPTIONS.some((name) => values[name] !== undefined);
  if (!given) return undefined;
  return {
    redirectUris: list('redirect-uri'),
    postLogoutRedirectUris: list('post-logout-redirect-uri'),
    backchannelLogoutUri: typeof backchannel === 'string' ? backchannel : null,
    refreshTokens: values['refresh-tokens'] === true,
    ...(typeof method === 'string' && { tokenAuthMethod: method as OidcClientSettings['tokenAuthMethod'] }),
  };
}

const OIDC_OPTIONS = [
  'redirect-uri',
  'post-logout-redirect-uri',
  'backchannel-logout-uri',
  'refresh-tokens',
  'token-auth',
] as const;

export const appAdd: Command = {
  name: 'app add',
  summary: 'Connect an application; prints its integration key and secret key (shown once).',
  usage: [
    `countersign app add <name> [--type ${APPLICATION_TYPES.join('|')}] [--legacy-rest-v1]`,
    `  Admin API (--type admin-api): [--permissions LIST] comma-separated, from ${ADMIN_PERMISSIONS.join(', ')}`,
    '    (default read-resource,write-resource,read-log)',
    '  OIDC clients (--type oidc): --redirect-uri URL (repeatable, required) [--post-logout-redirect-uri URL]',
    `    [--backchannel-logout-uri URL] [--refresh-tokens] [--token-auth ${TOKEN_AUTH_METHODS.join('|')}]`,
    '  SAML SPs (--type saml): --metadata FILE | --entity-id ID --acs URL (repeatable) | --preset entra',
    '    [--preset workday] [--nameid email|persistent|unspecified] [--attribute NAME=userField (repeatable)]',
    '    [--immutable-id userField (entra; default userId)]; userField: userId, username, email, realName, groups',
  ].join('\n'),
  positionals: 1,
  options: {
    type: { type: 'string' },
    'legacy-rest-v1': { type: 'boolean' },
    permissions: { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    'post-logout-redirect-uri': { type: 'string', multiple: true },
    'backchannel-logout-uri': { type: 'string' },
    'refresh-tokens': { type: 'boolean' },
    'token-auth': { type: 'string' },
    metadata: { type: 'string' },
    'entity-id': { type: 'string' },
    acs: { type: 'string', multiple: true },
    preset: { type: 'string' },
    nameid: { type: 'string' },
    attribute: { type: 'string', multiple: true },
    'immutable-id': { type: 'string' },
  },
  run: (invocation) =>
    withCountersign(invocation, async ({ deps, config }) => {
      const name = invocation.positionals[0]!.trim();
      if (name.length === 0 || name.length > 100) throw new UsageError('the name must be 1-100 characters');
      const type = (invocation.values.type as string | undefined) ?? 'auth-api';
      if (!(APPLICATION_TYPES as readonly string[]).includes(type)) {
        throw new UsageError(`--type must be one of ${APPLICATION_TYPES.join(', ')}`);
      }
      const legacyRestV1 = invocation.values['legacy-rest-v1'] === true;
      if (legacyRestV1 && type !== 'auth-api') {
        throw new UsageError(
          '--legacy-rest-v1 is for --type auth-api applications (duo_unix speaks the Auth API)',
        );
      }
      if (type === 'saml' || samlOptionsGiven(invocation.values)) {
        if (type !== 'saml') {
          throw new UsageError(`--${SAML_OPTIONS.join(', --')} need --type saml`);
        }
        return addServiceProvider(invocation, deps, config, name);
      }
      const listed = invocation.values.permissions as string | undefined;
      const permissions = listed?.split(',').map((permission) => permission.trim());
      if (permissions !== undefined && type !== 'admin-api') {
        throw new UsageError('--permissions is for --type admin-api applications only');
      }
      const unknown = permissions?.filter((p) => !(ADMIN_PERMISSIONS as readonly string[]).includes(p)) ?? [];
      if (unknown.length > 0) {
        throw new UsageError(
          `--permissions: unknown ${unknown.map((p) => `'${p}'`).join(', ')}; use ${ADMIN_PERMISSIONS.join(', ')}`,
        );
      }
      const oidc = oidcSettings(invocation.values);
      if (type === 'oidc' && !oidc) throw new UsageError('an OIDC client needs --redirect-uri');
      if (type !== 'oidc' && oidc)
        throw new UsageError('--redirect-uri and the other OIDC options need --type oidc');
      const { app, skey } = oidc
        ? await createOidcClient(deps, cliActor(invocation), { name, settings: oidc }).then((created) => ({
            app: created.app,
            skey: created.secret,
          }))
        : await createApplication(deps, cliActor(invocation), {
            name,
            type: type as ApplicationType,
            legacyRestV1,
            ...(permissions !== undefined && { permissions }),
          });
      const base = publicUrl(config);
      const apiHost = new URL(base).host;
      const settings = await readOidcClientSettings(deps.store, app);
      const result = {
        ...publicApplication(app),
        skey,
        apiHost,
        ...(legacyRestV1 && { warning: LEGACY_REST_V1_WARNING }),
        ...(settings && {
          oidc: { issuer: `${base}/oidc`, clientId: app.ikey, clientSecret: skey, ...settings },
        }),
      };
      print(invocation.io, invocation.json, result, () =>
        settings
          ? [
              `OIDC client '${app.name}' created.`,
              `  Issuer:        ${base}/oidc`,
              `  Discovery:     ${base}/oidc/.well-known/openid-configuration`,
              `  Client ID:     ${app.ikey}`,
              ...(settings.tokenAuthMethod === 'none' ? [] : [`  Client secret: ${skey}`]),
              `  Token auth:    ${settings.tokenAuthMethod} (PKCE with S256 is required)`,
              `  Redirect URIs: ${settings.redirectUris.join(', ')}`,
              '',
              "The client secret is shown only now: store it in the application's configuration.",
            ].join('\n')
          : [
              `Application '${app.name}' (${app.type}) created.`,
              ...(app.type === 'admin-api' ? [`  Permissions:     ${app.permissions.join(', ')}`] : []),
              `  Integration key: ${app.ikey}`,
              `  Secret key:      ${skey}`,
              `  API hostname:    ${apiHost}`,
              '',
              "The secret key is shown only now: store it in the application's configuration.",
              ...(legacyRestV1 ? ['', ...legacyRestV1Notice(app)] : []),
            ].join('\n'),
      );
      return result;
    }),
};

/** `app add --type saml`: connects the SP and prints what to type on its side. */
async function addServiceProvider(
  invocation: Invocation,
  deps: Countersign['deps'],
  config: Countersign['config'],
  name: string,
) {
  const sp = await spFromOptions(invocation.values, name);
  const { app } = await createServiceProvider(deps, cliActor(invocation), { name, sp });
  const idp = idpValues(config);
  const result = { ...publicApplication(app), saml: { sp, idp } };
  print(invocation.io, invocation.json, result, () =>
    [
      `SAML service provider '${app.name}' connected.`,
      `  SP entity ID:   ${sp.entityId}`,
      `  ACS:            ${sp.acs.map((a) => a.url).join(', ')}`,
      `  NameID:         ${sp.nameId.format} (from ${typeof sp.nameId.source === 'object' ? sp.nameId.source.attribute : sp.nameId.source})`,
      '',
      "On the service provider's side:",
      `  IdP entity ID:  ${idp.entityId}`,
      `  Metadata URL:   ${idp.metadataUrl}`,
      `  Sign-in URL:    ${idp.ssoUrl}`,
      `  Sign-out URL:   ${idp.sloUrl}`,
      `  Certificate:    ${idp.certificateFile}`,
    ].join('\n'),
  );
  return result;
}

export const appList: Command = {
  name: 'app list',
  summary: 'List applications.',
  usage: 'countersign app list',
  positionals: 0,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const apps = (await deps.store.applications.list()).map(publicApplication);
      print(invocation.io, invocation.json, apps, () =>
        formatTable(apps, ['id', 'name', 'type', 'ikey', 'permissions']),
      );
      return apps;
    }),
};

export const appShow: Command = {
  name: 'app show',
  summary: 'Show an application (never its secret key).',
  usage: 'countersign app show <name, id or integration key>',
  positionals: 1,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const found = await requireApplication(deps, invocation.positionals[0]!);
      const settings = await readOidcClientSettings(deps.store, found);
      const sp = await readSpRecord(deps.store, found);
      const app = {
        ...publicApplication(found),
        ...(settings && { oidc: settings }),
        ...(sp && { saml: sp }),
      };
      print(invocation.io, invocation.json, app);
      return app;
    }),
};

export const appSet: Command = {
  name: 'app set',
  summary:
    "Change an application's settings: --legacy-rest-v1 on|off serves duo_unix 1.x (REST v1) or stops.",
  usage: 'countersign app set <name, id or integration key> --legacy-rest-v1 on|off',
  positionals: 1,
  options: { 'legacy-rest-v1': { type: 'string' } },
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const value = invocation.values['legacy-rest-v1'];
      if (value === undefined) throw new UsageError('nothing to change: give --legacy-rest-v1 on|off');
      if (value !== 'on' && value !== 'off') throw new UsageError("--legacy-rest-v1 must be 'on' or 'off'");
      const found = await requireApplication(deps, invocation.positionals[0]!);
      if (value === 'on' && found.type !== 'auth-api') {
        throw new UsageError(`'${found.name}' is a ${found.type} application: REST v1 is for auth-api ones`);
      }
      const app = await setLegacyRestV1(deps, cliActor(invocation), found, value === 'on');
      const result = {
        ...publicApplication(app),
        ...(app.legacyRestV1 && { warning: LEGACY_REST_V1_WARNING }),
      };
      print(invocation.io, invocation.json, result, () =>
        (app.legacyRestV1
          ? legacyRestV1Notice(app)
          : [`REST v1 is off for '${app.name}': duo_unix 1.x clients are denied.`]
        ).join('\n'),
      );
      return result;
    }),
};

export const appCommands = [appAdd, appList, appShow, appSet];
