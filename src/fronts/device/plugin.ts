// The device API the Countersign Authenticator (PWA and Node client) speaks: activate, fetch, answer, listen.

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { activateDevice } from '../../core/enrollment/activate-device.ts';
import { CountersignError, isCountersignError } from '../../core/errors.ts';
import { liveTickets } from '../../core/single-use/live-ticket.ts';
import { answerFactor, settleExpired } from '../../core/transaction/index.ts';
import type {
  ActivateResponse,
  AnswerRequest,
  LiveTicketResponse,
  PushSubscriptionData,
} from '../../device-protocol/messages.ts';
import { pendingRequest } from '../../methods/push/push-request.ts';
import { STATUS_BY_KIND } from '../web-common/status-by-kind.ts';
import { authenticateDevice, loadDevice, parseDeviceAuthorization } from './device-auth.ts';
import { streamDeviceEvents } from './live-channel.ts';
import { deviceReplayRefusal } from './refuse-replay.ts';

export interface DeviceApiOptions {
  deps: CoreDeps;
  organization: string;
  publicUrl: () => string;
  /** The VAPID public key devices subscribe with, or null when Web Push is off. */
  vapidPublicKey: () => Promise<string | null>;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text || '{}');
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {}
  throw new CountersignError('INVALID_INPUT', 'the body must be a JSON object');
}

function optionalString(body: Record<string, unknown>, name: string, max: number): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > max)
    throw new CountersignError('INVALID_INPUT', `${name} must be a string of at most ${max} characters`);
  return value;
}

function parseSubscription(value: unknown): PushSubscriptionData | null {
  if (value === undefined || value === null) return null;
  const sub = value as PushSubscriptionData;
  const ok =
    typeof sub === 'object' &&
    typeof sub.endpoint === 'string' &&
    /^https?:\/\//.test(sub.endpoint) &&
    sub.endpoint.length < 2048 &&
    typeof sub.keys?.p256dh === 'string' &&
    typeof sub.keys?.auth === 'string' &&
    sub.keys.p256dh.length < 200 &&
    sub.keys.auth.length < 100;
  if (!ok) throw new CountersignError('INVALID_INPUT', 'pushSubscription must be a Web Push subscription');
  return { endpoint: sub.endpoint, keys: { p256dh: sub.keys.p256dh, auth: sub.keys.auth } };
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
  fastify.options('/*', async () => undefined);
  fastify.removeAllContentTypeParsers();
  // Signatures cover the body's exact bytes: keep it as text and parse it here.
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) =>
    done(null, body),
  );
  fastify.setErrorHandler((error, request, reply) => {
    if (isCountersignError(error)) {
      const status = error.code === 'DEVICE_UNAUTHORIZED' ? 401 : STATUS_BY_KIND[error.kind];
      if (status === 401 || status === 403)
        request.log.info({ code: error.code, detail: error.detail }, 'device call refused');
      return reply.code(status).send({
        error: error.code,
        message: error.kind === 'invalid' ? (error.detail ?? error.message) : error.message,
      });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status < 500)
      return reply.code(status).send({ error: 'INVALID_INPUT', message: (error as Error).message });
    request.log.error({ err: error }, 'device api failure');
    return reply.code(500).send({ error: 'INTERNAL', message: 'Something went wrong.' });
  });

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

  fastify.get('/vapid', async () => ({ publicKey: await options.vapidPublicKey() }));

  fastify.post('/activate', async (request): Promise<ActivateResponse> => {
    const body = parseJson(bodyText(request));
    const code = optionalString(body, 'code', 128);
    if (!code) throw new CountersignError('INVALID_INPUT', 'code is required');
    const {
      device: activated,
      user,
      totpSecret,
    } = await activateDevice(deps, {
      code,
      publicKey: body.publicKey,
      name: optionalString(body, 'name', 64),
      platform: optionalString(body, 'platform', 64),
      pushSubscription: parseSubscription(body.pushSubscription),
    });
    return {
      deviceId: activated.id,
      username: user.username,
      realName: user.realName,
      organization: options.organization,
      serverUrl: options.publicUrl(),
      totp: { secret: totpSecret, digits: activated.digits, period: activated.period, algorithm: 'SHA1' },
    };
  });

  fastify.get('/requests', async (request) => {
    const me = await device(request);
    const open = await deps.store.transactions.listOpenForDevice(me.id, deps.clock.now());
    const requests = [];
    for (const tx of open) {
      const settled = await settleExpired(deps, tx);
      const shown = settled.state === 'pushed' ? pendingRequest(settled) : null;
      if (shown) requests.push(shown);
    }
    return { requests };
  });

  fastify.post<{ Params: { txid: string } }>('/requests/:txid/answer', async (request) => {
    const me = await deviceOnce(request);
    const body = parseJson(bodyText(request));
    const answer: AnswerRequest = {
      decision: body.decision as AnswerRequest['decision'],
      code: typeof body.code === 'string' ? body.code : '',
      signedAt: Number(body.signedAt),
      signature: typeof body.signature === 'string' ? body.signature : '',
    };
    const { txid } = request.params;
    const tx = await answerFactor(deps, txid, 'push', { ...answer, deviceId: me.id });
    // The request expired before the answer came: the login timed out, and the app is told it was too late.
    if (tx.state === 'timeout')
      throw new CountersignError('TRANSACTION_FINISHED', `${txid} timed out before the answer`);
    return { state: tx.state };
  });

  fastify.put('/push-subscription', async (request) => {
    const me = await deviceOnce(request);
    const subscription = parseSubscription(parseJson(bodyText(request)).pushSubscription);
    await deps.store.authenticators.updateData(me.id, { ...me.data, pushSubscription: subscription });
    return { ok: true };
  });

  // The live channel opens in two steps: a signed call buys a single-use ticket, and the stream is opened with it.
  // EventSource cannot send headers, so what opens the stream travels in its URL (and from there into logs):
  // a ticket is useless once used and after LIVE_TICKET_MS, where signed URL credentials lasted minutes.
  fastify.post('/events/ticket', async (request): Promise<LiveTicketResponse> => {
    const me = await deviceOnce(request);
    return tickets.issue(me.id);
  });

  fastify.get<{ Querystring: { ticket?: string } }>('/events', async (request, reply: FastifyReply) => {
    const { ticket } = request.query;
    const deviceId = typeof ticket === 'string' ? await tickets.redeem(ticket) : null;
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
  });
};
