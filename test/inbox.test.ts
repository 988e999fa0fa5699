import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApplication, submitApplication } from '../src/applications/service.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import type { Principal } from '../src/identity/roles.ts';
import { findUserIdByEmail } from '../src/identity/service.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, onEngine, useTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn } from './helpers/http.ts';

const DOMAIN = 'sukamaju.example';

interface InboxJson {
  items: {
    id: string;
    trackingNumber: string;
    state: { key: string };
    assignedToMe: boolean;
    rowVersion: number;
  }[];
  total: number;
  counts: {
    all: number;
    dueSoon: number;
    overdue: number;
    mine: number;
    unassigned: number;
    byState: { key: string; count: number }[];
  };
}

describe.each(ENGINES)('officer inbox (API and pages)', (engine) => {
  const test = useTestContext(engine);
  const ctx = () => test.opened.ctx;
  let app: App;
  let accounts: DemoAccount[];
  const sessions: Record<string, ApiSession> = {};
  const ids: string[] = [];
  let citizen: Principal;

  const signIn = async (key: string, email: string) => {
    const account = accounts.find((a) => a.email === email);
    if (!account) throw new Error(`no demo account ${email}`);
    sessions[key] = await apiSignIn(app, test.opened, email, account.password);
  };
  const get = (who: string, url: string) =>
    app.inject({ method: 'GET', url, cookies: { gapura_session: sessions[who]!.cookie } });
  const post = (who: string, url: string, payload: object = {}) =>
    app.inject({
      method: 'POST',
      url,
      cookies: { gapura_session: sessions[who]!.cookie },
      headers: { 'x-csrf-token': sessions[who]!.csrf },
      payload,
    });
  const postForm = (who: string, url: string, fields: [string, string][]) =>
    app.inject({
      method: 'POST',
      url,
      cookies: { gapura_session: sessions[who]!.cookie },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([['_csrf', sessions[who]!.csrf], ...fields]).toString(),
    });
  const inbox = async (who: string, query = '') => {
    const res = await get(who, `/api/v1/inbox${query}`);
    expect(res.statusCode).toBe(200);
    return res.json<InboxJson>();
  };
  const rowVersion = async (id: string) =>
    (
      await ctx()
        .db.selectFrom('applications')
        .select('row_version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).row_version;

  beforeAll(async () => {
    accounts = await seedDemo(ctx());
    app = await buildServer(ctx());
    await signIn('verifier', `verifikator.disdukcapil@${DOMAIN}`);
    await signIn('approver', `penandatangan.disdukcapil@${DOMAIN}`);
    await signIn('supervisor', `atasan.disdukcapil@${DOMAIN}`);
    await signIn('dinsos', `verifikator.dinsos@${DOMAIN}`);
    await signIn('citizen', `budi.santoso@warga.${DOMAIN}`);
    const userId = await findUserIdByEmail(ctx(), `budi.santoso@warga.${DOMAIN}`);
    citizen = { userId: userId!, kind: 'citizen', sessionId: null, grants: [] };
    for (let i = 0; i < 3; i++) {
      const { id } = await startApplication(ctx(), citizen, 'akta-kelahiran', aktaKelahiranAnswers());
      await submitApplication(ctx(), citizen, id, { consent: true, lang: 'id' });
      ids.push(id);
    }
  });
  afterAll(async () => {
    await app?.close();
  });

  it(onEngine(engine, 'lists what the verifier can act on, with counts and deadline filters'), async () => {
    const all = await inbox('verifier');
    expect(all.items.map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(all.counts).toMatchObject({
      all: 3,
      dueSoon: expect.any(Number),
      overdue: 0,
      mine: 0,
      unassigned: 3,
    });
    expect(all.counts.byState).toEqual([expect.objectContaining({ key: 'diajukan', count: 3 })]);
    expect((await inbox('verifier', '?state=diverifikasi')).total).toBe(0);
    expect((await inbox('verifier', '?service=sktm')).total).toBe(0);
    expect((await inbox('verifier', '?service=akta-kelahiran')).total).toBe(3);

    // One overdue (deadline in the past), one due within the hour, one far away.
    const past = new Date(Date.now() - 86_400_000).toISOString();
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const far = new Date(Date.now() + 60 * 86_400_000).toISOString();
    await ctx()
      .db.updateTable('applications')
      .set({ state_due_at: past, due_at: far })
      .where('id', '=', ids[0]!)
      .execute();
    await ctx()
      .db.updateTable('applications')
      .set({ state_due_at: soon, due_at: far })
      .where('id', '=', ids[1]!)
      .execute();
    await ctx()
      .db.updateTable('applications')
      .set({ state_due_at: far, due_at: far })
      .where('id', '=', ids[2]!)
      .execute();
    const overdue = await inbox('verifier', '?due=overdue');
    expect(overdue.items.map((i) => i.id)).toEqual([ids[0]]);
    const dueSoon = await inbox('verifier', '?due=due_soon');
    expect(dueSoon.items.map((i) => i.id)).toEqual([ids[1]]);
    const sorted = await inbox('verifier', '?sort=deadline');
    expect(sorted.items.map((i) => i.id)).toEqual(ids);
    expect(sorted.counts).toMatchObject({ all: 3, dueSoon: 1, overdue: 1 });
    const paged = await inbox('verifier', '?perPage=2&page=2');
    expect(paged.items.map((i) => i.id)).toEqual([ids[2]]);
    expect(paged.total).toBe(3);
    expect((await get('verifier', '/api/v1/inbox?due=later')).statusCode).toBe(400);
  });

  it(onEngine(engine, "staff of another agency see nothing of this agency's applications"), async () => {
    const other = await inbox('dinsos');
    expect(other.items).toEqual([]);
    expect(other.counts.all).toBe(0);
    const id = ids[0]!;
    expect((await get('dinsos', `/api/v1/inbox/${id}`)).statusCode).toBe(404);
    expect((await post('dinsos', `/api/v1/applications/${id}/claim`)).statusCode).toBe(404);
    const act = await post('dinsos', `/api/v1/applications/${id}/actions`, {
      action: 'verifikasi',
      rowVersion: await rowVersion(id),
    });
    expect(act.statusCode).toBe(404);
    expect(act.json()).toEqual({ error: expect.objectContaining({ code: 'not_found' }) });
    expect((await get('dinsos', `/inbox/${id}`)).statusCode).toBe(404);
    expect((await get('citizen', '/api/v1/inbox')).statusCode).toBe(403);
    expect((await get('citizen', '/inbox')).statusCode).toBe(403);
  });

  it(
    onEngine(engine, 'the detail hides specific data from roles not named and logs every view'),
    async () => {
      const id = ids[0]!;
      const asVerifier = await get('verifier', `/api/v1/inbox/${id}`);
      expect(asVerifier.statusCode).toBe(200);
      const v = asVerifier.json<{
        answers: Record<string, unknown>;
        hiddenFields: string[];
        actions: { key: string }[];
      }>();
      expect(v.answers.anak_nama).toBe('Siti Aminah');
      expect(v.hiddenFields).toEqual([]);
      expect(v.actions.map((a) => a.key).sort()).toEqual(['kembalikan', 'tolak', 'verifikasi']);
      // akta-kelahiran names counter_officer, verifier and approver — not the supervisor.
      const asSupervisor = await get('supervisor', `/api/v1/inbox/${id}`);
      const s = asSupervisor.json<{ answers: Record<string, unknown>; hiddenFields: string[] }>();
      expect(s.answers.anak_nama).toBeUndefined();
      expect(s.answers.pelapor_nama).toBe('Budi Santoso');
      expect(s.hiddenFields).toContain('anak_nama');
      const page = await get('supervisor', `/inbox/${id}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('Siti Aminah');
      expect(page.body).toContain('Data spesifik');

      const log = await ctx()
        .db.selectFrom('access_log')
        .selectAll()
        .where('application_id', '=', id)
        .orderBy('viewed_at')
        .execute();
      expect(log).toHaveLength(3);
      expect(log[0]!.classes).toBe('personal,specific');
      expect(log[1]!.classes).toBe('personal');
      expect(JSON.parse(log[1]!.fields)).not.toContain('anak_nama');
      const viewers = new Set(log.map((l) => l.viewer_id));
      expect(viewers.size).toBe(2);
    },
  );

  it(onEngine(engine, 'claims: the second officer gets 409 until a supervisor reassigns'), async () => {
    const id = ids[1]!;
    const claimed = await post('verifier', `/api/v1/applications/${id}/claim`);
    expect(claimed.statusCode).toBe(200);
    expect((await inbox('verifier', '?assigned=me')).items.map((i) => i.id)).toEqual([id]);
    const second = await post('approver', `/api/v1/applications/${id}/claim`);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('application.claimed');
    const page = await postForm('approver', `/inbox/${id}/claim`, []);
    expect(page.statusCode).toBe(409);
    expect(page.body).toContain('sudah diambil petugas lain');
    expect((await post('verifier', `/api/v1/applications/${id}/assign`, { userId: null })).statusCode).toBe(
      403,
    );
    const approverId = await findUserIdByEmail(ctx(), `penandatangan.disdukcapil@${DOMAIN}`);
    const reassigned = await post('supervisor', `/api/v1/applications/${id}/assign`, { userId: approverId });
    expect(reassigned.statusCode).toBe(200);
    expect((await inbox('approver', '?assigned=me')).items.map((i) => i.id)).toEqual([id]);
    expect((await inbox('verifier', '?assigned=me')).items).toEqual([]);
  });

  it(onEngine(engine, 'actions over the API: 200 with the new state, 409 for a stale version'), async () => {
    const id = ids[2]!;
    const version = await rowVersion(id);
    const done = await post('verifier', `/api/v1/applications/${id}/actions`, {
      action: 'verifikasi',
      rowVersion: version,
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ state: 'diverifikasi', stage: 'active', rowVersion: version + 1 });
    const stale = await post('approver', `/api/v1/applications/${id}/actions`, {
      action: 'tolak',
      rowVersion: version,
      comment: 'Tidak lengkap',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('application.changed');
    const missing = await post('approver', `/api/v1/applications/${id}/actions`, {
      action: 'tolak',
      rowVersion: version + 1,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.fields).toEqual([expect.objectContaining({ field: 'comment' })]);
    const unverified = await post('approver', `/api/v1/applications/${id}/actions`, {
      action: 'setujui',
      rowVersion: version + 1,
    });
    expect(unverified.statusCode).toBe(409);
    expect(unverified.json().error.code).toBe('application.identity_unverified');
    expect((await post('approver', `/api/v1/applications/${id}/identity-verified`)).statusCode).toBe(403);
    const checked = await post('verifier', `/api/v1/applications/${id}/identity-verified`);
    expect(checked.statusCode).toBe(200);
    // Verified: the verifier can still return or reject it, the approver can sign it.
    expect((await inbox('verifier', '?state=diverifikasi')).items.map((i) => i.id)).toEqual([id]);
    expect((await inbox('approver', '?state=diverifikasi')).items.map((i) => i.id)).toEqual([id]);
    const approved = await post('approver', `/api/v1/applications/${id}/actions`, {
      action: 'setujui',
      rowVersion: checked.json().rowVersion,
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'disetujui', stage: 'closed', outcome: 'approved' });
    expect((await inbox('supervisor')).items.map((i) => i.id)).not.toContain(id);
  });

  it(
    onEngine(engine, 'the inbox and detail pages; a 409 keeps the typed note and shows the state now'),
    async () => {
      const list = await get('verifier', '/inbox?due=nonsense&page=x');
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain('Kotak masuk permohonan');
      expect(list.body).toContain('Terlambat: 1');
      const number = (
        await ctx()
          .db.selectFrom('applications')
          .select('tracking_number')
          .where('id', '=', ids[0]!)
          .executeTakeFirstOrThrow()
      ).tracking_number!;
      expect(list.body).toContain(number);
      const en = await app.inject({
        method: 'GET',
        url: '/inbox?due=overdue',
        cookies: { gapura_session: sessions.verifier!.cookie, gapura_lang: 'en' },
      });
      expect(en.body).toContain('Application inbox');
      expect(en.body).toContain('Overdue');

      const id = ids[0]!;
      const detail = await get('verifier', `/inbox/${id}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.body).toContain(`action="/inbox/${id}/actions"`);
      expect(detail.body).toContain('name="flaggedFields"');

      const version = await rowVersion(id);
      const noComment = await postForm('verifier', `/inbox/${id}/actions`, [
        ['action', 'tolak'],
        ['rowVersion', String(version)],
        ['comment', ''],
      ]);
      expect(noComment.statusCode).toBe(400);
      expect(noComment.body).toContain('g-error-summary');
      expect(noComment.body).toContain('Tuliskan alasan');

      const note = 'Nama ibu pada KK & akta nikah berbeda <cek>';
      const stale = await postForm('verifier', `/inbox/${id}/actions`, [
        ['action', 'kembalikan'],
        ['rowVersion', String(version - 1)],
        ['comment', note],
        ['flaggedFields', 'ibu_nama'],
        ['flaggedFields', 'dok_kk'],
      ]);
      expect(stale.statusCode).toBe(409);
      expect(stale.body).toContain('baru saja diubah orang lain');
      expect(stale.body).toContain('Keadaan terbaru permohonan');
      expect(stale.body).toContain('Nama ibu pada KK &amp; akta nikah berbeda &lt;cek');
      expect(stale.body).not.toContain('<cek>');
      expect(stale.body).toMatch(/value="ibu_nama"\s+checked/);
      expect(await rowVersion(id)).toBe(version);

      const ok = await postForm('verifier', `/inbox/${id}/actions`, [
        ['action', 'kembalikan'],
        ['rowVersion', String(version)],
        ['comment', note],
        ['flaggedFields', 'ibu_nama'],
      ]);
      expect(ok.statusCode).toBe(303);
      expect(ok.headers.location).toBe(`/inbox/${id}?done=action`);
      const after = await get('supervisor', `/inbox/${id}?done=action`);
      expect(after.body).toContain('Perlu perbaikan oleh pemohon');
      expect(after.body).toContain('Nama ibu pada KK &amp; akta nikah');
      const event = await ctx()
        .db.selectFrom('application_events')
        .select('flagged_fields')
        .where('application_id', '=', id)
        .where('action', '=', 'kembalikan')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(event.flagged_fields!)).toEqual(['ibu_nama']);
    },
  );
});
