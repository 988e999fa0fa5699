import nodemailer, { type Transporter } from 'nodemailer';
import type { SmsGatewayConfig } from '../config/config.ts';
import type { AppContext } from '../context.ts';
import { newId, nowIso } from '../db/ids.ts';
import * as store from './store.ts';

export interface OutgoingMessage {
  channel: 'email' | 'sms';
  to: string;
  subject: string;
  body: string;
}

/** Something that can carry a message: SMTP, an SMS gateway, or the demo mailbox. */
export interface Transport {
  send(ctx: AppContext, message: OutgoingMessage, notificationId: string): Promise<void>;
}

export class SmtpTransport implements Transport {
  private readonly transporter: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transporter = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
  }

  async send(_ctx: AppContext, message: OutgoingMessage): Promise<void> {
    await this.transporter.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.body,
    });
  }
}

/** Posts a JSON body built from the configured template to an HTTP SMS/WhatsApp gateway. */
export class SmsGatewayTransport implements Transport {
  constructor(private readonly gateway: SmsGatewayConfig) {}

  async send(_ctx: AppContext, message: OutgoingMessage): Promise<void> {
    const json = (text: string) => JSON.stringify(text).slice(1, -1);
    const body = this.gateway.bodyTemplate
      .replaceAll('{to}', json(message.to))
      .replaceAll('{text}', json(message.body));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.gateway.authorization) headers.authorization = this.gateway.authorization;
    const response = await fetch(this.gateway.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(15_000),
    });
    if (!response.ok) throw new Error(`SMS gateway answered ${response.status}`);
  }
}

/** Demo mode without a real channel: messages land, encrypted, in the platform admin's demo mailbox. */
export class DemoMailboxTransport implements Transport {
  async send(ctx: AppContext, message: OutgoingMessage, notificationId: string): Promise<void> {
    const enc = (text: string, column: string) => ctx.keyring.encrypt('platform', text, column);
    await store.insertDemoMail(ctx.db, {
      id: newId(),
      notification_id: notificationId,
      channel: message.channel,
      recipient_enc: enc(message.to, 'demo_mailbox.recipient'),
      subject_enc: enc(message.subject, 'demo_mailbox.subject'),
      body_enc: enc(message.body, 'demo_mailbox.body'),
      created_at: nowIso(),
    });
  }
}

export interface Transports {
  email: Transport | undefined;
  sms: Transport | undefined;
}

/** The transports the configuration provides; demo mode falls back to the demo mailbox. */
export function transportsFor(ctx: AppContext): Transports {
  const demo = ctx.config.mode === 'demo' ? new DemoMailboxTransport() : undefined;
  return {
    email: ctx.config.smtpUrl ? new SmtpTransport(ctx.config.smtpUrl, ctx.config.mailFrom) : demo,
    sms: ctx.config.smsGateway ? new SmsGatewayTransport(ctx.config.smsGateway) : demo,
  };
}

/**
 * Delivers one queued notification. Idempotent for the outbox's at-least-once delivery: a
 * notification already marked sent is not sent again. Throws (so the outbox retries) when the
 * channel fails or is not configured.
 */
export async function deliverNotification(
  ctx: AppContext,
  transports: Transports,
  notificationId: string,
): Promise<void> {
  const row = await store.findNotification(ctx.db, notificationId);
  if (!row || row.status === 'sent' || row.channel === 'in_app' || row.recipient_enc === null) return;
  const transport = transports[row.channel];
  if (!transport) throw new Error(`no ${row.channel} channel is configured`);
  const message: OutgoingMessage = {
    channel: row.channel,
    to: await ctx.keyring.decrypt(row.recipient_enc, 'notifications.recipient'),
    subject: await ctx.keyring.decrypt(row.subject_enc, 'notifications.subject'),
    body: await ctx.keyring.decrypt(row.body_enc, 'notifications.body'),
  };
  await transport.send(ctx, message, row.id);
  await store.markSent(ctx.db, row.id, nowIso());
  ctx.logger.info(
    { notification: row.id, channel: row.channel, template: row.template },
    'notification delivered',
  );
}

export interface DemoMail {
  id: string;
  channel: 'email' | 'sms';
  to: string;
  subject: string;
  body: string;
  createdAt: string;
}

export async function listDemoMailbox(ctx: AppContext, limit = 100): Promise<DemoMail[]> {
  const rows = await store.listDemoMail(ctx.db, limit);
  return Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      channel: r.channel,
      to: await ctx.keyring.decrypt(r.recipient_enc, 'demo_mailbox.recipient'),
      subject: await ctx.keyring.decrypt(r.subject_enc, 'demo_mailbox.subject'),
      body: await ctx.keyring.decrypt(r.body_enc, 'demo_mailbox.body'),
      createdAt: r.created_at,
    })),
  );
}
