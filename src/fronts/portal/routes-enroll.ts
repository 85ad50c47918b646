// Adding sign-in methods: the Countersign Authenticator (QR activation), a TOTP app, a security key, backup codes.
import type { FastifyInstance } from 'fastify';
import { addSecurityKey } from '../../core/enrollment/add-security-key.ts';
import { replaceBackupCodes } from '../../core/enrollment/backup-codes.ts';
import { confirmTotp, newTotpSeed } from '../../core/enrollment/confirm-totp.ts';
import { checkDeviceName } from '../../core/enrollment/manage-devices.ts';
import { policyFor } from '../../core/evaluate-access.ts';
import type { WebSession } from '../../core/model.ts';
import { encodeBase32 } from '../../crypto/base32.ts';
import { open, seal } from '../../crypto/secret-box.ts';
import { dataChallengeSlot, webauthnRegistrationOptions } from '../../methods/webauthn/index.ts';
import { afterFirstFactor, changeAccess, selfActor } from './access.ts';
import type { PortalContext } from './context.ts';
import { notifyUser } from './notify-user.ts';
import { PortalError } from './portal-error.ts';
import { updateSessionData } from './portal-session.ts';
import { activationRoutes } from './routes-activation.ts';

function totpContext(session: WebSession): string {
  return `portal-session:${session.id}:totp`;
}

export function enrollRoutes(fastify: FastifyInstance, context: PortalContext): void {
  const { deps } = context;
  activationRoutes(fastify, context);

  fastify.post('/enroll/totp/start', async (request) => {
    const { session, user } = await changeAccess(context, request);
    const { secret, uri } = newTotpSeed(deps, user, context.organization);
    // The seed waits sealed in the session until the user proves the app shows the right codes.
    await updateSessionData(deps, session, { totpSeed: seal(deps.ring, secret, totpContext(session)) });
    const { default: QRCode } = await import('qrcode'); // loaded when a code is drawn (issue 14)
    const qr = await QRCode.toDataURL(uri, { margin: 2, scale: 6, errorCorrectionLevel: 'M' });
    return { uri, qr, secret: encodeBase32(secret, { pad: false }) };
  });

  fastify.post<{ Body: { code?: unknown; name?: unknown } }>('/enroll/totp/confirm', async (request) => {
    const { session, user, factors } = await changeAccess(context, request);
    const sealed = session.data.totpSeed;
    if (typeof sealed !== 'string')
      throw new PortalError(409, 'NO_PENDING_TOTP', 'Please start again: scan a new QR code.');
    const code = request.body?.code;
    if (typeof code !== 'string')
      throw new PortalError(400, 'INVALID_INPUT', 'Please type the 6-digit code.');
    const name = checkDeviceName(request.body?.name ?? 'Authenticator app');
    const secret = open(deps.ring, sealed, totpContext(session));
    let added: Awaited<ReturnType<typeof confirmTotp>>;
    try {
      added = await confirmTotp(deps, selfActor(user), user, { secret, code, name });
    } catch {
      throw new PortalError(
        400,
        'WRONG_CODE',
        'That code is not the current one. Check the app and try again.',
      );
    }
    await updateSessionData(deps, session, { totpSeed: undefined });
    await afterFirstFactor(context, session, factors);
    await notifyUser(
      context.mailer,
      context.organization,
      user,
      { kind: 'device-added', deviceName: name },
      deps.clock.now(),
      request.log,
    );
    return { device: { id: added.id, name: added.name, kind: added.kind } };
  });

  const sessionSlot = (session: WebSession) =>
    dataChallengeSlot(
      async () => (await deps.store.webSessions.getActive(session.id, deps.clock.now()))?.data ?? {},
      async (data) => deps.store.webSessions.update(session.id, { data }),
    );

  fastify.post('/enroll/webauthn/options', async (request) => {
    const { session, user } = await changeAccess(context, request);
    const policy = await policyFor(deps.store, await context.application(), user);
    const wdeps = { ...deps, challenges: sessionSlot(session), userVerification: policy.userVerification };
    return { options: await webauthnRegistrationOptions(wdeps, user, context.rp()) };
  });

  fastify.post<{ Body: { response?: unknown; name?: unknown } }>(
    '/enroll/webauthn/verify',
    async (request) => {
      const { session, user, factors } = await changeAccess(context, request);
      const response = request.body?.response;
      if (typeof response !== 'object' || response === null)
        throw new PortalError(400, 'INVALID_INPUT', 'No security key answer.');
      const policy = await policyFor(deps.store, await context.application(), user);
      const added = await addSecurityKey(deps, selfActor(user), user, {
        response: response as never,
        rp: context.rp(),
        name: request.body?.name ?? 'Security key',
        challenges: sessionSlot(session),
        userVerification: policy.userVerification,
      });
      await afterFirstFactor(context, session, factors);
      await notifyUser(
        context.mailer,
        context.organization,
        user,
        { kind: 'device-added', deviceName: added.name },
        deps.clock.now(),
        request.log,
      );
      return { device: { id: added.id, name: added.name, kind: added.kind } };
    },
  );

  fastify.post('/enroll/backup-codes', async (request) => {
    const { session, user, factors } = await changeAccess(context, request);
    const codes = await replaceBackupCodes(deps, selfActor(user), user);
    await afterFirstFactor(context, session, factors);
    await notifyUser(
      context.mailer,
      context.organization,
      user,
      { kind: 'backup-codes-created' },
      deps.clock.now(),
      request.log,
    );
    return { codes };
  });
}
