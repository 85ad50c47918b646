// Decides a waiting transaction with a security key (WebAuthn): allow on a verified assertion, else a counted deny.
import {
  type AuthenticationResponseJSON,
  dataChallengeSlot,
  type PublicKeyCredentialRequestOptionsJSON,
  type RelyingParty,
  readChallenge,
  verifyWebauthnAuthentication,
  webauthnAuthenticationOptions,
  withoutChallenge,
} from '../../methods/webauthn/index.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import { policyFor } from '../evaluate-access.ts';
import type { Application, AuthTransaction, Policy, User } from '../model.ts';
import type { Repositories } from '../repositories.ts';
import { loadTransaction } from './load-transaction.ts';
import { announce, moveTransaction } from './move-transaction.ts';
import { isFinal } from './states.ts';

interface Loaded {
  tx: AuthTransaction;
  user: User;
  app: Application;
  policy: Policy;
}

async function load(repos: Repositories, txid: string): Promise<Loaded> {
  const { tx, user, app } = await loadTransaction(repos, txid);
  if (isFinal(tx.state)) throw new CountersignError('TRANSACTION_FINISHED', `${tx.id} is ${tx.state}`);
  const policy = await policyFor(repos, app, user);
  if (!policy.allowedMethods.includes('webauthn'))
    throw new CountersignError('FACTOR_NOT_ALLOWED', 'webauthn');
  return { tx, user, app, policy };
}

/**
 * Request options for a waiting transaction's user; the challenge is kept in the transaction's data (so any
 * node can check the answer) and is spent by `submitWebauthn`. Throws WebauthnError `no_credentials`.
 */
export async function webauthnOptionsForTransaction(
  deps: CoreDeps,
  txid: string,
  rp: RelyingParty,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  return deps.store.atomically(async (repos) => {
    const { tx, user, policy } = await load(repos, txid);
    const slot = dataChallengeSlot(
      async () => tx.data,
      async (data) => {
        const updated = await repos.transactions.update(tx.id, tx.version, { data }, deps.clock.now());
        if (!updated) throw new CountersignError('TRANSACTION_FINISHED', `${tx.id} changed meanwhile`);
      },
    );
    const wdeps = { ...deps, store: repos, challenges: slot, userVerification: policy.userVerification };
    return webauthnAuthenticationOptions(wdeps, user, rp);
  });
}

/** Submits a WebAuthn assertion to a waiting transaction by id; returns the transaction in its final state. */
export async function submitWebauthn(
  deps: CoreDeps,
  txid: string,
  response: AuthenticationResponseJSON,
  rp: RelyingParty,
): Promise<AuthTransaction> {
  const moved = await deps.store.atomically(async (repos) => {
    const { tx, user, policy } = await load(repos, txid);
    const now = deps.clock.now();
    const base = { factor: 'webauthn', data: withoutChallenge(tx.data) };
    if (now >= tx.expiresAt)
      return moveTransaction(repos, deps, tx, user, { ...base, to: 'timeout', reason: 'timeout' });
    if (user.status === 'locked_out') {
      return moveTransaction(repos, deps, tx, user, { ...base, to: 'locked_out', reason: 'locked_out' });
    }
    // The challenge is spent by this move whatever the outcome: the transaction ends here.
    const pending = readChallenge(tx.data);
    const slot = {
      save: async () => {
        throw new CountersignError('INVALID_INPUT', 'no challenge can be issued while answering');
      },
      take: async () => pending,
    };
    const wdeps = { ...deps, store: repos, challenges: slot, userVerification: policy.userVerification };
    const result = await verifyWebauthnAuthentication(wdeps, user, response, rp);
    if (result.ok) {
      await repos.users.recordSuccess(user.id, now);
      return moveTransaction(repos, deps, tx, user, {
        to: 'allow',
        proof: { factor: 'webauthn', authenticatorId: result.authenticator.id, reason: 'valid_webauthn' },
        data: { ...base.data, method: 'webauthn' },
      });
    }
    // Committed with the answer: a crash can't forget a failure (800-63B §5.2.2).
    const { lockedOut } = await repos.users.recordFailure(user.id, now, policy.lockoutThreshold);
    return moveTransaction(repos, deps, tx, user, {
      ...base,
      to: lockedOut ? 'locked_out' : 'deny',
      reason: lockedOut ? 'locked_out' : 'invalid_webauthn',
      deviceId: result.authenticatorId,
      data: { ...base.data, webauthnFailure: result.error.reason },
    });
  });
  await announce(deps, moved);
  return moved;
}
