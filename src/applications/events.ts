import type { Db } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import type { Database } from '../db/schema.ts';

type EventRow = Database['application_events'];

/**
 * Appends one event to an application's history, inside the caller's transaction (the history is
 * the record; the application row is its projection). Columns an event does not use stay null.
 */
export async function recordEvent(
  trx: Db,
  event: Pick<EventRow, 'application_id' | 'kind' | 'actor_id' | 'created_at'> &
    Partial<Omit<EventRow, 'application_id' | 'kind' | 'actor_id' | 'created_at'>>,
): Promise<void> {
  await trx
    .insertInto('application_events')
    .values({
      id: newId(),
      action: null,
      from_state: null,
      to_state: null,
      comment_enc: null,
      flagged_fields: null,
      attachment_id: null,
      ...event,
    })
    .execute();
}
