// Reads REST v1 parameters: `user` in canonical form, a lenient `ipaddr`, and what `auto` asks for.
import { isIP } from 'node:net';
import type { CoreDeps } from '../../core/deps.ts';
import type { User } from '../../core/model.ts';
import { canonicalUsername } from '../../core/usernames.ts';
import { V1Refusal } from './denial.ts';

/** The user `user` names, or null for a name nobody has; a name the canonical form refuses is a refusal. */
export async function readUser(
  deps: Pick<CoreDeps, 'store'>,
  params: Map<string, string>,
): Promise<{ user: User | null; name: string }> {
  const raw = params.get('user');
  if (raw === undefined || raw.trim() === '') throw new V1Refusal('The request names no user.', 40001);
  const checked = canonicalUsername(raw);
  // Never an unknown user that a new-user policy could let through: a refusal that says why.
  if (!checked.ok) throw new V1Refusal(`That username is not valid: ${checked.reason}.`);
  return { user: await deps.store.users.findByName(checked.name), name: checked.name };
}

/**
 * `ipaddr` when it is an IP address, else null. pam_duo sends PAM_RHOST, which is a host name when sshd resolves
 * names (`UseDNS yes`): refusing those logins would lock people out, and a name is no address to limit by.
 */
export function readIp(params: Map<string, string>): string | null {
  const ip = params.get('ipaddr');
  return ip !== undefined && isIP(ip) !== 0 ? ip : null;
}

/** What duo_unix's `auto` parameter asks for: a menu entry (`push2`) or what the user typed (a passcode). */
export type AutoFactor = { kind: 'push'; index: number } | { kind: 'passcode'; passcode: string };

/** Reads `factor=auto&auto=…` (lib/duo.c duo_login); phone calls and SMS are refused with words the user reads. */
export function readAuto(params: Map<string, string>): AutoFactor {
  if (params.get('factor') !== 'auto') throw new V1Refusal('Only factor=auto is supported.');
  const auto = (params.get('auto') ?? '').trim();
  const push = /^push([0-9]{1,2})$/.exec(auto);
  if (push) return { kind: 'push', index: Number(push[1]) };
  if (/^(phone|sms)[0-9]*$/.test(auto)) {
    throw new V1Refusal('Phone calls and text messages are not enabled on this server.');
  }
  if (auto === '' || auto.length > 64) throw new V1Refusal('Enter a passcode or a menu option.');
  return { kind: 'passcode', passcode: auto };
}
