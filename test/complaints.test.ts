import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../src/app.ts';
import { FILE_PER_ACCOUNT, FILE_PER_CLIENT } from '../src/complaints/filing.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import { hitRateLimit } from '../src/identity/rate-limit.ts';
import { findUserIdByEmail } from '../src/identity/service.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, openTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn } from './helpers/http.ts';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('bukti foto'),
]);
const DOMAIN = 'sukamaju.example';

interface Receipt {
  id: string;
  number: string;
  secret: string;
  state: string;
}

describe.each(ENGINES)('complaints over JSON', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  const sessions: Record<string, ApiSession> = {};
  let address = 0;

  const as = (who: string | undefined, extra: Record<string, string> = {}) => {
    const session = who ? sessions[who] : undefined;
    return {
      ...(session ? { cookies: { gapura_session: session.cookie } } : {}),
      headers: { ...(session ? { 'x-csrf-token': session.csrf } : {}), ...extra },
      // Every request from its own address, so the per-address limits stay out of the way.
      remoteAddress: `10.40.${Math.floor(address / 250)}.${address++ % 250}`,
    };
  };

  /** A report body; the text carries a marker so every test files something new. */
  const report = (overrides: Record<string, unknown> = {}) => ({
    mode: 'anonymous',
    reportType: 'pengaduan',
    category: 'completion_time',
    subject: { kind: 'service', ref: 'akta-kelahiran' },
    text: `Akta kelahiran anak saya belum selesai padahal sudah lewat batas waktu (${Math.random()}).`,
    mayPublish: true,
    ...overrides,
  });

  const file = async (body: Record<string, unknown>, who?: string, remote?: string) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: body,
      ...as(who),
      ...(remote ? { remoteAddress: remote } : {}),
    });
    return response;
  };

  const filed = async (body: Record<string, unknown> = report(), who?: string): Promise<Receipt> => {
    const response = await file(body, who);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Receipt>();
  };

  const act = (who: string, id: string, payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/api/v1/complaints/queue/${id}/actions`, payload, ...as(who) });

  const track = (number: string, secret: string) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/complaints/track',
      payload: { number, secret },
      ...as(undefined),
    });

  const rowVersionOf = async (id: string) =>
    (
      await opened.ctx.db
        .selectFrom('complaints')
        .select('row_version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).row_version;

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    const accounts: DemoAccount[] = await seedDemo(opened.ctx);
    app = await buildServer(opened.ctx);
    const signIn = async (name: string, email: string) => {
      const account = accounts.find((a) => a.email === email);
      if (!account) throw new Error(`no demo account ${email}`);
      sessions[name] = await apiSignIn(app, opened, account.email, account.password);
    };
    await signIn('budi', `budi.santoso@warga.${DOMAIN}`);
    await signIn('ani', `ani.suryani@warga.${DOMAIN}`);
    await signIn('admin', `admin.pengaduan@${DOMAIN}`);
    await signIn('handler', `pengaduan.disdukcapil@${DOMAIN}`);
    await signIn('supervisor', `atasan.disdukcapil@${DOMAIN}`);
    await signIn('otherHandler', `pengaduan.dinsos@${DOMAIN}`);
    await signIn('verifier', `verifikator.disdukcapil@${DOMAIN}`);
  });
  afterAll(async () => {
    await app.close();
    await opened.handle.close();
    await fresh.cleanup();
  });

  it(
    onEngine(
      engine,
      'an anonymous report is filed with a file, followed by number and secret, and keeps no identity',
    ),
    async () => {
      const receipt = await filed(
        report({ regionCode: '33.73', attachments: [{ contentBase64: PNG.toString('base64') }] }),
      );
      expect(receipt.number).toMatch(/^ADU-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(receipt.secret).toMatch(/^[0-9A-Z]{8}$/);
      expect(receipt.state).toBe('received');

      const tracked = await track(receipt.number.toLowerCase(), receipt.secret);
      expect(tracked.statusCode).toBe(200);
      expect(tracked.json()).toMatchObject({
        number: receipt.number,
        mode: 'anonymous',
        state: { key: 'received' },
        region: 'Kota Salatiga',
        actions: [],
      });
      const wrong = await track(receipt.number, 'AAAAAAAA');
      expect(wrong.statusCode).toBe(404);
      expect(wrong.json()).toMatchObject({ error: { code: 'complaint.track_failed' } });

      const row = await opened.ctx.db
        .selectFrom('complaints')
        .selectAll()
        .where('id', '=', receipt.id)
        .executeTakeFirstOrThrow();
      expect([row.owner_bidx, row.owner_enc, row.reporter_enc]).toEqual([null, null, null]);
      const files = await opened.ctx.db
        .selectFrom('complaint_attachments')
        .selectAll()
        .where('complaint_id', '=', receipt.id)
        .execute();
      expect(files.map((f) => [f.mime, f.size])).toEqual([['image/png', PNG.length]]);
      expect(Buffer.from(files[0]!.data_enc).includes(Buffer.from('bukti foto'))).toBe(false);
      // Nobody is told anything: there is nobody to tell.
      const notes = await opened.ctx.db
        .selectFrom('notifications')
        .select('id')
        .where('template', '=', 'complaint.filed')
        .execute();
      const before = notes.length;
      await filed();
      expect(
        (
          await opened.ctx.db
            .selectFrom('notifications')
            .select('id')
            .where('template', '=', 'complaint.filed')
            .execute()
        ).length,
      ).toBe(before);
    },
  );

  it(
    onEngine(
      engine,
      'a confidential report without an account: identity encrypted, seen by complaint staff only, told by e-mail',
    ),
    async () => {
      const receipt = await filed(
        report({
          mode: 'confidential',
          reporter: { name: 'Sari Wulandari', contact: 'Sari.W@Contoh.example' },
        }),
      );
      const row = await opened.ctx.db
        .selectFrom('complaints')
        .selectAll()
        .where('id', '=', receipt.id)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toMatch(/Sari|contoh\.example/i);
      const mail = await opened.ctx.db
        .selectFrom('notifications')
        .select(['channel', 'user_id'])
        .where('template', '=', 'complaint.filed')
        .where('channel', '=', 'email')
        .execute();
      expect(mail.length).toBeGreaterThan(0);

      const asAdmin = await app.inject({ url: `/api/v1/complaints/queue/${receipt.id}`, ...as('admin') });
      expect(asAdmin.statusCode).toBe(200);
      expect(asAdmin.json()).toMatchObject({
        mode: 'confidential',
        identity: { name: 'Sari Wulandari', email: 'sari.w@contoh.example' },
      });
      // The agency sees nothing before it is disposed to it; other roles never.
      expect(
        (await app.inject({ url: `/api/v1/complaints/queue/${receipt.id}`, ...as('handler') })).statusCode,
      ).toBe(404);
      expect(
        (await app.inject({ url: `/api/v1/complaints/queue/${receipt.id}`, ...as('verifier') })).statusCode,
      ).toBe(403);
      expect(
        (await app.inject({ url: `/api/v1/complaints/queue/${receipt.id}`, ...as('budi') })).statusCode,
      ).toBe(403);
    },
  );

  it(
    onEngine(engine, 'a named report needs a citizen session and lists under that account only'),
    async () => {
      const refused = await file(report({ mode: 'named' }));
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({
        error: { code: 'request.fields', details: { fields: [{ field: 'mode', code: 'needs_account' }] } },
      });
      const asStaff = await file(report({ mode: 'named' }), 'handler');
      expect(asStaff.json()).toMatchObject({ error: { code: 'request.fields' } });

      const receipt = await filed(report({ mode: 'named' }), 'budi');
      const mine = await app.inject({ url: '/api/v1/complaints/mine', ...as('budi') });
      expect(mine.json<{ items: { number: string }[] }>().items.map((i) => i.number)).toContain(
        receipt.number,
      );
      const others = await app.inject({ url: '/api/v1/complaints/mine', ...as('ani') });
      expect(others.json<{ items: { number: string }[] }>().items.map((i) => i.number)).not.toContain(
        receipt.number,
      );
      const budiId = await findUserIdByEmail(opened.ctx, `budi.santoso@warga.${DOMAIN}`);
      const inApp = await opened.ctx.db
        .selectFrom('notifications')
        .select('id')
        .where('user_id', '=', budiId ?? '')
        .where('template', '=', 'complaint.filed')
        .where('channel', '=', 'in_app')
        .execute();
      expect(inApp.length).toBeGreaterThan(0);
      // Ani cannot act on Budi's report, not even by guessing its id.
      const foreign = await app.inject({
        method: 'POST',
        url: `/api/v1/complaints/mine/${receipt.id}/actions`,
        payload: { action: 'accept', rowVersion: 1 },
        ...as('ani'),
      });
      expect(foreign.statusCode).toBe(404);
    },
  );

  it(
    onEngine(
      engine,
      'the lifecycle: verified and published redacted, disposed, answered, appealed once, answered again, accepted',
    ),
    async () => {
      const receipt = await filed(
        report({
          text: 'Petugas loket Bambang meminta uang tambahan Rp50.000 untuk mempercepat akta kelahiran.',
        }),
      );
      const id = receipt.id;
      // Wrong role: a verifier may not even reach the route; the agency does not see it yet.
      expect((await act('verifier', id, { action: 'verify', rowVersion: 1 })).statusCode).toBe(403);
      expect((await act('handler', id, { action: 'verify', rowVersion: 1 })).statusCode).toBe(404);

      const verified = await act('admin', id, {
        action: 'verify',
        rowVersion: 1,
        publicText: 'Petugas loket meminta uang tambahan Rp50.000 untuk mempercepat akta kelahiran.',
      });
      expect(verified.statusCode, verified.body).toBe(200);
      expect(verified.json()).toMatchObject({ state: 'verified', rowVersion: 2 });
      const published = await app.inject({ url: `/api/v1/complaints/${receipt.number}`, ...as(undefined) });
      expect(published.statusCode).toBe(200);
      expect(published.json<{ text: string }>().text).not.toContain('Bambang');

      const stale = await act('admin', id, { action: 'dispose', rowVersion: 1, agency: 'disdukcapil' });
      expect(stale.json()).toMatchObject({ error: { code: 'complaint.changed' } });
      const noAgency = await act('admin', id, { action: 'dispose', rowVersion: 2 });
      expect(noAgency.json()).toMatchObject({
        error: { code: 'request.fields', details: { fields: [{ field: 'agency' }] } },
      });
      const disposed = await act('admin', id, { action: 'dispose', rowVersion: 2, agency: 'disdukcapil' });
      expect(disposed.json()).toMatchObject({ state: 'disposed' });

      // Another agency's handler is told it does not exist; the supervisor may not post the follow-up.
      expect(
        (await app.inject({ url: `/api/v1/complaints/queue/${id}`, ...as('otherHandler') })).statusCode,
      ).toBe(404);
      expect(
        (await act('otherHandler', id, { action: 'follow_up', rowVersion: 3, comment: 'x' })).statusCode,
      ).toBe(404);
      const bySupervisor = await act('supervisor', id, { action: 'follow_up', rowVersion: 3, comment: 'x' });
      expect(bySupervisor.statusCode).toBe(403);
      expect(bySupervisor.json()).toMatchObject({ error: { code: 'auth.forbidden' } });
      const inbox = await app.inject({ url: '/api/v1/complaints/queue?scope=agency', ...as('handler') });
      expect(inbox.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(id);
      const otherInbox = await app.inject({
        url: '/api/v1/complaints/queue?scope=agency&state=all',
        ...as('otherHandler'),
      });
      expect(otherInbox.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(id);
      expect(
        (await app.inject({ url: '/api/v1/complaints/queue?scope=admin', ...as('handler') })).statusCode,
      ).toBe(403);

      const silent = await act('handler', id, { action: 'follow_up', rowVersion: 3 });
      expect(silent.json()).toMatchObject({
        error: { code: 'request.fields', details: { fields: [{ field: 'comment' }] } },
      });
      const answered = await act('handler', id, {
        action: 'follow_up',
        rowVersion: 3,
        comment: 'Petugas yang bersangkutan telah diperiksa; akta selesai hari ini tanpa biaya.',
      });
      expect(answered.json()).toMatchObject({ state: 'answered' });

      const view = await track(receipt.number, receipt.secret);
      expect(
        view
          .json<{ actions: { key: string }[] }>()
          .actions.map((a) => a.key)
          .sort(),
      ).toEqual(['accept', 'appeal']);
      expect(view.json<{ autoCloseAt: string | null }>().autoCloseAt).not.toBeNull();
      const reply = (payload: Record<string, unknown>) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/complaints/track/actions',
          payload: { number: receipt.number, secret: receipt.secret, ...payload },
          ...as(undefined),
        });
      const bare = await reply({ action: 'appeal', rowVersion: 4 });
      expect(bare.json()).toMatchObject({ error: { code: 'request.fields' } });
      expect(
        (await reply({ action: 'appeal', rowVersion: 4, comment: 'Uang saya belum dikembalikan.' })).json(),
      ).toMatchObject({
        state: 'appealed',
      });
      // The handler does not answer an appeal; the supervisor does.
      expect(
        (await act('handler', id, { action: 'answer_appeal', rowVersion: 5, comment: 'x' })).statusCode,
      ).toBe(403);
      const again = await act('supervisor', id, {
        action: 'answer_appeal',
        rowVersion: 5,
        comment: 'Uang Rp50.000 telah dikembalikan kepada pelapor dan petugas diberi sanksi.',
      });
      expect(again.json()).toMatchObject({ state: 'answered' });
      const second = await reply({ action: 'appeal', rowVersion: 6, comment: 'Sekali lagi.' });
      expect(second.json()).toMatchObject({ error: { code: 'complaint.appeal_used' } });
      const afterAppeal = await track(receipt.number, receipt.secret);
      expect(afterAppeal.json<{ actions: { key: string }[] }>().actions.map((a) => a.key)).toEqual([
        'accept',
      ]);
      expect((await reply({ action: 'accept', rowVersion: 6 })).json()).toMatchObject({ state: 'closed' });
      const closed = await reply({ action: 'accept', rowVersion: 7 });
      expect(closed.json()).toMatchObject({ error: { code: 'complaint.closed' } });

      const publicView = await app.inject({ url: `/api/v1/complaints/${receipt.number}`, ...as(undefined) });
      expect(publicView.json()).toMatchObject({
        state: { key: 'closed' },
        answers: [{ appeal: false }, { appeal: true }],
        reporterName: null,
      });

      // Every state change is a leaf about this complaint, with no text in it.
      const leaves = await opened.ctx.db
        .selectFrom('audit_leaves')
        .select('content')
        .where('subject_id', '=', id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      const contents = leaves.map(
        (l) => JSON.parse(l.content.toString('utf8')) as { type: string; facts: { action?: string } },
      );
      expect(contents.map((c) => c.type)).toEqual(['complaint.filed', ...Array(6).fill('complaint.action')]);
      expect(contents.flatMap((c) => (c.facts.action ? [c.facts.action] : []))).toEqual([
        'verify',
        'dispose',
        'follow_up',
        'appeal',
        'answer_appeal',
        'accept',
      ]);
      expect(leaves.some((l) => /Bambang|50\.000|dikembalikan/.test(l.content.toString('utf8')))).toBe(false);
    },
  );

  it(
    onEngine(
      engine,
      'refusals: a duplicate names the earlier report; oversized text and files; bad files, places and subjects',
    ),
    async () => {
      const body = report({ mode: 'confidential', reporter: { name: 'Dedi', contact: '0812-3456-7890' } });
      const first = await filed(body);
      // The same person (same contact), the same text up to spacing and case, from elsewhere: refused.
      const twice = await file({ ...body, text: `  ${String(body.text).toUpperCase()}  ` });
      expect(twice.statusCode).toBe(409);
      expect(twice.json()).toMatchObject({
        error: { code: 'complaint.duplicate', details: { number: first.number } },
      });
      expect(twice.json<{ error: { message: string } }>().error.message).toContain(first.number);
      // Anonymous: the same address and text.
      const anonymous = report();
      await file(anonymous, undefined, '10.99.0.1');
      const again = await file(anonymous, undefined, '10.99.0.1');
      expect(again.json()).toMatchObject({ error: { code: 'complaint.duplicate' } });
      expect((await file(anonymous, undefined, '10.99.0.2')).statusCode).toBe(201);
      // An account: the same text from another address is still a duplicate.
      const named = report({ mode: 'named' });
      expect((await file(named, 'ani')).statusCode).toBe(201);
      expect((await file(named, 'ani')).json()).toMatchObject({ error: { code: 'complaint.duplicate' } });

      const count = async () =>
        Number(
          (
            await opened.ctx.db
              .selectFrom('complaints')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const long = await file(report({ text: 'x'.repeat(5001) }));
      expect(long.json()).toMatchObject({
        error: { code: 'request.fields', details: { fields: [{ field: 'text' }] } },
      });
      const short = await file(report({ text: 'pendek' }));
      expect(short.json()).toMatchObject({ error: { code: 'request.fields' } });
      const huge = await file(
        report({
          attachments: [
            { contentBase64: Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]).toString('base64') },
          ],
        }),
      );
      expect(huge.statusCode).toBe(413);
      expect(huge.json()).toMatchObject({ error: { code: 'upload.too_large' } });
      const tooMany = await file(
        report({ attachments: Array(4).fill({ contentBase64: PNG.toString('base64') }) }),
      );
      expect(tooMany.statusCode).toBe(400);
      const notImage = await file(
        report({ attachments: [{ contentBase64: Buffer.from('MZ executable').toString('base64') }] }),
      );
      expect(notImage.json()).toMatchObject({ error: { code: 'upload.type_not_allowed' } });
      // With other problems, a bad file is listed among them.
      const both = await file(
        report({
          text: 'pendek',
          attachments: [{ contentBase64: Buffer.from('MZ executable').toString('base64') }],
        }),
      );
      expect(
        both
          .json<{ error: { details: { fields: { field: string }[] } } }>()
          .error.details.fields.map((f) => f.field),
      ).toEqual(['text', 'attachments']);
      const place = await file(report({ regionCode: '99.99' }));
      expect(place.json()).toMatchObject({
        error: { code: 'request.fields', details: { fields: [{ field: 'regionCode' }] } },
      });
      const subject = await file(report({ subject: { kind: 'service', ref: 'tidak-ada' } }));
      expect(subject.json()).toMatchObject({
        error: { code: 'request.fields', details: { fields: [{ field: 'subject' }] } },
      });
      const stranger = await file(
        report({ mode: 'confidential', subject: { kind: 'application', ref: first.id } }),
        'budi',
      );
      expect(stranger.json()).toMatchObject({
        error: { code: 'request.fields', details: { fields: [{ field: 'subject' }] } },
      });
      const guest = await file(report({ mode: 'confidential' }));
      expect(
        guest
          .json<{ error: { details: { fields: { field: string }[] } } }>()
          .error.details.fields.map((f) => f.field),
      ).toEqual(['reporterName', 'reporterContact']);
      const tooBig = await app.inject({
        method: 'POST',
        url: '/api/v1/complaints',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(report({ text: 'x'.repeat(40 * 1024 * 1024) })),
      });
      expect(tooBig.statusCode).toBe(413);
      expect(await count()).toBe(before);
    },
  );

  it(
    onEngine(
      engine,
      'a report about the citizen’s own application cannot be anonymous, and names the application',
    ),
    async () => {
      const started = await app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        payload: { service: 'sktm' },
        ...as('budi'),
      });
      const draftId = started.json<{ id: string }>().id;
      // A draft is nothing to complain about yet.
      const draft = await file(
        report({ mode: 'confidential', subject: { kind: 'application', ref: draftId } }),
        'budi',
      );
      expect(draft.json()).toMatchObject({ error: { code: 'request.fields' } });
      await opened.ctx.db
        .updateTable('applications')
        .set({ stage: 'active', state: 'diajukan' })
        .where('id', '=', draftId)
        .execute();
      const anonymous = await file(report({ subject: { kind: 'application', ref: draftId } }), 'budi');
      expect(anonymous.json()).toMatchObject({
        error: {
          code: 'request.fields',
          details: { fields: [{ field: 'mode', code: 'application_not_anonymous' }] },
        },
      });
      const receipt = await filed(
        report({ mode: 'confidential', subject: { kind: 'application', ref: draftId } }),
        'budi',
      );
      const row = await opened.ctx.db
        .selectFrom('complaints')
        .select(['application_id', 'target_agency_id', 'service_id'])
        .where('id', '=', receipt.id)
        .executeTakeFirstOrThrow();
      expect(row.application_id).toBe(draftId);
      expect(row.target_agency_id).not.toBeNull();
      expect(await rowVersionOf(receipt.id)).toBe(1);
    },
  );
  it(onEngine(engine, 'filing is rate limited per address and per account'), async () => {
    for (let i = 0; i < FILE_PER_CLIENT.limit; i++)
      await hitRateLimit(opened.ctx.db, 'complaint:file:client:10.88.0.1', FILE_PER_CLIENT);
    const byAddress = await file(report(), undefined, '10.88.0.1');
    expect(byAddress.statusCode).toBe(429);
    expect(byAddress.headers['retry-after']).toBeDefined();
    const budiId = (await findUserIdByEmail(opened.ctx, `budi.santoso@warga.${DOMAIN}`)) ?? '';
    for (let i = 0; i < FILE_PER_ACCOUNT.limit; i++)
      await hitRateLimit(opened.ctx.db, `complaint:file:account:${budiId}`, FILE_PER_ACCOUNT);
    const byAccount = await file(report({ mode: 'confidential' }), 'budi');
    expect(byAccount.statusCode).toBe(429);
    // Anonymous reports from the same account's browser are limited by the address only.
    expect((await file(report(), 'budi')).statusCode).toBe(201);
  });
});
