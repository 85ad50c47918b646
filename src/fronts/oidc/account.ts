// Accounts for the OpenID provider: the subject is the user's id; claims come from the directory's attributes.
import type { Account, AnyObject } from 'oidc-provider';
import type { CoreDeps } from '../../core/deps.ts';
import type { User } from '../../core/model.ts';

/** Which claims each scope releases (the provider filters the account's claims by them). */
export const SCOPE_CLAIMS = {
  openid: ['sub'],
  profile: ['name', 'preferred_username'],
  email: ['email'],
  phone: ['phone_number'],
  groups: ['groups'],
} as const;

/** A user's claims: only what the user has (an empty attribute is left out, not sent as null). */
export function userClaims(user: User): AnyObject {
  return {
    sub: user.id,
    preferred_username: user.username,
    ...(user.realName && { name: user.realName }),
    ...(user.email && { email: user.email }),
    ...(user.phone && { phone_number: user.phone }),
    groups: user.groups,
  };
}

/**
 * `findAccount`: the user with this id while they may sign in. A disabled or locked-out user has no account any
 * more, so the provider refuses their refresh tokens and userinfo calls at once.
 */
export function accountFinder(deps: CoreDeps): (ctx: unknown, sub: string) => Promise<Account | undefined> {
  return async (_ctx, sub) => {
    const user = await deps.store.users.get(sub);
    if (!user || user.status === 'disabled' || user.status === 'locked_out') return undefined;
    return { accountId: user.id, claims: () => userClaims(user) };
  };
}
