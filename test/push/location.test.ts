// Issue 12: a push request shows where the sign-in comes from (GeoIP), unless the address is private or GeoIP is off.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type PushWorld, startPushWorld } from './harness.ts';

describe('push request location', () => {
  let world: PushWorld;
  let off: PushWorld;
  before(async () => {
    world = await startPushWorld();
    off = await startPushWorld({ config: { 'geoip.enabled': false } });
  });
  after(async () => {
    await world?.close();
    await off?.close();
  });

  test('a public address: the city, region and country reach the Authenticator', async () => {
    const { device } = await world.enroll('alice');
    const txid = await world.push('alice', { ipaddr: '8.8.8.8' });
    const request = (await device.pending()).find((pending) => pending.txid === txid);
    assert.equal(request?.ip, '8.8.8.8');
    assert.equal(request?.location, 'Mountain View, California, United States');
  });

  test('a private address: no location', async () => {
    const { device } = await world.enroll('bob');
    const txid = await world.push('bob', { ipaddr: '192.168.10.20' });
    const request = (await device.pending()).find((pending) => pending.txid === txid);
    assert.equal(request?.ip, '192.168.10.20');
    assert.equal(request?.location, null);
  });

  test('geoip.enabled = false: no location is looked up', async () => {
    assert.equal(off.deps.locator, undefined);
    const { device } = await off.enroll('carol');
    const txid = await off.push('carol', { ipaddr: '8.8.8.8' });
    const request = (await device.pending()).find((pending) => pending.txid === txid);
    assert.equal(request?.location, null);
  });
});
