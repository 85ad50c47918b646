// The replay cache holds under volume, on the frozen clock, in memory and in the store on SQLite and PostgreSQL:
// thousands of IDs each accepted once, parallel claims with one winner, and two nodes sharing one database.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { manualClock } from '../../src/core/clock.ts';
import type { Store } from '../../src/core/repositories.ts';
import { readAuthnRequest } from '../../src/saml/read-authn-request.ts';
import { memoryReplayCache, type SamlReplayCache, storeReplayCache } from '../../src/saml/replay-cache.ts';
import { defineSp } from '../../src/saml/sp-record.ts';
import { openStore } from '../../src/store/open-store.ts';
import { countWinners } from '../store/fixtures.ts';
import {
  createTestDatabase,
  PG_SKIP_MESSAGE,
  type TestDatabase,
  testPgUrl,
} from '../store/pg-test-database.ts';
import { SSO_URL, testIdp } from './fixture.ts';

const START = Date.UTC(2025, 5, 2, 12, 0, 0);
const LIFETIME = 480_000;

/** The cases every replay cache passes, on caches `open()` makes over one shared backing store. */
function replayCases(open: (clock: { now(): number }) => SamlReplayCache) {
  it('accepts 1000 distinct IDs once each and refuses every second use', async () => {
    const cache = open(manualClock(START));
    const keys = Array.from({ length: 1000 }, (_, i) => `AuthnRequest\nhttps://sp.test\n_id${i}-${START}`);
    const first = await Promise.all(keys.map((key) => cache.claim(key, START + LIFETIME)));
    const second = await Promise.all(keys.map((key) => cache.claim(key, START + LIFETIME)));
    assert.equal(first.filter(Boolean).length, 1000);
    assert.equal(second.filter(Boolean).length, 0);
  });

  it('lets exactly one of 200 parallel claims of one ID win', async () => {
    const cache = open(manualClock(START));
    const key = `parallel-${Math.random()}`;
    assert.equal(await countWinners(200, () => cache.claim(key, START + LIFETIME)), 1);
  });

  it('keeps an ID at least until it expires', async () => {
    const clock = manualClock(START);
    const cache = open(clock);
    const key = `expiry-${Math.random()}`;
    assert.equal(await cache.claim(key, START + LIFETIME), true);
    clock.set(START + LIFETIME);
    assert.equal(await cache.claim(key, START + 2 * LIFETIME), false, 'still held at its expiry');
  });
}

describe('memory replay cache', () => {
  replayCases((clock) => memoryReplayCache(clock));

  it('refuses new IDs when full of live ones, rather than forget one early', async () => {
    const clock = manualClock(START);
    const cache = memoryReplayCache(clock, 3);
    for (const key of ['a', 'b', 'c']) assert.equal(await cache.claim(key, START + LIFETIME), true);
    assert.equal(await cache.claim('d', START + LIFETIME), false);
    clock.advance(LIFETIME + 1);
    assert.equal(await cache.claim('d', START + 2 * LIFETIME), true, 'expired entries make room');
  });
});

/** Store-backed cases, plus two "nodes" (two caches on two store handles) reading one AuthnRequest. */
function storeCases(label: string, openHandle: () => Promise<Store>) {
  describe(`store replay cache on ${label}`, () => {
    const stores: Store[] = [];
    let store: Store;
    before(async () => {
      store = await openHandle();
      stores.push(store);
    });
    after(async () => {
      for (const s of stores) await s.close();
    });

    replayCases((clock) => storeReplayCache({ store, clock }));

    it('an AuthnRequest accepted on node A is refused as replayed on node B', async () => {
      const other = await openHandle();
      stores.push(other);
      const { idp } = await testIdp();
      const sp = defineSp({ entityId: 'https://sp.nodes.test', acs: ['https://sp.nodes.test/acs'] });
      const clock = manualClock(START);
      const node = (s: Store) => ({
        idp,
        clock,
        replay: storeReplayCache({ store: s, clock }),
        findSp: async () => sp,
      });
      const xml =
        '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ' +
        `ID="_two-nodes-${label}" Version="2.0" IssueInstant="2025-06-02T12:00:00Z" Destination="${SSO_URL}">` +
        '<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://sp.nodes.test</saml:Issuer>' +
        '</samlp:AuthnRequest>';
      const rawQuery = `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(xml)).toString('base64'))}`;
      const a = await readAuthnRequest({ binding: 'redirect', rawQuery }, node(store));
      const b = await readAuthnRequest({ binding: 'redirect', rawQuery }, node(other));
      assert.equal(a.ok, true);
      assert.equal(b.ok ? 'accepted' : b.reason, 'replayed');
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'countersign-saml-replay-'));
after(() => rmSync(dir, { recursive: true, force: true }));
storeCases('SQLite', () => openStore({ sqlitePath: join(dir, 'countersign.db') }));

const pgServer = testPgUrl();
if (pgServer === undefined) {
  it('store replay cache on PostgreSQL', { skip: PG_SKIP_MESSAGE }, () => {});
} else {
  let database: TestDatabase | undefined;
  before(async () => {
    database = await createTestDatabase(pgServer);
  });
  after(async () => {
    await database?.drop();
  });
  storeCases('PostgreSQL', async () => {
    if (!database) throw new Error('test database was not created');
    return openStore({ url: database.url });
  });
}
