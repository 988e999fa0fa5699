import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../src/app.ts';
import { markIdentityVerified, takeAction } from '../src/applications/processing.ts';
import { fileAtCounter, findRow, startApplication, submitApplication } from '../src/applications/service.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import type { Principal } from '../src/identity/roles.ts';
import { principalFromToken } from '../src/identity/service.ts';
import { listInAppNotifications } from '../src/notifications/service.ts';
import { seedSurveyDemo } from '../src/survey/demo.ts';
import { ELEMENT_KEYS } from '../src/survey/elements.ts';
import { ikmFigures } from '../src/survey/figures.ts';
import { computeIkm, krejcieMorgan } from '../src/survey/ikm.ts';
import { periodContaining, periodRange } from '../src/survey/periods.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, openTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn } from './helpers/http.ts';
import { formFields, unescapeHtml } from './helpers/pages.ts';

type Answers = Record<(typeof ELEMENT_KEYS)[number], number>;

/** Nine answers from a compact list, in the regulation's order. */
function answersOf(values: readonly number[]): Answers {
  return {
    requirements: values[0] ?? 0,
    procedure: values[1] ?? 0,
    time: values[2] ?? 0,
    cost: values[3] ?? 0,
    product: values[4] ?? 0,
    competence: values[5] ?? 0,
    behaviour: values[6] ?? 0,
    complaints: values[7] ?? 0,
    facilities: values[8] ?? 0,
  };
}

function formOf(values: readonly number[], comment = ''): Array<[string, string]> {
  const fields: Array<[string, string]> = ELEMENT_KEYS.map((k, i) => [k, String(values[i])]);
  if (comment) fields.push(['comment', comment]);
  return fields;
}

