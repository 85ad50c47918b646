// POST /rest/v1/auth.bson: the user's menu choice (`auto=push2`) or typed passcode, decided now or with a txid.
import {
  authenticateWithPasscode,
  beginTransaction,
  pushAndAwait,
  startFactor,
} from '../../core/transaction/index.ts';
import { describeDevices } from '../auth-api/describe.ts';
import { readPushinfo } from '../auth-api/routes.ts';
import type { V1Handler } from './context.ts';
import { V1Refusal } from './denial.ts';
import { v1Outcome } from './outcome.ts';
import { readAuto, readIp, readUser } from './read-params.ts';

/**
 * `async=1` answers `{txid}` at once (the client then polls status.bson); `async=0` (sshd, autopush, scripts)
 * holds until the login is decided and answers `{result, status}`.
 */
export const auth: V1Handler = async (ctx, { app, params, signal }) => {
  const { deps } = ctx;
  const { user } = await readUser(deps, params);
  if (!user) throw new V1Refusal('Unknown user.');
  const factor = readAuto(params);
  const ip = readIp(params);
  const isAsync = params.get('async') === '1';

  if (factor.kind === 'passcode') {
    const tx = await authenticateWithPasscode(deps, { app, user, ip }, factor.passcode);
    return isAsync ? { txid: tx.id } : v1Outcome(tx);
  }
  // The menu numbers the user's push-capable devices in preauth's order (describePrompt).
  const pushDevices = describeDevices(await deps.store.authenticators.listForUser(user.id)).filter((device) =>
    device.capabilities.includes('push'),
  );
  const push = {
    device: pushDevices[factor.index - 1]?.device ?? 'none',
    details: readPushinfo(params),
    // The client sends the same request for autopush and for a menu choice, and a REST v1 request can be sent
    // again by whoever captured it: every push counts as automatic, so a recent denial pauses pushes.
    automatic: true,
    // Nothing in REST v1 shows a verified-push number before the answer (sshd shows statuses only at the end).
    canShowCode: false,
  };
  const { tx } = await beginTransaction(deps, { app, user, ip, factor: 'push' });
  if (tx.state !== 'awaiting_factor') return isAsync ? { txid: tx.id } : v1Outcome(tx);
  if (isAsync) return { txid: (await startFactor(deps, tx.id, 'push', push)).tx.id };
  return v1Outcome(await pushAndAwait(deps, tx.id, { ...push, maxMs: ctx.maxSyncWaitMs, signal }));
};
