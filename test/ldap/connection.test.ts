import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { authenticateLdap } from '../../src/primary/ldap/authenticate.ts';
import { connectLdap, LdapUnavailableError } from '../../src/primary/ldap/connect.ts';
import { SLAPD_MISSING, type Slapd, startSlapd } from '../support/slapd.ts';
import { closedPortUrl, configFor, silentServer } from './fixture.ts';

const reasonOf = (r: Awaited<ReturnType<typeof authenticateLdap>>) => (r.ok ? 'ok' : r.reason);

describe('LDAP failover, timeouts and TLS against OpenLDAP', { skip: SLAPD_MISSING }, () => {
  let slapd: Slapd;
  before(async () => {
    slapd = await startSlapd();
  });
  after(() => slapd?.stop());

  test('a down first server fails over to the second', async () => {
    const down = await closedPortUrl();
    const result = await authenticateLdap(configFor([down, slapd.url]), 'alice', 'alice-pw');
    assert.equal(reasonOf(result), 'ok');
    const connection = await connectLdap(configFor([down, slapd.url]));
    assert.equal(connection.url, slapd.url);
    await connection.client.unbind();
  });

  test('a hung first server times out and fails over to the second', async () => {
    const hung = await silentServer();
    try {
      const config = configFor([hung.url, slapd.url], { connectTimeoutMs: 300, operationTimeoutMs: 300 });
      assert.equal(reasonOf(await authenticateLdap(config, 'alice', 'alice-pw')), 'ok');
      assert.equal(hung.connections(), 1);
    } finally {
      await hung.close();
    }
  });

  test('all servers down is unavailable, listing every URL tried', async () => {
    const hung = await silentServer();
    try {
      const urls = [await closedPortUrl(), hung.url, await closedPortUrl()];
      const config = configFor(urls, { connectTimeoutMs: 300, operationTimeoutMs: 300 });
      const result = await authenticateLdap(config, 'alice', 'alice-pw');
      assert.equal(reasonOf(result), 'unavailable');
      await assert.rejects(connectLdap(config), (error: unknown) => {
        assert.ok(error instanceof LdapUnavailableError);
        assert.equal(error.kind, 'unavailable');
        assert.deepEqual(
          error.tried.map((t) => t.url),
          urls,
        );
        assert.match(error.tried[0]?.error ?? '', /ECONNREFUSED/);
        return true;
      });
    } finally {
      await hung.close();
    }
  });

  test('LDAPS with the generated CA logs in', async () => {
    const config = configFor([slapd.ldapsUrl], { tlsCaPem: slapd.caPem });
    assert.equal(reasonOf(await authenticateLdap(config, 'alice', 'alice-pw')), 'ok');
    assert.equal(reasonOf(await authenticateLdap(config, 'alice', 'wrong')), 'bad-credentials');
  });

  test('LDAPS without trusting the CA is unavailable (certificate checked by default)', async () => {
    const result = await authenticateLdap(configFor([slapd.ldapsUrl]), 'alice', 'alice-pw');
    assert.equal(reasonOf(result), 'unavailable');
    assert.match(result.ok ? '' : (result.detail ?? ''), /self.signed|certificate/i);
  });

  test('StartTLS with the generated CA logs in', async () => {
    const config = configFor([slapd.url], { startTls: true, tlsCaPem: slapd.caPem });
    assert.equal(reasonOf(await authenticateLdap(config, 'bob', 'bob-pw')), 'ok');
  });

  test('StartTLS without trusting the CA is unavailable, and never falls back to plain text', async () => {
    const config = configFor([slapd.url], { startTls: true });
    const result = await authenticateLdap(config, 'bob', 'bob-pw');
    assert.equal(reasonOf(result), 'unavailable');
  });

  test('tlsRejectUnauthorized: false accepts the untrusted certificate', async () => {
    const config = configFor([slapd.ldapsUrl], { tlsRejectUnauthorized: false });
    assert.equal(reasonOf(await authenticateLdap(config, 'alice', 'alice-pw')), 'ok');
  });
});
