import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../src/app.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, openTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn, multipart } from './helpers/http.ts';

describe.each(ENGINES)('applications over JSON', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  let budi: ApiSession;
  let ani: ApiSession;
  let counter: ApiSession;
  let otherCounter: ApiSession;

  const as = (session: ApiSession, extra: Record<string, string> = {}) => ({
    cookies: { gapura_session: session.cookie },
    headers: { 'x-csrf-token': session.csrf, ...extra },
  });

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    const accounts: DemoAccount[] = await seedDemo(opened.ctx);
    app = await buildServer(opened.ctx);
    const [first, second] = accounts.filter((a) => a.role === 'citizen');
    budi = await apiSignIn(app, opened, first!.email, first!.password);
    ani = await apiSignIn(app, opened, second!.email, second!.password);
    const staffSession = (email: string) => {
      const account = accounts.find((a) => a.email === email)!;
      return apiSignIn(app, opened, account.email, account.password);
    };
    counter = await staffSession('loket.disdukcapil@sukamaju.example');
    otherCounter = await staffSession('loket.dinsos@sukamaju.example');
  });
  afterAll(async () => {
    await app.close();
    await opened.handle.close();
    await fresh.cleanup();
  });

  it(onEngine(engine, 'a draft is saved step by step, refused until valid, then filed once'), async () => {
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      ...as(budi),
      payload: { service: 'akta-kelahiran' },
    });
    expect(started.statusCode).toBe(201);
    const { id } = started.json<{ id: string }>();

    const partial = await app.inject({
      method: 'PATCH',
      url: `/api/v1/applications/${id}/answers`,
      ...as(budi),
      payload: { answers: { pelapor_nik: '3373041201900001', anak_berat: 'berat' } },
    });
    expect(partial.json<{ errors: Array<{ path: string }> }>().errors.map((e) => e.path)).toEqual([
      'anak_berat',
    ]);
    const early = await app.inject({
      method: 'POST',
      url: `/api/v1/applications/${id}/submit`,
      ...as(budi),
      payload: { consent: true },
    });
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ error: { code: 'application.invalid' } });

    await app.inject({
      method: 'PATCH',
      url: `/api/v1/applications/${id}/answers`,
      ...as(budi),
      payload: { answers: aktaKelahiranAnswers() },
    });
    const noConsent = await app.inject({
      method: 'POST',
      url: `/api/v1/applications/${id}/submit`,
      ...as(budi),
      payload: { consent: false },
    });
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.json()).toMatchObject({ error: { code: 'application.consent_required' } });

    const submit = () =>
      app.inject({
        method: 'POST',
        url: `/api/v1/applications/${id}/submit`,
        ...as(budi),
        payload: { consent: true },
      });
    const [a, b] = await Promise.all([submit(), submit()]);
    expect(a.statusCode).toBe(200);
    expect(b.json()).toEqual(a.json());
    const receipt = a.json<{ trackingNumber: string; trackingSecret: string }>();
    expect(receipt.trackingNumber).toMatch(/^DKP-\d{2}-/);

    const detail = await app.inject({ url: `/api/v1/applications/${id}`, ...as(budi) });
    expect(detail.json()).toMatchObject({ stage: 'active', trackingNumber: receipt.trackingNumber });
    expect((await app.inject({ url: `/api/v1/applications/${id}/receipt`, ...as(budi) })).json()).toEqual(
      a.json(),
    );
    // Another citizen learns nothing, not even that it exists.
    for (const url of [`/api/v1/applications/${id}`, `/api/v1/applications/${id}/receipt`]) {
      const response = await app.inject({ url, ...as(ani) });
      expect(response.statusCode).toBe(404);
    }
    expect((await app.inject({ url: '/api/v1/applications', ...as(ani) })).json()).toEqual({ items: [] });

    const tracked = await app.inject({
      method: 'POST',
      url: '/api/v1/track',
      payload: { trackingNumber: receipt.trackingNumber, secret: receipt.trackingSecret },
    });
    expect(tracked.statusCode).toBe(200);
    expect(tracked.json()).toMatchObject({ trackingNumber: receipt.trackingNumber, outcome: null });
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/track',
      payload: { trackingNumber: receipt.trackingNumber, secret: 'ZZZZZZZZ' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/track',
      payload: { trackingNumber: 'DKP-26-0000-0000', secret: receipt.trackingSecret },
    });
    expect([wrong.statusCode, unknown.statusCode]).toEqual([404, 404]);
    expect(wrong.json<{ error: unknown }>().error).toEqual(unknown.json<{ error: unknown }>().error);
  });

  it(onEngine(engine, 'create-and-submit needs an Idempotency-Key and files once per key'), async () => {
    const file = (key?: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/applications',
        ...as(ani, key ? { 'idempotency-key': key } : {}),
        payload: { service: 'akta-kelahiran', answers: aktaKelahiranAnswers(), submit: true, consent: true },
      });
    const missing = await file();
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: { code: 'application.idempotency_key_required' } });
    const responses = await Promise.all([file('key-ani-0001'), file('key-ani-0001'), file('key-ani-0001')]);
    const ids = new Set(responses.map((r) => r.json<{ id: string }>().id));
    expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(ids.size).toBe(1);
    const mine = await app.inject({ url: '/api/v1/applications', ...as(ani) });
    expect(mine.json<{ items: unknown[] }>().items).toHaveLength(1);
    const other = await file('key-ani-0002');
    expect(other.json<{ id: string }>().id).not.toBe([...ids][0]);
    // Another citizen replaying Ani's key gets an application of their own, never Ani's receipt.
    const replayed = await app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      ...as(budi, { 'idempotency-key': 'key-ani-0001' }),
      payload: { service: 'akta-kelahiran', answers: aktaKelahiranAnswers(), submit: true, consent: true },
    });
    expect(replayed.statusCode).toBe(201);
    const theirs = replayed.json<{ id: string; receipt: { trackingNumber: string } }>();
    expect(theirs.id).not.toBe([...ids][0]);
    expect(theirs.receipt.trackingNumber).not.toBe(
      responses[0]!.json<{ receipt: { trackingNumber: string } }>().receipt.trackingNumber,
    );
    expect((await app.inject({ url: `/api/v1/applications/${[...ids][0]}`, ...as(budi) })).statusCode).toBe(
      404,
    );
  });

  it(
    onEngine(engine, 'a counter officer files for a walk-in citizen, who links it to an account later'),
    async () => {
      const file = (session: ApiSession, key: string) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/counter/applications',
          ...as(session, { 'idempotency-key': key }),
          payload: { service: 'akta-kelahiran', answers: aktaKelahiranAnswers(), consent: true },
        });
      const elsewhere = await file(otherCounter, 'counter-0001');
      expect(elsewhere.statusCode).toBe(404);
      const [first, retry] = await Promise.all([
        file(counter, 'counter-0001'),
        file(counter, 'counter-0001'),
      ]);
      expect(first.statusCode).toBe(201);
      expect(retry.json()).toEqual(first.json());
      const receipt = first.json<{ id: string; trackingNumber: string; trackingSecret: string }>();
      const row = await opened.ctx.db
        .selectFrom('applications')
        .select(['applicant_id', 'assisted_by'])
        .where('id', '=', receipt.id)
        .executeTakeFirstOrThrow();
      expect(row.applicant_id).toBeNull();
      expect(row.assisted_by).toEqual(expect.any(String));

      const link = (session: ApiSession, secret: string) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/applications/link',
          ...as(session),
          payload: { trackingNumber: receipt.trackingNumber, secret },
        });
      expect((await link(budi, 'WRONGXYZ')).statusCode).toBe(404);
      const linked = await link(budi, receipt.trackingSecret);
      expect(linked.json()).toEqual({ id: receipt.id });
      const mine = await app.inject({ url: `/api/v1/applications/${receipt.id}`, ...as(budi) });
      expect(mine.json()).toMatchObject({ assisted: true, trackingNumber: receipt.trackingNumber });
      const taken = await link(ani, receipt.trackingSecret);
      expect(taken.statusCode).toBe(409);
      expect(taken.json()).toMatchObject({ error: { code: 'application.already_linked' } });
    },
  );

  it(
    onEngine(engine, 'uploads are checked by content and limits, stored encrypted, and read back intact'),
    async () => {
      const { id } = (
        await app.inject({
          method: 'POST',
          url: '/api/v1/applications',
          ...as(budi),
          payload: { service: 'akta-kelahiran' },
        })
      ).json<{ id: string }>();
      const pdf = Buffer.concat([
        Buffer.from('%PDF-1.4\n'),
        Buffer.from('Surat keterangan lahir dari RS Sukamaju '.repeat(50)),
      ]);
      const upload = async (
        field: string,
        file: { name: string; type: string; bytes: Buffer },
        session = budi,
      ) => {
        const body = await multipart({ file });
        return app.inject({
          method: 'POST',
          url: `/api/v1/applications/${id}/uploads?field=${field}`,
          cookies: { gapura_session: session.cookie },
          headers: { ...body.headers, 'x-csrf-token': session.csrf },
          payload: body.payload,
        });
      };
      const countRows = async () =>
        Number(
          (
            await opened.ctx.db
              .selectFrom('attachments')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );

      const ok = await upload('dok_sptjm_kelahiran', {
        name: 'sptjm.pdf',
        type: 'application/pdf',
        bytes: pdf,
      });
      expect(ok.statusCode).toBe(201);
      const stored = ok.json<{ id: string; mime: string; size: number }>();
      expect(stored).toMatchObject({ mime: 'application/pdf', size: pdf.length });

      const before = await countRows();
      // A GIF named .pdf and declared as a PDF is still a GIF.
      const disguised = await upload('dok_sptjm_kelahiran', {
        name: 'foto.pdf',
        type: 'application/pdf',
        bytes: Buffer.from('GIF89a-not-a-pdf'),
      });
      expect(disguised.statusCode).toBe(415);
      expect(disguised.json()).toMatchObject({ error: { code: 'upload.type_not_allowed' } });
      const tooMany = await upload('dok_sptjm_kelahiran', {
        name: 'b.pdf',
        type: 'application/pdf',
        bytes: pdf,
      });
      expect(tooMany.statusCode).toBe(409);
      const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048 * 1024)]);
      const tooBig = await upload('dok_buku_nikah', { name: 'big.pdf', type: 'application/pdf', bytes: big });
      expect(tooBig.statusCode).toBe(413);
      expect(tooBig.json()).toMatchObject({ error: { code: 'upload.too_large', details: { maxKb: 2048 } } });
      const unknownField = await upload('pelapor_nama', {
        name: 'a.pdf',
        type: 'application/pdf',
        bytes: pdf,
      });
      expect(unknownField.statusCode).toBe(400);
      const stranger = await upload(
        'dok_buku_nikah',
        { name: 'a.pdf', type: 'application/pdf', bytes: pdf },
        ani,
      );
      expect(stranger.statusCode).toBe(404);
      expect(await countRows()).toBe(before);

      const download = await app.inject({
        url: `/api/v1/applications/${id}/uploads/${stored.id}`,
        ...as(budi),
      });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(pdf)).toBe(true);
      expect(
        (await app.inject({ url: `/api/v1/applications/${id}/uploads/${stored.id}`, ...as(ani) })).statusCode,
      ).toBe(404);
      const row = await opened.ctx.db
        .selectFrom('attachments')
        .selectAll()
        .where('id', '=', stored.id)
        .executeTakeFirstOrThrow();
      expect(Buffer.from(row.data_enc).includes(Buffer.from('Surat keterangan lahir'))).toBe(false);
      expect(row.content_name).not.toContain(createHash('sha256').update(pdf).digest('base64url'));

      const removed = await app.inject({
        method: 'DELETE',
        url: `/api/v1/applications/${id}/uploads/${stored.id}`,
        ...as(budi),
      });
      expect(removed.statusCode).toBe(204);
      expect((await app.inject({ url: `/api/v1/applications/${id}/uploads`, ...as(budi) })).json()).toEqual({
        items: [],
      });
    },
  );
});
