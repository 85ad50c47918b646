// `countersign radius client add|list|remove`: the NAS devices (VPN concentrators) allowed to ask for logins.
import { createApplication, requireApplication } from '../../core/admin/create-application.ts';
import {
  FAILMODES,
  type Failmode,
  listRadiusClients,
  RADIUS_MODES,
  type RadiusClientConfig,
  type RadiusMode,
  REPLY_ATTRIBUTE_NAMES,
  type ReplyAttributeName,
  type ReplyAttributeRule,
  radiusClientProblems,
  readStoredRadiusClients,
  removeRadiusClient,
  saveRadiusClient,
} from '../../core/admin/radius-clients.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { CountersignError } from '../../core/errors.ts';
import { type Command, type Invocation, requireOption, UsageError } from '../command.ts';
import { cliActor, withCountersign } from '../context.ts';
import { formatTable, print } from '../output.ts';

const USAGE = [
  'countersign radius client add <name> --address <ip or CIDR> --secret <secret|-> --mode auto|concat|challenge|mfa-only',
  '    [--application NAME] [--delimiter ,] [--no-message-authenticator] [--failmode secure|safe]',
  '    [--reply-attribute group:Class=value]...',
  'countersign radius client list',
  'countersign radius client remove <name>',
].join('\n');

/** Parses `group:Attribute=value` (the value may contain ':' and '='). */
export function parseReplyAttribute(text: string): ReplyAttributeRule {
  const match = /^([^:]+):([A-Za-z-]+)=(.+)$/.exec(text);
  const attribute = match?.[2] as ReplyAttributeName | undefined;
  if (!match || !attribute || !REPLY_ATTRIBUTE_NAMES.includes(attribute)) {
    throw new UsageError(
      `--reply-attribute '${text}' must look like group:Attribute=value with Attribute one of ${REPLY_ATTRIBUTE_NAMES.join(', ')}`,
    );
  }
  return { group: match[1]!, attribute, value: match[3]! };
}

function oneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  if (!allowed.includes(value as T)) throw new UsageError(`--${option} must be one of ${allowed.join(', ')}`);
  return value as T;
}

async function readSecret(invocation: Invocation): Promise<string> {
  const secret = requireOption(invocation.values, 'secret');
  if (secret !== '-') return secret;
  const line = (await invocation.io.readStdin()).split(/\r?\n/)[0] ?? '';
  if (line === '') throw new UsageError('--secret - expects the secret on the first line of standard input');
  return line;
}

/** The named application, or (without --application) a `radius` application named after the client. */
async function applicationFor(deps: CoreDeps, actor: string, name: string, ref: string | undefined) {
  if (ref !== undefined) return { app: await requireApplication(deps, ref), created: false };
  const existing = await deps.store.applications.findByName(name);
  if (existing?.type === 'radius') return { app: existing, created: false };
  if (existing) {
    throw new CountersignError(
      'INVALID_INPUT',
      `application '${name}' exists and is not a radius application`,
    );
  }
  return { app: (await createApplication(deps, actor, { name, type: 'radius' })).app, created: true };
}

async function add(invocation: Invocation) {
  const { values } = invocation;
  const name = invocation.positionals[1];
  if (name === undefined) throw new UsageError('radius client add needs a client name');
  const mode = oneOf<RadiusMode>(requireOption(values, 'mode'), RADIUS_MODES, 'mode');
  const failmode = oneOf<Failmode>(
    (values.failmode as string | undefined) ?? 'secure',
    FAILMODES,
    'failmode',
  );
  const rules = ((values['reply-attribute'] as string[] | undefined) ?? []).map(parseReplyAttribute);
  const draft: RadiusClientConfig = {
    name,
    address: requireOption(values, 'address'),
    secret: await readSecret(invocation),
    mode,
    applicationId: 'pending',
    delimiter: (values.delimiter as string | undefined) ?? ',',
    requireMessageAuthenticator: values['no-message-authenticator'] !== true,
    failmode,
    replyAttributes: rules,
  };
  // Checked before anything is written, so bad input never leaves an application behind.
  const problems = radiusClientProblems(draft);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return withCountersign(invocation, async ({ deps }) => {
    const actor = cliActor(invocation);
    const ref = values.application as string | undefined;
    const { app, created } = await applicationFor(deps, actor, name, ref);
    const { replaced } = await saveRadiusClient(deps, actor, { ...draft, applicationId: app.id });
    const { secret: _secret, ...shown } = draft;
    const result = {
      ...shown,
      applicationId: app.id,
      application: app.name,
      applicationCreated: created,
      replaced,
    };
    print(invocation.io, invocation.json, result, () =>
      [
        `${replaced ? 'Replaced' : 'Added'} RADIUS client ${name} (${draft.address}, mode ${mode}, failmode ${failmode}).`,
        `Application: ${app.name}${created ? ' (created)' : ''}.`,
        'A running server picks it up within a few seconds.',
      ].join('\n'),
    );
    return result;
  });
}

function list(invocation: Invocation) {
  return withCountersign(invocation, async ({ deps }) => {
    const clients = await listRadiusClients(deps);
    print(invocation.io, invocation.json, clients, () =>
      formatTable(
        clients.map((client) => ({
          ...client,
          replyAttributes: client.replyAttributes.map((r) => `${r.group}:${r.attribute}=${r.value}`),
        })),
        [
          'name',
          'address',
          'mode',
          'failmode',
          'requireMessageAuthenticator',
          'applicationId',
          'replyAttributes',
        ],
      ),
    );
    return clients;
  });
}

function remove(invocation: Invocation) {
  const name = invocation.positionals[1];
  if (name === undefined) throw new UsageError('radius client remove needs a client name');
  return withCountersign(invocation, async ({ deps }) => {
    if (!Object.hasOwn(await readStoredRadiusClients(deps.store), name)) {
      throw new UsageError(`no RADIUS client named '${name}'`);
    }
    await removeRadiusClient(deps, cliActor(invocation), name);
    const result = { name, removed: true };
    print(invocation.io, invocation.json, result, () => `Removed RADIUS client ${name}.`);
    return result;
  });
}

/** One command word pair (`radius client`) with the action as its first argument. */
export const radiusClientCommand: Command = {
  name: 'radius client',
  summary: 'Add, list or remove RADIUS clients (VPN concentrators): add|list|remove.',
  usage: USAGE,
  positionals: [1, 2],
  options: {
    address: { type: 'string' },
    secret: { type: 'string' },
    mode: { type: 'string' },
    application: { type: 'string' },
    delimiter: { type: 'string' },
    'no-message-authenticator': { type: 'boolean' },
    failmode: { type: 'string' },
    'reply-attribute': { type: 'string', multiple: true },
  },
  run(invocation) {
    const [action] = invocation.positionals;
    if (action === 'add') return add(invocation);
    if (action === 'list' && invocation.positionals.length === 1) return list(invocation);
    if (action === 'remove') return remove(invocation);
    throw new UsageError(`unknown action '${action}': use add, list or remove`);
  },
};
