// Duo's authentication log (v2): finished authentications in a time window, paged by (time, id) keyset.
import { Type } from '@sinclair/typebox';
import type { AuditPosition, AuditQuery } from '../../core/repositories.ts';
import { REASONS } from '../../core/transaction/reasons.ts';
import { authLogRecord, duoFactor, duoLogReason } from '../duo-api/authlog-record.ts';
import { invalidParameter } from '../duo-api/envelope.ts';
import { List, MAX_MS, NoParams, OneOf, Params, Text, Whole } from './params.ts';
import { type AdminRoute, route } from './route.ts';

/** The audit action of a finished authentication: one per login, whatever the front. */
const AUTHENTICATION = 'authentication';

/** Our results of a finished authentication by Duo's name for them. */
const RESULTS: Record<string, readonly string[]> = {
  success: ['success'],
  denied: ['deny', 'timeout', 'locked_out'],
  fraud: ['fraud'],
  error: ['error'],
};

/** Duo's result for one of ours. */
function duoResult(result: string | null): string {
  for (const [duo, ours] of Object.entries(RESULTS)) if (result !== null && ours.includes(result)) return duo;
  return 'denied';
}

/** Our factor column's values by Duo's factor name (a passcode's kind is not filtered on: send `passcode`). */
const FACTORS: Record<string, string> = {
  duo_push: 'push',
  passcode: 'passcode',
  remembered_device: 'remembered',
  webauthn_security_key: 'webauthn',
};

/** Our reason ids for Duo's reason names: allows by their Duo name, everything else by its own id. */
function reasonIds(names: readonly string[]): string[] {
  const ids = new Set<string>(names);
  for (const [id, info] of Object.entries(REASONS)) {
    if (info.duo.logReason !== null && names.includes(info.duo.logReason)) ids.add(id);
  }
  return [...ids];
}

/**
 * `total_objects` is exact up to this many entries; a larger window reports this many and
 * `total_objects_relation: "gte"` (as Duo's newer log endpoints do). Counting a million rows costs more than a
 * page should (bench/README.md, `admin-api`); clients page by next_offset, never by the total.
 */
export const AUTHLOG_COUNT_LIMIT = 10_000;

/** `10,000`: grouped by hand, as `toLocaleString` at start-up would page ~5 MiB of ICU data into every server. */
const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const Millis = (description: string) => Whole({ minimum: 0, maximum: MAX_MS, description });
const Filter = (description: string) =>
  Type.Optional(List(Text({ maxLength: 256, description: 'one value' }), { maxItems: 100, description }));

/** `next_offset`: the previous page's `[timestamp, id]`, as two values or one `timestamp,id`. */
function readCursor(values: readonly string[] | undefined): AuditPosition | undefined {
  if (values === undefined) return undefined;
  const parts = values.length === 1 ? values[0]!.split(',') : [...values];
  const [at, id] = parts.map((part) =>
    /^[0-9]{1,16}$/.test(part.trim()) ? Number(part.trim()) : Number.NaN,
  );
  if (parts.length !== 2 || !Number.isSafeInteger(at) || !Number.isSafeInteger(id)) {
    throw invalidParameter("next_offset: must be the previous page's metadata.next_offset, [timestamp, id]");
  }
  return { at: at!, id: id! };
}

