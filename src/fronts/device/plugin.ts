// The device API the Countersign Authenticator (PWA and Node client) speaks: activate, fetch, answer, listen.

import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { activateDevice } from '../../core/enrollment/activate-device.ts';
import { CountersignError } from '../../core/errors.ts';
import { liveTickets } from '../../core/single-use/live-ticket.ts';
import { answerFactor, settleExpired } from '../../core/transaction/index.ts';
import type {
  ActivateResponse,
  LiveTicketResponse,
  PushSubscriptionData,
} from '../../device-protocol/messages.ts';
import { pendingRequest } from '../../methods/push/push-request.ts';
import { addRoute } from '../web-common/add-route.ts';
import { checkedByHandler, parseJsonBody } from '../web-common/check-schema.ts';
import { installJsonErrors } from '../web-common/json-errors.ts';
import { authenticateDevice, loadDevice, parseDeviceAuthorization } from './device-auth.ts';
import { streamDeviceEvents } from './live-channel.ts';
import { deviceReplayRefusal } from './refuse-replay.ts';
import {
  ActivateBody,
  AnswerBody,
  AnyPath,
  EventsQuery,
  NoBody,
  PushSubscriptionBody,
  type PushSubscriptionSchema,
  TxParams,
} from './schemas.ts';

export interface DeviceApiOptions {
  deps: CoreDeps;
  organization: string;
  publicUrl: () => string;
  /** The VAPID public key devices subscribe with, or null when Web Push is off. */
  vapidPublicKey: () => Promise<string | null>;
}

/** Only what the server keeps of a subscription (a browser's may carry more, such as `expirationTime`). */
function subscriptionOf(
  sub: Static<typeof PushSubscriptionSchema> | null | undefined,
): PushSubscriptionData | null {
  return sub ? { endpoint: sub.endpoint, keys: { p256dh: sub.keys.p256dh, auth: sub.keys.auth } } : null;
}

export const deviceApiPlugin: FastifyPluginAsync<DeviceApiOptions> = async (fastify, options) => {
  const { deps } = options;
  // One Authenticator app holds accounts on several Countersign servers, so other origins call this API. It uses no
  // cookies (every call is signed by the device key), so any origin may: CORS adds nothing an attacker lacks.
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('access-control-allow-origin', '*');
    if (request.method === 'OPTIONS') {
      reply
        .header('access-control-allow-methods', 'GET, POST, PUT')
        .header('access-control-allow-headers', 'authorization, content-type')
        .header('access-control-max-age', '600')
        .code(204)
        .send();
    }
  });
  addRoute(fastify, {
    method: 'OPTIONS',
    url: '/*',
    schema: { params: AnyPath, hide: true },
    handler: async () => undefined,
  });
  fastify.removeAllContentTypeParsers();
  // Signatures cover the body's exact bytes: keep it as text and parse it here.
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) =>
    done(null, body),
  );
  installJsonErrors(fastify, { notFound: true });

  const bodyText = (request: FastifyRequest) => (typeof request.body === 'string' ? request.body : '');
  /** The device that signed a read-only call (repeating one is harmless). */
  const device = (request: FastifyRequest) =>
    authenticateDevice(
      deps,
      parseDeviceAuthorization(request.headers.authorization),
      request.method,
      request.raw.url ?? '',
      bodyText(request),
    );
  const refuseReplay = deviceReplayRefusal(deps);
  /** The device that signed a call that changes something: refused, before any work, when seen before. */
  const deviceOnce = async (request: FastifyRequest) => {
    const credentials = parseDeviceAuthorization(request.headers.authorization);
    const path = request.raw.url ?? '';
    const me = await authenticateDevice(deps, credentials, request.method, path, bodyText(request));
    // authenticateDevice has refused missing credentials, so they are here.
    await refuseReplay(credentials!, request.method, path, bodyText(request));
    return me;
  };
  const tickets = liveTickets(deps);

  addRoute(fastify, {
    method: 'GET',
    url: '/vapid',
    schema: {},
    handler: async () => ({ publicKey: await options.vapidPublicKey() }),
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/activate',
    schema: { body: checkedByHandler(ActivateBody) },
    handler: async (request): Promise<ActivateResponse> => {
      const body = parseJsonBody(ActivateBody, bodyText(request));
      const {
        device: activated,
        user,
        totpSecret,
      } = await activateDevice(deps, {
        code: body.code,
        publicKey: body.publicKey,
        name: body.name ?? undefined,
        platform: body.platform ?? undefined,
        pushSubscription: subscriptionOf(body.pushSubscription),
      });
      return {
        deviceId: activated.id,
        username: user.username,
        realName: user.realName,
        organization: options.organization,
        serverUrl: options.publicUrl(),
        totp: { secret: totpSecret, digits: activated.digits, period: activated.period, algorithm: 'SHA1' },
      };
    },
  });

  addRoute(fastify, {
    method: 'GET',
    url: '/requests',
    schema: {},
    handler: async (request) => {
      const me = await device(request);
      const open = await deps.store.transactions.listOpenForDevice(me.id, deps.clock.now());
      const requests = [];
      for (const tx of open) {
        const settled = await settleExpired(deps, tx);
        const shown = settled.state === 'pushed' ? pendingRequest(settled) : null;
        if (shown) requests.push(shown);
      }
      return { requests };
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/requests/:txid/answer',
    schema: { params: TxParams, body: checkedByHandler(AnswerBody) },
    handler: async (request) => {
      const me = await deviceOnce(request);
      const answer = parseJsonBody(AnswerBody, bodyText(request));
      const { txid } = request.params;
      const tx = await answerFactor(deps, txid, 'push', { ...answer, deviceId: me.id });
      // The request expired before the answer came: the login timed out, and the app is told it was too late.
      if (tx.state === 'timeout')
        throw new CountersignError('TRANSACTION_FINISHED', `${txid} timed out before the answer`);
      return { state: tx.state };
    },
  });

  addRoute(fastify, {
    method: 'PUT',
    url: '/push-subscription',
    schema: { body: checkedByHandler(PushSubscriptionBody) },
    handler: async (request) => {
      const me = await deviceOnce(request);
      const { pushSubscription } = parseJsonBody(PushSubscriptionBody, bodyText(request));
      await deps.store.authenticators.updateData(me.id, {
        ...me.data,
        pushSubscription: subscriptionOf(pushSubscription),
      });
      return { ok: true };
    },
  });

  // The live channel opens in two steps: a signed call buys a single-use ticket, and the stream is opened with it.
  // EventSource cannot send headers, so what opens the stream travels in its URL (and from there into logs):
  // a ticket is useless once used and after LIVE_TICKET_MS, where signed URL credentials lasted minutes.
  addRoute(fastify, {
    method: 'POST',
    url: '/events/ticket',
    schema: { body: checkedByHandler(NoBody) },
    handler: async (request): Promise<LiveTicketResponse> => {
      const me = await deviceOnce(request);
      return tickets.issue(me.id);
    },
  });

  addRoute(fastify, {
    method: 'GET',
    url: '/events',
    schema: { querystring: EventsQuery },
    handler: async (request, reply) => {
      const { ticket } = request.query;
      const deviceId = ticket === undefined ? null : await tickets.redeem(ticket);
      if (deviceId === null) {
        throw new CountersignError(
          'DEVICE_UNAUTHORIZED',
          'no valid live-channel ticket (unknown, used or expired)',
        );
      }
      // The device may have been removed since it got the ticket.
      const me = await loadDevice(deps, deviceId);
      reply.hijack();
      streamDeviceEvents(deps, me.id, reply);
    },
  });
};
