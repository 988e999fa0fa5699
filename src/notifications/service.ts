import type { AppContext } from '../context.ts';
import { PLATFORM_SCOPE } from '../crypto/keyring.ts';
import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { enqueue } from '../outbox/outbox.ts';
import type { Lang } from '../web/i18n/index.ts';
import * as store from './store.ts';
import { renderTemplate, type TemplateName } from './templates.ts';

export const DELIVER_TOPIC = 'notification.deliver';

export type Channel = 'in_app' | 'email' | 'sms';

export interface NotificationRequest {
  /** The account it belongs to (shown in its in-app list); null for an address not yet an account. */
  userId: string | null;
  template: TemplateName;
  params: Record<string, string | number>;
  lang: Lang;
  /** Where to send it: in-app needs a userId; e-mail and SMS need an address. */
  channels: { inApp?: boolean; email?: string; sms?: string };
}

/**
 * Writes the notification in the caller's transaction — rendered, encrypted, and queued for
 * delivery in the outbox — so a status change and its notification commit together, and a failed
 * delivery later never rolls the change back. The outbox payload carries only the id.
 */
export async function notify(ctx: AppContext, trx: Db, request: NotificationRequest): Promise<string[]> {
  const { subject, body } = renderTemplate(request.template, request.lang, request.params);
  const enc = (text: string, column: string) => ctx.keyring.encrypt(PLATFORM_SCOPE, text, column);
  const targets: [Channel, string | null][] = [];
  if (request.channels.inApp && request.userId) targets.push(['in_app', null]);
  if (request.channels.email) targets.push(['email', request.channels.email]);
  if (request.channels.sms) targets.push(['sms', request.channels.sms]);
  const ids: string[] = [];
  for (const [channel, recipient] of targets) {
    const id = newId();
    await store.insertNotification(trx, {
      id,
      user_id: request.userId,
      channel,
      template: request.template,
      lang: request.lang,
      recipient_enc: recipient === null ? null : enc(recipient, 'notifications.recipient'),
      subject_enc: enc(subject, 'notifications.subject'),
      body_enc: enc(body, 'notifications.body'),
      status: channel === 'in_app' ? 'sent' : 'pending',
      created_at: nowIso(),
      sent_at: channel === 'in_app' ? nowIso() : null,
      read_at: null,
    });
    if (channel !== 'in_app') await enqueue(trx, DELIVER_TOPIC, { notificationId: id });
    ids.push(id);
  }
  return ids;
}

export interface InAppNotification {
  id: string;
  subject: string;
  body: string;
  createdAt: string;
  isRead: boolean;
}

export async function listInAppNotifications(
  ctx: AppContext,
  userId: string,
  limit = 50,
): Promise<InAppNotification[]> {
  const rows = await store.listInApp(ctx.db, userId, limit);
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      subject: await ctx.keyring.decrypt(r.subject_enc, 'notifications.subject'),
      body: await ctx.keyring.decrypt(r.body_enc, 'notifications.body'),
      createdAt: r.created_at,
      isRead: r.read_at !== null,
    })),
  );
}
