// What one Admin API endpoint is: its method and path, the grant it needs, its parameter and answer schemas, a handler.
import type { Static, TObject, TSchema } from '@sinclair/typebox';
import type { CoreDeps } from '../../core/deps.ts';
import type { AdminPermission } from '../../core/model.ts';
import type { SignOutListener } from '../../core/sso/sign-user-out.ts';
import type { MailTemplates } from '../notify/mail-templates.ts';
import type { Mailer } from '../notify/mailer.ts';

/** What every handler may use. */
export interface AdminApiContext {
  deps: CoreDeps;
  /** The base URL users reach (activation links). */
  publicUrl: () => string;
  /** `telephony.daily_credit_budget` (0: none). */
  dailyCreditBudget: number;
  /** What each single sign-on protocol does when a user is signed out everywhere (none outside a server). */
  signOutListeners?: () => readonly SignOutListener[];
  /** E-mail to users (enrollment reminders); absent when the server was opened without its notifier. */
  mail?: AdminMail;
}

/** The server's mailer and templates, and the organization's name they sign with. */
export interface AdminMail {
  mailer: Mailer;
  templates: MailTemplates;
  organization: string;
}

/** One verified call: who the audit log names, and its checked parameters. */
export interface AdminCall<P, Q> {
  /**
   * The actor of every audit entry the call leaves: `admin-api:<integration key>` for a signed call,
   * `console:<username>` for one from the console.
   */
  actor: string;
  /** The grants the caller holds: the integration's, or the console administrator's role's. */
  grants: readonly AdminPermission[];
  /** The integration key of a signed call (an integration cannot delete itself); absent from the console. */
  ikey?: string;
  params: P;
  path: Q;
}

/** Duo's v1 paging metadata; `next_offset` is absent on the last page. */
export interface PageMetadata {
  total_objects: number;
  next_offset?: number;
  prev_offset?: number;
}

/** A handler's answer: the envelope's `response`, and v1 paging metadata beside it when the list is paged. */
export interface Answer {
  response: unknown;
  metadata?: PageMetadata;
}

export interface AdminRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path below the plugin's `/admin` prefix in OpenAPI form: `/v1/users/{user_id}`. */
  path: string;
  grant: AdminPermission;
  summary: string;
  /** The signed parameters (query string, form or JSON body). */
  params: TObject;
  /** The path's parameters. */
  pathParams: TObject;
  /** The schema of the envelope's `response`. */
  response: TSchema;
  /** True when the answer carries v1 paging metadata beside `response`. */
  paged: boolean;
  handler: (ctx: AdminApiContext, call: AdminCall<unknown, unknown>) => Promise<Answer>;
}

/** Declares a route; the handler's parameters are typed by the schemas it declares. */
export function route<P extends TObject, Q extends TObject>(definition: {
  method: AdminRoute['method'];
  path: string;
  grant: AdminPermission;
  summary: string;
  params: P;
  pathParams: Q;
  response: TSchema;
  paged?: boolean;
  handler: (ctx: AdminApiContext, call: AdminCall<Static<P>, Static<Q>>) => Promise<Answer>;
}): AdminRoute {
  return {
    ...definition,
    paged: definition.paged ?? false,
    handler: definition.handler as AdminRoute['handler'],
  };
}

/** A page of an in-memory list (a user's own devices, groups or codes are few), with its metadata. */
export function pageOf<T>(items: readonly T[], params: { limit: number; offset: number }): Answer {
  const page = items.slice(params.offset, params.offset + params.limit);
  return { response: page, metadata: pageMetadata(items.length, params.offset, params.limit, page.length) };
}

/** A page of `total` objects at `offset` with `shown` of them: Duo's `metadata`. */
export function pageMetadata(total: number, offset: number, limit: number, shown: number): PageMetadata {
  const metadata: PageMetadata = { total_objects: total };
  if (offset + shown < total) metadata.next_offset = offset + shown;
  if (offset > 0) metadata.prev_offset = Math.max(0, offset - limit);
  return metadata;
}
