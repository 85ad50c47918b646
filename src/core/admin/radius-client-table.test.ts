// Client table: longest-prefix match over IPv4/IPv6, unknown sources, and configuration errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClientTable, type RadiusClient, RadiusClientConfigError } from './radius-client-table.ts';

type Nas = RadiusClient & { site: string };
const entry = (name: string, address: string): Nas => ({
  name,
  address,
  secret: `${name}-secret`,
  site: name,
});

const table = createClientTable<Nas>([
  entry('lan', '10.0.0.0/8'),
  entry('vpn', '10.20.0.0/16'),
  entry('one', '10.20.30.40'),
  entry('v6net', '2001:db8::/32'),
  entry('v6host', '2001:db8::7'),
  entry('loop6', '::1'),
]);

test('the most specific network wins, and extra fields come back typed', () => {
  assert.equal(table.findClient('10.20.30.40')?.name, 'one');
  assert.equal(table.findClient('10.20.30.41')?.name, 'vpn');
  assert.equal(table.findClient('10.99.0.1')?.site, 'lan');
  assert.equal(table.findClient('2001:db8:0:0::7')?.name, 'v6host');
  assert.equal(table.findClient('2001:0db8:ffff::1')?.name, 'v6net');
  assert.equal(table.findClient('::1')?.name, 'loop6');
});

test('unknown sources and garbage give null', () => {
  assert.equal(table.findClient('192.168.1.1'), null);
  assert.equal(table.findClient('2001:db9::1'), null);
  assert.equal(table.findClient('not an ip'), null);
  assert.equal(table.findClient(''), null);
});

test('IPv4-mapped IPv6 sources (dual-stack sockets) match IPv4 entries', () => {
  assert.equal(table.findClient('::ffff:10.20.30.40')?.name, 'one');
  assert.equal(table.findClient('::ffff:127.0.0.1'), null);
});

test('a /0 entry matches every address of its family', () => {
  const all = createClientTable([{ name: 'any', address: '0.0.0.0/0', secret: 's' }]);
  assert.equal(all.findClient('203.0.113.9')?.name, 'any');
  assert.equal(all.findClient('2001:db8::1'), null);
});

test('bad entries are refused with a message naming the entry', () => {
  const bad =
    (address: string, secret = 's') =>
    () =>
      createClientTable([{ name: 'nas1', address, secret }]);
  assert.throws(bad('10.0.0.0/33'), /#1 \("nas1"\).*prefix length/);
  assert.throws(bad('10.0.0.1/8'), /host bits/);
  assert.throws(bad('nas.example.com'), RadiusClientConfigError);
  assert.throws(bad('10.0.0.0/8/1'), RadiusClientConfigError);
  assert.throws(bad('10.0.0.0/x'), /prefix length/);
  assert.throws(bad('10.0.0.1', ''), /secret must not be empty/);
  assert.throws(
    () =>
      createClientTable([
        { name: 'a', address: '10.0.0.1', secret: 's' },
        { name: 'b', address: '10.0.0.1/32', secret: 't' },
      ]),
    /already used by RADIUS client #1/,
  );
});
