// `countersign user …`: add, list, show, set-status, set-password, sign-out.
import type { Countersign } from '../../app.ts';
import { publicUrl } from '../../config.ts';
import { createUser, requireUser, setUserPassword, setUserStatus } from '../../core/admin/create-user.ts';
import { USER_STATUSES, type User, type UserStatus } from '../../core/model.ts';
import { type SignOutListener, signUserOut } from '../../core/sso/sign-user-out.ts';
import { canonicalUsername } from '../../core/usernames.ts';
import { oidcLifetimes, providerSettings } from '../../fronts/oidc/from-config.ts';
import { providerHost } from '../../fronts/oidc/provider-host.ts';
import { brandingFromConfig } from '../../fronts/web-common/branding.ts';
import { type Command, intOption, UsageError } from '../command.ts';
import { cliActor, withCountersign } from '../context.ts';
import { formatTable, print } from '../output.ts';

/** What the CLI shows of a user: never the password hash. */
export function publicUser(user: User) {
  const { passwordHash, ...rest } = user;
  return { ...rest, hasPassword: passwordHash !== null };
}

/** The canonical form of a name typed on the command line (docs/usernames.md); a refused one exits 2. */
function checkName(name: string, what: string): string {
  const checked = canonicalUsername(name);
  if (!checked.ok) throw new UsageError(`${what} '${name}' is not valid: ${checked.reason}`);
  return checked.name;
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

export const userAdd: Command = {
  name: 'user add',
  summary: 'Add a user.',
  usage:
    'countersign user add <username> [--name "Real Name"] [--email E] [--phone P] [--alias A]... [--group G]...',
  positionals: 1,
  options: {
    name: { type: 'string' },
    email: { type: 'string' },
    phone: { type: 'string' },
    alias: { type: 'string', multiple: true },
    group: { type: 'string', multiple: true },
  },
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const { values } = invocation;
      const email = values.email as string | undefined;
      if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email))
        throw new UsageError(`--email '${email}' is not an e-mail address`);
      const phone = values.phone as string | undefined;
      if (phone !== undefined && !/^\+?[0-9 ()-]{4,20}$/.test(phone))
        throw new UsageError(`--phone '${phone}' is not a phone number`);
      const user = await createUser(deps, cliActor(invocation), {
        username: checkName(invocation.positionals[0]!, 'username'),
        aliases: list(values.alias).map((alias) => checkName(alias, 'alias')),
        realName: (values.name as string | undefined) ?? null,
        email: email ?? null,
        phone: phone ?? null,
        groups: list(values.group),
      });
      print(
        invocation.io,
        invocation.json,
        publicUser(user),
        () => `Added user ${user.username} (${user.id}).`,
      );
      return user;
    }),
};

export const userList: Command = {
  name: 'user list',
  summary: 'List users.',
  usage: 'countersign user list [--status active|bypass|disabled|locked_out] [--limit N] [--offset N]',
  positionals: 0,
  options: { status: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' } },
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const status = invocation.values.status as string | undefined;
      if (status !== undefined && !(USER_STATUSES as readonly string[]).includes(status)) {
        throw new UsageError(`--status must be one of ${USER_STATUSES.join(', ')}`);
      }
      const page = {
        limit: intOption(invocation.values, 'limit', 1, 10_000) ?? 100,
        offset: intOption(invocation.values, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0,
      };
      const users = (await deps.store.users.list(page, status ? { status: status as UserStatus } : {})).map(
        publicUser,
      );
      print(invocation.io, invocation.json, users, () =>
        formatTable(users, ['id', 'username', 'realName', 'email', 'status', 'groups']),
      );
      return users;
    }),
};

export const userShow: Command = {
  name: 'user show',
  summary: 'Show a user with their devices and bypass codes.',
  usage: 'countersign user show <username or id>',
  positionals: 1,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const user = await requireUser(deps, invocation.positionals[0]!);
      const devices = (await deps.store.authenticators.listForUser(user.id)).map((device) => ({
        id: device.id,
        kind: device.kind,
        name: device.name,
        serial: device.serial,
        createdAt: new Date(device.createdAt).toISOString(),
      }));
      const bypassCodes = (await deps.store.bypassCodes.listActive(user.id, deps.clock.now())).length;
      const shown = { ...publicUser(user), devices, activeBypassCodes: bypassCodes };
      print(invocation.io, invocation.json, shown, () => {
        const { devices: _devices, ...head } = shown;
        return [
          ...Object.entries(head).map(
            ([key, value]) =>
              `${key.padEnd(18)} ${Array.isArray(value) ? value.join(', ') || '-' : (value ?? '-')}`,
          ),
          '',
          'Devices:',
          formatTable(devices, ['id', 'kind', 'name', 'serial', 'createdAt']),
        ].join('\n');
      });
      return shown;
    }),
};

