// What policy a given user gets at a given application, layer by layer, and in plain words why.
import type { CoreDeps } from '../deps.ts';
import { policyFor, usableAuthenticators } from '../evaluate-access.ts';
import type { Application, Policy, PolicyLayer, User } from '../model.ts';
import { beforeEnforcement } from '../policy/resolve-policy.ts';

export interface PreviewLayer {
  level: 'global' | 'application' | 'group';
  /** The application's or group's name; null for the global layer. */
  name: string | null;
  /** The fields this layer sets (later layers win field by field). */
  fields: Array<keyof PolicyLayer>;
}

export interface PolicyPreview {
  policy: Policy;
  layers: PreviewLayer[];
  explanation: string;
}

/** The fields a layer sets (an explicit null clears an inherited value: it counts). */
const setFields = (layer: PolicyLayer | null | undefined): Array<keyof PolicyLayer> =>
  Object.entries(layer ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key as keyof PolicyLayer);

/** Who set `field` last, in words: "the group 'staff'", "the application 'VPN'", "the global policy", "the default". */
function setter(layers: readonly PreviewLayer[], field: keyof PolicyLayer): string {
  const layer = layers.findLast((candidate) => candidate.fields.includes(field));
  if (!layer) return 'the default';
  if (layer.level === 'global') return 'the global policy';
  return `the ${layer.level} '${layer.name}'`;
}

/** The sentence that says what happens when `user` signs in now, and which layer made it so. */
function decide(
  user: User,
  policy: Policy,
  layers: readonly PreviewLayer[],
  enrolled: string[],
  now: number,
) {
  const who = user.username;
  if (user.status === 'disabled') return `${who} is disabled: every sign-in is refused.`;
  if (user.status === 'locked_out')
    return `${who} is locked out after too many failed attempts: sign-ins are refused until an administrator unlocks the account${policy.autoUnlockMinutes ? ` or ${policy.autoUnlockMinutes} minutes pass` : ''}.`;
  if (policy.authPolicy === 'deny')
    return `Every sign-in is refused here: ${setter(layers, 'authPolicy')} denies access.`;
  if (user.status === 'bypass')
    return `${who} signs in without a second factor: an administrator set the account to bypass.`;
  if (policy.authPolicy === 'bypass')
    return `${who} signs in without a second factor: ${setter(layers, 'authPolicy')} lets everyone through.`;
  if (enrolled.length > 0) {
    const remember =
      policy.rememberScope === 'off'
        ? ''
        : ` A browser is remembered for ${policy.rememberHours} hours (${setter(layers, 'rememberHours')}).`;
    return `${who} confirms each sign-in with a second factor: ${enrolled.join(', ')}.${remember}`;
  }
  if (beforeEnforcement(policy, now))
    return `${who} has no sign-in method yet and is asked to set one up; until ${policy.enforcementDate} (the enforcement date from ${setter(layers, 'enforcementDate')}) they may sign in without one.`;
  if (policy.newUserPolicy === 'allow')
    return `${who} has no sign-in method yet and signs in without one: ${setter(layers, 'newUserPolicy')} allows it.`;
  if (policy.newUserPolicy === 'deny')
    return `${who} has no sign-in method yet, so sign-ins are refused (${setter(layers, 'newUserPolicy')}).`;
  return `${who} has no sign-in method yet and must set one up at the next sign-in (${setter(layers, 'newUserPolicy')}).`;
}

/** The effective policy for `user` at `app`, the layers it comes from, and what it means for them now. */
export async function previewPolicy(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  user: User,
  app: Application,
): Promise<PolicyPreview> {
  const store = deps.store;
  const policy = await policyFor(store, app, user);
  const global = await store.settings.get<PolicyLayer>('policy');
  const layers: PreviewLayer[] = [
    { level: 'global', name: null, fields: setFields(global) },
    { level: 'application', name: app.name, fields: setFields(app.policy) },
  ];
  // Groups in the order policyFor layers them (by name); a group without a stored policy adds nothing.
  for (const name of [...user.groups].sort()) {
    const group = await store.groups.get(name);
    if (group) layers.push({ level: 'group', name, fields: setFields(group.policy) });
  }
  const usable = usableAuthenticators(await store.authenticators.listForUser(user.id), policy);
  const names = [...new Set(usable.map((device) => device.name))];
  return { policy, layers, explanation: decide(user, policy, layers, names, deps.clock.now()) };
}
