// Trusted-proxy ranges and the per-client connection key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressMatcher, clientKey, isAddressRange, plainAddress } from './peer-address.ts';

test('ranges: addresses, CIDRs, dotted netmasks and the proxy-addr names; anything else is refused', () => {
  for (const good of [
    '10.0.0.1',
    '10.0.0.0/8',
    '10.0.0.0/255.0.0.0',
    '0.0.0.0/0',
    '2001:db8::/32',
    '::1',
    'loopback',
  ])
    assert.equal(isAddressRange(good), true, good);
  for (const bad of [
    '10.0.0.0/33',
    '10.0.0.0/255.0.255.0',
    '2001:db8::/129',
    'proxy.example.org',
    '10.0.0.0/8/8',
    '',
  ])
    assert.equal(isAddressRange(bad), false, bad);
});

test('the matcher covers CIDRs, netmasks, names and IPv4 clients seen on a dual-stack listener', () => {
  const isProxy = addressMatcher(['10.1.0.0/16', '192.168.7.0/255.255.255.0', 'loopback', '2001:db8:1::/48']);
  for (const yes of [
    '10.1.200.3',
    '::ffff:10.1.0.9',
    '192.168.7.200',
    '127.0.0.2',
    '::1',
    '2001:db8:1:ff::1',
  ])
    assert.equal(isProxy(yes), true, yes);
  for (const no of ['10.2.0.1', '192.168.8.1', '2001:db8:2::1', 'not an address'])
    assert.equal(isProxy(no), false, no);
  assert.equal(addressMatcher([])('10.1.0.1'), false);
});

test('one client key per IPv4 address and per IPv6 /64, however the address is written', () => {
  assert.equal(plainAddress('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(clientKey('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(clientKey('192.0.2.1'), '192.0.2.1');
  const key = clientKey('2001:db8:0:1::1');
  assert.equal(key, '2001:db8:0:1::/64');
  for (const same of [
    '2001:db8:0:1:ffff:ffff:ffff:ffff',
    '2001:0db8:0000:0001::2',
    '2001:db8::1:0:0:0:3%eth0',
  ])
    assert.equal(clientKey(same), key, same);
  assert.notEqual(clientKey('2001:db8:0:2::1'), key);
  assert.equal(clientKey('::1'), '0:0:0:0::/64');
  assert.equal(clientKey('64:ff9b::192.0.2.1'), '64:ff9b:0:0::/64');
});
