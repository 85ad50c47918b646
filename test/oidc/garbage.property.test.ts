// Property: whatever arrives under /oidc (the provider's endpoints and our interaction routes), with whatever body,
// the answer is a refusal or a page, never a 500; a cross-site post to the sign-in page is refused with a page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { createAgent, type OidcWorld, relyingParty, startOidcWorld } from './harness.ts';

let world: OidcWorld;
let clientId: string;
before(async () => {
  world = await startOidcWorld();
  clientId = (await relyingParty(world)).clientId;
});
after(() => world?.close());

const PATHS = [
  '/authorize',
  '/token',
  '/userinfo',
  '/jwks',
  '/logout',
  '/logout/confirm',
  '/revoke',
  '/interaction/x',
  '/interaction/x/sign-in',
  '/interaction/x/done',
  '/interaction/x/cancel',
  '/.well-known/openid-configuration',
];
const NAMES = [
  'client_id',
  'response_type',
  'redirect_uri',
  'scope',
  'code',
  'grant_type',
  'code_verifier',
  'state',
  'id_token_hint',
  'handoff',
  'username',
  'password',
  'refresh_token',
  'prompt',
  'max_age',
];
const CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'application/json',
  'text/plain',
  'multipart/form-data; boundary=x',
  '',
];

test('issue 11: garbage under /oidc gets a 4xx (or a page), never a 500', async () => {
  const value = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(clientId, 'code', 'openid', '<script>', '%00', 'ﬀ'),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('GET', 'POST'),
      fc.constantFrom(...PATHS),
      fc.dictionary(fc.constantFrom(...NAMES), value, { maxKeys: 6 }),
      fc.constantFrom(...CONTENT_TYPES),
      fc.boolean(),
      async (method, path, params, contentType, inBody) => {
        const query = new URLSearchParams(params).toString();
        const inQuery = method === 'GET' || !inBody;
        const url = `${world.issuer}${path}${inQuery ? `?${query}` : ''}`;
        const response = await fetch(url, {
          method,
          redirect: 'manual',
          headers: contentType ? { 'content-type': contentType } : {},
          ...(!inQuery && { body: contentType === 'application/json' ? JSON.stringify(params) : query }),
        });
        await response.arrayBuffer();
        assert.ok(
          response.status < 500,
          `${method} ${path} ${JSON.stringify(params)} (${contentType}) -> ${response.status}`,
        );
      },
    ),
    { numRuns: 300 },
  );
});

test('issue 11: a cross-site post to the sign-in page is refused with a page (403, CSRF), not a 500', async () => {
  const rp = await relyingParty(world);
  const agent = createAgent(world.url);
  const page = await agent.open((await rp.begin()).url);
  const response = await fetch(`${world.url}${page.url.pathname}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    body: 'username=a&password=b',
  });
  // 403, as the registry answers CSRF everywhere (docs/errors.md), but as a page: a browser shows it to a person.
  assert.equal(response.status, 403);
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
  const text = await response.text();
  assert.match(text, /This sign-in link is not valid/);
  assert.match(text, /This page is out of date/);
});
