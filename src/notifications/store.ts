import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

export type NotificationRow = Database['notifications'];

export async function insertNotification(db: Db, row: NotificationRow): Promise<void> {
  await db.insertInto('notifications').values(row).execute();
}

export function findNotification(db: Db, id: string): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function markSent(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('notifications').set({ status: 'sent', sent_at: at }).where('id', '=', id).execute();
}

export function listInApp(db: Db, userId: string, limit: number) {
  return db
    .selectFrom('notifications')
    .select(['id', 'subject_enc', 'body_enc', 'created_at', 'read_at'])
    .where('user_id', '=', userId)
    .where('channel', '=', 'in_app')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function insertDemoMail(db: Db, row: Database['demo_mailbox']): Promise<void> {
  await db
    .insertInto('demo_mailbox')
    .values(row)
    .onConflict((oc) => oc.column('notification_id').doNothing())
    .execute();
}

export function listDemoMail(db: Db, limit: number) {
  return db.selectFrom('demo_mailbox').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
}