const authenticationLog = route({
  method: 'GET',
  path: '/v2/logs/authentication',
  grant: 'read-log',
  summary:
    'Finished authentications in a time window, newest first by default, a page at a time: pass the previous ' +
    "page's metadata.next_offset to get the next (null on the last page).",
  params: Params({
    mintime: Millis('Oldest time, Unix milliseconds (included).'),
    maxtime: Millis('Newest time, Unix milliseconds (included).'),
    limit: Whole({ minimum: 1, maximum: 1000, default: 100, description: 'Page size (at most 1000).' }),
    sort: OneOf(['ts:desc', 'ts:asc'], 'Order by time.', 'ts:desc'),
    next_offset: Type.Optional(
      List(Text({ maxLength: 32, description: 'a timestamp or an id' }), {
        maxItems: 2,
        description: "The previous page's metadata.next_offset: [timestamp, id], or `timestamp,id`.",
      }),
    ),
    users: Filter('Only these users (ids).'),
    applications: Filter('Only these integrations (integration keys).'),
    groups: Filter('Only users in these groups (ids, i.e. names).'),
    results: Filter('Only these results: success, denied, fraud, error.'),
    factors: Filter('Only these factors: duo_push, passcode, remembered_device, webauthn_security_key.'),
    reasons: Filter('Only these reasons (Duo names, e.g. user_approved, or Countersign reason ids).'),
    event_types: Filter('authentication (Countersign logs enrolments apart).'),
  }),
  pathParams: NoParams,
  response: Type.Object({
    authlogs: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    metadata: Type.Object({
      total_objects_relation: Type.Union([Type.Literal('eq'), Type.Literal('gte')], {
        description: `"gte" when there are more than ${thousands(AUTHLOG_COUNT_LIMIT)} entries: total_objects is then that many.`,
      }),
      next_offset: Type.Union([
        Type.Array(Type.String(), { minItems: 2, maxItems: 2, description: '[timestamp, id]' }),
        Type.Null(),
      ]),
      total_objects: Type.Integer(),
    }),
  }),
  async handler({ deps }, { params }) {
    if (params.maxtime < params.mintime) throw invalidParameter('maxtime: must not be before mintime');
    const unknownFactor = params.factors?.find((factor) => !Object.hasOwn(FACTORS, factor));
    if (unknownFactor !== undefined) {
      throw invalidParameter(`factors: '${unknownFactor}' is not one of ${Object.keys(FACTORS).join(', ')}`);
    }
    const unknownResult = params.results?.find((result) => !Object.hasOwn(RESULTS, result));
    if (unknownResult !== undefined) {
      throw invalidParameter(`results: '${unknownResult}' is not one of ${Object.keys(RESULTS).join(', ')}`);
    }
    const apps = await deps.store.applications.list();
    const query: AuditQuery = {
      kind: 'auth',
      actions: [AUTHENTICATION],
      from: params.mintime,
      to: params.maxtime,
      ...(params.users && { userIds: params.users }),
      ...(params.groups && { groups: params.groups }),
      ...(params.reasons && { reasons: reasonIds(params.reasons) }),
      ...(params.results && { results: params.results.flatMap((result) => RESULTS[result]!) }),
      ...(params.factors && { factors: params.factors.map((factor) => FACTORS[factor]!) }),
      ...(params.applications && {
        applicationIds: apps.filter((app) => params.applications!.includes(app.ikey)).map((app) => app.id),
      }),
      // Only authentications are logged here: a filter for other event types selects nothing.
      ...(params.event_types && !params.event_types.includes('authentication') && { actions: [] }),
    };
    const after = readCursor(params.next_offset);
    const order = params.sort === 'ts:asc' ? 'asc' : 'desc';
    // One more than the page: it tells whether a next page exists without a second query.
    const [rows, total] = await Promise.all([
      deps.store.audit.list(query, { limit: params.limit + 1, order, ...(after && { after }) }),
      deps.store.audit.count(query, AUTHLOG_COUNT_LIMIT + 1),
    ]);
    const page = rows.slice(0, params.limit);
    const last = page.at(-1);
    const users = new Map(
      (await deps.store.users.getMany(page.flatMap((entry) => entry.userId ?? []))).map((u) => [u.id, u]),
    );
    const appsById = new Map(apps.map((app) => [app.id, app]));
    const locations = await Promise.all(page.map((entry) => deps.locator?.locate(entry.ip) ?? null));
    const authlogs = page.map((entry, i) => {
      const user = entry.userId === null ? undefined : users.get(entry.userId);
      const app = entry.applicationId === null ? undefined : appsById.get(entry.applicationId);
      return authLogRecord({
        txid: typeof entry.detail.txid === 'string' ? entry.detail.txid : String(entry.id),
        at: entry.at,
        result: duoResult(entry.result),
        reason: duoLogReason(entry.reason),
        factor: duoFactor(entry.factor, { method: entry.detail.method }),
        alias: '',
        email: user?.email ?? null,
        user: { name: entry.username ?? '', key: entry.userId, groups: user?.groups ?? [] },
        application: app ? { name: app.name, key: app.ikey } : null,
        deviceName: null,
        ip: entry.ip,
        location: locations[i] ?? null,
      });
    });
    const nextOffset = rows.length > params.limit && last ? [String(last.at), String(last.id)] : null;
    const capped = total > AUTHLOG_COUNT_LIMIT;
    return {
      response: {
        authlogs,
        metadata: {
          next_offset: nextOffset,
          total_objects: capped ? AUTHLOG_COUNT_LIMIT : total,
          total_objects_relation: capped ? 'gte' : 'eq',
        },
      },
    };
  },
});

export const AUTHLOG_ROUTES: AdminRoute[] = [authenticationLog];
