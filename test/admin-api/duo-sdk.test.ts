// The Admin API driven by Duo's official Node SDK (@duosecurity/duo_api) over HTTPS, signatures v2 and v5: every
// Duo-shaped path, paging over several pages, grants, replays, and each answer checked against /admin/openapi.json.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createGroup } from '../../src/core/admin/manage-groups.ts';
import { manualClock } from '../../src/core/clock.ts';
import { ADMIN_PERMISSIONS } from '../../src/core/model.ts';
import { authenticateWithPasscode } from '../../src/core/transaction/index.ts';
import { generateHotp } from '../../src/crypto/otp/hotp.ts';
import { createTestCertificates, type TestCertificates } from '../auth-api/test-ca.ts';
import {
  type DuoClient,
  duo,
  redirectSdk,
  SDK_HOST,
  type SdkRedirect,
  SIGNATURE_VERSIONS,
  sdkCall,
} from '../support/duo-sdk.ts';
import {
  addTestTotp,
  createTestAdminApp,
  createTestApp,
  createTestUser,
  issueTestBypassCodes,
  startTestServer,
  type TestServer,
} from '../support/server.ts';
import { CONSOLE_DATA_OPERATIONS } from './console-data-operations.ts';
import { type OpenApiDocument, openApiChecker } from './openapi-check.ts';

let server: TestServer;
let certificates: TestCertificates;
let sdk: SdkRedirect;
let checker: ReturnType<typeof openApiChecker>;
/** Every `METHOD template` the document describes. */
let operations: string[] = [];
/** Every grant but `administrators`. */
let full: { ikey: string; skey: string };
/** Every grant, `administrators` included. */
let owner: { ikey: string; skey: string };
/** The default grants: read-resource, write-resource, read-log. */
let basic: { ikey: string; skey: string };
/** read-resource only. */
let readOnly: { ikey: string; skey: string };

before(async () => {
  certificates = await createTestCertificates();
  // The SDK dates requests with the real time, so the server's frozen clock starts at the real time.
  server = await startTestServer({
    clock: manualClock(Date.now()),
    config: { 'http.tls_cert': certificates.certFile, 'http.tls_key': certificates.keyFile },
  });
  sdk = redirectSdk(server.port, certificates.caPem);
  full = await createTestAdminApp(
    server.deps,
    ADMIN_PERMISSIONS.filter((grant) => grant !== 'administrators'),
  );
  owner = await createTestAdminApp(server.deps, ADMIN_PERMISSIONS);
  basic = await createTestAdminApp(server.deps);
  readOnly = await createTestAdminApp(server.deps, ['read-resource']);
  const served = await server.http.fastify.inject({ method: 'GET', url: '/admin/openapi.json' });
  assert.equal(served.statusCode, 200);
  const document = served.json() as OpenApiDocument;
  checker = openApiChecker(document);
  // Every signed operation (the document describing itself is not one).
  operations = Object.entries(document.paths).flatMap(([template, methods]) =>
    Object.entries(methods)
      .filter(([, operation]) => 'x-countersign-grant' in operation)
      .map(([method]) => `${method.toUpperCase()} ${template}`),
  );
});
after(async () => {
  sdk?.restore();
  await server?.close();
  await certificates?.remove();
});

type Envelope = Record<string, unknown> & {
  stat: string;
  response?: unknown;
  metadata?: Record<string, unknown>;
};

/** One SDK call, its answer checked against the OpenAPI document (200 schema, or the failure envelope). */
async function call(
  client: DuoClient,
  method: string,
  path: string,
  params: Record<string, unknown> = {},
): Promise<Envelope> {
  const body = (await sdkCall(client, method, path, params)) as Envelope;
  checker.check(method, path, body.stat === 'OK' ? 200 : Number(body.code) >= 40000 ? 400 : 500, body);
  return body;
}

/** The `response` of a call that must succeed. */
async function ok<T = Record<string, unknown>>(
  client: DuoClient,
  method: string,
  path: string,
  params: Record<string, unknown> = {},
): Promise<T> {
  const body = await call(client, method, path, params);
  assert.equal(body.stat, 'OK', `${method} ${path}: ${JSON.stringify(body)}`);
  return body.response as T;
}

/** A call that must fail with Duo's `code`; returns its message_detail. */
async function fails(
  client: DuoClient,
  code: number,
  method: string,
  path: string,
  params: Record<string, unknown> = {},
): Promise<string> {
  const body = await call(client, method, path, params);
  assert.equal(body.stat, 'FAIL', `${method} ${path} should fail: ${JSON.stringify(body)}`);
  assert.equal(body.code, code, `${method} ${path}: ${JSON.stringify(body)}`);
  return String(body.message_detail ?? '');
}

