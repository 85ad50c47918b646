// An address under /oidc that no endpoint of the provider answers gets the server's ROUTE_NOT_FOUND JSON, not Koa's
// plain "Not Found" text (docs/errors.md: every front answers an unknown path the same way).
import type { KoaContextWithOIDC } from 'oidc-provider';
import { CountersignError, publicMessage } from '../../core/errors.ts';
import type { JsonErrorBody } from '../web-common/json-errors.ts';

/** A provider middleware: a request its router left unanswered is answered ROUTE_NOT_FOUND (404). */
export async function routeNotFound(ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> {
  await next();
  if (ctx.status !== 404 || ctx.body != null) return;
  const body: JsonErrorBody = {
    error: 'ROUTE_NOT_FOUND',
    message: publicMessage(new CountersignError('ROUTE_NOT_FOUND')),
  };
  ctx.status = 404;
  ctx.body = body;
}
