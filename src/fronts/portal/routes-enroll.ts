// Adding sign-in methods: the Countersign Authenticator (QR activation), a TOTP app, a security key, backup codes.
import type { FastifyInstance } from 'fastify';
import { addSecurityKey } from '../../core/enrollment/add-security-key.ts';
import { replaceBackupCodes } from '../../core/enrollment/backup-codes.ts';
import { confirmTotp, newTotpSeed } from '../../core/enrollment/confirm-totp.ts';
import { checkDeviceName } from '../../core/enrollment/manage-devices.ts';
import { CountersignError, isCountersignError } from '../../core/errors.ts';
import { policyFor } from '../../core/evaluate-access.ts';
import type { WebSession } from '../../core/model.ts';
import { encodeBase32 } from '../../crypto/base32.ts';
import { open, seal } from '../../crypto/secret-box.ts';
import {
  dataChallengeSlot,
  type RegistrationResponseJSON,
  webauthnRegistrationOptions,
} from '../../methods/webauthn/index.ts';
import { addRoute } from '../web-common/add-route.ts';
import { afterFirstFactor, changeAccess, selfActor } from './access.ts';
import type { TotpStartView } from './api-shape.ts';
import type { PortalContext } from './context.ts';
import { notifyUser } from './notify-user.ts';
import { updateSessionData } from './portal-session.ts';
import { activationRoutes } from './routes-activation.ts';
import { NoBody, TotpConfirmBody, WebauthnVerifyBody } from './schemas.ts';

function totpContext(session: WebSession): string {
  return `portal-session:${session.id}:totp`;
}

export function enrollRoutes(fastify: FastifyInstance, context: PortalContext): void {
  const { deps } = context;
  activationRoutes(fastify, context);

  addRoute(fastify, {
    method: 'POST',
    url: '/enroll/totp/start',
    schema: { body: NoBody },
    handler: async (request) => {
      const { session, user } = await changeAccess(context, request);
      const { secret, uri } = newTotpSeed(deps, user, context.organization);
      // The seed waits sealed in the session until the user proves the app shows the right codes.
      await updateSessionData(deps, session, { totpSeed: seal(deps.ring, secret, totpContext(session)) });
      const { default: QRCode } = await import('qrcode'); // loaded when a code is drawn (issue 14)
      const qr = await QRCode.toDataURL(uri, { margin: 2, scale: 6, errorCorrectionLevel: 'M' });
      return { uri, qr, secret: encodeBase32(secret, { pad: false }) } satisfies TotpStartView;
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/enroll/totp/confirm',
    schema: { body: TotpConfirmBody },
    handler: async (request) => {
      const { session, user, factors } = await changeAccess(context, request);
      const sealed = session.data.totpSeed;
      if (typeof sealed !== 'string') throw new CountersignError('NO_PENDING_TOTP');
      const { code } = request.body;
      const name = checkDeviceName(request.body.name ?? 'Authenticator app');
      const secret = open(deps.ring, sealed, totpContext(session));
      let added: Awaited<ReturnType<typeof confirmTotp>>;
      try {
        added = await confirmTotp(deps, selfActor(user), user, { secret, code, name });
      } catch (error) {
        // confirmTotp refuses a code that is not the current one as INVALID_INPUT; other failures stay what they are.
        if (isCountersignError(error, 'INVALID_INPUT'))
          throw new CountersignError('WRONG_CODE', error.detail);
        throw error;
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
    },
  });

  const sessionSlot = (session: WebSession) =>
    dataChallengeSlot(
      async () => (await deps.store.webSessions.getActive(session.id, deps.clock.now()))?.data ?? {},
      async (data) => deps.store.webSessions.update(session.id, { data }),
    );

  addRoute(fastify, {
    method: 'POST',
    url: '/enroll/webauthn/options',
    schema: { body: NoBody },
    handler: async (request) => {
      const { session, user } = await changeAccess(context, request);
      const policy = await policyFor(deps.store, await context.application(), user);
      const wdeps = { ...deps, challenges: sessionSlot(session), userVerification: policy.userVerification };
      return { options: await webauthnRegistrationOptions(wdeps, user, context.rp()) };
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/enroll/webauthn/verify',
    schema: { body: WebauthnVerifyBody },
    handler: async (request) => {
      const { session, user, factors } = await changeAccess(context, request);
      const response = request.body.response as RegistrationResponseJSON;
      const policy = await policyFor(deps.store, await context.application(), user);
      const added = await addSecurityKey(deps, selfActor(user), user, {
        response,
        rp: context.rp(),
        name: request.body.name ?? 'Security key',
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
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/enroll/backup-codes',
    schema: { body: NoBody },
    handler: async (request) => {
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
    },
  });
}
