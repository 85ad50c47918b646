// Adding (or moving to a new phone) the Countersign Authenticator: a QR activation link, then a long poll until it is used.
import type { FastifyInstance } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { createActivation } from '../../core/enrollment/create-activation.ts';
import { checkDeviceName } from '../../core/enrollment/manage-devices.ts';
import { CountersignError } from '../../core/errors.ts';
import { activationLink } from '../../device-protocol/activation-link.ts';
import { addRoute } from '../web-common/add-route.ts';
import { afterFirstFactor, changeAccess, selfActor } from './access.ts';
import type { ActivationLinkView, ActivationStatusView } from './api-shape.ts';
import type { PortalContext } from './context.ts';
import { notifyUser } from './notify-user.ts';
import { currentSession, updateSessionData } from './portal-session.ts';
import { EnrollAuthenticatorBody } from './schemas.ts';

interface PendingActivation {
  codeHash: string;
  name: string;
  /** Whether the user had any factor when the activation was created (the first one steps the session up). */
  hadFactor: boolean;
}

function pendingOf(data: Record<string, unknown>): PendingActivation | null {
  const raw = data.pendingActivation as Partial<PendingActivation> | undefined;
  if (!raw || typeof raw.codeHash !== 'string' || typeof raw.name !== 'string') return null;
  return { codeHash: raw.codeHash, name: raw.name, hadFactor: raw.hadFactor === true };
}

async function activationState(
  deps: CoreDeps,
  codeHash: string,
): Promise<'waiting' | 'activated' | 'expired'> {
  const activation = await deps.store.activations.findByCodeHash(codeHash);
  if (activation?.usedAt != null) return 'activated';
  return activation && activation.expiresAt > deps.clock.now() ? 'waiting' : 'expired';
}

/** Resolves on the next `activation:<userId>` message or after `ms` (whichever first), or when aborted. */
function nextActivation(deps: CoreDeps, userId: string, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unsubscribe = deps.bus.subscribe(`activation:${userId}`, done);
    signal.addEventListener('abort', done);
  });
}

export function activationRoutes(fastify: FastifyInstance, context: PortalContext): void {
  const { deps } = context;

  addRoute(fastify, {
    method: 'POST',
    url: '/enroll/authenticator',
    schema: { body: EnrollAuthenticatorBody },
    handler: async (request) => {
      const replaces = request.body.replacesDeviceId;
      const { session, user, factors } = await changeAccess(context, request, replaces !== undefined);
      const name = checkDeviceName(request.body.name ?? 'Countersign Authenticator');
      const { activation, code } = await createActivation(deps, selfActor(user), user, {
        name,
        ...(replaces !== undefined && { replacesDeviceId: replaces }),
      });
      const pending: PendingActivation = {
        codeHash: activation.codeHash,
        name,
        hadFactor: factors.hasFactor,
      };
      await updateSessionData(deps, session, { pendingActivation: pending });
      const link = activationLink(context.publicUrl(), code);
      return {
        link,
        qr: `/frame/qr?value=${encodeURIComponent(link)}`,
        expiresAt: activation.expiresAt,
      } satisfies ActivationLinkView;
    },
  });

  // Long poll (about 20 s): the page moves on by itself once the app has used the code.
  addRoute(fastify, {
    method: 'GET',
    url: '/enroll/authenticator/status',
    schema: {},
    handler: async (request, reply) => {
      const signed = await currentSession(deps, request);
      if (!signed) throw new CountersignError('NOT_SIGNED_IN');
      const pending = pendingOf(signed.session.data);
      if (!pending) return { status: 'none' } satisfies ActivationStatusView;
      let status = await activationState(deps, pending.codeHash);
      if (status === 'waiting') {
        const abort = new AbortController();
        reply.raw.once('close', () => abort.abort());
        await nextActivation(deps, signed.user.id, 20_000, abort.signal);
        status = await activationState(deps, pending.codeHash);
      }
      if (status === 'activated') {
        // Only the request that clears the pending activation sends the notice.
        const fresh = await deps.store.webSessions.getActive(signed.session.id, deps.clock.now());
        if (fresh && pendingOf(fresh.data)?.codeHash === pending.codeHash) {
          await updateSessionData(deps, fresh, { pendingActivation: undefined });
          if (!pending.hadFactor)
            await afterFirstFactor(context, fresh, { authenticators: [], backupCodes: 0, hasFactor: false });
          await notifyUser(
            context.mailer,
            context.organization,
            signed.user,
            { kind: 'device-added', deviceName: pending.name },
            deps.clock.now(),
            request.log,
          );
        }
      }
      return { status } satisfies ActivationStatusView;
    },
  });
}
