// The /saml routes' schemas: the bindings' parameters (the messages themselves are checked by the SAML core), the
// IdP-initiated start, and our own sign-in pages' path, query and forms.
import { Type } from '@sinclair/typebox';
import { NoBody } from '../web-common/schemas.ts';

/** A deflated Redirect message of 64 KiB is far more than any real request; the core refuses larger ones too. */
const Message = Type.String({ minLength: 1, maxLength: 262_144 });
const RelayState = Type.String({ maxLength: 1024 });

/** GET on the Redirect binding (bindings §3.4.4): read from the raw query, whose octets the signature covers. */
export const RedirectQuery = Type.Object({
  SAMLRequest: Type.Optional(Message),
  SAMLResponse: Type.Optional(Message),
  RelayState: Type.Optional(RelayState),
  SigAlg: Type.Optional(Type.String({ maxLength: 256 })),
  Signature: Type.Optional(Type.String({ maxLength: 4096 })),
});

/** POST on the POST binding (bindings §3.5.4). */
export const PostForm = Type.Object({
  SAMLRequest: Type.Optional(Message),
  SAMLResponse: Type.Optional(Message),
  RelayState: Type.Optional(RelayState),
});

/** GET /saml/idp-initiated: the SP's entity ID, and where in the SP to land. */
export const IdpInitiatedQuery = Type.Object({
  sp: Type.String({ minLength: 1, maxLength: 1024 }),
  RelayState: Type.Optional(RelayState),
});

/** Our sign-in pages name the pending request. */
export const PendingParams = Type.Object({ ref: Type.String({ minLength: 32, maxLength: 64 }) });

/** GET /saml/slo/run/:ref: the start of a logout round an OpenID client's logout began (logout-run.ts makes refs). */
export const RunParams = Type.Object({ ref: Type.String({ pattern: '^[A-Za-z0-9_-]{32}$' }) });

/** GET …/done: back from the prompt with its one-time hand-off code. */
export const DoneQuery = Type.Object({
  handoff: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
});

/** POST …/password: the sign-in form (empty or too long values are answered on the page). */
export const SignInForm = Type.Object({
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
});

/** POST …/cancel. */
export const CancelForm = NoBody;
