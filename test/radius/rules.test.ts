// RADIUS rules with radclient: Message-Authenticator, secrets, unknown clients, retransmissions, State, audit, groups.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { GENERIC_REJECT } from '../../src/fronts/radius/modes/outcome.ts';
import { attribute, MA, PASSWORD, type RadiusHarness, SECRET, startRadiusHarness } from './fixture.ts';
import { radclientAvailable, runRadclient } from './radclient.ts';

const skip = radclientAvailable() ? false : 'radclient not on PATH: apt-get install -y freeradius-utils';

describe('RADIUS rules with radclient', { skip }, () => {
  let h: RadiusHarness;
  before(async () => {
    h = await startRadiusHarness({ mode: 'concat' });
  });
  after(async () => {
    await h?.close();
  });

  test('a request without Message-Authenticator is dropped; the same one with it is answered', async () => {
    await h.user('ma-user');
    const bare = await runRadclient({
      port: h.radius.port,
      secret: SECRET,
      attributes: ['User-Name = "ma-user"', `User-Password = "${PASSWORD},123456"`],
    });
    assert.equal(bare.code, null, bare.stdout);
    const signed = await h.auth('ma-user', `${PASSWORD},123456`);
    assert.equal(signed.code, 'Access-Reject');
    assert.ok(h.radius.stats().missingMessageAuthenticator >= 1);
  });

  test('Status-Server (RFC 5997, radclient status): an Access-Accept with Message-Authenticator, no login', async () => {
    const before = h.radius.stats();
    const status = await runRadclient({
      port: h.radius.port,
      secret: SECRET,
      command: 'status',
      attributes: [MA],
    });
    // radclient checked the Response Authenticator and the Message-Authenticator before printing "Received".
    assert.equal(status.code, 'Access-Accept', status.stdout + status.stderr);
    assert.equal(h.radius.stats().statusServer, before.statusServer + 1);
    assert.equal(h.radius.stats().accept, before.accept, 'a status check is not a login');
    // Without a Message-Authenticator it MUST be discarded (§3), and a wrong secret gets nothing valid.
    const unsigned = await runRadclient({
      ...{ port: h.radius.port, secret: SECRET, command: 'status' },
      attributes: ['NAS-Identifier = "probe"'],
    });
    assert.equal(unsigned.code, null, unsigned.stdout);
    assert.equal(h.radius.stats().missingMessageAuthenticator, before.missingMessageAuthenticator + 1);
    const wrong = await runRadclient({
      port: h.radius.port,
      secret: 'not-the-secret',
      command: 'status',
      attributes: [MA],
    });
    assert.equal(wrong.code, null, wrong.stdout);
    assert.equal(h.radius.stats().badMessageAuthenticator, before.badMessageAuthenticator + 1);
    assert.equal(h.radius.stats().statusServer, before.statusServer + 1);
  });

  test('a wrong shared secret gets no valid reply', async () => {
    const result = await runRadclient({
      port: h.radius.port,
      secret: 'not-the-secret',
      attributes: ['User-Name = "ma-user"', `User-Password = "${PASSWORD}"`, MA],
    });
    assert.equal(result.code, null, result.stdout);
    assert.ok(h.radius.stats().badMessageAuthenticator >= 1);
  });

  test('an unknown client is ignored, and a client added while running is served', async () => {
    await h.configureClient({ address: '192.0.2.1' });
    const ignored = await h.auth('ma-user', PASSWORD);
    assert.equal(ignored.code, null);
    assert.ok(h.radius.stats().unknownClient >= 1);
    await h.configureClient({ mode: 'concat' });
    assert.equal((await h.auth('ma-user', `${PASSWORD},000000`)).code, 'Access-Reject');
  });

  test('retransmissions while a push waits produce one push and one answer', async () => {
    const user = await h.user('patient');
    const device = await h.device(user);
    const duplicatesBefore = h.radius.stats().duplicateInFlight;
    // Many tries 1 s apart: radclient keeps retransmitting until the approval, however slow the machine is.
    const pending = h.auth('patient', `${PASSWORD},push`, { tries: 30, timeoutSeconds: 1 });
    // issue 15: approve only once the server has seen a retransmission, instead of racing radclient's timer.
    while (h.radius.stats().duplicateInFlight === duplicatesBefore) await sleep(50);
    await h.answerNextPush(device);
    const result = await pending;
    assert.equal(result.code, 'Access-Accept', result.stdout);
    assert.ok(result.sends >= 2, `radclient sent ${result.sends} time(s)`);
    const transactions = await h.server.deps.store.transactions.listRecentForUser(user.id, 0, 100);
    assert.equal(transactions.length, 1);
    const radiusEntries = (await h.auditFor('patient')).filter((entry) => entry.action === 'radius.access');
    assert.equal(radiusEntries.length, 1);
  });

  test('a reused State and an expired State are rejected', async () => {
    await h.configureClient({ mode: 'challenge' });
    const user = await h.user('stateful');
    const totp = await h.totp(user);
    const first = await h.auth('stateful', PASSWORD);
    const state = attribute(first, 'State')!;
    const answer = await h.auth('stateful', totp.codeAt(h.server.clock.now()), {
      lines: [`State = ${state}`],
    });
    assert.equal(answer.code, 'Access-Accept');
    h.server.clock.advance(30_000);
    const reused = await h.auth('stateful', totp.codeAt(h.server.clock.now()), {
      lines: [`State = ${state}`],
    });
    assert.equal(reused.code, 'Access-Reject');

    const second = await h.auth('stateful', PASSWORD);
    h.server.clock.advance(5 * 60_000 + 1_000);
    const late = await h.auth('stateful', totp.codeAt(h.server.clock.now()), {
      lines: [`State = ${attribute(second, 'State')}`],
    });
    assert.equal(late.code, 'Access-Reject');
    const reasons = (await h.auditFor('stateful'))
      .filter((entry) => entry.action === 'radius.access')
      .map((entry) => entry.reason);
    assert.deepEqual(reasons, ['challenge', 'valid_passcode', 'state_reused', 'challenge', 'state_expired']);

    const forged = await h.auth('stateful', '123456', { lines: [`State = 0x${'ab'.repeat(40)}`] });
    assert.equal(forged.code, 'Access-Reject');
  });

  test('bad password and bad second factor: generic Reply-Message, audited with the NAS and caller', async () => {
    await h.configureClient({ mode: 'concat' });
    const user = await h.user('audited');
    await h.totp(user);
    const nas = [
      'NAS-Identifier = "asa-1"',
      'NAS-IP-Address = 192.0.2.10',
      'Calling-Station-Id = "203.0.113.9"',
    ];
    const badPassword = await h.auth('audited', 'wrong,123456', { lines: nas });
    const badCode = await h.auth('audited', `${PASSWORD},000000`, { lines: nas });
    for (const result of [badPassword, badCode]) {
      assert.equal(result.code, 'Access-Reject');
      assert.equal(attribute(result, 'Reply-Message'), GENERIC_REJECT);
    }
    const entries = await h.auditFor('audited');
    const primary = entries.find((entry) => entry.action === 'primary');
    assert.equal(primary?.reason, 'bad_password');
    assert.equal(primary?.ip, '203.0.113.9');
    const outcome = entries.find((entry) => entry.action === 'authentication');
    assert.equal(outcome?.reason, 'invalid_passcode');
    const radius = entries.filter((entry) => entry.action === 'radius.access');
    assert.deepEqual(
      radius.map((entry) => [entry.result, entry.reason, entry.ip]),
      [
        ['reject', 'bad_password', '203.0.113.9'],
        ['reject', 'invalid_passcode', '203.0.113.9'],
      ],
    );
    assert.deepEqual(radius[0]?.detail.nas, {
      client: 'local',
      address: '127.0.0.1',
      nasIpAddress: '192.0.2.10',
      nasIdentifier: 'asa-1',
    });
    const hostname = await h.auth('audited', 'wrong', { lines: ['Calling-Station-Id = "laptop-7"'] });
    assert.equal(hostname.code, 'Access-Reject');
    const last = (await h.auditFor('audited')).at(-1);
    assert.equal(last?.ip, null, 'a Calling-Station-Id that is not an IP address is not the user IP');
  });

  test('reply attributes from groups on accept', async () => {
    await h.configureClient({
      mode: 'concat',
      replyAttributes: [
        { group: 'vpn-admins', attribute: 'Class', value: 'admins' },
        { group: 'vpn-admins', attribute: 'Filter-Id', value: 'acl-admin' },
        { group: 'staff', attribute: 'Filter-Id', value: 'acl-staff' },
      ],
    });
    const admin = await h.user('admin', { groups: ['vpn-admins'] });
    const totp = await h.totp(admin);
    const result = await h.auth('admin', `${PASSWORD},${totp.codeAt(h.server.clock.now())}`);
    assert.equal(result.code, 'Access-Accept');
    assert.equal(attribute(result, 'Class'), `0x${Buffer.from('admins').toString('hex')}`);
    assert.deepEqual(
      result.attributes.filter((entry) => entry.name === 'Filter-Id').map((entry) => entry.value),
      ['acl-admin'],
    );
  });
});

describe('RADIUS failmode with the store closed', { skip }, () => {
  for (const failmode of ['secure', 'safe'] as const) {
    test(`failmode ${failmode}`, async () => {
      const h = await startRadiusHarness({ mode: 'concat', failmode });
      try {
        await h.user('offline');
        await h.server.deps.store.close();
        const result = await h.auth('offline', `${PASSWORD},123456`);
        assert.equal(result.code, failmode === 'safe' ? 'Access-Accept' : 'Access-Reject', result.stdout);
        assert.match(
          attribute(result, 'Reply-Message') ?? '',
          failmode === 'safe' ? /unavailable/ : /Login failed/,
        );
      } finally {
        await h.radius.close();
        await h.server.close().catch(() => {});
      }
    });
  }
});
