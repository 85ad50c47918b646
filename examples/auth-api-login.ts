// A complete second-factor check with the TypeScript Auth API client: preauth, then a passcode or a push.
//
//   COUNTERSIGN_URL=http://127.0.0.1:8080 COUNTERSIGN_IKEY=DI… COUNTERSIGN_SKEY=… \
//     npx node examples/auth-api-login.ts alice [passcode]
//
// Without a passcode it sends a push to the user's Countersign Authenticator and waits for the answer.
import { createAuthApiClient } from '../src/client/auth-api-client.ts';

const [username, passcode] = process.argv.slice(2);
const { COUNTERSIGN_URL, COUNTERSIGN_IKEY, COUNTERSIGN_SKEY } = process.env;
if (!username || !COUNTERSIGN_URL || !COUNTERSIGN_IKEY || !COUNTERSIGN_SKEY) {
  console.error(
    'usage: COUNTERSIGN_URL=… COUNTERSIGN_IKEY=… COUNTERSIGN_SKEY=… npx node examples/auth-api-login.ts <username> [passcode]',
  );
  process.exit(2);
}

const client = createAuthApiClient({
  baseUrl: COUNTERSIGN_URL,
  ikey: COUNTERSIGN_IKEY,
  skey: COUNTERSIGN_SKEY,
});
try {
  const pre = await client.preauth({ username });
  console.log(`preauth: ${pre.result} (${pre.status_msg})`);
  if (pre.result !== 'auth') process.exit(pre.result === 'allow' ? 0 : 1);

  if (passcode) {
    const outcome = await client.auth({ username, factor: 'passcode', passcode });
    console.log(`auth: ${outcome.result} (${outcome.status_msg})`);
    process.exit(outcome.result === 'allow' ? 0 : 1);
  }

  // Push, asynchronously, so the verified-push number can be shown while the user answers.
  const { txid } = await client.auth({
    username,
    factor: 'push',
    device: 'auto',
    async: 1,
    client_supports_verified_push: 1,
  });
  for (;;) {
    const status = await client.authStatus(txid);
    console.log(`status: ${status.status} (${status.status_msg})`);
    if (status.result !== 'waiting') process.exit(status.result === 'allow' ? 0 : 1);
  }
} finally {
  client.close();
}
