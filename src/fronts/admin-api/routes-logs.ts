// Duo's v1 logs: administrator actions (the audit log's `admin` entries) and telephony, by mintime in seconds.
import { Type } from '@sinclair/typebox';
import type { AuditEntry } from '../../core/model.ts';
import { duoTelephonyItem } from '../../telephony/duo-log-item.ts';
import { duoIsoTimestamp } from '../duo-api/authlog-record.ts';
import { MAX_MS, NoParams, OneOf, Params, Whole } from './params.ts';
import { type AdminRoute, route } from './route.ts';

/** How many entries a v1 log call returns at most (Duo: 1000; callers ask again from the last timestamp). */
const V1_LOG_LIMIT = 1000;
const Seconds = Whole({
  minimum: 0,
  maximum: Math.floor(MAX_MS / 1000),
  default: 0,
  description: 'Oldest time, Unix seconds (included).',
});

/** Duo's administrator-log action names where one of ours has a Duo counterpart; the rest keep our name. */
const ADMIN_ACTIONS: Record<string, string> = {
  'user.create': 'user_create',
  'user.update': 'user_update',
  'user.set-status': 'user_update',
  'user.delete': 'user_delete',
  'group.create': 'group_create',
  'group.delete': 'group_delete',
  'group.add-member': 'user_update',
  'group.remove-member': 'user_update',
  'application.create': 'integration_create',
  'device.delete': 'phone_delete',
};

function describeAdminEntry(entry: AuditEntry) {
  return {
    action: ADMIN_ACTIONS[entry.action] ?? entry.action,
    // Duo's description is JSON text; ours keeps our own action name where Duo's is coarser.
    description: JSON.stringify({
      ...entry.detail,
      ...(Object.hasOwn(ADMIN_ACTIONS, entry.action) && { countersign_action: entry.action }),
    }),
    isotimestamp: duoIsoTimestamp(entry.at),
    // What was acted on: the user, else a named thing (an application, a group).
    object: entry.username ?? (typeof entry.detail.name === 'string' ? entry.detail.name : null),
    timestamp: Math.floor(entry.at / 1000),
    username: entry.actor ?? '',
  };
}

const administratorLog = route({
  method: 'GET',
  path: '/v1/logs/administrator',
  grant: 'read-log',
  summary: `Administrative actions from mintime on, oldest first, at most ${V1_LOG_LIMIT}: ask again from the last timestamp.`,
  params: Params({ mintime: Seconds }),
  pathParams: NoParams,
  response: Type.Array(
    Type.Object({
      action: Type.String(),
      description: Type.String({ description: 'The details, as JSON text.' }),
      isotimestamp: Type.String(),
      object: Type.Union([Type.String(), Type.Null()]),
      timestamp: Type.Integer(),
      username: Type.String({ description: 'Who did it: cli:<user>, admin-api:<integration key>, …' }),
    }),
  ),
  async handler({ deps }, { params }) {
    const entries = await deps.store.audit.list(
      { kind: 'admin', from: params.mintime * 1000, to: MAX_MS },
      { limit: V1_LOG_LIMIT, order: 'asc' },
    );
    return { response: entries.map(describeAdminEntry) };
  },
});

const telephonyLog = route({
  method: 'GET',
  path: '/v1/logs/telephony',
  grant: 'read-log',
  summary: `Text messages and calls from mintime on, oldest first, at most ${V1_LOG_LIMIT}.`,
  params: Params({ mintime: Seconds }),
  pathParams: NoParams,
  response: Type.Array(
    Type.Object({
      context: Type.String(),
      credits: Type.Integer(),
      isotimestamp: Type.String(),
      phone: Type.String(),
      timestamp: Type.Integer(),
      type: OneOf(['sms', 'phone'], 'A text message or a call.'),
    }),
  ),
  async handler({ deps }, { params }) {
    const entries = await deps.store.telephony.list({ mintime: params.mintime * 1000, limit: V1_LOG_LIMIT });
    return { response: entries.map(duoTelephonyItem) };
  },
});

export const LOG_ROUTES: AdminRoute[] = [administratorLog, telephonyLog];
