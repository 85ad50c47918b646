// Tells users by e-mail about every change to their sign-in methods (SECURITY.md: "the user is told out of band").
import type { User } from '../../core/model.ts';
import type { Mailer } from '../notify/mailer.ts';

export type AccountChange =
  | { kind: 'device-added'; deviceName: string }
  | { kind: 'device-removed'; deviceName: string }
  | { kind: 'device-renamed'; from: string; to: string }
  | { kind: 'phone-changed'; from: string; to: string }
  | { kind: 'backup-codes-created' }
  | { kind: 'signed-out-everywhere' };

function describe(change: AccountChange): { subject: string; what: string } {
  switch (change.kind) {
    case 'device-added':
      return {
        subject: 'A sign-in method was added',
        what: `"${change.deviceName}" was added as a sign-in method.`,
      };
    case 'device-removed':
      return {
        subject: 'A sign-in method was removed',
        what: `"${change.deviceName}" was removed. Browsers that were remembered must verify again.`,
      };
    case 'device-renamed':
      return {
        subject: 'A sign-in method was renamed',
        what: `"${change.from}" was renamed to "${change.to}".`,
      };
    case 'phone-changed':
      return {
        subject: 'Your phone number was changed',
        what: `Sign-in calls and text messages now go to ${change.to} instead of ${change.from}.`,
      };
    case 'backup-codes-created':
      return {
        subject: 'New backup codes were created',
        what: 'A new set of backup codes was created; the old codes no longer work.',
      };
    case 'signed-out-everywhere':
      return {
        subject: 'You were signed out everywhere',
        what: 'All browser sessions and remembered browsers were signed out.',
      };
  }
}

/** The message for one change; the user's e-mail address comes from the directory, never from the request. */
export function changeMessage(user: User, organization: string, change: AccountChange, atMs: number) {
  const { subject, what } = describe(change);
  const text = [
    `Hello ${user.realName ?? user.username},`,
    '',
    what,
    '',
    `When: ${new Date(atMs).toISOString().replace('T', ' ').slice(0, 16)} UTC`,
    `Account: ${user.username}`,
    '',
    'If this was not you, contact your help desk at once: someone may know your password.',
    '',
    `— ${organization}`,
  ].join('\n');
  return { subject: `${organization}: ${subject}`, text };
}

/** Sends the notice; a user without an address or a failing mailer never blocks the change itself. */
export async function notifyUser(
  mailer: Mailer,
  organization: string,
  user: User,
  change: AccountChange,
  atMs: number,
  log: { warn(details: Record<string, unknown>, message: string): void },
): Promise<void> {
  if (!user.email) return;
  const { subject, text } = changeMessage(user, organization, change, atMs);
  try {
    await mailer.send({ to: user.email, subject, text });
  } catch (error) {
    log.warn({ err: error, userId: user.id, change: change.kind }, 'account change e-mail not sent');
  }
}
