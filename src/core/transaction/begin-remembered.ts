// A login of a remembered device (the Auth API's trusted_device_token): allowed at once, as the prompt's "remember me".
import type { CoreDeps } from '../deps.ts';
import { policyFor } from '../evaluate-access.ts';
import type { AuthTransaction } from '../model.ts';
import { isRemembered } from '../web/remembered.ts';
import { allowRemembered } from './allow-remembered.ts';
import { type BeginInput, beginTransaction } from './begin-transaction.ts';

/**
 * Starts a login for `input` and allows it (reason `remembered`, audited) when `token` is a live remembered
 * login of the user for the application under the current policy; null, starting nothing, when it is not. A
 * start is counted by the login limits like any other (RATE_LIMITED).
 */
export async function beginRemembered(
  deps: CoreDeps,
  input: Omit<BeginInput, 'factor'>,
  token: string,
): Promise<AuthTransaction | null> {
  // Checked first, so a wrong or expired token leaves no transaction behind.
  const policy = await policyFor(deps.store, input.app, input.user);
  if (!(await isRemembered(deps, token, input.user, input.app, policy))) return null;
  const { tx } = await beginTransaction(deps, { ...input, factor: null });
  if (tx.state !== 'awaiting_factor') return tx;
  return allowRemembered(deps, tx.id, token);
}
