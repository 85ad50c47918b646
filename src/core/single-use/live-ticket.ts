// Tickets that open a device's live channel: obtained with a device-signed call, random, single use, short-lived.
// The stream is opened by a URL (EventSource cannot send headers), and URLs end up in logs and proxies: what a
// URL carries must be useless once used, and soon useless anyway.
import { createHash } from 'node:crypto';
import type { CoreDeps } from '../deps.ts';
import { purgeOnUse } from './purge-on-use.ts';

/** How long a ticket can open the stream: enough for the app to connect right after asking for it. */
export const LIVE_TICKET_MS = 30_000;

/** 256 random bits, base64url without padding. */
const TICKET = /^[A-Za-z0-9_-]{43}$/;

/** Only a hash is stored: the database never holds a usable ticket. */
function ticketId(ticket: string): string {
  return createHash('sha256').update(ticket).digest('base64url');
}

export interface LiveTickets {
  /** A fresh ticket for `deviceId` and when it expires. */
  issue(deviceId: string): Promise<{ ticket: string; expiresAt: number }>;
  /** Spends a ticket: the device it was issued to, or null when it is malformed, unknown, used or expired. */
  redeem(ticket: string): Promise<string | null>;
}

/** Creates the ticket office on the store; expired tickets are purged as tickets are issued. */
export function liveTickets(deps: Pick<CoreDeps, 'store' | 'clock' | 'random'>): LiveTickets {
  const purge = purgeOnUse(deps.clock, (before) => deps.store.liveTickets.purge(before));
  return {
    async issue(deviceId) {
      await purge();
      const ticket = deps.random.bytes(32).toString('base64url');
      const now = deps.clock.now();
      const expiresAt = now + LIVE_TICKET_MS;
      await deps.store.liveTickets.create({
        id: ticketId(ticket),
        deviceId,
        createdAt: now,
        expiresAt,
        usedAt: null,
      });
      return { ticket, expiresAt };
    },
    async redeem(ticket) {
      if (!TICKET.test(ticket)) return null;
      const spent = await deps.store.liveTickets.consume(ticketId(ticket), deps.clock.now());
      return spent?.deviceId ?? null;
    },
  };
}
