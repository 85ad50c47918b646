// The Universal Prompt endpoints' parameters (Duo Web SDK v4 reference §4–6), described for the API document.
// Their handlers check them and refuse in the protocol's own shapes (an error page, OAuth's `error` JSON, Duo's
// FAIL envelope), which the SDKs read byte for byte: so these schemas are marked as checked by the handler.
import { Type } from '@sinclair/typebox';
import { checkedByHandler } from '../web-common/check-schema.ts';

/** A form or query value: one string (a repeated name arrives as a list, and is refused by the handler). */
const Param = Type.Union([Type.String(), Type.Array(Type.String())]);

/** POST /oauth/v1/health_check (form): the client authenticates with a signed JWT (reference §4). */
export const HealthCheckBody = checkedByHandler(
  Type.Object({ client_id: Type.Optional(Param), client_assertion: Type.Optional(Param) }),
);

/** GET /oauth/v1/authorize: the request JWT carries the claims; outer duplicates must match them (§5). */
export const AuthorizeQuery = checkedByHandler(
  Type.Object({
    client_id: Type.Optional(Param),
    request: Type.Optional(Param),
    response_type: Type.Optional(Param),
    redirect_uri: Type.Optional(Param),
    scope: Type.Optional(Param),
    nonce: Type.Optional(Param),
  }),
);

/** POST /oauth/v1/token: form fields, or (the Python SDK) the same names in the query of an empty POST (§6). */
const tokenFields = {
  grant_type: Type.Optional(Param),
  code: Type.Optional(Param),
  redirect_uri: Type.Optional(Param),
  client_id: Type.Optional(Param),
  client_assertion_type: Type.Optional(Param),
  client_assertion: Type.Optional(Param),
};
export const TokenBody = checkedByHandler(Type.Object(tokenFields));
export const TokenQuery = checkedByHandler(Type.Object(tokenFields));
