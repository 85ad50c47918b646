// The user's devices and account: list, rename, remove, preferences, recent sign-ins, sign out everywhere.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { removeDevice, renameDevice } from '../../core/enrollment/manage-devices.ts';
import type { AuditEntry } from '../../core/model.ts';
import { signUserOut } from '../../core/sso/sign-user-out.ts';
import { isReason, REASONS } from '../../core/transaction/index.ts';
import { prefsKey, readUserPrefs } from '../../core/web/user-prefs.ts';
import { addRoute } from '../web-common/add-route.ts';
import { clearCookie, SESSION_COOKIE } from '../web-common/cookies.ts';
import { checkCsrf } from '../web-common/csrf.ts';
import { changeAccess, selfActor } from './access.ts';
import type { DeviceList, SignInView } from './api-shape.ts';
import { type PortalContext, publicOrigin } from './context.ts';
import { notifyUser } from './notify-user.ts';
import { requireAccess } from './portal-session.ts';
import { DeviceParams, NoBody, PreferencesBody, RenameBody } from './schemas.ts';

/** How far back in the (global) audit tail to look for the user's sign-ins. */
const AUDIT_SCAN = 2_000;

function signInView(entry: AuditEntry, apps: Map<string, string>): SignInView {
  return {
    application: entry.applicationId ? (apps.get(entry.applicationId) ?? null) : null,
    at: entry.at,
    result: entry.result,
    factor: entry.factor,
    reason: entry.reason,
    // The page shows words, not codes: the reason's label (an entry's reason is a transaction's, or unknown).
    outcome: REASONS[isReason(entry.reason) ? entry.reason : 'unknown_reason'].label,
    ip: entry.ip,
  };
}

export function deviceRoutes(fastify: FastifyInstance, context: PortalContext): void {
  const { deps } = context;
  const viewAccess = async (request: FastifyRequest) => {
    const access = await requireAccess(deps, request, { level: 'view' });
    checkCsrf(request, publicOrigin(context), access.session.csrf);
    return access;
  };

  addRoute(fastify, {
    method: 'GET',
    url: '/devices',
    schema: {},
    handler: async (request) => {
      const { user, factors } = await viewAccess(request);
      return {
        devices: factors.authenticators.map((a) => ({
          id: a.id,
          kind: a.kind,
          name: a.name,
          hardware: a.serial !== null,
          createdAt: a.createdAt,
          lastUsedAt: a.lastUsedAt,
        })),
        backupCodes: factors.backupCodes,
        prefs: await readUserPrefs(deps.store.settings, user.id),
        // Phone numbers are offered only while telephony is enabled (routes-phone.ts).
        phoneEnabled: deps.telephony.enabled,
      } satisfies DeviceList;
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/devices/:id/rename',
    schema: { params: DeviceParams, body: RenameBody },
    handler: async (request) => {
      const { user } = await changeAccess(context, request);
      const before = (await deps.store.authenticators.get(request.params.id))?.name ?? '';
      const device = await renameDevice(deps, selfActor(user), user, request.params.id, request.body.name);
      await notifyUser(
        context.mailer,
        context.organization,
        user,
        { kind: 'device-renamed', from: before, to: device.name },
        deps.clock.now(),
        request.log,
      );
      return { device: { id: device.id, name: device.name } };
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/devices/:id/remove',
    schema: { params: DeviceParams, body: NoBody },
    handler: async (request) => {
      const { user } = await changeAccess(context, request, true);
      const device = await removeDevice(deps, selfActor(user), user, request.params.id);
      await notifyUser(
        context.mailer,
        context.organization,
        user,
        { kind: 'device-removed', deviceName: device.name },
        deps.clock.now(),
        request.log,
      );
      return { removed: device.id };
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/preferences',
    schema: { body: PreferencesBody },
    handler: async (request) => {
      const { user } = await viewAccess(request);
      const { defaultMethod, autoPush } = request.body;
      const prefs = { defaultMethod, autoPush: autoPush && defaultMethod === 'push' };
      await deps.store.settings.set(prefsKey(user.id), prefs);
      return { prefs };
    },
  });

  addRoute(fastify, {
    method: 'GET',
    url: '/sign-ins',
    schema: {},
    handler: async (request) => {
      const { user } = await requireAccess(deps, request, { level: 'view', full: true });
      // The audit repository has no per-user query: the recent tail is filtered here.
      const entries = await deps.store.audit.tail({ limit: AUDIT_SCAN, kind: 'auth' });
      const mine = entries.filter((e) => e.userId === user.id && e.action === 'authentication').reverse();
      const apps = new Map((await deps.store.applications.list()).map((app) => [app.id, app.name]));
      return { signIns: mine.slice(0, 20).map((entry) => signInView(entry, apps)) };
    },
  });

  addRoute(fastify, {
    method: 'POST',
    url: '/sign-out-everywhere',
    schema: { body: NoBody },
    handler: async (request, reply) => {
      const { user } = await changeAccess(context, request, true);
      await signUserOut(deps, selfActor(user), user, context.signOutListeners());
      clearCookie(reply, SESSION_COOKIE);
      await notifyUser(
        context.mailer,
        context.organization,
        user,
        { kind: 'signed-out-everywhere' },
        deps.clock.now(),
        request.log,
      );
      return { signedIn: false };
    },
  });
}
