// REST v1's parameters per endpoint (duo_unix 1.11.3, lib/duo.c), described for the API document. They arrive
// signed (query for GET, form body for POST) and every refusal must be a BSON denial (denial.ts), never Fastify's
// 400: so the handlers check them, after the signature holds.
import { Type } from '@sinclair/typebox';
import { checkedByHandler } from '../web-common/check-schema.ts';

const Text = (description: string) => Type.Optional(Type.String({ description }));

/** POST /preauth.bson */
export const PreauthParams = checkedByHandler(
  Type.Object({
    user: Type.String({ description: 'The username (canonical form: docs/usernames.md).' }),
    ipaddr: Text("The end user's IP address (a host name is ignored)."),
    hostname: Text('The host the user logs in to (informative).'),
    failmode: Text('safe or secure, as the client is configured (informative).'),
  }),
);

/** POST /auth.bson */
export const AuthParams = checkedByHandler(
  Type.Object({
    user: Type.String({ description: 'The username.' }),
    factor: Type.String({ description: 'auto (the only factor duo_unix 1.x sends).' }),
    auto: Type.String({ description: 'A menu choice (push1, push2…) or the passcode typed.' }),
    async: Text('1: answer with a txid at once, and poll /status.bson; 0: hold until decided.'),
    ipaddr: Text("The end user's IP address (a host name is ignored)."),
    pushinfo: Text('URL-encoded key=value pairs shown in the app (under 20,000 bytes).'),
  }),
);

/** GET /status.bson */
export const StatusParams = checkedByHandler(
  Type.Object({ txid: Type.String({ description: 'From an async /auth.bson.' }) }),
);
