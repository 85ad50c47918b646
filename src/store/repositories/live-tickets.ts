// Live-channel tickets on SQL: spent once by compare-and-set, short-lived, deleted with their device.
import type { Selectable } from 'kysely';
import type { LiveTicket } from '../../core/model.ts';
import type { LiveTicketRepository } from '../../core/repositories.ts';
import type { LiveTicketsTable } from '../schema.ts';
import type { RepositoryContext } from './context.ts';

function toLiveTicket(row: Selectable<LiveTicketsTable>): LiveTicket {
  return {
    id: row.id,
    deviceId: row.device_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  };
}

/** The live-ticket repository bound to `ctx`. */
export function liveTicketRepository({ db }: RepositoryContext): LiveTicketRepository {
  return {
    async create(ticket) {
      await db
        .insertInto('live_tickets')
        .values({
          id: ticket.id,
          device_id: ticket.deviceId,
          created_at: ticket.createdAt,
          expires_at: ticket.expiresAt,
          used_at: ticket.usedAt,
        })
        .execute();
    },

    async consume(id, now) {
      // Compare-and-set in the WHERE clause: of parallel uses of one ticket, exactly one updates the row.
      const row = await db
        .updateTable('live_tickets')
        .set({ used_at: now })
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returningAll()
        .executeTakeFirst();
      return row ? toLiveTicket(row) : null;
    },

    async purge(before) {
      const result = await db.deleteFrom('live_tickets').where('expires_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