export const userSetStatus: Command = {
  name: 'user set-status',
  summary: 'Set a user status: active, bypass, disabled or locked_out.',
  usage: 'countersign user set-status <username or id> <active|bypass|disabled|locked_out>',
  positionals: 2,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const status = invocation.positionals[1]!;
      if (!(USER_STATUSES as readonly string[]).includes(status)) {
        throw new UsageError(`status must be one of ${USER_STATUSES.join(', ')}, not '${status}'`);
      }
      const user = await requireUser(deps, invocation.positionals[0]!);
      await setUserStatus(deps, cliActor(invocation), user, status as UserStatus);
      const result = { id: user.id, username: user.username, status };
      print(invocation.io, invocation.json, result, () => `${user.username} is now ${status}.`);
      return result;
    }),
};

async function readPassword(invocation: Parameters<Command['run']>[0]): Promise<string> {
  const { io } = invocation;
  if (io.promptSecret) {
    const first = await io.promptSecret('New password: ');
    const second = await io.promptSecret('Repeat it: ');
    if (first !== second) throw new UsageError('the two passwords differ');
    return first;
  }
  // Piped: the first line of standard input, without its line ending.
  return (await io.readStdin()).split(/\r?\n/)[0] ?? '';
}

export const userSetPassword: Command = {
  name: 'user set-password',
  summary: 'Set a local password (prompts on a terminal; reads standard input otherwise).',
  usage: 'countersign user set-password <username or id>   (echo "pw" | countersign user set-password alice)',
  positionals: 1,
  run: (invocation) =>
    withCountersign(invocation, async ({ deps }) => {
      const user = await requireUser(deps, invocation.positionals[0]!);
      const password = await readPassword(invocation);
      if (password.length === 0) throw new UsageError('the password is empty');
      if (password.length > 1024) throw new UsageError('the password is longer than 1024 characters');
      await setUserPassword(deps, cliActor(invocation), user, password);
      const result = { id: user.id, username: user.username, passwordSet: true };
      print(invocation.io, invocation.json, result, () => `Password set for ${user.username}.`);
      return result;
    }),
};

/** The OpenID provider's part in a sign-out, through a provider built like the server's (none when OIDC is off). */
function oidcListeners(countersign: Countersign): SignOutListener[] {
  const { config, deps, logger } = countersign;
  if (!config.oidc.enabled) return [];
  const host = providerHost({
    deps,
    retiredKeyMs: config.oidc.retired_key_hours * 3_600_000,
    log: logger,
    settings: () => providerSettings(publicUrl(config), brandingFromConfig(config), oidcLifetimes(config)),
  });
  // Loaded when used, not with the CLI: oidc-provider would otherwise sit in every `serve` (issue 14, idle memory).
  return [
    {
      async prepare(userId) {
        const { oidcSignOutListener } = await import('../../fronts/oidc/backchannel-logout.ts');
        return oidcSignOutListener(deps, () => host.get(), logger).prepare(userId);
      },
    },
  ];
}

export const userSignOut: Command = {
  name: 'user sign-out',
  summary:
    "Sign a user out everywhere: end their portal and single sign-on sessions, every browser's remembered login and their OpenID tokens (relying parties are told over the back channel).",
  usage: 'countersign user sign-out <username or id>',
  positionals: 1,
  run: (invocation) =>
    withCountersign(invocation, async (countersign) => {
      const user = await requireUser(countersign.deps, invocation.positionals[0]!);
      const { ended, notified } = await signUserOut(
        countersign.deps,
        cliActor(invocation),
        user,
        oidcListeners(countersign),
      );
      const result = { id: user.id, username: user.username, ended, notified };
      print(
        invocation.io,
        invocation.json,
        result,
        () =>
          `${user.username} is signed out everywhere (${ended} ended, ${notified} application(s) told over the back channel).`,
      );
      return result;
    }),
};

export const userCommands = [userAdd, userList, userShow, userSetStatus, userSetPassword, userSignOut];
