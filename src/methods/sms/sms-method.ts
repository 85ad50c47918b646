// SMS passcodes: a texted batch of seven-digit codes, each spent once (compare-and-set), voided by the next batch.
import { verifyCode } from '../../crypto/code-hash.ts';
import type { Method } from '../method.ts';
import { phoneNumberOf } from '../phone/phone-device.ts';
import { SMS_CODE_LENGTH } from './sms-batch.ts';

export const smsMethod = {
  id: 'sms',
  // The number is the phone method's authenticator; this method only checks the codes texted to it.
  kinds: [],
  usesKinds: ['phone'],
  capabilities: () => [],
  codeLengths: () => [SMS_CODE_LENGTH],
  async verifyPasscode(repos, deps, user, authenticators, code) {
    if (code.length !== SMS_CODE_LENGTH) return null;
    const now = deps.clock.now();
    for (const stored of await repos.smsPasscodes.listActive(user.id, 'login', now)) {
      if (!verifyCode(deps.ring, stored, code)) continue;
      // Of parallel logins with one code, exactly one deletes its row; the others find it gone.
      if (!(await repos.smsPasscodes.consume(stored.id, now))) return null;
      const phone = authenticators.find((candidate) => phoneNumberOf(candidate) === stored.phone);
      return { methodId: 'sms', authenticatorId: phone?.id ?? null };
    }
    return null;
  },
} satisfies Method;
