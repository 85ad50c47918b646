// A phone number for calls and SMS passcodes: added (or changed) only once a code texted to it comes back.
import { verifyCode } from '../../crypto/code-hash.ts';
import { phoneNumberOf } from '../../methods/phone/phone-device.ts';
import { CONFIRM_CODE_TTL_MS, confirmText, newSmsBatch } from '../../methods/sms/sms-batch.ts';
import { isE164 } from '../../telephony/phone-number.ts';
import { audit } from '../audit.ts';
import type { CoreDeps } from '../deps.ts';
import { CountersignError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { Authenticator, User } from '../model.ts';

/**
 * Texts a confirmation code to `number` for `user` (a new code voids the previous one). Refuses a number that is
 * not E.164, or telephony's refusals (TELEPHONY_DISABLED, _LIMITED, _BUDGET_EXCEEDED, _FAILED).
 */
export async function sendPhoneConfirmation(deps: CoreDeps, user: User, number: string): Promise<void> {
  if (!isE164(number)) throw new CountersignError('INVALID_INPUT', 'phone: must be E.164, like +15551234567');
  const batch = newSmsBatch(deps, {
    userId: user.id,
    phone: number,
    purpose: 'confirm',
    count: 1,
    ttlMs: CONFIRM_CODE_TTL_MS,
  });
  await deps.telephony.sendSms({
    userId: user.id,
    to: number,
    context: 'verification',
    text: confirmText(deps.telephony.organization, batch.codes[0]!),
  });
  await deps.store.smsPasscodes.replaceBatch(user.id, 'confirm', batch.rows);
}

/**
 * Adds `number` as the user's phone when `code` is the one texted to it, replacing the phone the user had
 * (the caller asks for a second factor first when there is one). WRONG_CODE when the code does not match,
 * was used or expired. Returns the new phone and the one it replaced.
 */
export async function confirmPhone(
  deps: CoreDeps,
  actor: string,
  user: User,
  input: { number: string; code: string; name?: string },
): Promise<{ phone: Authenticator; replaced: Authenticator | null }> {
  const now = deps.clock.now();
  const pending = await deps.store.smsPasscodes.listActive(user.id, 'confirm', now);
  const match = pending.find(
    (stored) => stored.phone === input.number && verifyCode(deps.ring, stored, input.code),
  );
  const phone: Authenticator = {
    id: newId(deps.random, 'D'),
    userId: user.id,
    kind: 'phone',
    name: input.name ?? 'Phone',
    serial: null,
    secretSealed: null,
    algorithm: 'sha1',
    digits: 0,
    period: 0,
    counter: 0,
    lastUsedStep: null,
    data: { number: input.number },
    createdAt: now,
    lastUsedAt: null,
  };
  const replaced = await deps.store.atomically(async (repos) => {
    // Spent inside the same database transaction: a code raced twice adds one phone.
    if (!match || !(await repos.smsPasscodes.consume(match.id, now)))
      throw new CountersignError('WRONG_CODE', 'the code does not match, was used, or expired');
    const devices = await repos.authenticators.listForUser(user.id);
    const old = devices.find((device) => phoneNumberOf(device) !== null) ?? null;
    if (old) await repos.authenticators.remove(old.id);
    // Codes texted to the old number stop working with it.
    await repos.smsPasscodes.replaceBatch(user.id, 'login', []);
    await repos.authenticators.create(phone);
    await audit(repos, now, {
      kind: 'enrollment',
      action: old ? 'phone.change' : 'phone.add',
      actor,
      userId: user.id,
      username: user.username,
      detail: { authenticatorId: phone.id, replaced: old?.id ?? null },
    });
    return old;
  });
  return { phone, replaced };
}
