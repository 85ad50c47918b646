// Texts a new batch of SMS passcodes for a waiting login: sent first, then stored (voiding the old batch).
import { phoneNumberOf, pickPhone } from '../../methods/phone/phone-device.ts';
import { newSmsBatch, SMS_BATCH_SIZE, SMS_BATCH_TTL_MS, signInText } from '../../methods/sms/sms-batch.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError, isCountersignError } from '../errors.ts';
import { policyFor } from '../evaluate-access.ts';
import type { AuthTransaction } from '../model.ts';
import { loadTransaction } from './load-transaction.ts';
import { announce, moveTransaction } from './move-transaction.ts';
import type { ReasonFor } from './reasons.ts';
import { isFinal } from './states.ts';

export interface TextPasscodesOptions {
  /** A phone authenticator's id, or 'auto' for the user's first phone. */
  device: string;
  /**
   * True (Auth API, RADIUS): the login ends as `deny` with `sms_sent` (or the refusal), as Duo's does, and the
   * user signs in again with a code. False (the prompt): it keeps waiting for a code; a refusal throws.
   */
  end: boolean;
}

/**
 * Texts a new batch of SMS passcodes to the user of the waiting login `txid` and returns the login as it then
 * stands. The text goes out before the batch is stored: a send that the limits, the budget or the provider
 * refuses leaves the previous batch usable. Throws FACTOR_NOT_ALLOWED, NO_CAPABLE_DEVICE or TRANSACTION_FINISHED
 * changing nothing.
 */
export async function textPasscodes(
  deps: CoreDeps,
  txid: string,
  options: TextPasscodesOptions,
): Promise<AuthTransaction> {
  const { tx, user, app } = await loadTransaction(deps.store, txid);
  if (isFinal(tx.state)) throw new CountersignError('TRANSACTION_FINISHED', `${txid} is ${tx.state}`);
  const policy = await policyFor(deps.store, app, user);
  if (!policy.allowedMethods.includes('sms')) throw new CountersignError('FACTOR_NOT_ALLOWED', 'sms');
  const phone = pickPhone(await deps.store.authenticators.listForUser(user.id), options.device);
  if (!phone) throw new CountersignError('NO_CAPABLE_DEVICE');
  const number = phoneNumberOf(phone)!;
  const batch = newSmsBatch(deps, {
    userId: user.id,
    phone: number,
    purpose: 'login',
    count: SMS_BATCH_SIZE,
    ttlMs: SMS_BATCH_TTL_MS,
  });
  let refusal: ReasonFor<'deny'> | null = null;
  try {
    await deps.telephony.sendSms({
      userId: user.id,
      to: number,
      context: 'authentication',
      text: signInText(deps.telephony.organization, batch.codes),
    });
  } catch (error) {
    if (!options.end || !isCountersignError(error)) throw error;
    const limited = error.code === 'TELEPHONY_LIMITED' || error.code === 'TELEPHONY_BUDGET_EXCEEDED';
    refusal = limited ? 'telephony_limited' : 'telephony_failed';
  }
  const outcome = await deps.store.atomically(async (repos) => {
    const { tx: current, user: locked } = await loadTransaction(repos, txid, { lockUser: true });
    // Codes that went out are stored even when the login ended meanwhile: the user has them in hand.
    if (refusal === null) await repos.smsPasscodes.replaceBatch(user.id, 'login', batch.rows);
    if (!options.end || isFinal(current.state)) return { tx: current, changed: false };
    const denied = await moveTransaction(repos, deps, current, locked, {
      to: 'deny',
      reason: refusal ?? 'sms_sent',
      factor: 'sms',
      deviceId: phone.id,
    });
    return { tx: denied, changed: true };
  });
  if (outcome.changed) await announce(deps, outcome.tx);
  return outcome.tx;
}
