import { readFileSync } from 'node:fs';
import http from 'node:http';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENGINES,
  type FreshDatabase,
  freshDatabase,
  onEngine,
  openTestContext,
} from '../../test/helpers/engines.ts';
import type { Opened } from '../app.ts';
import { outboxHandlers } from '../outbox/handlers.ts';
import { OutboxWorker } from '../outbox/worker.ts';
import { listDemoMailbox } from './delivery.ts';
import { listInAppNotifications, notify } from './service.ts';
import { renderTemplate, TEMPLATES, type TemplateName } from './templates.ts';

describe('templates', () => {
  it('exist in both languages with the same placeholders, and fill every one', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
    for (const name of Object.keys(TEMPLATES) as TemplateName[]) {
      const { id, en } = TEMPLATES[name];
      const names = [...new Set(placeholders(`${id.subject} ${id.body}`))];
      expect([...new Set(placeholders(`${en.subject} ${en.body}`))], name).toEqual(names);
      const params = Object.fromEntries(names.map((n) => [n, `<${n}:value>`]));
      for (const lang of ['id', 'en'] as const) {
        const rendered = renderTemplate(name, lang, params);
        const text = `${rendered.subject} ${rendered.body}`;
        expect(text).not.toMatch(/\{\w+\}/);
        for (const n of names) expect(text, `${name} ${lang}`).toContain(`<${n}:value>`);
      }
    }
  });
});

interface Received {
  to: string;
  data: string;
}

async function startSmtp(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => {
        data += chunk.toString();
      });
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function startSmsGateway(
  failFirst: number,
): Promise<{ url: string; bodies: unknown[]; close(): Promise<void> }> {
  const bodies: unknown[] = [];
  let calls = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString();
    });
    req.on('end', () => {
      calls++;
      if (calls <= failFirst) {
        res.writeHead(503).end();
        return;
      }
      bodies.push({ auth: req.headers.authorization, body: JSON.parse(raw) });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/send`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.each(ENGINES)('notifications', (engine) => {
  let fresh: FreshDatabase;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let sms: Awaited<ReturnType<typeof startSmsGateway>>;
  let opened: Opened;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    smtp = await startSmtp();
    sms = await startSmsGateway(1);
    opened = await openTestContext(fresh, {
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Gapura Sukamaju <no-reply@sukamaju.example>',
      SMS_GATEWAY_URL: sms.url,
      SMS_GATEWAY_AUTHORIZATION: 'Bearer gateway-secret',
    });
  });
  afterAll(async () => {
    await opened.handle.close();
    await smtp.close();
    await sms.close();
    await fresh.cleanup();
  });

  it(
    onEngine(
      engine,
      'delivers e-mail over a real SMTP conversation and SMS through the gateway, retrying a failure',
    ),
    async () => {
      const { ctx } = opened;
      await ctx.db.transaction().execute((trx) =>
        notify(ctx, trx, {
          userId: null,
          template: 'account.verification_code',
          params: { code: '482913', minutes: 10 },
          lang: 'id',
          channels: { email: 'budi.santoso@warga.sukamaju.example', sms: '+6281234567890' },
        }),
      );
      const worker = new OutboxWorker(ctx, outboxHandlers(ctx), { intervalMs: 10 });
      await worker.runOnce();
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]?.to).toBe('budi.santoso@warga.sukamaju.example');
      expect(smtp.received[0]?.data).toContain('Subject: Kode verifikasi Gapura: 482913');
      expect(smtp.received[0]?.data).toContain('From: Gapura Sukamaju <no-reply@sukamaju.example>');
      expect(sms.bodies).toHaveLength(0); // the gateway's first answer was 503: retried later
      const pending = await ctx.db.selectFrom('outbox').selectAll().where('status', '=', 'pending').execute();
      expect(pending).toHaveLength(1);
      await ctx.db
        .updateTable('outbox')
        .set({ available_at: new Date(0).toISOString() })
        .execute();
      await worker.runOnce();
      expect(sms.bodies).toEqual([
        {
          auth: 'Bearer gateway-secret',
          body: { to: '+6281234567890', text: expect.stringContaining('482913') },
        },
      ]);
      // At-least-once delivery never sends a notification twice once it is marked sent.
      await ctx.db
        .updateTable('outbox')
        .set({ status: 'pending', available_at: new Date(0).toISOString() })
        .execute();
      await worker.runOnce();
      expect(smtp.received).toHaveLength(1);
      expect(sms.bodies).toHaveLength(1);
    },
  );
});

describe.each(ENGINES)('demo mailbox', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
  });
  afterAll(async () => {
    await opened.handle.close();
    await fresh.cleanup();
  });

  it(
    onEngine(
      engine,
      'keeps demo messages encrypted, readable only through the keyring, plus the in-app copy',
    ),
    async () => {
      const { ctx } = opened;
      const user = await ctx.db.selectFrom('users').select('id').executeTakeFirst();
      expect(user).toBeUndefined();
      await ctx.db.transaction().execute((trx) =>
        notify(ctx, trx, {
          userId: null,
          template: 'account.recovery_code',
          params: { code: '771204', minutes: 15 },
          lang: 'en',
          channels: { email: 'ani.suryani@warga.sukamaju.example' },
        }),
      );
      await new OutboxWorker(ctx, outboxHandlers(ctx), { intervalMs: 10 }).runOnce();
      const mail = await listDemoMailbox(ctx);
      expect(mail).toEqual([
        expect.objectContaining({
          channel: 'email',
          to: 'ani.suryani@warga.sukamaju.example',
          subject: 'Gapura account recovery',
        }),
      ]);
      expect(mail[0]?.body).toContain('771204');
      if (engine === 'sqlite' && opened.handle.sqliteFile) {
        await ctx.db.selectFrom('demo_mailbox').select('id').execute();
        const raw =
          readFileSync(opened.handle.sqliteFile).toString('latin1') +
          readFileSync(`${opened.handle.sqliteFile}-wal`).toString('latin1');
        expect(raw).not.toContain('ani.suryani');
        expect(raw).not.toContain('771204');
      }
      expect(await listInAppNotifications(ctx, 'nobody')).toEqual([]);
    },
  );
});
