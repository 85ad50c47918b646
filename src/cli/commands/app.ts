// `countersign app …`: add (the secret key is shown once), list, show.
import { publicUrl } from '../../config.ts';
import { createApplication, requireApplication } from '../../core/admin/create-application.ts';
import {
  ADMIN_PERMISSIONS,
  APPLICATION_TYPES,
  type Application,
  type ApplicationType,
} from '../../core/model.ts';
import { type Command, UsageError } from '../command.ts';
import { cliActor, withCountersign } from '../context.ts';
import { formatTable, print } from '../output.ts';

/** An application without its sealed secret. */
export function publicApplication(app: Application) {
  const { skeySealed: _sealed, ...rest } = app;
  return rest;
}

export const appAdd: Command = {
  name: 'app add',
  summary: 'Connect an application; prints its integration key and secret key (shown once).',
  usage:
    `countersign app add <name> [--type ${APPLICATION_TYPES.join('|')}]\n` +
    `    [--permissions LIST]   admin-api only: comma-separated, from ${ADMIN_PERMISSIONS.join(', ')}\n` +
    '                           (default read-resource,write-resource,read-log)',
  positionals: 1,
  options: { type: { type: 'string' }, permissions: { type: 'string' } },
  run: (invocation) =>
    withCountersign(invocation, async ({ deps, config }) => {
      const name = invocation.positionals[0]!.trim();
      if (name.length === 0 || name.length > 100) throw new UsageError('the name must be 1-100 characters');
      const type = (invocation.values.type as string | undefined) ?? 'auth-api';
      if (!(APPLICATION_TYPES as readonly string[]).includes(type)) {
        throw new UsageError(`--type must be one of ${APPLICATION_TYPES.join(', ')}`);
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
      const { app, skey } = await createApplication(deps, cliActor(invocation), {
        name,
        type: type as ApplicationType,
        ...(permissions !== undefined && { permissions }),
      });
      const apiHost = new URL(publicUrl(config)).host;
      const result = { ...publicApplication(app), skey, apiHost };
      print(invocation.io, invocation.json, result, () =>
        [
          `Application '${app.name}' (${app.type}) created.`,
          ...(app.type === 'admin-api' ? [`  Permissions:     ${app.permissions.join(', ')}`] : []),
          `  Integration key: ${app.ikey}`,
          `  Secret key:      ${skey}`,
          `  API hostname:    ${apiHost}`,
          '',
          "The secret key is shown only now: store it in the application's configuration.",
        ].join('\n'),
      );
      return result;
    }),
};

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
      const app = publicApplication(await requireApplication(deps, invocation.positionals[0]!));
      print(invocation.io, invocation.json, app);
      return app;
    }),
};

export const appCommands = [appAdd, appList, appShow];
