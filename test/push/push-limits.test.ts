// Push-fatigue defences over real HTTP: one outstanding push, 5 per 10 minutes, denial cool-down, fraud pause.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type PushWorld, startPushWorld } from './harness.ts';

let world: PushWorld;
before(async () => {
  world = await startPushWorld();
});
after(() => world.close());

const MINUTE = 60_000;

test('a second push while one is outstanding is refused (push_outstanding)', async () => {
  const { device } = await world.enroll('olive');
  const first = await world.push('olive');
  // A second attempt a second later (the same signed request in the same second is a replay, refused earlier).
  world.clock.advance(1_000);
  const second = await world.push('olive');
  const refused = await world.tx(second);
  assert.deepEqual([refused.state, refused.reason], ['deny', 'push_outstanding']);
  const status = await world.api.authStatus(second);
  assert.equal(status.result, 'deny');
  assert.deepEqual(
    (await device.pending()).map((request) => request.txid),
    [first],
  );
});

test('20 pushes in a row, each denied on the device: refused after 5, every refusal audited', async () => {
  const { device, userId } = await world.enroll('dora');
  const outcomes: string[] = [];
  for (let i = 0; i < 20; i++) {
    const txid = await world.push('dora', { pushinfo: `attempt=${i}` });
    const tx = await world.tx(txid);
    if (tx.state === 'pushed') assert.equal(await device.deny(txid), 'deny');
    outcomes.push(tx.state === 'pushed' ? 'pushed' : `${tx.state}:${tx.reason}`);
    world.clock.advance(1_000);
  }
  assert.deepEqual(outcomes, [...Array(5).fill('pushed'), ...Array(15).fill('deny:push_limit')]);
  const audited = (await world.audit('auth')).filter((entry) => entry.userId === userId);
  assert.equal(audited.filter((entry) => entry.reason === 'push_limit').length, 15);
  assert.equal(audited.filter((entry) => entry.reason === 'denied').length, 5);
});

test('issue 15: an approved push starts the count again, from itself: 4 more pushes, then the cap', async () => {
  const { device } = await world.enroll('gail');
  const outcomes: string[] = [];
  for (let i = 0; i < 10; i++) {
    const txid = await world.push('gail', { pushinfo: `attempt=${i}` });
    const tx = await world.tx(txid);
    if (tx.state === 'pushed') {
      // The fifth is approved a moment later: the cap counts anew from that login (the approved push included).
      if (i === 4) {
        world.clock.advance(1_000);
        assert.equal(await device.approve(txid, await world.shownCode(txid)), 'allow');
      } else assert.equal(await device.deny(txid), 'deny');
    }
    outcomes.push(tx.state === 'pushed' ? 'pushed' : `${tx.state}:${tx.reason}`);
    world.clock.advance(1_000);
  }
  assert.deepEqual(outcomes, [...Array(9).fill('pushed'), 'deny:push_limit']);
});

test('after a denial factor=auto does not push for 5 minutes; an explicit factor=push still does', async () => {
  const { device } = await world.enroll('eve');
  assert.equal(await device.deny(await world.push('eve')), 'deny');

  world.clock.advance(MINUTE);
  const auto = await world.tx(await world.push('eve', { factor: 'auto' }));
  assert.deepEqual([auto.state, auto.reason], ['deny', 'recent_denial']);
  const explicit = await world.push('eve');
  assert.equal((await world.tx(explicit)).state, 'pushed');
  assert.equal(await device.approve(explicit, await world.shownCode(explicit)), 'allow');

  world.clock.advance(3 * MINUTE);
  const stillPaused = await world.tx(await world.push('eve', { factor: 'auto' }));
  assert.equal(stillPaused.reason, 'recent_denial', '4 minutes after the denial');

  world.clock.advance(MINUTE + 1_000);
  const resumed = await world.tx(await world.push('eve', { factor: 'auto' }));
  assert.equal(resumed.state, 'pushed', '5 minutes after the denial auto push is back');
});

test('fraud: status fraud, audit kind fraud, administrators notified, pushes paused 20 minutes', async () => {
  const { device, userId } = await world.enroll('frank');
  const txid = await world.push('frank');
  assert.equal(await device.deny(txid, { fraud: true }), 'fraud');
  const status = await world.api.authStatus(txid);
  assert.deepEqual([status.result, status.status], ['deny', 'fraud']);
  const fraudEntries = (await world.audit('fraud')).filter((entry) => entry.userId === userId);
  assert.equal(fraudEntries.length, 1);
  assert.equal(fraudEntries[0]?.detail.txid, txid);
  assert.deepEqual(world.notices.fraud, [{ username: 'frank', txid, app: 'VPN' }]);

  world.clock.advance(19 * MINUTE);
  for (const factor of ['push', 'auto']) {
    const refused = await world.tx(await world.push('frank', { factor }));
    assert.deepEqual([refused.state, refused.reason], ['deny', 'fraud_pause'], `factor=${factor}`);
  }
  assert.deepEqual(await device.pending(), []);

  world.clock.advance(MINUTE + 1_000);
  const resumed = await world.push('frank');
  assert.equal((await world.tx(resumed)).state, 'pushed', 'after 20 minutes pushes resume');
});
