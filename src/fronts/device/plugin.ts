// The device API the Countersign Authenticator (PWA and Node client) speaks: activate, fetch, answer, listen.

import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { CoreDeps } from '../../core/deps.ts';
import { activateDevice } from '../../core/enrollment/activate-device.ts';
import { CountersignError, isCountersignError } from '../../core/errors.ts';
import { answerPush } from '../../core/transaction/answer-push.ts';
import { settleExpired } from '../../core/transaction/settle-expired.ts';
import { pendingRequest } from '../../core/transaction/start-push.ts';
import type {
  ActivateResponse,
  AnswerRequest,
  PushSubscriptionData,
} from '../../device-protocol/messages.ts';
import { STATUS_BY_KIND } from '../web-common/status-by-kind.ts';
import { authenticateDevice, parseDeviceAuthorization } from './device-auth.ts';
import { streamDeviceEvents } from './live-channel.ts';

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
  const device = (request: FastifyRequest) =>
    authenticateDevice(
      deps,
      parseDeviceAuthorization(request.headers.authorization),
      request.method,
      request.raw.url ?? '',
      bodyText(request),
    );

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
    const me = await device(request);
    const body = parseJson(bodyText(request));
    const answer: AnswerRequest = {
      decision: body.decision as AnswerRequest['decision'],
      code: typeof body.code === 'string' ? body.code : '',
      signedAt: Number(body.signedAt),
      signature: typeof body.signature === 'string' ? body.signature : '',
    };
    const tx = await answerPush(deps, me.id, request.params.txid, answer);
    return { state: tx.state };
  });

  fastify.put('/push-subscription', async (request) => {
    const me = await device(request);
    const subscription = parseSubscription(parseJson(bodyText(request)).pushSubscription);
    await deps.store.authenticators.updateData(me.id, { ...me.data, pushSubscription: subscription });
    return { ok: true };
  });

  fastify.get<{ Querystring: { id?: string; ts?: string; sig?: string } }>(
    '/events',
    async (request, reply: FastifyReply) => {
      // EventSource cannot set headers: the same credentials come in the query, signed over the bare path.
      const { id, ts, sig } = request.query;
      const credentials = parseDeviceAuthorization(
        `Countersign-Device id="${id ?? ''}", ts="${ts ?? ''}", sig="${sig ?? ''}"`,
      );
      const me = await authenticateDevice(
        deps,
        credentials,
        'GET',
        request.routeOptions.url ?? '/device/v1/events',
        '',
      );
      reply.hijack();
      streamDeviceEvents(deps, me.id, reply);
    },
  );
};
