// The console's data routes (issue 12, CONTRACT-12 h12-data) driven by Duo's Node SDK, signatures v2 and v5, on
// SQLite and (COUNTERSIGN_TEST_PG) PostgreSQL: integrations, dashboard, rollout and reminders, policy preview,
// token import preview, fraud report status. Each answer is checked against /admin/openapi.json.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { outboxDir } from '../../src/config.ts';
import { SETTLED_DAYS_KEY } from '../../src/core/admin/dashboard.ts';
import { addUserToGroup, createGroup } from '../../src/core/admin/manage-groups.ts';
import { updatePolicyLayer } from '../../src/core/admin/set-policy.ts';
import { audit } from '../../src/core/audit.ts';
import { manualClock } from '../../src/core/clock.ts';
import { ADMIN_PERMISSIONS, type User } from '../../src/core/model.ts';
import { createTestCertificates, type TestCertificates } from '../auth-api/test-ca.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
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
  startTestServer,
  type TestServer,
} from '../support/server.ts';
import { CONSOLE_DATA_OPERATIONS } from './console-data-operations.ts';
import { type OpenApiDocument, openApiChecker } from './openapi-check.ts';

const DAY_MS = 86_400_000;
const pgServer = testPgUrl();
const DATABASES = [
  ['SQLite', false],
  ['PostgreSQL', true],
] as const;

type Envelope = Record<string, unknown> & {
  stat: string;
  response?: unknown;
  metadata?: Record<string, unknown>;
};
type Row = Record<string, unknown>;

const fixture = (name: string) => readFile(new URL(`../fixtures/tokens/${name}`, import.meta.url), 'utf8');

