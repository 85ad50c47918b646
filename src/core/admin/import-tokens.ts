// Imports hardware tokens in bulk: all rows or none, seeds sealed, serials unique.
import { seal } from '../../crypto/secret-box.ts';
import type { ImportedToken } from '../../methods/token-import/imported-token.ts';
import { seedContext } from '../../methods/totp/totp-method.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Authenticator, User } from '../model.ts';

/** Stores parsed tokens unassigned, in one database transaction; an existing serial imports nothing. */
export async function importTokens(
  deps: CoreDeps,
  actor: string,
  tokens: ImportedToken[],
): Promise<Authenticator[]> {
  const now = deps.clock.now();
  const created = tokens.map((token): Authenticator => {
    const id = newId(deps.random, 'D');
    return {
      id,
      userId: null,
      kind: token.kind,
      name: `${token.kind.toUpperCase()} token ${token.serial}`,
      serial: token.serial,
      secretSealed: seal(deps.ring, token.secret, seedContext(id)),
      algorithm: token.algorithm,
      digits: token.digits,
      period: token.kind === 'totp' ? token.period : 0,
      counter: Number(token.counter),
      lastUsedStep: null,
      data: {},
      createdAt: now,
      lastUsedAt: null,
    };
  });
  await deps.store.atomically(async (repos) => {
    for (const authenticator of created) {
      if (await repos.authenticators.findBySerial(authenticator.serial!)) {
        throw new CountersignError(
          'TOKEN_EXISTS',
          `serial '${authenticator.serial}' is already in the system`,
        );
      }
      await repos.authenticators.create(authenticator);
    }
    await audit(repos, now, {
      kind: 'admin',
      action: 'token.import',
      actor,
      detail: { count: created.length },
    });
  });
  return created;
}

/** Assigns an imported hardware token to a user (an administrator's action: users never assign tokens). */
export async function assignToken(
  deps: CoreDeps,
  actor: string,
  serial: string,
  user: User,
): Promise<Authenticator> {
  return deps.store.atomically(async (repos) => {
    const token = await repos.authenticators.findBySerial(serial);
    if (!token) throw new CountersignError('TOKEN_NOT_FOUND', serial);
    if (token.userId === user.id) return token;
    if (!(await repos.authenticators.assign(token.id, user.id))) {
      throw new CountersignError('TOKEN_ASSIGNED', serial);
    }
    await audit(repos, deps.clock.now(), {
      kind: 'admin',
      action: 'token.assign',
      actor,
      userId: user.id,
      username: user.username,
      detail: { serial, authenticatorId: token.id },
    });
    return { ...token, userId: user.id };
  });
}
