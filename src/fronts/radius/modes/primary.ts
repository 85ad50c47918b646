// The password step of the auto, concat and challenge modes: the core's verifyPrimary (local or directory).
import type { User } from '../../../core/model.ts';
import { verifyPrimary } from '../../../core/primary-auth.ts';
import { type Outcome, type RequestContext, rejected } from './outcome.ts';

/** The user when the password is right, else the reject (the core has audited the failure). */
export async function checkPassword(
  ctx: RequestContext,
  password: string,
): Promise<{ ok: true; user: User } | { ok: false; outcome: Outcome }> {
  const result = await verifyPrimary(ctx.deps, ctx.app, ctx.username, password, ctx.ip);
  if (result.ok) return { ok: true, user: result.user };
  const reason = result.reason === 'unavailable' ? 'directory_unavailable' : 'bad_password';
  return { ok: false, outcome: rejected(result.user, reason, { factor: 'password' }) };
}