for (const [database, onPg] of DATABASES) {
  describe(`console data routes on ${database}`, {
    skip: onPg && !pgServer ? PG_SKIP_MESSAGE : false,
  }, () => {
    let server: TestServer;
    let pg: TestDatabase | undefined;
    let certificates: TestCertificates;
    let sdk: SdkRedirect;
    let checker: ReturnType<typeof openApiChecker>;
    let full: { ikey: string; skey: string };
    let readOnly: { ikey: string; skey: string };
    let rolloutApp: { ikey: string };
    const seeded: Record<'enrolled' | 'mailable' | 'mailless' | 'disabled', User> = {} as never;
    let now: number;

    before(async () => {
      certificates = await createTestCertificates();
      pg = onPg ? await createTestDatabase(pgServer!) : undefined;
      now = Date.now();
      // The SDK dates requests with the real time, so the server's frozen clock starts at the real time.
      server = await startTestServer({
        clock: manualClock(now),
        config: {
          'http.tls_cert': certificates.certFile,
          'http.tls_key': certificates.keyFile,
          ...(pg && { database_url: pg.url }),
        },
      });
      sdk = redirectSdk(server.port, certificates.caPem);
      const deps = server.deps;
      full = await createTestAdminApp(
        deps,
        ADMIN_PERMISSIONS.filter((grant) => grant !== 'administrators'),
      );
      readOnly = await createTestAdminApp(deps, ['read-resource']);
      const served = await server.http.fastify.inject({ method: 'GET', url: '/admin/openapi.json' });
      checker = openApiChecker(served.json() as OpenApiDocument);

      // Users: one enrolled (TOTP) in group staff, one not enrolled with an address, one without, one disabled.
      seeded.enrolled = await createTestUser(deps, 'ada', { email: 'ada@example.test' });
      await addTestTotp(deps, seeded.enrolled);
      await createGroup(deps, 'test', 'staff');
      await updatePolicyLayer(
        deps,
        'test',
        { layer: 'group', name: 'staff' },
        { set: { rememberHours: 2 }, clear: [] },
      );
      seeded.enrolled = await addUserToGroup(deps, 'test', seeded.enrolled, 'staff');
      seeded.mailable = await createTestUser(deps, 'bob', {
        email: 'bob@example.test',
        realName: 'Bob Builder',
      });
      seeded.mailless = await createTestUser(deps, 'cyd');
      seeded.disabled = await createTestUser(deps, 'dee', { email: 'dee@example.test', status: 'disabled' });
      rolloutApp = await createTestApp(deps, { name: 'VPN', policy: { enforcementDate: '2099-04-27' } });

      // Finished authentications: today two allowed and one denied, yesterday a fraud report, 20 days ago one.
      const today = now - (now % DAY_MS);
      const signIn = (at: number, result: string, ip: string | null = null) =>
        audit(deps.store, at, {
          kind: 'auth',
          action: 'authentication',
          userId: seeded.enrolled.id,
          username: 'ada',
          result,
          ip,
          detail: { txid: `TX-${at}` },
        });
      await signIn(today + 1, 'success');
      await signIn(now - 1000, 'success', '8.8.8.8');
      await signIn(now - 500, 'deny', '10.0.0.1');
      await signIn(today - DAY_MS + 5, 'fraud');
      await signIn(today - 20 * DAY_MS, 'success');
      for (const txid of ['TX-1', 'TX-2']) {
        await deps.store.alerts.append(
          {
            at: now,
            kind: 'fraud',
            userId: seeded.enrolled.id,
            username: 'ada',
            application: 'VPN',
            txid,
            ip: null,
          },
          100,
        );
      }
    });
    after(async () => {
      sdk?.restore();
      await server?.close();
      await pg?.drop();
      await certificates?.remove();
    });

    async function call(
      client: DuoClient,
      method: string,
      path: string,
      params: Row = {},
    ): Promise<Envelope> {
      const body = (await sdkCall(client, method, path, params)) as Envelope;
      checker.check(method, path, body.stat === 'OK' ? 200 : Number(body.code) >= 40000 ? 400 : 500, body);
      return body;
    }
    async function ok<T = Row>(
      client: DuoClient,
      method: string,
      path: string,
      params: Row = {},
    ): Promise<T> {
      const body = await call(client, method, path, params);
      assert.equal(body.stat, 'OK', `${method} ${path}: ${JSON.stringify(body)}`);
      return body.response as T;
    }
    async function fails(client: DuoClient, code: number, method: string, path: string, params: Row = {}) {
      const body = await call(client, method, path, params);
      assert.equal(body.stat, 'FAIL', `${method} ${path} should fail: ${JSON.stringify(body)}`);
      assert.equal(body.code, code, `${method} ${path}: ${JSON.stringify(body)}`);
      return String(body.message_detail ?? '');
    }
    const adminActions = async (actor: string) =>
      (await server.deps.store.audit.tail({ limit: 10_000, kind: 'admin' }))
        .filter((entry) => entry.actor === actor)
        .map((entry) => entry.action);

    for (const [label, sigVersion] of SIGNATURE_VERSIONS) {
      describe(`signature ${label}`, () => {
        let admin: DuoClient;
        let reader: DuoClient;
        const tag = `v${sigVersion}`;

        before(() => {
          admin = new duo.Client(full.ikey, full.skey, SDK_HOST, sigVersion);
          reader = new duo.Client(readOnly.ikey, readOnly.skey, SDK_HOST, sigVersion);
        });

        test('integrations: create (secret once), read, modify, delete; grants are never handed out beyond the caller', async () => {
          const created = await ok<Row>(admin, 'POST', '/admin/v1/integrations', {
            name: `Scripts ${tag}`,
            type: 'adminapi',
            notes: 'nightly sync',
            adminapi_read_resource: '1',
            adminapi_integrations: '1',
          });
          assert.equal(created.type, 'adminapi');
          assert.equal(created.notes, 'nightly sync');
          assert.match(String(created.secret_key), /^[A-Za-z0-9]{40}$/);
          assert.deepEqual(
            [created.adminapi_read_resource, created.adminapi_integrations, created.adminapi_write_resource],
            [1, 1, 0],
          );
          const ikey = String(created.integration_key);
          // The new keys work at once, with exactly the grants asked for.
          const made = new duo.Client(ikey, String(created.secret_key), SDK_HOST, sigVersion);
          const listed = await ok<Row[]>(made, 'GET', '/admin/v1/integrations', { limit: 300 });
          const mine = listed.find((item) => item.integration_key === ikey);
          assert.equal(mine?.name, `Scripts ${tag}`);
          assert.equal('secret_key' in (mine ?? {}), false, 'a list never shows a secret');
          assert.match(await fails(made, 40301, 'GET', '/admin/v1/countersign/dashboard'), /'read-log'/);
          assert.match(
            await fails(made, 40002, 'POST', '/admin/v1/integrations', {
              name: `Escalate ${tag}`,
              type: 'adminapi',
              adminapi_admins: 'true',
            }),
            /adminapi_admins: the caller lacks the 'administrators' permission itself/,
          );

          const renamed = await ok<Row>(admin, 'POST', `/admin/v1/integrations/${ikey}`, {
            name: `Nightly ${tag}`,
            notes: '',
          });
          assert.deepEqual([renamed.name, renamed.notes], [`Nightly ${tag}`, '']);
          assert.deepEqual(await ok<Row>(admin, 'GET', `/admin/v1/integrations/${ikey}`), renamed);
          assert.match(
            await fails(admin, 40002, 'POST', `/admin/v1/integrations/${ikey}`, { name: 'VPN' }),
            /already exists/,
          );
          assert.match(
            await fails(admin, 40002, 'POST', '/admin/v1/integrations', {
              name: `Web ${tag}`,
              type: 'sso-generic',
            }),
            /type: must be one of/,
          );
          assert.match(
            await fails(admin, 40002, 'POST', '/admin/v1/integrations', {
              name: `Auth ${tag}`,
              type: 'authapi',
              adminapi_read_log: '1',
            }),
            /only adminapi integrations have grants/,
          );
          await fails(admin, 40001, 'POST', '/admin/v1/integrations', { name: `No type ${tag}` });
          await fails(reader, 40301, 'POST', '/admin/v1/integrations', {
            name: `Nope ${tag}`,
            type: 'authapi',
          });

          // A second one, never used before it is deleted: its keys are refused from then on.
          const doomed = await ok<Row>(admin, 'POST', '/admin/v1/integrations', {
            name: `Doomed ${tag}`,
            type: 'authapi',
          });
          const doomedKey = String(doomed.integration_key);
          assert.equal(await ok(admin, 'DELETE', `/admin/v1/integrations/${doomedKey}`), '');
          assert.equal(
            await ok(admin, 'DELETE', `/admin/v1/integrations/${doomedKey}`),
            '',
            'a repeat succeeds',
          );
          await fails(admin, 40401, 'GET', `/admin/v1/integrations/${doomedKey}`);
          assert.equal(await server.deps.store.applications.findByIkey(doomedKey), null);
          assert.match(
            await fails(admin, 40002, 'DELETE', `/admin/v1/integrations/${full.ikey}`),
            /cannot delete itself/,
          );
          const actions = await adminActions(`admin-api:${full.ikey}`);
          for (const action of ['application.create', 'application.update', 'application.delete']) {
            assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
          }
        });

        test('dashboard: sign-ins per day by result, failures in 24 hours, open fraud reports, enrollment', async () => {
          const board = await ok<{
            sign_ins: Array<{ day: string; allow: number; deny: number; fraud: number }>;
            failures_24h: number;
            fraud_reports_open: number;
            enrollment: { users_total: number; users_enrolled: number };
          }>(admin, 'GET', '/admin/v1/countersign/dashboard');
          assert.equal(board.sign_ins.length, 14);
          const today = new Date(now).toISOString().slice(0, 10);
          const yesterday = new Date(now - DAY_MS).toISOString().slice(0, 10);
          assert.deepEqual(board.sign_ins.at(-1), { day: today, allow: 2, deny: 1, fraud: 0 });
          assert.deepEqual(board.sign_ins.at(-2), { day: yesterday, allow: 0, deny: 0, fraud: 1 });
          assert.equal(
            board.sign_ins.slice(0, -2).every((day) => day.allow + day.deny + day.fraud === 0),
            true,
          );
          // The fraud report of yesterday counts when it is within 24 hours of now.
          assert.equal(board.failures_24h, now % DAY_MS < DAY_MS - 5 ? 1 : 2);
          assert.equal(board.fraud_reports_open, 2);
          // ada, bob and cyd sign in (dee is disabled); ada alone has a device.
          assert.deepEqual(board.enrollment, { users_total: 3, users_enrolled: 1 });
          const month = await ok<{ sign_ins: Array<{ allow: number }> }>(
            admin,
            'GET',
            '/admin/v1/countersign/dashboard',
            {
              days: 30,
            },
          );
          assert.equal(month.sign_ins.length, 30);
          assert.equal(
            month.sign_ins.reduce((sum, day) => sum + day.allow, 0),
            3,
          );
          // Settled days are counted once and kept: the day 20 days ago is among them.
          const settled = await server.deps.store.settings.get<Record<string, Row>>(SETTLED_DAYS_KEY);
          const twentyDaysAgo = now - (now % DAY_MS) - 20 * DAY_MS;
          assert.deepEqual(settled?.[String(twentyDaysAgo)], { allow: 1, deny: 0, fraud: 0 });
          assert.match(
            await fails(admin, 40002, 'GET', '/admin/v1/countersign/dashboard', { days: 91 }),
            /days: must be a whole number from 1 to 90/,
          );
          await fails(admin, 40002, 'GET', '/admin/v1/countersign/dashboard', { days: 'week' });
          await fails(reader, 40301, 'GET', '/admin/v1/countersign/dashboard');
        });

        test('rollout: enforcement dates and enrollment per integration, who is not enrolled, a page at a time', async () => {
          const rows = await ok<Row[]>(admin, 'GET', '/admin/v1/countersign/rollout');
          const vpn = rows.find((row) => row.integration_key === rolloutApp.ikey);
          assert.deepEqual(vpn, {
            integration_key: rolloutApp.ikey,
            name: 'VPN',
            enforcement_date: '2099-04-27',
            users_total: 3,
            users_enrolled: 1,
          });
          assert.equal(rows.find((row) => row.integration_key === full.ikey)?.enforcement_date, null);
          const path = `/admin/v1/countersign/rollout/${rolloutApp.ikey}/not_enrolled`;
          const first = await call(reader, 'GET', path, { limit: 1 });
          assert.equal(first.stat, 'OK');
          assert.deepEqual(first.response, [
            {
              user_id: seeded.mailable.id,
              username: 'bob',
              realname: 'Bob Builder',
              email: 'bob@example.test',
            },
          ]);
          assert.deepEqual(first.metadata, { total_objects: 2, next_offset: 1 });
          const second = await call(reader, 'GET', path, { limit: 1, offset: 1 });
          assert.deepEqual(
            (second.response as Row[]).map((user) => user.username),
            ['cyd'],
          );
          assert.deepEqual(second.metadata, { total_objects: 2, prev_offset: 0 });
          await fails(
            reader,
            40401,
            'GET',
            '/admin/v1/countersign/rollout/DINOSUCHINTEGRATION0/not_enrolled',
          );
          await fails(reader, 40002, 'GET', path, { limit: 501 });
        });

        test('reminders: an activation link by e-mail to each user not enrolled who has an address; batches', async () => {
          const outbox = outboxDir(server.countersign.config);
          const mails = async () =>
            (await readdir(outbox).catch(() => [])).filter((name) => name.endsWith('.eml'));
          const before = new Set(await mails());
          const path = `/admin/v1/countersign/rollout/${rolloutApp.ikey}/reminders`;
          assert.deepEqual(await ok(admin, 'POST', path), {
            sent: 1,
            without_email: 1,
            failed: 0,
            next_offset: null,
          });
          const fresh = (await mails()).filter((name) => !before.has(name));
          assert.equal(fresh.length, 1);
          const eml = await readFile(join(outbox, fresh[0]!), 'utf8');
          assert.match(eml, /^To: bob@example\.test/m);
          assert.match(eml, /reminder to set up two-step sign-in/);
          assert.match(eml, /Hello Bob Builder/);
          const link = /(https?:\/\/\S+)/.exec(eml.split('\r\n\r\n').slice(1).join('\n'))?.[1];
          assert.ok(link, 'the reminder carries an activation link');
          // The batch is in the administrator log, and so is each link made.
          const actions = await adminActions(`admin-api:${full.ikey}`);
          assert.ok(actions.includes('enrollment.remind'));
          assert.ok(actions.includes('activation.create'));
          assert.deepEqual(await ok(admin, 'POST', path, { limit: 1 }), {
            sent: 1,
            without_email: 0,
            failed: 0,
            next_offset: 1,
          });
          assert.deepEqual(await ok(admin, 'POST', path, { limit: 1, offset: 1 }), {
            sent: 0,
            without_email: 1,
            failed: 0,
            next_offset: null,
          });
          await fails(reader, 40301, 'POST', path);
          await fails(admin, 40002, 'POST', path, { limit: 0 });
        });

        test("enrollment e-mail: one user's activation link through the mailer; refused without an address", async () => {
          const outbox = outboxDir(server.countersign.config);
          const mails = async () =>
            (await readdir(outbox).catch(() => [])).filter((name) => name.endsWith('.eml'));
          const before = new Set(await mails());
          const path = (user: User) => `/admin/v1/countersign/users/${user.id}/enrollment_email`;
          assert.deepEqual(await ok(admin, 'POST', path(seeded.mailable)), { email: 'bob@example.test' });
          const fresh = (await mails()).filter((name) => !before.has(name));
          assert.equal(fresh.length, 1);
          const eml = await readFile(join(outbox, fresh[0]!), 'utf8');
          assert.match(eml, /^To: bob@example\.test/m);
          assert.match(eml, /Hello Bob Builder/);
          assert.match(eml.split('\r\n\r\n').slice(1).join('\n'), /https?:\/\/\S+/);
          const actions = await adminActions(`admin-api:${full.ikey}`);
          assert.ok(actions.includes('enrollment.email'));
          await fails(admin, 40002, 'POST', path(seeded.mailless));
          await fails(admin, 40002, 'POST', path(seeded.disabled));
          await fails(
            admin,
            40401,
            'POST',
            '/admin/v1/countersign/users/DUNOSUCHUSER000000/enrollment_email',
          );
          await fails(reader, 40301, 'POST', path(seeded.mailable));
          assert.equal(
            (await mails()).filter((name) => !before.has(name)).length,
            1,
            'nothing else was sent',
          );
        });

        test('policy preview: the layers, the effective policy and why, in plain words', async () => {
          const preview = await ok<{
            policy: Row;
            layers: Array<{ level: string; name: string | null; fields: string[] }>;
            explanation: string;
          }>(admin, 'GET', '/admin/v1/countersign/policy_preview', {
            username: 'ada',
            integration_key: rolloutApp.ikey,
          });
          assert.equal(preview.policy.rememberHours, 2);
          assert.equal(preview.policy.enforcementDate, '2099-04-27');
          assert.deepEqual(preview.layers.slice(1), [
            { level: 'application', name: 'VPN', fields: ['enforcementDate'] },
            { level: 'group', name: 'staff', fields: ['rememberHours'] },
          ]);
          assert.match(preview.explanation, /ada confirms each sign-in with a second factor/);
          assert.match(preview.explanation, /remembered for 2 hours \(the group 'staff'\)/);
          const bob = await ok<{ explanation: string }>(
            admin,
            'GET',
            '/admin/v1/countersign/policy_preview',
            {
              username: 'bob',
              integration_key: rolloutApp.ikey,
            },
          );
          assert.match(
            bob.explanation,
            /until 2099-04-27 \(the enforcement date from the application 'VPN'\)/,
          );
          const dee = await ok<{ explanation: string }>(
            admin,
            'GET',
            '/admin/v1/countersign/policy_preview',
            {
              username: 'dee',
              integration_key: rolloutApp.ikey,
            },
          );
          assert.match(dee.explanation, /dee is disabled/);
          await fails(admin, 40401, 'GET', '/admin/v1/countersign/policy_preview', {
            username: 'nobody',
            integration_key: rolloutApp.ikey,
          });
          await fails(admin, 40001, 'GET', '/admin/v1/countersign/policy_preview', { username: 'ada' });
        });

        test('token import: a preview row by row, nothing stored on a dry run or with a bad row, all when good', async () => {
          const csv = (rows: string[]) =>
            ['serial,secret,type,digits,counter,step,algorithm', ...rows].join('\n');
          const good = [
            `${tag}-1,3132333435363738393031323334353637383930,hotp,6,0,,sha1`,
            `${tag}-2,3132333435363738393031323334353637383930,totp,8,,30,sha1`,
          ];
          const bad = `${tag}-3,3132333435363738393031323334353637383930,hotp,7,0,,sha1`;
          const path = '/admin/v1/countersign/tokens/import';
          const preview = await ok<{ rows: Row[]; imported: number }>(admin, 'POST', path, {
            format: 'csv',
            data: csv([...good, bad]),
            dry_run: 'true',
            line_offset: '500',
          });
          assert.equal(preview.imported, 0);
          assert.deepEqual(preview.rows.slice(0, 2), [
            { row: 502, serial: `${tag}-1`, type: 'h6', ok: true },
            { row: 503, serial: `${tag}-2`, type: 't8', ok: true },
          ]);
          assert.deepEqual(
            { ...preview.rows[2], error: undefined },
            { row: 504, serial: null, type: null, ok: false, error: undefined },
          );
          assert.match(String(preview.rows[2]!.error), /digits/);
          // A bad row imports nothing, dry run or not.
          const refused = await ok<{ imported: number }>(admin, 'POST', path, {
            format: 'csv',
            data: csv([...good, bad]),
          });
          assert.equal(refused.imported, 0);
          assert.equal(await server.deps.store.authenticators.findBySerial(`${tag}-1`), null);
          const dry = await ok<{ rows: Row[]; imported: number }>(admin, 'POST', path, {
            format: 'csv',
            data: csv(good),
            dry_run: 'true',
          });
          assert.deepEqual([dry.imported, dry.rows.every((row) => row.ok)], [0, true]);
          assert.equal(await server.deps.store.authenticators.findBySerial(`${tag}-1`), null);
          const stored = await ok<{ imported: number }>(admin, 'POST', path, {
            format: 'csv',
            data: csv(good),
          });
          assert.equal(stored.imported, 2);
          assert.ok(await server.deps.store.authenticators.findBySerial(`${tag}-2`));
          // (Not byte for byte the dry run above: a signed POST is accepted once.)
          const again = await ok<{ rows: Row[]; imported: number }>(admin, 'POST', path, {
            format: 'csv',
            data: csv(good),
            dry_run: 'true',
            line_offset: '0',
          });
          assert.match(
            String(again.rows[0]!.error),
            new RegExp(`serial '${tag}-1' is already in the system`),
          );

          const pskc = (await fixture('rfc6030-figure3.pskc.xml')).replace('987654321', `${tag}-pskc`);
          const fromPskc = await ok<{ rows: Row[]; imported: number }>(admin, 'POST', path, {
            format: 'pskc',
            data: pskc,
          });
          assert.deepEqual(fromPskc, {
            rows: [{ row: 1, serial: `${tag}-pskc`, type: 'h8', ok: true }],
            imported: 1,
          });
          const broken = await ok<{ rows: Row[] }>(admin, 'POST', path, {
            format: 'pskc',
            data: '<KeyContainer',
            dry_run: 'true',
          });
          assert.equal(broken.rows[0]!.ok, false);
          await fails(admin, 40002, 'POST', path, { format: 'xml', data: 'x' });
          assert.match(
            await fails(admin, 40002, 'POST', path, { format: 'csv', data: csv(good), pskc_key: '00ff' }),
            /pskc_key: only for format pskc/,
          );
          await fails(reader, 40301, 'POST', path, { format: 'csv', data: csv(good), dry_run: 'true' });
          assert.ok((await adminActions(`admin-api:${full.ikey}`)).includes('token.import'));
        });

        test('authentication log: filters by user and result, and the location of each public address', async () => {
          const log = await ok<{ authlogs: Array<{ result: string; access_device: Row }> }>(
            admin,
            'GET',
            '/admin/v2/logs/authentication',
            { mintime: String(now - 2000), maxtime: String(now), users: seeded.enrolled.id, sort: 'ts:asc' },
          );
          assert.deepEqual(
            log.authlogs.map((entry) => [entry.result, entry.access_device.ip, entry.access_device.location]),
            [
              [
                'success',
                '8.8.8.8',
                { city: 'Mountain View', state: 'California', country: 'United States' },
              ],
              ['denied', '10.0.0.1', { city: '', state: '', country: '' }],
            ],
          );
          const denied = await ok<{ authlogs: Row[] }>(admin, 'GET', '/admin/v2/logs/authentication', {
            mintime: String(now - 30 * DAY_MS),
            maxtime: String(now),
            results: 'denied',
          });
          assert.equal(denied.authlogs.length, 1);
          const nobody = await ok<{ authlogs: Row[] }>(admin, 'GET', '/admin/v2/logs/authentication', {
            mintime: String(now - 30 * DAY_MS),
            maxtime: String(now),
            users: seeded.mailable.id,
          });
          assert.equal(nobody.authlogs.length, 0);
        });

        test('fraud reports: each with an id and a status an administrator changes', async () => {
          const list = () => ok<Row[]>(admin, 'GET', '/admin/v1/countersign/fraud_reports', { limit: 10 });
          const reports = await list();
          assert.deepEqual(
            reports.map((report) => [report.txid, report.status]),
            [
              ['TX-1', 'open'],
              ['TX-2', 'open'],
            ],
          );
          const id = String(reports[0]!.id);
          const path = `/admin/v1/countersign/fraud_reports/${id}`;
          assert.equal(await ok(admin, 'POST', path, { status: 'reviewed' }), '');
          assert.equal((await list())[0]!.status, 'reviewed');
          const board = await ok<{ fraud_reports_open: number }>(
            admin,
            'GET',
            '/admin/v1/countersign/dashboard',
          );
          assert.equal(board.fraud_reports_open, 1);
          await fails(admin, 40002, 'POST', path, { status: 'ignored' });
          await fails(admin, 40401, 'POST', '/admin/v1/countersign/fraud_reports/999999', {
            status: 'dismissed',
          });
          await fails(admin, 40401, 'POST', '/admin/v1/countersign/fraud_reports/abc', {
            status: 'dismissed',
          });
          await fails(reader, 40301, 'POST', path, { status: 'dismissed' });
          assert.ok((await adminActions(`admin-api:${full.ikey}`)).includes('fraud-report.status'));
          // Open again, so the next signature version starts from the same state.
          assert.equal(await ok(admin, 'POST', path, { status: 'open' }), '');
        });
      });
    }

    test('every console data operation was called and answered within its documented schema', () => {
      const missing = [...CONSOLE_DATA_OPERATIONS].filter((operation) => !checker.seen.has(operation));
      assert.deepEqual(missing, [], 'operations no test called');
    });
  });
}
