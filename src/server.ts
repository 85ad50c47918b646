// Composes the HTTP server: logging, proxies, TLS, request and connection limits, operations endpoints, the fronts.
import { readFileSync } from 'node:fs';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  LogController,
} from 'fastify';
import type { Countersign } from './app.ts';
import { publicUrl, samlKeyFiles } from './config.ts';
import { CountersignError } from './core/errors.ts';
import { adminApiPlugin } from './fronts/admin-api/plugin.ts';
import type { AdminApiContext } from './fronts/admin-api/route.ts';
import { authApiPlugin } from './fronts/auth-api/plugin.ts';
import { brandingPlugin } from './fronts/branding/plugin.ts';
import { consolePlugin } from './fronts/console/plugin.ts';
import { deviceApiPlugin } from './fronts/device/plugin.ts';
import { DUO_API_PREFIXES, duoNotFoundPlugin, isDuoApiUrl } from './fronts/duo-api/duo-api-setup.ts';
import { framePlugin } from './fronts/frame/plugin.ts';
import { oidcLifetimes } from './fronts/oidc/from-config.ts';
import { type OidcOptions, oidcPlugin } from './fronts/oidc/plugin.ts';
import { createMetrics, type Metrics } from './fronts/ops/metrics.ts';
import { opsPlugin } from './fronts/ops/plugin.ts';
import { portalPlugin } from './fronts/portal/plugin.ts';
import { DEFAULT_PROMPT_DIST, promptPlugin } from './fronts/prompt/plugin.ts';
import { restV1Plugin } from './fronts/rest-v1/plugin.ts';
import { samlPlugin } from './fronts/saml/plugin.ts';
import { ssoLogoutHub } from './fronts/sso/logout-hub.ts';
import { telephonyPlugin } from './fronts/telephony/plugin.ts';
import { universalPlugin } from './fronts/universal/plugin.ts';
import { brandingFromConfig } from './fronts/web-common/branding.ts';
import { installJsonErrors, sendJsonError } from './fronts/web-common/json-errors.ts';
import { webStaticPlugin } from './fronts/web-static/plugin.ts';
import { capConnections, listenerOptions, refusalReporter } from './http/listener-limits.ts';
import { relyingPartyFor } from './methods/webauthn/index.ts';

export interface HttpServer {
  fastify: FastifyInstance;
  metrics: Metrics;
  /** Starts listening; returns the base URL users reach. */
  listen(): Promise<string>;
  /** Stops taking new requests and waits for in-flight ones (graceful shutdown). */
  close(): Promise<void>;
}

