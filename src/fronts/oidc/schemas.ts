// The /oidc routes' schemas: our interaction pages' path, query and form, and the provider's mount, whose
// endpoints check their own parameters and answer in OAuth's shapes (so its schemas are checked by the handler).
import { Type } from '@sinclair/typebox';
import { checkedByHandler } from '../web-common/check-schema.ts';
import { Id, NoBody } from '../web-common/schemas.ts';

/** Every interaction URL names the provider's interaction. */
export const InteractionParams = Type.Object({ uid: Id });

/** GET …/done: back from the prompt with its one-time hand-off code. */
export const DoneQuery = Type.Object({
  handoff: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
});

/** POST …/sign-in: the sign-in form (empty or too long values are answered on the page, not refused here). */
export const SignInForm = Type.Object({
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
});

/** POST …/cancel: the form carries nothing. */
export const CancelForm = NoBody;

/** The provider's endpoints read the raw body stream themselves and refuse in OAuth's `error` JSON. */
export const ProviderBody = checkedByHandler(
  Type.Unknown({ description: 'What the OpenID endpoint takes.' }),
);

/** The provider's path below /oidc (its router answers an unknown one). */
export const ProviderParams = checkedByHandler(Type.Object({ '*': Type.String() }));
