// Provider callbacks under /telephony: Twilio's signed status and gather webhooks, a webhook gateway's keypress,
// and (for the development outbox) keypresses left with `countersign telephony answer`.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { CountersignError } from '../../core/errors.ts';
import { CALL_REPLIES } from '../../telephony/call-script.ts';
import { callbackBase } from '../../telephony/create-provider.ts';
import { isAnswerSource, watchOutboxAnswers } from '../../telephony/outbox/outbox-answers.ts';
import type { TelephonyProvider } from '../../telephony/provider.ts';
import { handleTelephonyEvent } from '../../telephony/telephony-events.ts';
import { TWILIO_SIGNATURE_HEADER } from '../../telephony/twilio/signature.ts';
import { TWILIO_WEBHOOK_PATHS } from '../../telephony/twilio/twilio-provider.ts';
import { handleTwilioWebhook } from '../../telephony/twilio/webhooks.ts';
import { WEBHOOK_CALLBACK_PATH, webhookKeypress } from '../../telephony/webhook/webhook-provider.ts';
import { addRoute } from '../web-common/add-route.ts';
import { checkedByHandler } from '../web-common/check-schema.ts';
import { installJsonErrors, sendJsonError } from '../web-common/json-errors.ts';

export interface TelephonyPluginOptions {
  deps: CoreDeps;
  config: Pick<Config, 'public_url' | 'telephony'>;
  /** The configured provider, or null when telephony is off (every callback then answers 404). */
  provider: TelephonyProvider | null;
}

/** A form or JSON body, read by the handler: providers post either. */
const RawBody = checkedByHandler(Type.String({ description: 'The provider’s form or JSON body.' }));
/** The id (and, for a webhook gateway, its token) each callback URL carries; checked with the signature. */
const CallbackQuery = checkedByHandler(
  Type.Object({ id: Type.Optional(Type.String()), token: Type.Optional(Type.String()) }),
);

/** The digit in a gateway's keypress report: `digit` (or Twilio-style `Digits`) in a JSON or form body. */
function reportedDigit(request: FastifyRequest): string {
  const text = typeof request.body === 'string' ? request.body : '';
  const type = String(request.headers['content-type'] ?? '');
  if (type.includes('json')) {
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      return String(body.digit ?? body.Digits ?? '');
    } catch {
      return '';
    }
  }
  const form = new URLSearchParams(text);
  return form.get('digit') ?? form.get('Digits') ?? '';
}

/** The telephony callbacks, mounted at the server's root (their paths are the ones the providers are given). */
export const telephonyPlugin: FastifyPluginAsync<TelephonyPluginOptions> = async (fastify, options) => {
  const { deps, config, provider } = options;
  const telephony = config.telephony;
  const log = fastify.log;
  const onEvent = (event: Parameters<typeof handleTelephonyEvent>[1]) =>
    handleTelephonyEvent(deps, event, log);

  fastify.removeAllContentTypeParsers();
  // Twilio signs the form fields as sent: keep the body as text and parse it with the signature check.
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) =>
    done(null, body),
  );
  installJsonErrors(fastify);

  // A callback for a provider that is not configured: the same 404 as any unknown path, the reason in the log.
  const notHere = (reply: FastifyReply) => {
    log.info(
      { provider: provider?.name ?? null },
      'telephony callback for a provider that is not configured',
    );
    return sendJsonError(reply, new CountersignError('ROUTE_NOT_FOUND'), 404);
  };

  for (const path of Object.values(TWILIO_WEBHOOK_PATHS)) {
    addRoute(fastify, {
      method: 'POST',
      url: path,
      schema: { querystring: CallbackQuery, body: RawBody, hide: true },
      handler: async (request, reply) => {
        const base = callbackBase(config);
        if (provider?.name !== 'twilio' || !telephony.twilio.auth_token || base === null)
          return notHere(reply);
        const signature = request.headers[TWILIO_SIGNATURE_HEADER];
        const answer = await handleTwilioWebhook(
          { authToken: telephony.twilio.auth_token, language: telephony.twilio.language },
          {
            // The URL Twilio was given: the callback base, then the path and query exactly as they arrived.
            url: `${base.replace(/\/+$/, '')}${request.raw.url ?? ''}`,
            signature: typeof signature === 'string' ? signature : undefined,
            body: typeof request.body === 'string' ? request.body : '',
          },
          onEvent,
        );
        if (answer.status === 403) log.warn({ path }, 'Twilio callback with a bad signature refused');
        return reply.code(answer.status).type(answer.contentType).send(answer.body);
      },
    });
  }

  addRoute(fastify, {
    method: 'POST',
    url: WEBHOOK_CALLBACK_PATH,
    schema: { querystring: CallbackQuery, body: RawBody, hide: true },
    handler: async (request, reply) => {
      const secret = telephony.webhook.callback_secret;
      if (provider?.name !== 'webhook' || !secret) return notHere(reply);
      const query = request.query as { id?: string; token?: string };
      const event = webhookKeypress(secret, query, reportedDigit(request));
      if (!event) {
        log.warn('webhook keypress with a bad token refused');
        return reply.code(403).type('text/plain; charset=utf-8').send('the callback token does not match');
      }
      const outcome = (await onEvent(event)) ?? event.outcome;
      return { outcome, say: CALL_REPLIES[outcome] };
    },
  });

  if (isAnswerSource(provider)) {
    const watcher = watchOutboxAnswers(provider, onEvent, (error) =>
      log.warn({ error: error instanceof Error ? error.message : String(error) }, 'outbox keypress failed'),
    );
    fastify.addHook('onClose', () => watcher.stop());
  }
};