/** Builds (without starting) the HTTP server for an opened Countersign. */
export function createHttpServer(
  countersign: Countersign,
  options: {
    logger?: boolean;
    vapidPublicKey?: () => Promise<string | null>;
    /** Receives the OpenID provider's host once it exists (tests). */
    onOidcHost?: OidcOptions['onHost'];
    /** A serve worker (config `workers` > 1): scrapes answer the sum over all workers. */
    sumMetricsOverWorkers?: boolean;
  } = {},
): HttpServer {
  const { config, deps } = countersign;
  const tls = config.http.tls_cert
    ? { cert: readFileSync(config.http.tls_cert), key: readFileSync(config.http.tls_key!) }
    : undefined;
  const fastify = Fastify({
    // Uploads are timed; responses are not: long polls (auth_status, a synchronous push, the device live
    // channel) hold their answer for minutes after the request has arrived.
    ...listenerOptions(config.http, tls),
    ...(options.logger === false
      ? { logger: false }
      : { loggerInstance: countersign.logger as FastifyBaseLogger }),
    trustProxy: config.http.trusted_proxies.length > 0 ? config.http.trusted_proxies : false,
    return503OnClosing: true,
    // Per-request lines would double the log volume of every login; errors and audit carry what matters.
    logController: new LogController({ disableRequestLogging: true }),
    // Errors raised before routing (a malformed URL) still answer in the front's own format.
    frameworkErrors: (error, request, rawReply) => {
      const reply = rawReply as unknown as FastifyReply;
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      if (isDuoApiUrl(request.url)) {
        return reply.code(status).send({
          stat: 'FAIL',
          code: status * 100 + 2,
          message: 'Invalid request parameters',
          message_detail: error.message,
        });
      }
      return sendJsonError(reply, new CountersignError('INVALID_REQUEST', error.message), status);
    },
  });
  // Paths no front claims, and anything failing outside a front, answer in the registry's JSON too.
  installJsonErrors(fastify, { notFound: true });
  const metrics = createMetrics({ sumOverWorkers: options.sumMetricsOverWorkers === true });
  capConnections(
    fastify.server,
    config.http,
    refusalReporter({ counter: metrics.connectionsRefused, log: fastify.log, clock: deps.clock }),
  );
  let accepting = true;
  let base = publicUrl(config);

  // Every front's pages show the organization's name and logo (fronts/web-common/branding.ts).
  fastify.decorate('branding', brandingFromConfig(config));
  fastify.register(brandingPlugin, { organization: config.organization, logoFile: config.logo_file });

  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  fastify.register(opsPlugin, {
    store: deps.store,
    metrics,
    isAccepting: () => accepting,
    metricsToken: config.metrics.token,
  });
  for (const prefix of DUO_API_PREFIXES) fastify.register(duoNotFoundPlugin, { prefix });
  fastify.register(authApiPlugin, {
    prefix: '/auth/v2',
    deps,
    get publicUrl() {
      return base;
    },
    logoFile: config.auth_api.logo_file,
    pollHoldMs: 25_000,
    maxSyncWaitMs: config.auth_api.max_sync_wait_seconds * 1000,
    skewSeconds: config.auth_api.clock_skew_seconds,
    ...(config.public_url !== undefined && { publicHost: new URL(config.public_url).host }),
  });
  // A sign-out through one single sign-on front reaches the other; the portal's and the Admin API's reach both.
  const logoutHub = ssoLogoutHub();
  // What every Admin API handler may use, signed (the Admin API) or behind an administrator's session (the console).
  const adminContext: AdminApiContext = {
    deps,
    signOutListeners: () => logoutHub.signOutListeners,
    publicUrl: () => base,
    dailyCreditBudget: config.telephony.daily_credit_budget,
    ...(countersign.mailer &&
      countersign.templates && {
        mail: {
          mailer: countersign.mailer,
          templates: countersign.templates,
          organization: config.organization,
        },
      }),
  };
  fastify.register(adminApiPlugin, {
    prefix: '/admin',
    ...adminContext,
    skewSeconds: config.auth_api.clock_skew_seconds,
    ...(config.public_url !== undefined && { publicHost: new URL(config.public_url).host }),
  });

  const rpOverrides = {
    ...(config.webauthn.rp_id !== undefined && { id: config.webauthn.rp_id }),
    ...(config.webauthn.origins !== undefined && { origins: config.webauthn.origins }),
  };
  // The console: the same Admin API routes behind an administrator's session, and its page at /admin/.
  fastify.register(consolePlugin, {
    ...adminContext,
    organization: config.organization,
    idleMinutes: config.console.idle_minutes,
    sessionHours: config.console.session_hours,
    limits: {
      codes: config.console.help_desk_bypass_codes,
      uses: config.console.help_desk_bypass_uses,
      validSecs: Math.round(config.console.help_desk_bypass_hours * 3600),
    },
    webauthn: rpOverrides,
  });
  fastify.register(telephonyPlugin, { deps, config, provider: countersign.telephonyProvider });

  // Duo's legacy REST v1 (duo_unix 1.x), for the applications that switch it on.
  fastify.register(restV1Plugin, {
    prefix: '/rest/v1',
    deps,
    get publicUrl() {
      return base;
    },
    maxSyncWaitMs: config.auth_api.max_sync_wait_seconds * 1000,
    ...(config.public_url !== undefined && { publicHost: new URL(config.public_url).hostname }),
  });

  fastify.register(deviceApiPlugin, {
    prefix: '/device/v1',
    deps,
    organization: config.organization,
    publicUrl: () => base,
    vapidPublicKey: options.vapidPublicKey ?? countersign.vapidPublicKey,
  });
  fastify.register(framePlugin, { publicUrl: () => base });
  const relyingParty = () => relyingPartyFor(base, config.organization, rpOverrides);
  fastify.register(portalPlugin, {
    deps,
    logoutHub,
    publicUrl: () => base,
    organization: config.organization,
    dataDir: config.data_dir,
    ...(countersign.mailer !== undefined && { mailer: countersign.mailer }),
    webauthn: rpOverrides,
  });
  fastify.register(webStaticPlugin, { deps });
  fastify.register(promptPlugin, {
    deps,
    publicUrl: () => base,
    organization: config.organization,
    helpUrl: config.prompt.help_url ?? null,
    rp: relyingParty,
    staticDir: DEFAULT_PROMPT_DIST,
  });
  fastify.register(universalPlugin, { deps, publicUrl: () => base });
  if (config.oidc.enabled) {
    fastify.register(oidcPlugin, {
      logoutHub,
      deps,
      publicUrl: () => base,
      organization: config.organization,
      log: countersign.logger,
      lifetimes: oidcLifetimes(config),
      ...(options.onOidcHost && { onHost: options.onOidcHost }),
    });
  }
  if (config.saml.enabled) {
    fastify.register(samlPlugin, {
      deps,
      publicUrl: () => base,
      organization: config.organization,
      entityId: config.saml.entity_id,
      keyFiles: samlKeyFiles(config),
      ssoSessionHours: config.sso.session_hours,
      logoutHub,
    });
  }

  return {
    fastify,
    metrics,
    async listen() {
      await fastify.listen({ host: config.http.host, port: config.http.port });
      const address = fastify.server.address();
      base = publicUrl(config, typeof address === 'object' && address ? address.port : undefined);
      return base;
    },
    async close() {
      accepting = false;
      await fastify.close();
    },
  };
}
