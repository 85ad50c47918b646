// Decides, from user status and layered policy, whether a login needs a factor, is allowed, denied or must enroll.
import { methodIdsForKind } from '../methods/registry.ts';
import { applyAutoUnlock } from './lockout.ts';
import type { Application, Authenticator, BypassCode, Policy, PolicyLayer, User } from './model.ts';
import { beforeEnforcement, groupLayers, resolvePolicy } from './policy/resolve-policy.ts';
import type { Repositories } from './repositories.ts';

export type AccessDecision =
  | {
      result: 'auth';
      user: User;
      policy: Policy;
      authenticators: Authenticator[];
      /** The user's active bypass codes when the decision had to read them (passed on to the passcode check). */
      bypassCodes?: BypassCode[];
    }
  | {
      result: 'allow';
      user: User;
      policy: Policy;
      reason: 'user_bypass' | 'policy_bypass' | 'not_enrolled_allowed' | 'before_enforcement';
    }
  | {
      result: 'deny';
      user: User;
      policy: Policy;
      reason: 'user_disabled' | 'locked_out' | 'policy_deny' | 'new_user_denied';
    }
  | { result: 'enroll'; user: User; policy: Policy; reason: 'not_enrolled' };

/** The effective policy for a user at an application: global → application → the user's groups. */
export async function policyFor(repos: Repositories, app: Application, user: User): Promise<Policy> {
  const globalLayer = await repos.settings.get<PolicyLayer>('policy');
  const groups = new Map<string, PolicyLayer>();
  for (const name of user.groups) {
    const group = await repos.groups.get(name);
    if (group) groups.set(name, group.policy);
  }
  return resolvePolicy(globalLayer, app.policy, ...groupLayers(user.groups, groups));
}

/** Authenticators the user has that policy allows at this application. */
export function usableAuthenticators(all: Authenticator[], policy: Policy): Authenticator[] {
  // A phone counts when calls or SMS passcodes are allowed: either method signs in with it.
  return all.filter((authenticator) =>
    methodIdsForKind(authenticator.kind).some((id) => policy.allowedMethods.includes(id)),
  );
}

/** The access decision for `user` at `app` now. */
export async function evaluateAccess(
  repos: Repositories,
  app: Application,
  original: User,
  now: number,
): Promise<AccessDecision> {
  const policy = await policyFor(repos, app, original);
  const user = await applyAutoUnlock(repos, original, policy, now);
  if (user.status === 'disabled') return { result: 'deny', user, policy, reason: 'user_disabled' };
  if (user.status === 'locked_out') return { result: 'deny', user, policy, reason: 'locked_out' };
  if (policy.authPolicy === 'deny') return { result: 'deny', user, policy, reason: 'policy_deny' };
  if (user.status === 'bypass') return { result: 'allow', user, policy, reason: 'user_bypass' };
  if (policy.authPolicy === 'bypass') return { result: 'allow', user, policy, reason: 'policy_bypass' };

  const authenticators = usableAuthenticators(await repos.authenticators.listForUser(user.id), policy);
  if (authenticators.length > 0) return { result: 'auth', user, policy, authenticators };
  // A help-desk bypass code is a way in for someone whose only device is lost, enrolled or not.
  if (policy.allowedMethods.includes('bypass')) {
    const bypassCodes = await repos.bypassCodes.listActive(user.id, now);
    if (bypassCodes.length > 0) return { result: 'auth', user, policy, authenticators, bypassCodes };
  }
  if (beforeEnforcement(policy, now)) return { result: 'allow', user, policy, reason: 'before_enforcement' };
  if (policy.newUserPolicy === 'allow')
    return { result: 'allow', user, policy, reason: 'not_enrolled_allowed' };
  if (policy.newUserPolicy === 'deny') return { result: 'deny', user, policy, reason: 'new_user_denied' };
  return { result: 'enroll', user, policy, reason: 'not_enrolled' };
}

export type UnknownUserDecision =
  | { result: 'allow'; reason: 'before_enforcement' | 'not_enrolled_allowed' | 'policy_bypass' }
  | { result: 'deny'; reason: 'new_user_denied' | 'policy_deny' }
  | { result: 'enroll'; reason: 'not_enrolled' };

/** The decision for a username Countersign does not know: the new-user policy, as for a user with no device. */
export async function evaluateUnknownUser(
  repos: Repositories,
  app: Application,
  now: number,
): Promise<UnknownUserDecision> {
  const policy = resolvePolicy(await repos.settings.get<PolicyLayer>('policy'), app.policy);
  if (policy.authPolicy === 'deny') return { result: 'deny', reason: 'policy_deny' };
  if (policy.authPolicy === 'bypass') return { result: 'allow', reason: 'policy_bypass' };
  if (beforeEnforcement(policy, now)) return { result: 'allow', reason: 'before_enforcement' };
  if (policy.newUserPolicy === 'allow') return { result: 'allow', reason: 'not_enrolled_allowed' };
  if (policy.newUserPolicy === 'deny') return { result: 'deny', reason: 'new_user_denied' };
  return { result: 'enroll', reason: 'not_enrolled' };
}
