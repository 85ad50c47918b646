// Conformance cases for single-use records: used signatures (replay refusal) and live-channel tickets.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LiveTicket } from '../../src/core/model.ts';
import type { Store } from '../../src/core/repositories.ts';
import { countWinners, type Fixtures, NOW } from './fixtures.ts';

/** Registers the used-signature and live-ticket cases on the store `store()` returns. */
export function singleUseCases(store: () => Store, f: Fixtures): void {
  it('claims a used-signature key once; another key is its own claim', async () => {
    const key = f.next('sig-');
    assert.equal(await store().usedSignatures.claim(key, NOW + 300_000), true);
    assert.equal(await store().usedSignatures.claim(key, NOW + 300_000), false);
    assert.equal(
      await store().usedSignatures.claim(key, NOW + 900_000),
      false,
      'a later expiry changes nothing',
    );
    assert.equal(await store().usedSignatures.claim(f.next('sig-'), NOW + 300_000), true);
  });

  it('issue 9.3: lets exactly one of 200 parallel claims of one key win', async () => {
    const key = f.next('sig-');
    assert.equal(await countWinners(200, () => store().usedSignatures.claim(key, NOW + 300_000)), 1);
  });

  it('a refused claim inside atomically() does not spoil the transaction (no unique-violation error)', async () => {
    const key = f.next('sig-');
    await store().usedSignatures.claim(key, NOW + 300_000);
    const user = f.user();
    const claimed = await store().atomically(async (repos) => {
      const won = await repos.usedSignatures.claim(key, NOW + 300_000);
      await repos.users.create(user);
      return won;
    });
    assert.equal(claimed, false);
    assert.ok(await store().users.get(user.id), 'the other write of the transaction committed');
  });

  it('purges used signatures that expired before the cut-off, and only those', async () => {
    // Times far below NOW so rows of other cases are never in range.
    const old = f.next('sig-');
    const edge = f.next('sig-');
    const live = f.next('sig-');
    await store().usedSignatures.claim(old, 1000);
    await store().usedSignatures.claim(edge, 2000);
    await store().usedSignatures.claim(live, 3000);
    assert.equal(await store().usedSignatures.purge(2000), 1);
    assert.equal(await store().usedSignatures.claim(old, 1000), true, 'purged, so claimable again');
    assert.equal(await store().usedSignatures.claim(edge, 2000), false, 'expiring at the cut-off: kept');
    assert.equal(await store().usedSignatures.claim(live, 3000), false);
  });

  const ticketFor = async (overrides: Partial<LiveTicket> = {}): Promise<LiveTicket> => {
    const user = f.user();
    await store().users.create(user);
    const device = f.authenticator(user.id, { kind: 'push' });
    await store().authenticators.create(device);
    const ticket: LiveTicket = {
      id: f.next('ticket-'),
      deviceId: device.id,
      createdAt: NOW,
      expiresAt: NOW + 30_000,
      usedAt: null,
      ...overrides,
    };
    await store().liveTickets.create(ticket);
    return ticket;
  };

  it('spends a live ticket once, before it expires', async () => {
    const ticket = await ticketFor();
    assert.deepEqual(await store().liveTickets.consume(ticket.id, NOW + 1), { ...ticket, usedAt: NOW + 1 });
    assert.equal(await store().liveTickets.consume(ticket.id, NOW + 2), null, 'used');
    const late = await ticketFor();
    assert.equal(await store().liveTickets.consume(late.id, NOW + 30_000), null, 'expired');
    assert.equal(await store().liveTickets.consume('ticket-unknown', NOW), null, 'unknown');
  });

  it('issue 9.3: lets exactly one of 20 parallel uses of one live ticket win', async () => {
    const ticket = await ticketFor();
    assert.equal(await countWinners(20, () => store().liveTickets.consume(ticket.id, NOW + 1)), 1);
  });

  it("purges expired live tickets, and removes a device's tickets with the device", async () => {
    const old = await ticketFor({ createdAt: 500, expiresAt: 1000 });
    const live = await ticketFor({ createdAt: 500, expiresAt: 3000 });
    assert.equal(await store().liveTickets.purge(2000), 1);
    assert.equal(await store().liveTickets.consume(old.id, 900), null, 'purged');
    const gone = await ticketFor();
    await store().authenticators.remove(gone.deviceId);
    assert.equal(await store().liveTickets.consume(gone.id, NOW + 1), null, 'deleted with its device');
    assert.ok(await store().liveTickets.consume(live.id, 2500));
  });
}
