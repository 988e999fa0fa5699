import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getInboxDetail } from '../src/applications/inbox.ts';
import { startApplication, submitApplication } from '../src/applications/service.ts';
import { signHeadNow } from '../src/audit/sequencer.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import type { Principal } from '../src/identity/roles.ts';
import { createUser, findUserIdByEmail } from '../src/identity/service.ts';
import { activeGrants } from '../src/identity/store.ts';
import { recordOfProcessing, ropaMarkdown } from '../src/privacy/ropa.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, onEngine, useTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn } from './helpers/http.ts';
import { unescapeHtml } from './helpers/pages.ts';

const DOMAIN = 'sukamaju.example';
const RINA_EMAIL = `rina.kartika@warga.${DOMAIN}`;
const RINA_PASSWORD = 'kata-sandi-rina-kartika-2026';
const RINA_NIK = '3373046507950003';

describe.each(ENGINES)('data protection officers, the public audit trail, closing an account', (engine) => {
  const test = useTestContext(engine);
  const ctx = () => test.opened.ctx;
  let app: App;
  let accounts: DemoAccount[];
  const sessions: Record<string, ApiSession> = {};
  let rina: Principal;
  let verifier: Principal;
  let filed = '';
  let draft = '';

  const signIn = async (key: string, email: string, password?: string) => {
    const pass = password ?? accounts.find((a) => a.email === email)?.password;
    if (!pass) throw new Error(`no demo account ${email}`);
    sessions[key] = await apiSignIn(app, test.opened, email, pass);
  };
  const get = (who: string, url: string) =>
    app.inject({ method: 'GET', url, cookies: { gapura_session: sessions[who]!.cookie } });
  const postForm = (who: string, url: string, fields: [string, string][]) =>
    app.inject({
      method: 'POST',
      url,
      cookies: { gapura_session: sessions[who]!.cookie },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([['_csrf', sessions[who]!.csrf], ...fields]).toString(),
    });
  const putJson = (who: string, url: string, payload: object) =>
    app.inject({
      method: 'PUT',
      url,
      cookies: { gapura_session: sessions[who]!.cookie },
      headers: { 'x-csrf-token': sessions[who]!.csrf },
      payload,
    });
  const leavesOfType = (type: string) =>
    ctx()
      .db.selectFrom('audit_leaves')
      .select(['id', 'subject_id', 'content'])
      .execute()
      .then((rows) =>
        rows
          .map((r) => ({
            ...r,
            record: JSON.parse(Buffer.from(r.content).toString('utf8')) as { type: string },
          }))
          .filter((r) => r.record.type === type),
      );

  beforeAll(async () => {
    accounts = await seedDemo(ctx());
    app = await buildServer(ctx());
    await createUser(ctx(), {
      kind: 'citizen',
      email: RINA_EMAIL,
      name: 'Rina Kartika',
      nik: RINA_NIK,
      password: RINA_PASSWORD,
      status: 'active',
    });
    await signIn('rina', RINA_EMAIL, RINA_PASSWORD);
    await signIn('platform', `admin.platform@${DOMAIN}`);
    await signIn('agencyAdmin', `admin.disdukcapil@${DOMAIN}`);
    const rinaId = await findUserIdByEmail(ctx(), RINA_EMAIL);
    const verifierId = await findUserIdByEmail(ctx(), `verifikator.disdukcapil@${DOMAIN}`);
    if (!rinaId || !verifierId) throw new Error('accounts missing');
    rina = { userId: rinaId, kind: 'citizen', sessionId: null, grants: [] };
    verifier = {
      userId: verifierId,
      kind: 'staff',
      sessionId: null,
      grants: await activeGrants(ctx().db, verifierId),
    };
    const started = await startApplication(ctx(), rina, 'akta-kelahiran', aktaKelahiranAnswers());
    await submitApplication(ctx(), rina, started.id, { consent: true, lang: 'id' });
    filed = started.id;
    draft = (await startApplication(ctx(), rina, 'akta-kelahiran', { pelapor_nama: 'Rina Kartika' })).id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it(
    onEngine(
      engine,
      'the platform admin appoints an agency’s data protection officer, whom citizens and the record of processing name',
    ),
    async () => {
      // The demo seed appoints one per agency; a refused form changes nothing and says why.
      const before = (await app.inject({ method: 'GET', url: '/api/v1/agencies' })).json<{
        items: { slug: string; dpo: { name: string; email: string; phone?: string } | null }[];
      }>();
      const dpoOf = (items: typeof before.items) => items.find((a) => a.slug === 'disdukcapil')?.dpo;
      expect(dpoOf(before.items)?.email).toBe(`ppdp.disdukcapil@${DOMAIN}`);

      const refused = await postForm('platform', '/admin/platform/dpo', [
        ['dpoagency', 'disdukcapil'],
        ['dponame', 'Dewi Ratnasari, S.H.'],
        ['dpoemail', 'bukan-email'],
        ['dpophone', '(0271) 123456'],
      ]);
      expect(refused.statusCode).toBe(400);
      expect(unescapeHtml(refused.body)).toContain('Tulis alamat email yang benar');
      expect(refused.body).toContain('value="Dewi Ratnasari, S.H."');

      const saved = await postForm('platform', '/admin/platform/dpo', [
        ['dpoagency', 'disdukcapil'],
        ['dponame', 'Dewi Ratnasari, S.H.'],
        ['dpoemail', 'PPDP@Disdukcapil.Sukamaju.example'],
        ['dpophone', '(0271) 123456'],
      ]);
      expect(saved.statusCode).toBe(303);
      expect(saved.headers.location).toBe('/admin/platform/agencies?done=dpo');
      const after = (await app.inject({ method: 'GET', url: '/api/v1/agencies' })).json<typeof before>();
      expect(dpoOf(after.items)).toEqual({
        name: 'Dewi Ratnasari, S.H.',
        email: 'ppdp@disdukcapil.sukamaju.example',
        phone: '(0271) 123456',
      });

      // The API: only the platform admin, and a malformed body is a structured 400.
      const bad = await putJson('platform', '/api/v1/agencies/dinsos/dpo', { name: 'X', email: 'no' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<{ error: { code: string } }>().error.code).toBe('request.invalid');
      const denied = await putJson('agencyAdmin', '/api/v1/agencies/disdukcapil/dpo', {
        name: 'Someone Else',
        email: 'someone@sukamaju.example',
      });
      expect(denied.statusCode).toBe(403);
      const unknown = await putJson('platform', '/api/v1/agencies/no-such-agency/dpo', {
        name: 'Someone Else',
        email: 'someone@sukamaju.example',
      });
      expect(unknown.statusCode).toBe(404);
      expect(
        dpoOf((await app.inject({ method: 'GET', url: '/api/v1/agencies' })).json<typeof before>().items)
          ?.name,
      ).toBe('Dewi Ratnasari, S.H.');

      // Rina applied at disdukcapil: her privacy page names its officer, and no other agency's.
      const page = unescapeHtml((await get('rina', '/account/privacy')).body);
      expect(page).toContain('ppdp@disdukcapil.sukamaju.example');
      expect(page).not.toContain(`ppdp.dinsos@${DOMAIN}`);
      // The record of processing names the controller's officer.
      const ropa = ropaMarkdown(await recordOfProcessing(ctx()), 'en');
      expect(ropa).toContain(
        '**Data protection officer**: Dewi Ratnasari, S.H., ppdp@disdukcapil.sukamaju.example',
      );
      // Each appointment is an audit leaf that does not spell the contact out.
      const leaves = await leavesOfType('agency.dpo_set');
      expect(leaves).toHaveLength(1);
      expect(Buffer.from(leaves[0]!.content).toString('utf8')).not.toContain('Dewi');
    },
  );

  it(
    onEngine(
      engine,
      'staff opening an application is an audit leaf, and the applicant’s page lists its events verified against the signed head',
    ),
    async () => {
      await getInboxDetail(ctx(), verifier, filed);
      const viewed = await leavesOfType('application.data_viewed');
      expect(viewed.map((l) => l.subject_id)).toEqual([filed]);
      expect(Buffer.from(viewed[0]!.content).toString('utf8')).not.toContain('Rina');

      const about = await ctx()
        .db.selectFrom('audit_leaves')
        .select('id')
        .where('subject_id', '=', filed)
        .execute();
      expect(about.length).toBeGreaterThanOrEqual(2); // submitted, data viewed
      await signHeadNow(ctx());
      const page = unescapeHtml((await get('rina', `/applications/${filed}`)).body);
      expect(page).toContain('Jejak di log audit publik');
      expect(page).toContain(`(${about.length} dari ${about.length} terverifikasi)`);
      expect(page).toContain('Petugas membuka data pribadi');
      expect(page).toMatch(/daun #\d+/);

      // A leaf rewritten behind the log's back loses its mark.
      const submitted = (await leavesOfType('application.submitted')).find((l) => l.subject_id === filed)!;
      const original = Buffer.from(submitted.content);
      const forged = Buffer.from(
        original.toString('utf8').replace('"application.submitted"', '"application.withdrawn"'),
      );
      await ctx()
        .db.updateTable('audit_leaves')
        .set({ content: forged })
        .where('id', '=', submitted.id)
        .execute();
      try {
        const tampered = unescapeHtml((await get('rina', `/applications/${filed}`)).body);
        expect(tampered).toContain(`(${about.length - 1} dari ${about.length} terverifikasi)`);
      } finally {
        await ctx()
          .db.updateTable('audit_leaves')
          .set({ content: original })
          .where('id', '=', submitted.id)
          .execute();
      }
    },
  );

  it(
    onEngine(
      engine,
      'a citizen closes their account: a wrong password changes nothing; then it is anonymised and signed out',
    ),
    async () => {
      const userRow = () =>
        ctx().db.selectFrom('users').selectAll().where('id', '=', rina.userId).executeTakeFirstOrThrow();
      const wrong = await postForm('rina', '/account/privacy/close', [
        ['password', 'not-her-password'],
        ['confirm', '1'],
      ]);
      expect(wrong.statusCode).toBe(400);
      expect(unescapeHtml(wrong.body)).toContain('Kata sandi tidak cocok. Akun belum ditutup.');
      const unconfirmed = await postForm('rina', '/account/privacy/close', [['password', RINA_PASSWORD]]);
      expect(unconfirmed.statusCode).toBe(400);
      expect((await userRow()).status).toBe('active');
      expect((await get('rina', '/api/v1/me/access-log')).statusCode).toBe(200);

      const closed = await postForm('rina', '/account/privacy/close', [
        ['password', RINA_PASSWORD],
        ['confirm', '1'],
      ]);
      expect(closed.statusCode).toBe(200);
      expect(unescapeHtml(closed.body)).toContain('Akun Anda sudah ditutup');
      expect(String(closed.headers['set-cookie'])).toMatch(/gapura_session=;/);

      const row = await userRow();
      expect(row).toMatchObject({
        status: 'closed',
        email_bidx: null,
        email_enc: null,
        nik_bidx: null,
        nik_enc: null,
        phone_enc: null,
      });
      expect(row.closed_at).not.toBeNull();
      // The old session is gone and the password no longer opens anything.
      expect((await get('rina', '/api/v1/me/access-log')).statusCode).toBe(401);
      const signInAgain = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/signin',
        payload: { contact: RINA_EMAIL, password: RINA_PASSWORD },
      });
      expect(signInAgain.statusCode).toBe(401);
      // The draft is gone; the filed application is kept under retention, restricted.
      const apps = await ctx()
        .db.selectFrom('applications')
        .select('id')
        .where('applicant_id', '=', rina.userId)
        .execute();
      expect(apps.map((a) => a.id)).toEqual([filed]);
      expect(draft).not.toBe('');
      const privacy = await ctx()
        .db.selectFrom('application_privacy')
        .selectAll()
        .where('application_id', '=', filed)
        .executeTakeFirstOrThrow();
      expect(privacy.restricted_at).not.toBeNull();
      const inApp = await ctx()
        .db.selectFrom('notifications')
        .select('id')
        .where('user_id', '=', rina.userId)
        .where('channel', '=', 'in_app')
        .execute();
      expect(inApp).toEqual([]);
      expect((await leavesOfType('account.closed')).map((l) => l.subject_id)).toEqual([rina.userId]);
      // The address is free: the same person can register again later.
      await createUser(ctx(), {
        kind: 'citizen',
        email: RINA_EMAIL,
        name: 'Rina Kartika',
        nik: RINA_NIK,
        password: RINA_PASSWORD,
        status: 'active',
      });
      expect(await findUserIdByEmail(ctx(), RINA_EMAIL)).not.toBe(rina.userId);
    },
  );
});