describe.each(ENGINES)('satisfaction survey (SKM)', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  let accounts: DemoAccount[];
  const sessions: Record<string, ApiSession> = {};
  const principals: Record<string, Principal> = {};
  /** What the tests answered, in order, to check the figures against. */
  const answered: number[][] = [];

  const account = (role: DemoAccount['role'], agency: string | null = null, index = 0) => {
    const found = accounts.filter((a) => a.role === role && (agency === null || a.agencySlug === agency))[
      index
    ];
    if (!found) throw new Error(`no demo ${role} ${agency}`);
    return found;
  };
  const get = (who: string | null, url: string) =>
    app.inject({
      url,
      cookies: who ? { gapura_session: sessions[who]?.cookie ?? '' } : {},
      headers: { 'accept-language': 'id' },
    });
  const post = (who: string, url: string, fields: Array<[string, string]>) => {
    const params = new URLSearchParams();
    for (const [k, v] of fields) if (k !== '_csrf') params.append(k, v);
    params.append('_csrf', sessions[who]?.csrf ?? '');
    return app.inject({
      method: 'POST',
      url,
      cookies: { gapura_session: sessions[who]?.cookie ?? '' },
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'id' },
      payload: params.toString(),
    });
  };
  const api = (who: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const headers: Record<string, string> = {
      'x-csrf-token': sessions[who]?.csrf ?? '',
      'accept-language': 'en',
    };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    return app.inject({
      method,
      url,
      cookies: { gapura_session: sessions[who]?.cookie ?? '' },
      headers,
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  };
  const location = (response: LightMyRequestResponse) => String(response.headers.location ?? '');
  const ctx = () => opened.ctx;

  /** Takes a workflow action as `who`, on the current version. */
  const act = async (who: string, id: string, action: string, comment?: string) => {
    const row = await findRow(ctx().db, id);
    if (!row) throw new Error('no application');
    await takeAction(ctx(), principals[who]!, id, {
      action,
      rowVersion: row.row_version,
      lang: 'id',
      comment,
    });
  };
  const filedByCitizen = async (who = 'citizen') => {
    const { id } = await startApplication(ctx(), principals[who]!, 'akta-kelahiran', aktaKelahiranAnswers());
    await submitApplication(ctx(), principals[who]!, id, { consent: true, lang: 'id' });
    return id;
  };
  const approve = async (id: string) => {
    await markIdentityVerified(ctx(), principals.verifier!, id);
    await act('verifier', id, 'verifikasi');
    await act('approver', id, 'setujui');
  };
  const invitations = (userId: string) =>
    ctx()
      .db.selectFrom('notifications')
      .select(['channel', 'template'])
      .where('user_id', '=', userId)
      .where('template', '=', 'survey.invitation')
      .execute();
  const responseRows = (applicationId: string) =>
    ctx().db.selectFrom('survey_responses').selectAll().where('application_id', '=', applicationId).execute();

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    accounts = await seedDemo(opened.ctx);
    app = await buildServer(opened.ctx);
    const signIn = async (name: string, a: DemoAccount) => {
      sessions[name] = await apiSignIn(app, opened, a.email, a.password);
      const principal = await principalFromToken(opened.ctx, sessions[name].cookie);
      if (!principal) throw new Error('no principal');
      principals[name] = principal;
    };
    await signIn('citizen', account('citizen', null, 0));
    await signIn('other', account('citizen', null, 1));
    await signIn('officer', account('counter_officer', 'disdukcapil'));
    await signIn('otherOfficer', account('counter_officer', 'dpmptsp'));
    await signIn('verifier', account('verifier', 'disdukcapil'));
    await signIn('approver', account('approver', 'disdukcapil'));
    await signIn('supervisor', account('supervisor', 'disdukcapil'));
    await signIn('admin', account('agency_admin', 'disdukcapil'));
    await signIn('dinsosAdmin', account('agency_admin', 'dinsos'));
  });
  afterAll(async () => {
    await app?.close();
    await opened?.handle.close();
    await fresh?.cleanup();
  });

  it(
    onEngine(engine, 'invites the applicant in the app and by e-mail when an application is approved'),
    async () => {
      const id = await filedByCitizen();
      // Not while it is still open.
      expect(await invitations(principals.citizen!.userId)).toEqual([]);
      const early = await get('citizen', `/applications/${id}/survey`);
      expect(early.statusCode).toBe(200);
      expect(early.body).toContain('Survei belum dibuka');
      expect(early.body).not.toContain('name="requirements"');
      expect((await get('citizen', `/applications/${id}`)).body).not.toContain(`/applications/${id}/survey`);

      await approve(id);
      const sent = await invitations(principals.citizen!.userId);
      expect(sent.map((n) => n.channel).sort()).toEqual(['email', 'in_app']);
      const inApp = await listInAppNotifications(ctx(), principals.citizen!.userId);
      const invitation = inApp.find((n) => n.body.includes(`/applications/${id}/survey`));
      expect(invitation?.subject).toContain('survei kepuasan');
      // The e-mail goes through the outbox like every other message.
      const queued = await ctx()
        .db.selectFrom('outbox')
        .select('payload')
        .where('topic', '=', 'notification.deliver')
        .execute();
      expect(queued.length).toBeGreaterThan(0);

      // The application page links to the survey.
      const status = await get('citizen', `/applications/${id}`);
      expect(status.body).toContain(`href="/applications/${id}/survey"`);
      expect(status.body).toContain('Isi survei kepuasan');
    },
  );

  it(onEngine(engine, 'invites on rejection too, but not when the applicant withdraws'), async () => {
    const before = (await invitations(principals.citizen!.userId)).length;
    const rejected = await filedByCitizen();
    await act('verifier', rejected, 'tolak', 'Dokumen tidak sesuai');
    expect((await invitations(principals.citizen!.userId)).length).toBe(before + 2);

    const withdrawn = await filedByCitizen();
    await act('citizen', withdrawn, 'batalkan');
    expect((await invitations(principals.citizen!.userId)).length).toBe(before + 2);
    const page = await get('citizen', `/applications/${withdrawn}/survey`);
    expect(page.body).toContain('Survei belum dibuka');
    const refused = await post(
      'citizen',
      `/applications/${withdrawn}/survey`,
      formOf([4, 4, 4, 4, 4, 4, 4, 4, 4]),
    );
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(refused.statusCode).toBeLessThan(500);
    expect(refused.body).toContain('Survei hanya dibuka untuk permohonan yang sudah selesai');
    expect(await responseRows(withdrawn)).toEqual([]);
  });

  it(
    onEngine(engine, 'the applicant answers on the page: bad input comes back with errors, then once only'),
    async () => {
      const id = await filedByCitizen();
      await approve(id);
      const url = `/applications/${id}/survey`;
      const page = await get('citizen', url);
      expect(page.statusCode).toBe(200);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.body.match(/type="radio"/g)).toHaveLength(36);
      // Within the 40 KB first-visit budget with its stylesheet.
      const css = await get(null, '/static/gapura.css');
      expect(Buffer.byteLength(page.body) + css.rawPayload.length).toBeLessThan(40 * 1024);
      expect(page.body).toContain('Tidak sesuai');
      expect(page.body).toContain('Sangat sopan dan ramah');
      expect(page.body).toContain('Dikelola dengan baik');
      expect(formFields(page.body, { action: url }).map(([n]) => n)).toContain('_csrf');

      // Missing answers, an answer out of the scale and a comment too long.
      const bad = await post('citizen', url, [
        ['requirements', '4'],
        ['procedure', '5'],
        ['comment', 'x'.repeat(1001)],
      ]);
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('g-error-summary');
      expect(bad.body).toContain('href="#procedure"');
      expect(bad.body).toContain('href="#facilities"');
      expect(bad.body).toContain('href="#comment"');
      expect(bad.body).not.toContain('href="#requirements"');
      expect(bad.body).toMatch(/id="requirements-4"[^>]*checked|checked[^>]*id="requirements-4"/);
      expect(await responseRows(id)).toEqual([]);

      const values = [4, 3, 3, 2, 4, 3, 4, 3, 3];
      const comment = 'Petugas Pak Budi sangat membantu, NIK saya 3373041201900001';
      const good = await post('citizen', url, formOf(values, comment));
      expect(good.statusCode).toBe(303);
      expect(location(good)).toBe(url);
      answered.push(values);
      const rows = await responseRows(id);
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect([row.u1, row.u2, row.u3, row.u4, row.u5, row.u6, row.u7, row.u8, row.u9]).toEqual(values);
      expect(row.channel).toBe('online');
      // The comment is encrypted at rest, bound to its row.
      expect(row.comment_enc).not.toContain('Budi');
      expect(await ctx().keyring.decrypt(row.comment_enc ?? '', `survey_responses.comment:${row.id}`)).toBe(
        comment,
      );

      // Its audit leaf commits to the answers through a salted hash only.
      const leaves = await ctx()
        .db.selectFrom('audit_leaves')
        .select('content')
        .where('subject_id', '=', id)
        .execute();
      const leaf = leaves
        .map((l) => JSON.parse(Buffer.from(l.content).toString('utf8')) as Record<string, unknown>)
        .find((l) => l.type === 'survey.answered');
      expect(leaf).toBeDefined();
      expect(leaf?.personal_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(leaf?.facts).toEqual({ channel: 'online', service: row.service_id });
      expect(JSON.stringify(leaf)).not.toContain('Budi');

      const thanks = await get('citizen', url);
      expect(thanks.body).toContain('Terima kasih atas penilaian Anda');
      expect(thanks.body).not.toContain('name="requirements"');
      expect(thanks.body).not.toContain('Pak Budi');

      // A second answer is refused with a clear message, and nothing changes.
      const again = await post('citizen', url, formOf([1, 1, 1, 1, 1, 1, 1, 1, 1]));
      expect(again.statusCode).toBeGreaterThanOrEqual(400);
      expect(again.statusCode).toBeLessThan(500);
      expect(unescapeHtml(again.body)).toContain('Survei untuk permohonan ini sudah diisi');
      const viaApi = await api('citizen', 'POST', `/api/v1/applications/${id}/survey`, {
        answers: answersOf([1, 1, 1, 1, 1, 1, 1, 1, 1]),
      });
      expect(viaApi.json().error.code).toBe('survey.already_answered');
      expect(viaApi.json().error.message).toContain('already been answered');
      expect((await responseRows(id))[0]?.u1).toBe(4);

      // The database itself holds one response per application.
      await expect(
        ctx()
          .db.insertInto('survey_responses')
          .values({ ...row, id: '0190f5a2-3c4d-7e8f-9a0b-1c2d3e4f5a00' })
          .execute(),
      ).rejects.toThrow();
    },
  );

  it(onEngine(engine, "answers through the JSON API, and refuses someone else's application"), async () => {
    const id = await filedByCitizen();
    await act('verifier', id, 'tolak', 'Tidak memenuhi syarat');
    const url = `/api/v1/applications/${id}/survey`;

    const other = await api('other', 'POST', url, { answers: answersOf([4, 4, 4, 4, 4, 4, 4, 4, 4]) });
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('not_found');
    expect((await get('other', `/applications/${id}/survey`)).statusCode).toBe(404);
    expect(
      (await post('other', `/applications/${id}/survey`, formOf([4, 4, 4, 4, 4, 4, 4, 4, 4]))).statusCode,
    ).toBe(404);
    expect(
      (await api('verifier', 'POST', url, { answers: answersOf([4, 4, 4, 4, 4, 4, 4, 4, 4]) })).statusCode,
    ).toBe(403);

    const outOfScale = await api('citizen', 'POST', url, { answers: answersOf([5, 4, 4, 4, 4, 4, 4, 4, 4]) });
    expect(outOfScale.statusCode).toBe(400);
    expect(outOfScale.json().error.code).toBe('request.invalid');
    const missing = await api('citizen', 'POST', url, { answers: { requirements: 4 } });
    expect(missing.statusCode).toBe(400);
    expect(await responseRows(id)).toEqual([]);

    const values = [2, 2, 3, 3, 2, 3, 3, 2, 2];
    const ok = await api('citizen', 'POST', url, { answers: answersOf(values), comment: '  ' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ applicationId: id });
    expect(Date.parse(ok.json().answeredAt)).not.toBeNaN();
    answered.push(values);
    expect((await responseRows(id))[0]?.comment_enc).toBeNull();

    // Five answers at once for another application: the database keeps exactly one.
    const raced = await filedByCitizen();
    await act('verifier', raced, 'tolak', 'Tidak memenuhi syarat');
    const results = await Promise.all(
      [1, 2, 3, 4, 4].map((v) =>
        api('citizen', 'POST', `/api/v1/applications/${raced}/survey`, {
          answers: answersOf(Array(9).fill(v)),
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode !== 201).map((r) => r.json().error.code)).toEqual(
      Array(4).fill('survey.already_answered'),
    );
    const kept = await responseRows(raced);
    expect(kept).toHaveLength(1);
    answered.push(Array(9).fill(kept[0]?.u1));
  });

  it(
    onEngine(engine, 'a walk-in citizen answers at the counter; the officer can neither see nor change it'),
    async () => {
      const receipt = await fileAtCounter(
        ctx(),
        principals.officer!,
        'akta-kelahiran',
        aktaKelahiranAnswers(),
        {
          consent: true,
          lang: 'id',
          idempotencyKey: `survey-kiosk-${engine}`,
        },
      );
      const id = receipt.id;
      await approve(id);
      // No account, so no invitation: the counter's list has it.
      const list = await get('officer', '/counter/survey');
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain(`href="/counter/survey/${id}"`);
      const found = await get(
        'officer',
        `/counter/survey?number=${encodeURIComponent(receipt.trackingNumber)}`,
      );
      expect(found.body).toContain(`href="/counter/survey/${id}"`);
      expect((await get('otherOfficer', '/counter/survey')).body).not.toContain(id);
      expect((await get('otherOfficer', `/counter/survey/${id}`)).statusCode).toBe(404);
      expect((await get('citizen', `/counter/survey/${id}`)).statusCode).toBe(403);

      const url = `/counter/survey/${id}`;
      const kiosk = await get('officer', url);
      expect(kiosk.statusCode).toBe(200);
      expect(kiosk.headers['cache-control']).toBe('no-store');
      expect(kiosk.body).toContain('Petugas tidak dapat melihat jawaban Anda');
      expect(kiosk.body.match(/type="radio"/g)).toHaveLength(36);

      const bad = await post('officer', url, formOf([3, 3, 3, 3, 3, 3, 3, 3, 0]));
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('href="#facilities"');

      const values = [3, 3, 2, 4, 3, 3, 3, 3, 2];
      const good = await post('officer', url, formOf(values, 'Ruang tunggu nyaman'));
      expect(good.statusCode).toBe(303);
      expect(location(good)).toBe(`/counter/survey?done=${receipt.trackingNumber}`);
      answered.push(values);
      const rows = await responseRows(id);
      expect(rows.map((r) => r.channel)).toEqual(['counter']);

      const after = await get('officer', location(good));
      expect(after.body).toContain(`Penilaian untuk permohonan ${receipt.trackingNumber} sudah tersimpan`);
      expect(after.body).not.toContain(`href="/counter/survey/${id}"`);
      // Opening it again shows only that it was answered: no answers, no form.
      const reopened = await get('officer', url);
      expect(reopened.body).toContain('Terima kasih atas penilaian Anda');
      expect(reopened.body).not.toContain('type="radio"');
      expect(reopened.body).not.toContain('Ruang tunggu nyaman');
      const again = await post('officer', url, formOf([1, 1, 1, 1, 1, 1, 1, 1, 1]));
      expect(again.statusCode).toBeGreaterThanOrEqual(400);
      expect(unescapeHtml(again.body)).toContain('Survei untuk permohonan ini sudah diisi');
      expect((await responseRows(id))[0]?.u9).toBe(2);
    },
  );

  it(
    onEngine(engine, 'shows the agency its IKM per service and period, with the population it rests on'),
    async () => {
      const period = periodContaining(new Date(), 'year', 'Asia/Jakarta');
      const expected = computeIkm({
        respondents: answered.length,
        sums: answersOf(ELEMENT_KEYS.map((_, i) => answered.reduce((acc, r) => acc + (r[i] ?? 0), 0))),
      });
      expect(answered).toHaveLength(4);
      const closed = await ctx()
        .db.selectFrom('applications')
        .select('id')
        .where('stage', '=', 'closed')
        .where('outcome', 'in', ['approved', 'rejected'])
        .execute();

      const figures = await api('admin', 'GET', `/api/v1/survey/ikm?agency=disdukcapil&period=${period.key}`);
      expect(figures.statusCode).toBe(200);
      const body = figures.json();
      expect(body.figures.respondents).toBe(4);
      expect(body.figures.score).toBe(expected.score);
      expect(body.figures.grade).toBe(expected.grade);
      expect(body.figures.elements).toEqual(expected.elements);
      expect(body.figures.population).toBe(closed.length);
      expect(body.figures.minimumSample).toBe(krejcieMorgan(closed.length));
      expect(body.populationSource).toBe('closed');
      const akta = body.services.find((s: { slug: string }) => s.slug === 'akta-kelahiran');
      expect(akta.figures.respondents).toBe(4);
      expect(
        body.services.find((s: { slug: string }) => s.slug !== 'akta-kelahiran')?.figures.score,
      ).toBeNull();

      // The same numbers through the shared figures function.
      const range = periodRange(period, 'Asia/Jakarta');
      const service = await ctx()
        .db.selectFrom('services')
        .select(['id', 'agency_id'])
        .where('slug', '=', 'akta-kelahiran')
        .executeTakeFirstOrThrow();
      const shared = await ikmFigures(ctx(), { agencyId: null, serviceId: service.id }, range);
      expect(shared).toEqual({
        respondents: 4,
        elements: expected.elements,
        ikm: expected.ikm,
        score: expected.score,
        grade: expected.grade,
        population: closed.length,
        minimumSample: krejcieMorgan(closed.length),
      });
      const empty = await ikmFigures(
        ctx(),
        { agencyId: service.agency_id, serviceId: null },
        {
          from: '2001-01-01T00:00:00Z',
          to: '2001-02-01T00:00:00Z',
        },
      );
      expect(empty).toMatchObject({ respondents: 0, ikm: null, score: null, grade: null, population: 0 });

      const page = await get('supervisor', `/admin/survey?agency=disdukcapil&period=${period.key}`);
      expect(page.statusCode).toBe(200);
      const text = unescapeHtml(page.body);
      const score = new Intl.NumberFormat('id-ID', {
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      }).format(expected.score ?? 0);
      expect(text).toContain(score);
      expect(text).toContain('Sumber populasi: jumlah permohonan selesai');
      expect(text).toContain('kurang dari sampel minimum');
      // Comments, without the application they came from.
      expect(text).toContain('Ruang tunggu nyaman');
      expect(page.body).not.toContain('/admin/survey/population');
      expect((await get('supervisor', '/admin/survey/population?agency=disdukcapil')).statusCode).toBe(403);
      expect((await get('dinsosAdmin', '/admin/survey?agency=disdukcapil')).statusCode).toBe(404);
      expect((await api('dinsosAdmin', 'GET', '/api/v1/survey/ikm?agency=disdukcapil')).statusCode).toBe(404);
      expect((await api('citizen', 'GET', '/api/v1/survey/ikm?agency=disdukcapil')).statusCode).toBe(403);
      const badPeriod = await api('admin', 'GET', '/api/v1/survey/ikm?agency=disdukcapil&period=2026-13');
      expect(badPeriod.statusCode).toBe(400);
    },
  );

  it(
    onEngine(engine, 'the agency admin enters the population; bad input comes back with errors'),
    async () => {
      const period = periodContaining(new Date(), 'year', 'Asia/Jakarta');
      const service = await ctx()
        .db.selectFrom('services')
        .select('id')
        .where('slug', '=', 'akta-kelahiran')
        .executeTakeFirstOrThrow();
      const url = `/admin/survey/population?agency=disdukcapil&period=${period.key}`;
      const form = await get('admin', url);
      expect(form.statusCode).toBe(200);
      expect(form.body).toContain(`name="p_${service.id}"`);
      const action = '/admin/survey/population?agency=disdukcapil';

      const bad = await post('admin', action, [
        ['period', period.key],
        [`p_${service.id}`, 'seratus'],
      ]);
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain(`href="#p_${service.id}"`);
      expect(bad.body).toContain('value="seratus"');
      expect(await ctx().db.selectFrom('survey_populations').selectAll().execute()).toEqual([]);
      const badPeriod = await post('admin', action, [
        ['period', '2026-Q9'],
        [`p_${service.id}`, '100'],
      ]);
      expect(badPeriod.statusCode).toBe(400);
      expect(unescapeHtml(badPeriod.body)).toContain('Pilih periode');

      const saved = await post('admin', action, [
        ['period', period.key],
        [`p_${service.id}`, '1.000'],
      ]);
      expect(saved.statusCode).toBe(303);
      expect(location(saved)).toBe(`/admin/survey?agency=disdukcapil&period=${period.key}&done=population`);
      const stored = await ctx().db.selectFrom('survey_populations').selectAll().execute();
      expect(stored.map((p) => [p.service_id, p.period, Number(p.population)])).toEqual([
        [service.id, period.key, 1000],
      ]);

      const figures = (
        await api(
          'admin',
          'GET',
          `/api/v1/survey/ikm?agency=disdukcapil&service=akta-kelahiran&period=${period.key}`,
        )
      ).json();
      expect(figures.service).toBe('akta-kelahiran');
      expect(figures.figures.population).toBe(1000);
      expect(figures.figures.minimumSample).toBe(278);
      expect(figures.populationSource).toBe('entered');
      expect(figures.belowMinimumSample).toBe(true);
      const page = unescapeHtml((await get('admin', location(saved))).body);
      expect(page).toContain('Populasi tersimpan.');
      expect(page).toContain('diisi admin instansi');

      // Emptying the field returns the service to the count of closed applications.
      const cleared = await post('admin', action, [
        ['period', period.key],
        [`p_${service.id}`, ''],
      ]);
      expect(cleared.statusCode).toBe(303);
      expect(await ctx().db.selectFrom('survey_populations').selectAll().execute()).toEqual([]);
      const leaves = await ctx()
        .db.selectFrom('audit_leaves')
        .select('content')
        .where('subject_id', '=', service.id)
        .execute();
      const types = leaves.map(
        (l) => (JSON.parse(Buffer.from(l.content).toString('utf8')) as { type: string }).type,
      );
      expect(types.filter((type) => type === 'survey.population_set')).toHaveLength(2);
    },
  );

  it(onEngine(engine, 'limits how often an account may send the survey form'), async () => {
    const id = await filedByCitizen('other');
    await act('verifier', id, 'tolak', 'Berkas tidak lengkap');
    const url = `/applications/${id}/survey`;
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push((await post('other', url, [['requirements', '9']])).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    const limited = await post('other', url, formOf([4, 4, 4, 4, 4, 4, 4, 4, 4]));
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(unescapeHtml(limited.body)).toContain('Terlalu banyak percobaan');
    expect(statuses[30]).toBe(429);
    expect(await responseRows(id)).toEqual([]);
  });

  it(
    onEngine(engine, 'demo history answers a share of the closed applications, and nothing without history'),
    async () => {
      for (let i = 0; i < 12; i++) {
        const id = await filedByCitizen(i % 2 === 0 ? 'citizen' : 'other');
        await act('verifier', id, 'tolak', 'Berkas tidak lengkap');
      }
      const count = async () => (await ctx().db.selectFrom('survey_responses').select('id').execute()).length;
      const before = await count();
      await seedSurveyDemo(ctx(), { history: false });
      expect(await count()).toBe(before);
      await seedSurveyDemo(ctx(), { history: true });
      const after = await ctx()
        .db.selectFrom('survey_responses')
        .select(['application_id', 'u1', 'u9'])
        .execute();
      // About half of the twelve (and the earlier unanswered ones), each once.
      expect(after.length - before).toBeGreaterThanOrEqual(3);
      expect(after.length - before).toBeLessThanOrEqual(14);
      expect(new Set(after.map((r) => r.application_id)).size).toBe(after.length);
      expect(after.every((r) => Number(r.u1) >= 1 && Number(r.u1) <= 4 && Number(r.u9) >= 1)).toBe(true);
      // Run again: only applications without an answer are considered.
      const again = await count();
      await seedSurveyDemo(ctx(), { history: true });
      expect(await count()).toBeGreaterThanOrEqual(again);
      expect(
        new Set(
          (await ctx().db.selectFrom('survey_responses').select('application_id').execute()).map(
            (r) => r.application_id,
          ),
        ).size,
      ).toBe(await count());
    },
  );
});
