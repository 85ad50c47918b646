// One-shot passcode login (Auth API `factor=passcode`, RADIUS): begin and decide in one database transaction.
import type { CoreDeps } from '../deps.ts';
import { admitStart, startRefused } from '../limits/start-limits.ts';
import type { AuthTransaction } from '../model.ts';
import { type BeginInput, createTransaction } from './begin-transaction.ts';
import { type Remembered, rememberAllowedIn } from './remember-allowed.ts';
import { checkPasscode } from './submit-passcode.ts';

/** Starts a transaction and, when policy asks for a factor, decides it with `code` (RATE_LIMITED: none started). */
export async function authenticateWithPasscode(
  deps: CoreDeps,
  input: Omit<BeginInput, 'factor'>,
  code: string,
): Promise<AuthTransaction> {
  return (await passcodeLogin(deps, input, code, false)).tx;
}

/**
 * As authenticateWithPasscode, and an allowed login's device remembered (rememberAllowed) in the same database
 * transaction: the Auth API's synchronous answer carries its trusted_device_token without a second commit.
 */
export function authenticateAndRemember(
  deps: CoreDeps,
  input: Omit<BeginInput, 'factor'>,
  code: string,
): Promise<{ tx: AuthTransaction; remembered: Remembered | null }> {
  return passcodeLogin(deps, input, code, true);
}

async function passcodeLogin(
  deps: CoreDeps,
  input: Omit<BeginInput, 'factor'>,
  code: string,
  remember: boolean,
): Promise<{ tx: AuthTransaction; remembered: Remembered | null }> {
  const outcome = await deps.store.atomically(async (repos) => {
    const refused = await admitStart(repos, deps, { userId: input.user.id, ip: input.ip });
    // Returned, not thrown: the refusal's count must commit.
    if (refused) return refused;
    // Parallel codes for one user are checked one after the other, each seeing the failures and the lockout
    // the previous one committed: never more than the threshold of guesses (800-63B §5.2.2), on any database.
    const locked = (await repos.users.lock(input.user.id)) ?? input.user;
    // The waiting row would be updated a moment later in the same database transaction: write it once.
    const { tx, decision } = await createTransaction(
      repos,
      deps,
      { ...input, user: locked, factor: 'passcode' },
      { storeOpen: false, userRead: true },
    );
    if (decision.result !== 'auth') return { tx, remembered: null };
    const { user, policy } = decision;
    const decided = await checkPasscode(repos, deps, tx, user, input.app, code, decision, { stored: false });
    const remembered = remember
      ? await rememberAllowedIn(repos, deps, decided, user, input.app, policy)
      : null;
    return { tx: decided, remembered };
  });
  if ('limit' in outcome) throw startRefused(outcome);
  // Not announced: the transaction was created decided, and its id reaches its caller only now, so nobody can
  // be waiting on it (on PostgreSQL the announcement was a pg_notify round trip, heard by every node).
  return outcome;
}