type DuoUser = { user_id: string; username: string } & Record<string, unknown>;

for (const [label, sigVersion] of SIGNATURE_VERSIONS) {
  describe(`Admin API through Duo's Node SDK, signature ${label}`, () => {
    let admin: DuoClient;
    const tag = `v${sigVersion}`;
    const actor = () => `admin-api:${full.ikey}`;

    before(() => {
      admin = new duo.Client(full.ikey, full.skey, SDK_HOST, sigVersion);
    });

    test('users: create, read, find by username or alias, modify, delete (a repeat succeeds)', async () => {
      const created = await ok<DuoUser>(admin, 'POST', '/admin/v1/users', {
        username: `Ada-${tag}`,
        realname: 'Ada Lovelace',
        email: 'ada@example.test',
        notes: 'first programmer',
        alias1: `ada.l-${tag}`,
      });
      assert.equal(created.username, `Ada-${tag}`);
      assert.equal(created.status, 'active');
      assert.equal(created.alias1, `ada.l-${tag}`);
      assert.deepEqual(created.aliases, { alias1: `ada.l-${tag}` });
      const path = `/admin/v1/users/${created.user_id}`;
      assert.deepEqual(await ok(admin, 'GET', path), created);

      // Usernames go through the canonical form: any case, the alias too.
      for (const name of [`ADA-${tag}`, `Ada.L-${tag}`]) {
        const found = await call(admin, 'GET', '/admin/v1/users', { username: name });
        assert.deepEqual(
          (found.response as DuoUser[]).map((user) => user.user_id),
          [created.user_id],
        );
        assert.equal(found.metadata?.total_objects, 1);
      }
      assert.deepEqual(await ok(admin, 'GET', '/admin/v1/users', { username: `nobody-${tag}` }), []);
      assert.match(
        await fails(admin, 40002, 'GET', '/admin/v1/users', { username: 'a\u200bda' }),
        /^username: .*invisible/,
      );

      const modified = await ok<DuoUser>(admin, 'POST', path, {
        realname: 'Augusta Ada King',
        status: 'disabled',
        alias2: `countess-${tag}`,
        notes: '',
      });
      assert.equal(modified.realname, 'Augusta Ada King');
      assert.equal(modified.status, 'disabled');
      assert.equal(modified.notes, '');
      assert.deepEqual(modified.aliases, { alias1: `ada.l-${tag}`, alias2: `countess-${tag}` });
      const renamed = await ok<DuoUser>(admin, 'POST', path, { username: `ada.king-${tag}`, alias1: '' });
      assert.equal(renamed.username, `ada.king-${tag}`);
      assert.deepEqual(renamed.aliases, { alias1: `countess-${tag}` });
      assert.deepEqual(await ok(admin, 'GET', '/admin/v1/users', { username: `ada-${tag}` }), []);

      assert.equal(await ok(admin, 'DELETE', path), '');
      assert.equal(await ok(admin, 'DELETE', path), '', 'deleting a deleted user succeeds');
      await fails(admin, 40401, 'GET', path);
      assert.equal(await server.deps.store.users.findByName(`countess-${tag}`), null);
    });

    test('users: a taken name, a refused status and a bad e-mail are 40002 naming the parameter', async () => {
      await ok(admin, 'POST', '/admin/v1/users', { username: `taken-${tag}` });
      assert.match(
        await fails(admin, 40002, 'POST', '/admin/v1/users', { username: `TAKEN-${tag}` }),
        /taken/,
      );
      assert.match(
        await fails(admin, 40002, 'POST', '/admin/v1/users', { username: `x-${tag}`, status: 'locked out' }),
        /^status: must be one of active, bypass, disabled/,
      );
      assert.match(
        await fails(admin, 40002, 'POST', '/admin/v1/users', {
          username: `y-${tag}`,
          email: 'not-an-address',
        }),
        /^email: /,
      );
      assert.equal(await fails(admin, 40001, 'POST', '/admin/v1/users', { realname: 'No Name' }), 'username');
      assert.equal(await server.deps.store.users.findByName(`x-${tag}`), null);
    });

    test('users: paging over several pages follows metadata.next_offset to the end', async () => {
      for (let i = 0; i < 7; i++) await createTestUser(server.deps, `page-${tag}-${i}`);
      const total = await server.deps.store.users.count();
      const seen: string[] = [];
      let offset: number | undefined = 0;
      let pages = 0;
      while (offset !== undefined) {
        const page = await call(admin, 'GET', '/admin/v1/users', { limit: 3, offset });
        assert.equal(page.stat, 'OK');
        assert.equal(page.metadata?.total_objects, total);
        if (offset > 0) assert.equal(page.metadata?.prev_offset, Math.max(0, offset - 3));
        const users = page.response as DuoUser[];
        assert.ok(users.length <= 3);
        seen.push(...users.map((user) => user.user_id));
        offset = page.metadata?.next_offset as number | undefined;
        pages++;
      }
      assert.ok(pages > 2, `${pages} pages`);
      assert.equal(seen.length, total);
      assert.equal(new Set(seen).size, total, 'no user on two pages');
      const stored = await server.deps.store.users.list({ limit: total, offset: 0 });
      assert.deepEqual(
        seen,
        stored.map((user) => user.id),
      );
    });

    test("a user's phones and security keys; removing a phone ends its use", async () => {
      const user = await createTestUser(server.deps, `phones-${tag}`);
      const totp = await addTestTotp(server.deps, user);
      const phones = await call(admin, 'GET', `/admin/v1/users/${user.id}/phones`);
      assert.deepEqual(
        (phones.response as Array<{ phone_id: string; capabilities: string[] }>).map((p) => p.phone_id),
        [totp.authenticator.id],
      );
      assert.equal(phones.metadata?.total_objects, 1);
      assert.deepEqual(await ok(admin, 'GET', `/admin/v1/users/${user.id}/webauthncredentials`), []);
      const read = await ok<DuoUser>(admin, 'GET', `/admin/v1/users/${user.id}`);
      assert.equal(read.is_enrolled, true);
      assert.equal(
        await ok(admin, 'DELETE', `/admin/v1/users/${user.id}/phones/${totp.authenticator.id}`),
        '',
      );
      assert.equal(await server.deps.store.authenticators.get(totp.authenticator.id), null);
    });

    test('bypass codes are shown once; the list has no codes; a new batch replaces the old one', async () => {
      const user = await createTestUser(server.deps, `bypass-${tag}`);
      const path = `/admin/v1/users/${user.id}/bypass_codes`;
      const codes = await ok<string[]>(admin, 'POST', path, { count: 3, reuse_count: 2, valid_secs: 600 });
      assert.equal(codes.length, 3);
      for (const code of codes) assert.match(code, /^[0-9]{9}$/);
      const listed = await call(admin, 'GET', path);
      const entries = listed.response as Array<Record<string, unknown>>;
      assert.equal(entries.length, 3);
      assert.equal(listed.metadata?.total_objects, 3);
      for (const entry of entries) {
        assert.equal(entry.reuse_count, 2);
        assert.equal(entry.admin_email, actor());
        assert.equal(entry.expiration, Math.floor(server.clock.now() / 1000) + 600);
        assert.equal(JSON.stringify(entry).includes(codes[0]!), false, 'a listing never shows a code');
      }
      // One of them logs the user in.
      const { app } = await createTestApp(server.deps);
      const login = await authenticateWithPasscode(server.deps, { app, user, ip: null }, codes[0]!);
      assert.equal(login.state, 'allow');
      // Without preserve_existing the earlier codes are revoked; with it they stay.
      await ok(admin, 'POST', path, { count: 1 });
      assert.equal(((await ok(admin, 'GET', path)) as unknown[]).length, 1);
      await ok(admin, 'POST', path, { count: 2, preserve_existing: true });
      assert.equal(((await ok(admin, 'GET', path)) as unknown[]).length, 3);
      assert.match(await fails(admin, 40002, 'POST', path, { codes: '123456789' }), /^codes: /);
      assert.match(
        await fails(admin, 40002, 'POST', path, { count: 0 }),
        /^count: must be a whole number from 1/,
      );
    });

    test('hardware tokens: create, find by type and serial, assign, resync, take back, delete', async () => {
      const serial = `HW-${tag}-${Date.now()}`;
      const secret = Buffer.from('3132333435363738393031323334353637383930', 'hex');
      const created = await ok<{ token_id: string; type: string; totp_step: unknown }>(
        admin,
        'POST',
        '/admin/v1/tokens',
        { type: 'h6', serial, secret: secret.toString('hex') },
      );
      assert.equal(created.type, 'h6');
      assert.equal(created.totp_step, null);
      const tokenPath = `/admin/v1/tokens/${created.token_id}`;
      const found = await ok<Array<{ token_id: string }>>(admin, 'GET', '/admin/v1/tokens', {
        type: 'h6',
        serial,
      });
      assert.deepEqual(
        found.map((token) => token.token_id),
        [created.token_id],
      );
      const listed = await call(admin, 'GET', '/admin/v1/tokens', { limit: 500 });
      assert.ok(
        (listed.response as Array<{ token_id: string }>).some((t) => t.token_id === created.token_id),
      );
      assert.match(
        await fails(admin, 40002, 'POST', '/admin/v1/tokens', { type: 'h6', serial, secret: 'zz' }),
        /^secret: /,
      );

      const user = await createTestUser(server.deps, `tokens-${tag}`);
      const userTokens = `/admin/v1/users/${user.id}/tokens`;
      assert.equal(await ok(admin, 'POST', userTokens, { token_id: created.token_id }), '');
      const owned = await ok<Array<{ token_id: string; users: Array<{ user_id: string }> }>>(
        admin,
        'GET',
        userTokens,
      );
      assert.deepEqual(
        owned[0]?.users.map((u) => u.user_id),
        [user.id],
      );
      assert.equal(((await ok(admin, 'GET', tokenPath)) as { users: unknown[] }).users.length, 1);

      // Three consecutive codes 50 presses ahead: the counter moves past them.
      const codes = [50n, 51n, 52n].map((counter) =>
        generateHotp(secret, counter, { digits: 6, algorithm: 'sha1' }),
      );
      assert.equal(
        await ok(admin, 'POST', `${tokenPath}/resync`, { code1: codes[0], code2: codes[1], code3: codes[2] }),
        '',
      );
      assert.equal((await server.deps.store.authenticators.get(created.token_id))?.counter, 53);
      // Codes from before the counter no longer count.
      const behind = [51n, 52n, 53n].map((counter) =>
        generateHotp(secret, counter, { digits: 6, algorithm: 'sha1' }),
      );
      assert.match(
        await fails(admin, 40002, 'POST', `${tokenPath}/resync`, {
          code1: behind[0],
          code2: behind[1],
          code3: behind[2],
        }),
        /^codes: /,
      );

      assert.equal(await ok(admin, 'DELETE', `${userTokens}/${created.token_id}`), '');
      assert.deepEqual(await ok(admin, 'GET', userTokens), []);
      assert.equal(await ok(admin, 'DELETE', tokenPath), '');
      assert.equal(await ok(admin, 'DELETE', tokenPath), '', 'deleting a deleted token succeeds');
      await fails(admin, 40401, 'GET', tokenPath);
    });

    test('groups: create, list, read (v1 and v2), members, join and leave, delete', async () => {
      const name = `staff-${tag}`;
      const group = await ok<{ group_id: string; name: string }>(admin, 'POST', '/admin/v1/groups', { name });
      assert.equal(group.group_id, name);
      const groupPath = `/admin/v1/groups/${encodeURIComponent(name)}`;
      assert.deepEqual(await ok(admin, 'GET', groupPath), group);
      assert.deepEqual(await ok(admin, 'GET', `/admin/v2/groups/${encodeURIComponent(name)}`), group);
      const groups = await ok<Array<{ group_id: string }>>(admin, 'GET', '/admin/v1/groups', { limit: 500 });
      assert.ok(groups.some((g) => g.group_id === name));
      const taken = `taken-${tag}`;
      await createGroup(server.deps, 'test', taken);
      assert.match(await fails(admin, 40002, 'POST', '/admin/v1/groups', { name: taken }), /already exists/);

      const members = [];
      for (let i = 0; i < 3; i++) members.push(await createTestUser(server.deps, `member-${tag}-${i}`));
      for (const member of members) {
        assert.equal(await ok(admin, 'POST', `/admin/v1/users/${member.id}/groups`, { group_id: name }), '');
      }
      assert.match(
        await fails(admin, 40002, 'POST', `/admin/v1/users/${members[0]!.id}/groups`, {
          group_id: `none-${tag}`,
        }),
        /^group_id: no such group/,
      );
      const userGroups = await ok<Array<{ group_id: string }>>(
        admin,
        'GET',
        `/admin/v1/users/${members[0]!.id}/groups`,
      );
      assert.deepEqual(
        userGroups.map((g) => g.group_id),
        [name],
      );
      const page1 = await call(admin, 'GET', `/admin/v2/groups/${encodeURIComponent(name)}/users`, {
        limit: 2,
      });
      assert.equal(page1.metadata?.total_objects, 3);
      assert.equal(page1.metadata?.next_offset, 2);
      const page2 = await ok<DuoUser[]>(admin, 'GET', `/admin/v2/groups/${encodeURIComponent(name)}/users`, {
        limit: 2,
        offset: 2,
      });
      assert.deepEqual(
        [...(page1.response as DuoUser[]), ...page2].map((u) => u.user_id).sort(),
        members.map((m) => m.id).sort(),
      );

      assert.equal(
        await ok(admin, 'DELETE', `/admin/v1/users/${members[0]!.id}/groups/${encodeURIComponent(name)}`),
        '',
      );
      assert.deepEqual((await server.deps.store.users.get(members[0]!.id))?.groups, []);
      assert.equal(await ok(admin, 'DELETE', groupPath), '');
      assert.deepEqual(
        (await server.deps.store.users.get(members[1]!.id))?.groups,
        [],
        'a deleted group leaves its members',
      );
      await fails(admin, 40401, 'GET', groupPath);
      assert.equal(await ok(admin, 'DELETE', groupPath), '');
    });

    test('phones: list, read, activation_url, delete', async () => {
      const user = await createTestUser(server.deps, `phone-owner-${tag}`);
      const totp = await addTestTotp(server.deps, user);
      const phonePath = `/admin/v1/phones/${totp.authenticator.id}`;
      const phone = await ok<{ phone_id: string; users: Array<{ user_id: string }> }>(
        admin,
        'GET',
        phonePath,
      );
      assert.deepEqual(
        phone.users.map((u) => u.user_id),
        [user.id],
      );
      const all: string[] = [];
      let offset: number | undefined = 0;
      while (offset !== undefined) {
        const page = await call(admin, 'GET', '/admin/v1/phones', { limit: 1, offset });
        all.push(...(page.response as Array<{ phone_id: string }>).map((p) => p.phone_id));
        offset = page.metadata?.next_offset as number | undefined;
      }
      assert.ok(all.includes(totp.authenticator.id));
      assert.equal(new Set(all).size, all.length);

      const link = await ok<{ activation_url: string; activation_barcode: string; valid_secs: number }>(
        admin,
        'POST',
        `${phonePath}/activation_url`,
        { valid_secs: 3600 },
      );
      assert.equal(link.valid_secs, 3600);
      assert.ok(link.activation_url.startsWith(server.url), link.activation_url);
      assert.ok(link.activation_barcode.includes('/frame/qr?value='));

      assert.equal(await ok(admin, 'DELETE', phonePath), '');
      assert.equal(await ok(admin, 'DELETE', phonePath), '');
      await fails(admin, 40401, 'GET', phonePath);
    });

    test('authentication log v2: pages by next_offset, filters, both orders', async () => {
      const user = await createTestUser(server.deps, `logged-${tag}`);
      const [code] = await issueTestBypassCodes(server.deps, user, { uses: 10 });
      const { app } = await createTestApp(server.deps);
      const mintime = server.clock.now();
      const txids: string[] = [];
      for (let i = 0; i < 5; i++) {
        server.clock.advance(1000);
        txids.push((await authenticateWithPasscode(server.deps, { app, user, ip: '192.0.2.7' }, code!)).id);
      }
      server.clock.advance(1000);
      txids.push((await authenticateWithPasscode(server.deps, { app, user, ip: null }, '000000000')).id);
      const window = { mintime, maxtime: server.clock.now(), users: [user.id] };

      const seen: Array<Record<string, unknown>> = [];
      let nextOffset: unknown;
      let pages = 0;
      do {
        const answer = await ok<{
          authlogs: Array<Record<string, unknown>>;
          metadata: Record<string, unknown>;
        }>(admin, 'GET', '/admin/v2/logs/authentication', {
          ...window,
          limit: 2,
          ...(nextOffset !== undefined && { next_offset: nextOffset }),
        });
        assert.equal(answer.metadata.total_objects, 6);
        seen.push(...answer.authlogs);
        nextOffset = answer.metadata.next_offset ?? undefined;
        // Duo's clients send the pair back either as two values or joined by a comma.
        if (Array.isArray(nextOffset) && pages === 1) nextOffset = nextOffset.join(',');
        pages++;
      } while (nextOffset !== undefined);
      assert.equal(pages, 3);
      assert.deepEqual(
        seen.map((record) => record.txid),
        [...txids].reverse(),
        'newest first, each once',
      );
      const first = seen.at(-1)!;
      assert.equal(first.result, 'success');
      assert.equal(first.factor, 'bypass_code');
      assert.equal(first.event_type, 'authentication');
      assert.deepEqual(first.application, { key: app.ikey, name: app.name });
      assert.deepEqual(first.user, { key: user.id, name: user.username, groups: [] });
      assert.equal((first.access_device as { ip: string }).ip, '192.0.2.7');
      assert.equal(seen[0]!.result, 'denied');

      const ascending = await ok<{ authlogs: Array<{ txid: string }> }>(
        admin,
        'GET',
        '/admin/v2/logs/authentication',
        {
          ...window,
          sort: 'ts:asc',
          limit: 10,
        },
      );
      assert.deepEqual(
        ascending.authlogs.map((r) => r.txid),
        txids,
      );
      for (const [filter, count] of [
        [{ results: ['denied'] }, 1],
        [{ results: ['success', 'fraud'] }, 5],
        [{ factors: ['passcode'] }, 6],
        [{ factors: ['duo_push'] }, 0],
        [{ applications: [app.ikey] }, 6],
        [{ reasons: ['valid_passcode'] }, 5],
        [{ event_types: ['enrollment'] }, 0],
      ] as const) {
        const answer = await ok<{ metadata: { total_objects: number } }>(
          admin,
          'GET',
          '/admin/v2/logs/authentication',
          {
            ...window,
            ...filter,
          },
        );
        assert.equal(answer.metadata.total_objects, count, JSON.stringify(filter));
      }
      assert.match(
        await fails(admin, 40002, 'GET', '/admin/v2/logs/authentication', {
          ...window,
          next_offset: 'yesterday',
        }),
        /^next_offset: /,
      );
      assert.match(
        await fails(admin, 40002, 'GET', '/admin/v2/logs/authentication', { mintime: 10, maxtime: 5 }),
        /^maxtime: /,
      );
      assert.equal(
        await fails(admin, 40001, 'GET', '/admin/v2/logs/authentication', { mintime: 0 }),
        'maxtime',
      );
    });

    test('administrator and telephony logs (v1): oldest first from mintime', async () => {
      const mintime = Math.floor(server.clock.now() / 1000);
      const created = await ok<DuoUser>(admin, 'POST', '/admin/v1/users', { username: `audited-${tag}` });
      const log = await ok<Array<Record<string, unknown>>>(admin, 'GET', '/admin/v1/logs/administrator', {
        mintime,
      });
      const entry = log.find((item) => item.object === created.username);
      assert.ok(entry, JSON.stringify(log));
      assert.equal(entry.action, 'user_create');
      assert.equal(entry.username, actor());
      const timestamps = log.map((item) => Number(item.timestamp));
      assert.deepEqual(
        timestamps,
        [...timestamps].sort((a, b) => a - b),
      );

      await server.deps.store.telephony.append({
        id: `TL-${tag}`,
        at: server.clock.now(),
        context: 'authentication',
        type: 'sms',
        phone: '+15035550100',
        credits: 1,
        userId: null,
        provider: 'outbox',
        providerRef: null,
        status: 'sent',
      });
      const calls = await ok<Array<Record<string, unknown>>>(admin, 'GET', '/admin/v1/logs/telephony', {
        mintime,
      });
      assert.ok(
        calls.some((item) => item.phone === '+15035550100' && item.type === 'sms'),
        JSON.stringify(calls),
      );
    });

    test('info summary and integrations need their grants', async () => {
      const summary = await ok<{ user_count: number; integration_count: number }>(
        admin,
        'GET',
        '/admin/v1/info/summary',
      );
      assert.equal(summary.user_count, await server.deps.store.users.count());
      const integrations = await call(admin, 'GET', '/admin/v3/integrations', { limit: 2 });
      assert.equal(integrations.stat, 'OK');
      assert.equal(
        integrations.metadata?.total_objects,
        (await server.deps.store.applications.list()).length,
      );
      const mine = (
        await ok<Array<Record<string, unknown>>>(admin, 'GET', '/admin/v1/integrations', { limit: 300 })
      ).find((item) => item.integration_key === full.ikey);
      assert.equal(mine?.type, 'adminapi');
      assert.equal(mine?.adminapi_read_log, 1);
      assert.equal(mine?.adminapi_admins, 0);
      assert.equal(JSON.stringify(mine).includes(full.skey), false, 'never a secret key');

      const limited = new duo.Client(basic.ikey, basic.skey, SDK_HOST, sigVersion);
      assert.match(await fails(limited, 40301, 'GET', '/admin/v1/info/summary'), /'read-info'/);
      assert.match(await fails(limited, 40301, 'GET', '/admin/v3/integrations'), /'applications'/);
      assert.match(await fails(limited, 40301, 'GET', '/admin/v1/countersign/policies'), /'settings'/);
    });

    test("Countersign's own resources: policies, enforcement dates, RADIUS clients, directories, fraud reports", async () => {
      const { app } = await createTestApp(server.deps, { name: `policy-app-${tag}` });
      const layer = await ok<Record<string, unknown>>(admin, 'POST', '/admin/v1/countersign/policies', {
        target: 'application',
        name: app.ikey,
        rememberHours: '4',
        allowedMethods: 'push,totp',
      });
      assert.deepEqual(layer, { ...app.policy, rememberHours: 4, allowedMethods: ['push', 'totp'] });
      const policies = await ok<{ applications: Array<{ integration_key: string }> }>(
        admin,
        'GET',
        '/admin/v1/countersign/policies',
      );
      assert.ok(policies.applications.some((entry) => entry.integration_key === app.ikey));
      assert.match(
        await fails(admin, 40002, 'POST', '/admin/v1/countersign/policies', {
          target: 'global',
          rememberHours: 'lots',
        }),
        /rememberHours/,
      );
      await ok(admin, 'POST', '/admin/v1/countersign/enforcement_dates', {
        target: 'application',
        name: app.name,
        enforcement_date: '2027-01-15',
      });
      const dates = await ok<Array<{ name: string; enforcement_date: string }>>(
        admin,
        'GET',
        '/admin/v1/countersign/enforcement_dates',
      );
      assert.ok(dates.some((d) => d.name === app.name && d.enforcement_date === '2027-01-15'));
      assert.ok(Array.isArray(await ok(admin, 'GET', '/admin/v1/countersign/radius_clients')));
      assert.equal(await ok(admin, 'DELETE', `/admin/v1/countersign/radius_clients/none-${tag}`), '');
      assert.ok(Array.isArray(await ok(admin, 'GET', '/admin/v1/countersign/directories')));
      assert.ok(Array.isArray(await ok(admin, 'GET', '/admin/v1/countersign/fraud_reports', { limit: 10 })));
    });

    test('a write sent again byte for byte is refused with 401 40103; reads stay repeatable', async () => {
      await ok(admin, 'POST', '/admin/v1/users', { username: `once-${tag}` });
      const write = await sdk.resend(sdk.last());
      assert.equal(write.status, 401);
      assert.equal(write.body.code, 40103);
      await ok(admin, 'GET', '/admin/v1/users', { username: `once-${tag}` });
      const read = await sdk.resend(sdk.last());
      assert.equal(read.status, 200);
    });

    test('without the grant a call is 403 40301 and changes nothing; other integration types are not admins', async () => {
      const reader = new duo.Client(readOnly.ikey, readOnly.skey, SDK_HOST, sigVersion);
      assert.match(
        await fails(reader, 40301, 'POST', '/admin/v1/users', { username: `forbidden-${tag}` }),
        /'write-resource'/,
      );
      assert.equal(await server.deps.store.users.findByName(`forbidden-${tag}`), null);
      // The refusal itself is on record: who tried which call, and the grant it lacked.
      const [refusal] = (await server.deps.store.audit.tail({ limit: 1, kind: 'admin' })).filter(
        (entry) => entry.actor === `admin-api:${readOnly.ikey}`,
      );
      assert.deepEqual(
        [refusal?.action, refusal?.result, refusal?.detail],
        ['admin.forbidden', 'forbidden', { call: 'POST /v1/users', needs: 'write-resource' }],
      );
      await fails(reader, 40301, 'GET', '/admin/v2/logs/authentication', { mintime: 0, maxtime: 1 });
      assert.ok(Array.isArray(await ok(reader, 'GET', '/admin/v1/users', { limit: 1 })));
      const authApp = await createTestApp(server.deps);
      const stranger = new duo.Client(authApp.ikey, authApp.skey, SDK_HOST, sigVersion);
      await fails(stranger, 40102, 'GET', '/admin/v1/users');
      const unknown = await sdkCall(admin, 'GET', '/admin/v1/no_such_thing');
      assert.deepEqual(unknown, { stat: 'FAIL', code: 40401, message: 'Resource not found' });
    });

    test('admins: give a user a role, read, list, change, the last owner stays, remove; only with the grant', async () => {
      const ownerClient = new duo.Client(owner.ikey, owner.skey, SDK_HOST, sigVersion);
      const grace = await createTestUser(server.deps, `grace-${tag}`, { realName: 'Grace Hopper' });
      const linus = await createTestUser(server.deps, `linus-${tag}`);
      const before = await ok<{ admin_count: number }>(ownerClient, 'GET', '/admin/v1/info/summary');
      const made = await ok<Record<string, unknown>>(ownerClient, 'POST', '/admin/v1/admins', {
        username: grace.username,
        role: 'Owner',
      });
      assert.equal(made.admin_id, grace.id);
      assert.equal(made.role, 'Owner');
      assert.equal(made.name, 'Grace Hopper');
      await ok(ownerClient, 'POST', '/admin/v1/admins', { username: linus.username, role: 'Help Desk' });
      const after = await ok<{ admin_count: number }>(ownerClient, 'GET', '/admin/v1/info/summary');
      assert.equal(after.admin_count, before.admin_count + 2);
      assert.match(
        await fails(ownerClient, 40002, 'POST', '/admin/v1/admins', {
          username: linus.username,
          role: 'Owner',
        }),
        /already an administrator/,
      );
      await fails(ownerClient, 40002, 'POST', '/admin/v1/admins', {
        username: `nobody-${tag}`,
        role: 'Owner',
      });
      await fails(ownerClient, 40002, 'POST', '/admin/v1/admins', {
        username: grace.username,
        role: 'Billing',
      });
      const listed = await call(ownerClient, 'GET', '/admin/v1/admins', { limit: 1 });
      assert.equal((listed.response as unknown[]).length, 1);
      assert.equal(listed.metadata?.total_objects, after.admin_count);
      const one = await ok<Record<string, unknown>>(ownerClient, 'GET', `/admin/v1/admins/${linus.id}`);
      assert.equal(one.role, 'Help Desk');
      const changed = await ok<Record<string, unknown>>(ownerClient, 'POST', `/admin/v1/admins/${linus.id}`, {
        role: 'Read-only',
      });
      assert.equal(changed.role, 'Read-only');
      // Grace may be the only owner of this run: the last owner keeps the role (another run's may exist too).
      if ((await server.deps.store.administrators.count('owner')) === 1) {
        assert.match(
          await fails(ownerClient, 40002, 'POST', `/admin/v1/admins/${grace.id}`, { role: 'Read-only' }),
          /last owner/,
        );
        await fails(ownerClient, 40002, 'DELETE', `/admin/v1/admins/${grace.id}`);
      }
      // Signing a user out everywhere (a Countersign call) is an ordinary write.
      const signedOut = await ok<{ ended: number }>(
        admin,
        'POST',
        `/admin/v1/countersign/users/${linus.id}/sign_out`,
      );
      assert.equal(signedOut.ended, 0);
      assert.equal(await ok(ownerClient, 'DELETE', `/admin/v1/admins/${linus.id}`), '');
      assert.equal(await ok(ownerClient, 'DELETE', `/admin/v1/admins/${linus.id}`), '');
      await fails(ownerClient, 40401, 'GET', `/admin/v1/admins/${linus.id}`);
      assert.ok(await server.deps.store.users.get(linus.id), 'the user stays');
      // Without the grant: Duo's 403, whatever else the integration may do.
      await fails(admin, 40301, 'GET', '/admin/v1/admins');
      await fails(admin, 40301, 'POST', '/admin/v1/admins', { username: linus.username, role: 'Owner' });
    });

    test('every administrative call leaves an admin audit entry naming the integration', async () => {
      const entries = (await server.deps.store.audit.tail({ limit: 10_000 })).filter(
        (entry) => entry.actor === actor(),
      );
      assert.ok(entries.length > 0);
      assert.deepEqual([...new Set(entries.map((entry) => entry.kind))], ['admin']);
      const actions = new Set(entries.map((entry) => entry.action));
      for (const action of [
        'user.create',
        'user.update',
        'user.delete',
        'bypass.issue',
        'token.import',
        'token.assign',
        'token.resync',
        'token.unassign',
        'token.delete',
        'group.create',
        'group.add-member',
        'group.remove-member',
        'group.delete',
        'device.delete',
        'activation.create',
        'policy.update',
      ]) {
        assert.ok(actions.has(action), `${action} in ${[...actions].join(', ')}`);
      }
    });
  });
}

test('every operation of /admin/openapi.json was called and answered within its documented schema', () => {
  // The console's data routes are called by console-data.test.ts (on both databases).
  const missing = operations.filter(
    (operation) => !checker.seen.has(operation) && !CONSOLE_DATA_OPERATIONS.has(operation),
  );
  assert.deepEqual(missing, [], 'operations no test called');
});
