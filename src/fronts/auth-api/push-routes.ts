// Auth API v2 push endpoints: enroll and enroll_status (activation of the Countersign Authenticator).
import { createUser } from '../../core/admin/create-user.ts';
import { activationCodeHash, createActivation } from '../../core/enrollment/create-activation.ts';
import { canonicalUsername } from '../../core/usernames.ts';
import { activationLink, parseActivation } from '../../device-protocol/activation-link.ts';
import { DuoApiError, invalidParameter, missingParameter } from '../duo-api/envelope.ts';
import type { Handler } from './routes.ts';

/** POST /enroll: a user (created when new) and an activation for the Authenticator app. */
export const enroll: Handler = async (ctx, { app, params }) => {
  const { deps } = ctx;
  const validSecs = params.get('valid_secs') ?? '86400';
  if (!/^[0-9]{2,7}$/.test(validSecs)) throw invalidParameter('valid_secs');
  const checked = canonicalUsername(params.get('username') ?? `user-${deps.random.bytes(5).toString('hex')}`);
  if (!checked.ok) throw invalidParameter(`username: ${checked.reason}`);
  const username = checked.name;
  if (await deps.store.users.findByName(username)) {
    throw new DuoApiError(400, 40003, 'Duplicate resource', 'username');
  }
  const actor = `auth-api:${app.ikey}`;
  const user = await createUser(deps, actor, { username });
  const { activation, code } = await createActivation(deps, actor, user, { validSeconds: Number(validSecs) });
  const base = ctx.publicUrl;
  const link = activationLink(base, code);
  return {
    activation_barcode: `${base}/frame/qr?value=${encodeURIComponent(link)}`,
    activation_code: `${code}@${base}`,
    activation_url: link,
    expiration: Math.floor(activation.expiresAt / 1000),
    user_id: user.id,
    username: user.username,
  };
};

/** POST /enroll_status: "success", "waiting" or "invalid" (a bare string, as Duo answers). */
export const enrollStatus: Handler = async (ctx, { params }) => {
  const userId = params.get('user_id');
  const text = params.get('activation_code');
  if (!userId) throw missingParameter('user_id');
  if (!text) throw missingParameter('activation_code');
  const code = parseActivation(text)?.code ?? text;
  const activation = await ctx.deps.store.activations.findByCodeHash(activationCodeHash(code));
  if (!activation || activation.userId !== userId) return 'invalid';
  if (activation.usedAt !== null) return 'success';
  return activation.expiresAt > ctx.deps.clock.now() ? 'waiting' : 'invalid';
};
