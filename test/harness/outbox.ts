import type { DataSource } from 'typeorm';
import { eventually } from './wait';

/** An outbox row as stored (snake_case columns, as an organiser would read it in psql). */
export interface OutboxRow {
  id: string;
  recipient: string;
  recipient_name: string | null;
  template: string;
  purpose: string;
  category: 'transactional' | 'bulk';
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'cancelled';
  attempts: number;
  not_before: Date;
  locked_until: Date | null;
  last_error: string | null;
  subject: string | null;
  message_id: string | null;
  sent_at: Date | null;
}

export async function outboxRows(
  ds: DataSource,
  where = 'true',
  params: unknown[] = [],
): Promise<OutboxRow[]> {
  return ds.query<OutboxRow[]>(
    `SELECT * FROM outbox_messages WHERE ${where} ORDER BY created_at, id`,
    params,
  );
}

export async function outboxRow(ds: DataSource, id: string): Promise<OutboxRow> {
  const [row] = await outboxRows(ds, 'id = $1', [id]);
  if (!row) throw new Error(`no outbox row ${id}`);
  return row;
}

/** Counts rows by status, e.g. `{ sent: 498, sending: 2 }`. */
export async function statusCounts(ds: DataSource): Promise<Record<string, number>> {
  const rows = await ds.query<{ status: string; n: number }[]>(
    `SELECT status, count(*)::int AS n FROM outbox_messages GROUP BY status ORDER BY status`,
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

/** Waits until the row reaches one of the final statuses (or `status`), and returns it. */
export function settledRow(
  ds: DataSource,
  id: string,
  status: OutboxRow['status'] | OutboxRow['status'][] = ['sent', 'failed', 'cancelled'],
  timeoutMs = 20_000,
): Promise<OutboxRow> {
  const wanted = Array.isArray(status) ? status : [status];
  let last: OutboxRow | undefined;
  return eventually(
    async () => {
      last = await outboxRow(ds, id);
      return wanted.includes(last.status) && last;
    },
    { timeoutMs, what: `outbox row ${id} to be ${wanted.join(' or ')}` },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; row: ${JSON.stringify(last)}`);
  });
}
