/**
 * A person's in-app notifications as a list to read: newest first, unread marked, each linked to
 * the application it concerns, and marking them all read.
 *
 * Notifications carry no application id; application notifications always name the tracking
 * number, so the link is found from it — and only to an application the reader filed or one of
 * the agencies the reader works an inbox for. The target pages check access again.
 */
import type { AppContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import { type InAppNotification, listInAppNotifications } from './service.ts';

export const NOTIFICATION_LIST_LIMIT = 50;

/** Tracking numbers as printed (`DKP-26-7KQ4-M9X3`). */
const TRACKING_NUMBER = /\b[A-Z]{2,5}-[0-9]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}\b/g;

export interface Reader {
  userId: string;
  /** Agencies whose inbox the reader works: their applications link to the inbox detail. */
  inboxAgencies: readonly string[];
}

export interface NotificationItem extends InAppNotification {
  /** The application the notification concerns, when the reader may open it. */
  application: { trackingNumber: string; url: string } | null;
}

export interface NotificationList {
  items: NotificationItem[];
  unread: number;
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('channel', '=', 'in_app')
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function applicationLinks(
  db: Db,
  reader: Reader,
  numbers: readonly string[],
): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  if (numbers.length === 0) return links;
  const rows = await db
    .selectFrom('applications')
    .select(['id', 'tracking_number', 'applicant_id', 'agency_id'])
    .where('tracking_number', 'in', [...numbers])
    .limit(numbers.length)
    .execute();
  for (const row of rows) {
    if (!row.tracking_number) continue;
    if (row.applicant_id === reader.userId) links.set(row.tracking_number, `/applications/${row.id}`);
    else if (reader.inboxAgencies.includes(row.agency_id)) links.set(row.tracking_number, `/inbox/${row.id}`);
  }
  return links;
}

/** The reader's newest in-app notifications and how many are unread. */
export async function notificationListOf(ctx: AppContext, reader: Reader): Promise<NotificationList> {
  const notifications = await listInAppNotifications(ctx, reader.userId, NOTIFICATION_LIST_LIMIT);
  const numberOf = (n: InAppNotification) =>
    `${n.subject} ${n.body}`.match(TRACKING_NUMBER)?.[0] ?? undefined;
  const numbers = [...new Set(notifications.flatMap((n) => numberOf(n) ?? []))];
  const links = await applicationLinks(ctx.db, reader, numbers);
  return {
    items: notifications.map((n) => {
      const number = numberOf(n);
      const url = number ? links.get(number) : undefined;
      return { ...n, application: number && url ? { trackingNumber: number, url } : null };
    }),
    unread: await unreadCount(ctx.db, reader.userId),
  };
}

/** Marks every unread in-app notification of the user read; returns how many were. */
export async function markAllRead(db: Db, userId: string): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: nowIso() })
    .where('user_id', '=', userId)
    .where('channel', '=', 'in_app')
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
