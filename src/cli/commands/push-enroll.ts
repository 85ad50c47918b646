// `countersign push enroll <user>`: an activation for the Countersign Authenticator, as links and a terminal QR code.
import { publicUrl } from '../../config.ts';
import { requireUser } from '../../core/admin/create-user.ts';
import { createActivation } from '../../core/enrollment/create-activation.ts';
import { activationLink, activationPageLink } from '../../device-protocol/activation-link.ts';
import { type Command, UsageError } from '../command.ts';
import { cliActor, withCountersign } from '../context.ts';
import { print } from '../output.ts';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Parses `--valid`: `3600`, `30m`, `24h`, `7d` → seconds. */
export function parseValidity(text: string): number {
  const match = /^([0-9]{1,7})([smhd]?)$/.exec(text);
  if (!match) throw new UsageError(`--valid '${text}' must look like 3600, 30m, 24h or 7d`);
  return Number(match[1]) * UNITS[match[2] || 's']!;
}

export const pushEnroll: Command = {
  name: 'push enroll',
  summary:
    'Create an activation for the Countersign Authenticator; prints the activation page link and a QR code.',
  usage: 'countersign push enroll <user> [--replace DEVICE_ID] [--valid 24h|30m|7d|SECONDS]',
  positionals: 1,
  options: { replace: { type: 'string' }, valid: { type: 'string' } },
  run: (invocation) =>
    withCountersign(invocation, async ({ deps, config }) => {
      const { values } = invocation;
      const validSeconds = typeof values.valid === 'string' ? parseValidity(values.valid) : undefined;
      const replace = typeof values.replace === 'string' ? values.replace : undefined;
      const user = await requireUser(deps, invocation.positionals[0]!);
      // createActivation checks the lifetime (60 s to 30 days) and that a replaced device is this user's phone.
      const { activation, code } = await createActivation(deps, cliActor(invocation), user, {
        // An administrator's action: in the administrator log (issue 12).
        byAdministrator: true,
        ...(validSeconds !== undefined && { validSeconds }),
        ...(replace !== undefined && { replacesDeviceId: replace }),
      });
      const base = publicUrl(config);
      const result = {
        user: user.username,
        activationId: activation.id,
        activationPage: activationPageLink(base, code),
        appLink: activationLink(base, code),
        activationCode: `${code}@${base}`,
        replaces: activation.replacesDeviceId,
        expiresAt: new Date(activation.expiresAt).toISOString(),
      };
      if (invocation.json) {
        print(invocation.io, true, result);
        return result;
      }
      const { default: QRCode } = await import('qrcode'); // loaded when a code is drawn (issue 14)
      const qr = await QRCode.toString(result.appLink, { type: 'terminal', small: true });
      invocation.io.stdout(
        [
          `Activation for ${user.username} (valid until ${result.expiresAt}).`,
          '',
          'Send the user this page (install the app, then scan the code):',
          `  ${result.activationPage}`,
          '',
          'Or scan this with the phone that has the Countersign Authenticator:',
          '',
          qr,
          `  ${result.appLink}`,
          '',
          `Code to paste in the app: ${result.activationCode}`,
          ...(result.replaces ? [`Device ${result.replaces} stops working when this one activates.`] : []),
          '',
        ].join('\n'),
      );
      return result;
    }),
};
