// `countersign totp add <user>`: enroll an authenticator app and show its QR code in the terminal.
import { addTotp } from '../../core/admin/add-totp.ts';
import { requireUser } from '../../core/admin/create-user.ts';
import type { OtpAlgorithm } from '../../core/model.ts';
import { type Command, intOption, UsageError } from '../command.ts';
import { cliActor, withCountersign } from '../context.ts';
import { print } from '../output.ts';

export const totpAdd: Command = {
  name: 'totp add',
  summary: 'Enroll a TOTP authenticator app for a user; prints the otpauth URI and a QR code.',
  usage:
    'countersign totp add <user> [--name N] [--algorithm sha1|sha256|sha512] [--digits 6|8] [--period 30]',
  positionals: 1,
  options: {
    name: { type: 'string' },
    algorithm: { type: 'string' },
    digits: { type: 'string' },
    period: { type: 'string' },
  },
  run: (invocation) =>
    withCountersign(invocation, async ({ deps, config }) => {
      const { values } = invocation;
      const algorithm = (values.algorithm as string | undefined) ?? 'sha1';
      if (!['sha1', 'sha256', 'sha512'].includes(algorithm))
        throw new UsageError('--algorithm must be sha1, sha256 or sha512');
      const digits = intOption(values, 'digits', 6, 8) ?? 6;
      if (digits !== 6 && digits !== 8) throw new UsageError('--digits must be 6 or 8');
      const period = intOption(values, 'period', 15, 300) ?? 30;
      const user = await requireUser(deps, invocation.positionals[0]!);
      const { authenticator, uri } = await addTotp(deps, cliActor(invocation), user, {
        issuer: config.organization,
        algorithm: algorithm as OtpAlgorithm,
        digits,
        period,
        ...(typeof values.name === 'string' && { name: values.name }),
      });
      const result = { id: authenticator.id, user: user.username, uri };
      if (invocation.json) print(invocation.io, true, result);
      else {
        const { default: QRCode } = await import('qrcode'); // loaded when a code is drawn (issue 14)
        const qr = await QRCode.toString(uri, { type: 'terminal', small: true });
        invocation.io.stdout(`Scan this with the authenticator app for ${user.username}:\n\n${qr}\n${uri}\n`);
      }
      return result;
    }),
};
