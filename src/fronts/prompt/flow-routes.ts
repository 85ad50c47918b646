// The prompt API's flow steps: view, begin, password, live status, finish ("remember me"), cancel, inline enrollment.
import type { FastifyInstance } from 'fastify';
import { CountersignError } from '../../core/errors.ts';
import { policyFor } from '../../core/evaluate-access.ts';
import { verifyPrimary } from '../../core/primary-auth.ts';
import { isFinal, waitForChange } from '../../core/transaction/index.ts';
import { issueResumeToken, loadPromptFlow, resumePromptFlow, saveFlow } from '../../core/web/prompt-flow.ts';
import { ensureTransaction, flowSubjects, flowTransaction } from '../../core/web/prompt-steps.ts';
import { rememberLogin } from '../../core/web/remembered.ts';
import { startWebSession } from '../../core/web/sessions.ts';
import { addRoute } from '../web-common/add-route.ts';
import {
  clearCookie,
  PROMPT_COOKIE,
  REMEMBER_COOKIE,
  readCookie,
  SESSION_COOKIE,
  setCookie,
} from '../web-common/cookies.ts';
import type { PromptOptions } from './context.ts';
import { finishFlow } from './finish-flow.ts';
import { requireFlow } from './flow-request.ts';
import { describeFlow } from './flow-view.ts';
import { FinishBody, FlowParams, FlowQuery, NoBody, PasswordBody, StatusQuery } from './schemas.ts';

/** How long one status long poll holds before answering "unchanged". */
const STATUS_HOLD_MS = 25_000;

/** Registers the flow routes under /flows/:flowId (the prompt API's prefix is /prompt/api). */
export function registerFlowRoutes(fastify: FastifyInstance, options: PromptOptions): void {
  const { deps } = options;
  const origin = () => new URL(options.publicUrl()).origin;
  const ctx = { deps, organization: options.organization, helpUrl: options.helpUrl };

  addRoute(fastify, {
    method: 'GET',
    url: '/flows/:flowId',
    schema: { params: FlowParams, querystring: FlowQuery },
    handler: async (request, reply) => {
      // Back from inline enrollment: the one-time resume token continues the flow with a new transaction.
      const resumed = request.query.resume
        ? await resumePromptFlow(deps, request.params.flowId, request.query.resume)
        : null;
      if (resumed) setCookie(reply, PROMPT_COOKIE, resumed.token, { expiresAt: null });
      const loaded = resumed
        ? await loadPromptFlow(deps, resumed.flowId, resumed.token)
        : await loadPromptFlow(deps, request.params.flowId, readCookie(request, PROMPT_COOKIE));
      if (!loaded) throw new CountersignError('FLOW_NOT_FOUND', request.params.flowId);
      return describeFlow(ctx, loaded, await flowTransaction(deps, loaded));
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/flows/:flowId/begin',
    schema: { params: FlowParams, body: NoBody },
    handler: async (request) => {
      const current = await requireFlow(deps, request, origin());
      const { loaded, tx } = await ensureTransaction(deps, current, readCookie(request, REMEMBER_COOKIE));
      return describeFlow(ctx, loaded, tx);
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/flows/:flowId/password',
    schema: { params: FlowParams, body: PasswordBody },
    handler: async (request) => {
      const loaded = await requireFlow(deps, request, origin());
      const { password } = request.body;
      if (password.length === 0) {
        return describeFlow(ctx, loaded, null, { tone: 'error', text: 'Enter your password.' });
      }
      const { app } = await flowSubjects(deps, loaded);
      const result = await verifyPrimary(deps, app, loaded.flow.username, password, loaded.flow.ip);
      if (!result.ok || result.user.id !== loaded.flow.userId) {
        // One message for every failure: no user enumeration.
        return describeFlow(ctx, loaded, null, { tone: 'error', text: 'Incorrect username or password.' });
      }
      const saved = await saveFlow(deps, loaded, { ...loaded.flow, passwordDone: true });
      return describeFlow(ctx, saved, null);
    },
  });

  addRoute(fastify, {
    method: 'GET',
    url: '/flows/:flowId/status',
    schema: { params: FlowParams, querystring: StatusQuery },
    handler: async (request) => {
      const loaded = await requireFlow(deps, request, origin());
      let tx = await flowTransaction(deps, loaded);
      const since = request.query.version === undefined ? Number.NaN : Number(request.query.version);
      if (tx && !isFinal(tx.state) && Number.isInteger(since) && since >= tx.version) {
        const abort = new AbortController();
        request.raw.once('close', () => abort.abort());
        tx = await waitForChange(deps, tx.id, since, STATUS_HOLD_MS, abort.signal);
      }
      return describeFlow(ctx, loaded, tx);
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/flows/:flowId/finish',
    schema: { params: FlowParams, body: FinishBody },
    handler: async (request, reply) => {
      const loaded = await requireFlow(deps, request, origin());
      const tx = await flowTransaction(deps, loaded);
      if (tx?.state !== 'allow') {
        throw new CountersignError(
          'NOT_ALLOWED_YET',
          `transaction ${tx?.id ?? 'none'} is ${tx?.state ?? 'absent'}`,
        );
      }
      if (request.body.remember === true && tx.reason !== 'remembered') {
        const { user, app } = await flowSubjects(deps, loaded);
        const remembered = await rememberLogin(
          deps.store,
          deps,
          user,
          app,
          await policyFor(deps.store, app, user),
        );
        if (remembered)
          setCookie(reply, REMEMBER_COOKIE, remembered.token, { expiresAt: remembered.expiresAt });
      }
      const redirect = await finishFlow(deps, loaded, tx);
      clearCookie(reply, PROMPT_COOKIE);
      return { redirect };
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/flows/:flowId/cancel',
    schema: { params: FlowParams, body: NoBody },
    handler: async (request, reply) => {
      const loaded = await requireFlow(deps, request, origin());
      const tx = await flowTransaction(deps, loaded);
      // Cancelling never returns an allow: an approved transaction is finished with /finish instead.
      const redirect = await finishFlow(deps, loaded, tx?.state === 'allow' ? null : tx);
      clearCookie(reply, PROMPT_COOKIE);
      return { redirect };
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/flows/:flowId/enroll',
    schema: { params: FlowParams, body: NoBody },
    handler: async (request, reply) => {
      const loaded = await requireFlow(deps, request, origin());
      const tx = await flowTransaction(deps, loaded);
      const { user } = await flowSubjects(deps, loaded);
      const devices = await deps.store.authenticators.listForUser(user.id);
      // Inline enrollment is only for a user with no device: anyone else signs in with theirs first.
      if (tx?.state !== 'deny' || tx.reason !== 'not_enrolled' || devices.length > 0) {
        throw new CountersignError('ENROLLMENT_NOT_NEEDED');
      }
      const resume = await issueResumeToken(deps, loaded);
      const returnTo = `/prompt/${loaded.session.id}?resume=${resume}`;
      const portal = await startWebSession(deps, user, 'portal', {
        ttlMs: 30 * 60_000,
        data: { scope: 'enroll', returnTo },
      });
      setCookie(reply, SESSION_COOKIE, portal.token, { expiresAt: null });
      return { redirect: '/portal/enroll' };
    },
  });
}
