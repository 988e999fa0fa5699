import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAgencies } from '../src/agencies/service.ts';
import { claimApplication } from '../src/applications/processing.ts';
import { startApplication, submitApplication } from '../src/applications/service.ts';
import { listHolidays } from '../src/calendar/service.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import type { Principal } from '../src/identity/roles.ts';
import { findUserIdByEmail } from '../src/identity/service.ts';
import { activeGrants } from '../src/identity/store.ts';
import { FAILED_TOKENS_PER_IP } from '../src/staff/tokens.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, onEngine, useTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn, setCookies } from './helpers/http.ts';

const DOMAIN = 'sukamaju.example';

interface MemberJson {
  id: string;
  name: string;
  email: string | null;
  roles: string[];
  unitId: string | null;
  status: 'active' | 'suspended' | 'removed';
  totpEnrolled: boolean;
  lastSignInAt: string | null;
}

describe.each(ENGINES)('staff management, API tokens and platform pages', (engine) => {
  const test = useTestContext(engine);
  const ctx = () => test.opened.ctx;
  let app: App;
  let accounts: DemoAccount[];
  const sessions: Record<string, ApiSession> = {};
  let citizen: Principal;

  const passwordOf = (email: string) => {
    const account = accounts.find((a) => a.email === email);
    if (!account) throw new Error(`no demo account ${email}`);
    return account.password;
  };
  const as = (who: string) => ({
    cookies: { gapura_session: sessions[who]!.cookie },
    headers: { 'x-csrf-token': sessions[who]!.csrf },
  });
  const api = (who: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url, ...as(who), ...(payload ? { payload } : {}) });
  const form = (who: string, url: string, fields: [string, string][] = []) =>
    app.inject({
      method: 'POST',
      url,
      cookies: { gapura_session: sessions[who]!.cookie },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([['_csrf', sessions[who]!.csrf], ...fields]).toString(),
    });
  const bearer = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  const leaves = async (type: string) => {
    const rows = await ctx().db.selectFrom('audit_leaves').select('content').execute();
    return rows
      .map((r) => JSON.parse(Buffer.from(r.content).toString('utf8')) as Record<string, unknown>)
      .filter((l) => l.type === type);
  };
  const allLeafText = async () =>
    (await ctx().db.selectFrom('audit_leaves').select('content').execute())
      .map((r) => Buffer.from(r.content).toString('utf8'))
      .join('\n');
  const fileApplication = async () => {
    const { id } = await startApplication(ctx(), citizen, 'akta-kelahiran', aktaKelahiranAnswers());
    await submitApplication(ctx(), citizen, id, { consent: true, lang: 'id' });
    return id;
  };
  const assignee = async (id: string) =>
    (
      await ctx()
        .db.selectFrom('applications')
        .select('assigned_to')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).assigned_to;
  const principalOf = async (userId: string): Promise<Principal> => ({
    userId,
    kind: 'staff',
    sessionId: null,
    grants: await activeGrants(ctx().db, userId),
  });
  const unitOf = async (slug: string) =>
    (await listAgencies(ctx())).find((a) => a.slug === slug)!.units[0]!.id;

  /** Adds a staff member through the API and signs them in (password, then the TOTP enrolment). */
  const addAndSignIn = async (key: string, roles: string[]) => {
    const email = `${key}.baru@disdukcapil.${DOMAIN}`;
    const res = await api('admin', 'POST', '/api/v1/admin/staff', { name: `Pegawai ${key}`, email, roles });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ member: MemberJson; initialPassword: string }>();
    sessions[key] = await apiSignIn(app, test.opened, email, body.initialPassword);
    return { ...body, email };
  };

  beforeAll(async () => {
    accounts = await seedDemo(ctx());
    app = await buildServer(ctx());
    for (const [key, email] of [
      ['admin', `admin.disdukcapil@${DOMAIN}`],
      ['dinsosAdmin', `admin.dinsos@${DOMAIN}`],
      ['platform', `admin.platform@${DOMAIN}`],
      ['citizen', `budi.santoso@warga.${DOMAIN}`],
    ] as const)
      sessions[key] = await apiSignIn(app, test.opened, email, passwordOf(email));
    const userId = await findUserIdByEmail(ctx(), `budi.santoso@warga.${DOMAIN}`);
    citizen = { userId: userId!, kind: 'citizen', sessionId: null, grants: [] };
  });
  afterAll(async () => {
    await app?.close();
  });

  it(
    onEngine(engine, 'an added staff member signs in with the shown password and must enrol TOTP'),
    async () => {
      const unitId = await unitOf('disdukcapil');
      const email = `rudi.hartono@disdukcapil.${DOMAIN}`;
      const res = await api('admin', 'POST', '/api/v1/admin/staff', {
        name: 'Rudi Hartono',
        email,
        roles: ['verifier', 'supervisor'],
        unitId,
      });
      expect(res.statusCode, res.body).toBe(201);
      const { member, initialPassword } = res.json<{ member: MemberJson; initialPassword: string }>();
      expect(member).toMatchObject({
        name: 'Rudi Hartono',
        email,
        roles: ['verifier', 'supervisor'],
        unitId,
        status: 'active',
        totpEnrolled: false,
      });
      expect(initialPassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);

      // The password step leads to the second factor, and the authenticator is not enrolled yet.
      const first = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/signin',
        payload: { contact: email, password: initialPassword },
      });
      expect(first.json()).toMatchObject({ stage: 'second_factor' });
      const enrolment = await app.inject({
        method: 'GET',
        url: '/api/v1/auth/enrolment',
        cookies: { gapura_pending: setCookies(first).gapura_pending! },
      });
      expect(enrolment.json()).toMatchObject({
        enrolled: false,
        otpauthUri: expect.stringMatching(/^otpauth:/),
      });

      sessions.rudi = await apiSignIn(app, test.opened, email, initialPassword);
      const me = await api('rudi', 'GET', '/api/v1/me');
      expect(me.json().roles).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ role: 'verifier' }),
          expect.objectContaining({ role: 'supervisor' }),
        ]),
      );
      const list = await api('admin', 'GET', '/api/v1/admin/staff');
      const listed = list.json<{ items: MemberJson[] }>().items.find((m) => m.id === member.id);
      expect(listed).toMatchObject({
        status: 'active',
        totpEnrolled: true,
        lastSignInAt: expect.any(String),
      });

      // Creating an account is an audit leaf, and no leaf carries the name or e-mail in clear.
      expect(await leaves('staff.created')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            subject: member.id,
            facts: expect.objectContaining({ roles: 'verifier,supervisor' }),
          }),
        ]),
      );
      const text = await allLeafText();
      expect(text).not.toContain('Rudi Hartono');
      expect(text).not.toContain(email);

      // The same address twice is a field error, not a second account.
      const again = await api('admin', 'POST', '/api/v1/admin/staff', {
        name: 'Rudi Lain',
        email,
        roles: ['verifier'],
      });
      expect(again.statusCode).toBe(400);
      expect(again.json().error.details.fields[0].field).toBe('email');
    },
  );

  it(
    onEngine(engine, 'the add page keeps what was typed on error and shows the password once on success'),
    async () => {
      const bad = await form('admin', '/admin/staff/new', [
        ['name', 'Sari Dewi'],
        ['email', 'bukan-email'],
      ]);
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('g-error-summary');
      expect(bad.body).toContain('value="Sari Dewi"');
      expect(bad.body).toContain('href="#email"');
      expect(bad.body).toContain('href="#roles"');
      const good = await form('admin', '/admin/staff/new', [
        ['name', 'Sari Dewi'],
        ['email', `sari.dewi@disdukcapil.${DOMAIN}`],
        ['roles', 'counter_officer'],
      ]);
      expect(good.statusCode).toBe(201);
      expect(good.headers['cache-control']).toBe('no-store');
      expect(good.body).toMatch(/<code class="g-code">[a-z2-9]{4}(-[a-z2-9]{4}){3}<\/code>/);
      const page = await app.inject({ method: 'GET', url: '/admin/staff', cookies: as('admin').cookies });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Sari Dewi');
      const sariId = /href="\/admin\/staff\/([0-9a-f-]{36})">Sari Dewi</.exec(page.body)?.[1];
      const detail = await app.inject({
        method: 'GET',
        url: `/admin/staff/${sariId}`,
        cookies: as('admin').cookies,
      });
      expect(detail.statusCode).toBe(200);
      expect(detail.body).toContain(`sari.dewi@disdukcapil.${DOMAIN}`);
      expect(detail.body).toContain(`action="/admin/staff/${sariId}/suspend"`);
      for (const url of ['/admin/staff/new', '/admin/tokens'])
        expect((await app.inject({ method: 'GET', url, cookies: as('admin').cookies })).statusCode, url).toBe(
          200,
        );
      // A platform admin first chooses the agency, and may open the person in another agency.
      const chooser = await app.inject({
        method: 'GET',
        url: '/admin/staff',
        cookies: as('platform').cookies,
      });
      expect(chooser.statusCode).toBe(200);
      expect(chooser.body).toContain('name="agency"');
      const named = await app.inject({
        method: 'GET',
        url: `/admin/staff/${sariId}?agency=disdukcapil`,
        cookies: as('platform').cookies,
      });
      expect(named.body).toContain('id="other-agency"');
    },
  );

  it(onEngine(engine, 'roles change at once; losing every inbox role hands applications back'), async () => {
    const { member } = await addAndSignIn('budi', ['verifier']);
    const applicationId = await fileApplication();
    await claimApplication(ctx(), await principalOf(member.id), applicationId);
    expect(await assignee(applicationId)).toBe(member.id);

    const patched = await api('admin', 'PATCH', `/api/v1/admin/staff/${member.id}`, {
      roles: ['verifier', 'approver'],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().roles).toEqual(['verifier', 'approver']);
    expect(await assignee(applicationId)).toBe(member.id);

    const toComplaints = await api('admin', 'PATCH', `/api/v1/admin/staff/${member.id}`, {
      roles: ['complaint_handler'],
    });
    expect(toComplaints.json().roles).toEqual(['complaint_handler']);
    expect(await assignee(applicationId)).toBeNull();
    expect((await api('budi', 'GET', '/api/v1/inbox')).statusCode).toBe(403);
    expect(await leaves('role.revoked')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ subject: member.id, facts: expect.objectContaining({ role: 'verifier' }) }),
      ]),
    );
    expect(await leaves('application.unassigned')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subject: applicationId,
          facts: expect.objectContaining({ reason: 'roles_changed' }),
        }),
      ]),
    );
    const unknownRole = await api('admin', 'PATCH', `/api/v1/admin/staff/${member.id}`, {
      roles: ['platform_admin'],
    });
    expect(unknownRole.statusCode).toBe(400);
  });

  it(
    onEngine(engine, 'suspension ends the session at once and returns assigned work to the queue'),
    async () => {
      const { member, email, initialPassword } = await addAndSignIn('citra', ['verifier']);
      const applicationId = await fileApplication();
      await claimApplication(ctx(), await principalOf(member.id), applicationId);
      expect((await api('citra', 'GET', '/api/v1/inbox')).statusCode).toBe(200);

      const suspended = await api('admin', 'PATCH', `/api/v1/admin/staff/${member.id}`, {
        status: 'suspended',
      });
      expect(suspended.json()).toMatchObject({ status: 'suspended', roles: ['verifier'] });
      expect((await api('citra', 'GET', '/api/v1/inbox')).statusCode).toBe(401);
      expect(await assignee(applicationId)).toBeNull();
      const signIn = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/signin',
        payload: { contact: email, password: initialPassword },
      });
      expect(signIn.statusCode).toBe(401);
      expect(await leaves('staff.suspended')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ subject: member.id, facts: expect.objectContaining({ returned: 1 }) }),
        ]),
      );

      // Reactivated through the page: they can sign in again.
      const page = await form('admin', `/admin/staff/${member.id}/reactivate`);
      expect(page.statusCode).toBe(303);
      expect(page.headers.location).toBe(`/admin/staff/${member.id}?done=reactivated`);
      sessions.citra = await apiSignIn(app, test.opened, email, initialPassword);
      expect((await api('citra', 'GET', '/api/v1/inbox')).statusCode).toBe(200);
    },
  );

  it(onEngine(engine, 'removal revokes every grant, suspends the account, keeps the row'), async () => {
    const { member } = await addAndSignIn('dodi', ['counter_officer', 'verifier']);
    const applicationId = await fileApplication();
    await claimApplication(ctx(), await principalOf(member.id), applicationId);
    const confirm = await app.inject({
      method: 'GET',
      url: `/admin/staff/${member.id}/remove`,
      cookies: as('admin').cookies,
    });
    expect(confirm.statusCode).toBe(200);
    const removed = await form('admin', `/admin/staff/${member.id}/remove`);
    expect(removed.statusCode).toBe(303);
    expect(await activeGrants(ctx().db, member.id)).toEqual([]);
    expect(await assignee(applicationId)).toBeNull();
    expect((await api('dodi', 'GET', '/api/v1/me')).statusCode).toBe(401);
    const user = await ctx()
      .db.selectFrom('users')
      .select('status')
      .where('id', '=', member.id)
      .executeTakeFirst();
    expect(user?.status).toBe('suspended');
    const listed = (await api('admin', 'GET', '/api/v1/admin/staff')).json<{ items: MemberJson[] }>().items;
    expect(listed.find((m) => m.id === member.id)?.status).toBe('removed');
    expect(await leaves('staff.removed')).toEqual(
      expect.arrayContaining([expect.objectContaining({ subject: member.id })]),
    );
  });

  it(
    onEngine(engine, "another agency's admin, citizens and API tokens cannot manage an agency's staff"),
    async () => {
      const { member } = await addAndSignIn('eka', ['verifier']);
      const url = `/api/v1/admin/staff/${member.id}`;
      expect((await api('dinsosAdmin', 'PATCH', url, { status: 'suspended' })).statusCode).toBe(404);
      expect((await api('dinsosAdmin', 'DELETE', url)).statusCode).toBe(404);
      const dinsosList = (await api('dinsosAdmin', 'GET', '/api/v1/admin/staff')).json<{
        items: MemberJson[];
      }>();
      expect(dinsosList.items.some((m) => m.id === member.id)).toBe(false);
      expect((await api('dinsosAdmin', 'GET', '/api/v1/admin/staff?agency=disdukcapil')).statusCode).toBe(
        403,
      );
      expect(
        (await api('dinsosAdmin', 'PATCH', `${url}?agency=disdukcapil`, { status: 'suspended' })).statusCode,
      ).toBe(403);
      expect(
        (
          await app.inject({
            method: 'GET',
            url: `/admin/staff/${member.id}`,
            cookies: as('dinsosAdmin').cookies,
          })
        ).statusCode,
      ).toBe(404);
      expect((await api('citizen', 'GET', '/api/v1/admin/staff')).statusCode).toBe(403);
      expect((await api('eka', 'GET', '/api/v1/admin/staff')).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: '/api/v1/admin/staff' })).statusCode).toBe(401);
      const user = await ctx()
        .db.selectFrom('users')
        .select('status')
        .where('id', '=', member.id)
        .executeTakeFirst();
      expect(user?.status).toBe('active');

      // A platform admin names the agency, and a grant across agencies is logged as such.
      expect((await api('platform', 'GET', '/api/v1/admin/staff')).json().error.code).toBe(
        'staff.agency_required',
      );
      expect((await api('platform', 'GET', '/api/v1/admin/staff?agency=disdukcapil')).statusCode).toBe(200);
      expect((await api('admin', 'PATCH', `${url}?agency=dinsos`, { roles: ['verifier'] })).statusCode).toBe(
        403,
      );
      const cross = await api('platform', 'PATCH', `${url}?agency=dinsos`, { roles: ['verifier'] });
      expect(cross.statusCode, cross.body).toBe(200);
      const dinsos = (await listAgencies(ctx())).find((a) => a.slug === 'dinsos')!;
      expect(await activeGrants(ctx().db, member.id)).toEqual(
        expect.arrayContaining([{ role: 'verifier', agencyId: dinsos.id, unitId: null }]),
      );
      expect(await leaves('role.granted')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            subject: member.id,
            agency: dinsos.id,
            facts: expect.objectContaining({ cross_agency: true }),
          }),
        ]),
      );
      // Working for two agencies now, the account can be suspended only by a platform admin.
      expect((await api('admin', 'PATCH', url, { status: 'suspended' })).json().error.code).toBe(
        'staff.shared_account',
      );
    },
  );

  it(onEngine(engine, 'an admin cannot lock themselves out'), async () => {
    const adminId = (await findUserIdByEmail(ctx(), `admin.disdukcapil@${DOMAIN}`))!;
    const url = `/api/v1/admin/staff/${adminId}`;
    for (const [method, payload] of [
      ['PATCH', { roles: ['verifier'] }],
      ['PATCH', { status: 'suspended' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await api('admin', method, url, payload);
      expect(res.json().error.code, `${method} ${JSON.stringify(payload)}`).toBe('staff.lockout');
    }
    expect(await activeGrants(ctx().db, adminId)).toEqual([
      expect.objectContaining({ role: 'agency_admin' }),
    ]);
    // Adding a role to oneself is fine.
    const more = await api('admin', 'PATCH', url, { roles: ['agency_admin', 'supervisor'] });
    expect(more.json().roles).toEqual(['supervisor', 'agency_admin']);
    const page = await form('admin', `/admin/staff/${adminId}/roles`, [['roles', 'verifier']]);
    expect([400, 409]).toContain(page.statusCode);
    expect(page.body).toContain('g-error-summary');
  });

  it(onEngine(engine, 'API tokens: shown once, hashed at rest, scoped, revocable, expiring'), async () => {
    const created = await api('admin', 'POST', '/api/v1/admin/tokens', {
      name: 'SIAK integrasi',
      scopes: ['applications:read'],
      expiresInDays: 30,
    });
    expect(created.statusCode, created.body).toBe(201);
    const { token, item } = created.json<{ token: string; item: { id: string } }>();
    expect(token).toMatch(/^gpr_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    const secret = token.slice(-43);
    const rows = await ctx().db.selectFrom('api_tokens').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(secret);
    const listed = await api('admin', 'GET', '/api/v1/admin/tokens');
    expect(listed.body).not.toContain(secret);
    expect(listed.json().items[0]).toMatchObject({ id: item.id, lastUsedAt: null, status: 'active' });

    // Read scope: the inbox answers; claiming (an act) and staff management do not.
    const applicationId = await fileApplication();
    const inbox = await bearer(token, 'GET', '/api/v1/inbox');
    expect(inbox.statusCode, inbox.body).toBe(200);
    expect(inbox.json().items.some((i: { id: string }) => i.id === applicationId)).toBe(true);
    expect((await bearer(token, 'POST', `/api/v1/applications/${applicationId}/claim`, {})).statusCode).toBe(
      403,
    );
    expect((await bearer(token, 'GET', '/api/v1/admin/staff')).statusCode).toBe(403);
    expect((await bearer(token, 'GET', '/api/v1/admin/tokens')).statusCode).toBe(403);
    const used = (await api('admin', 'GET', '/api/v1/admin/tokens')).json().items[0];
    expect(used.lastUsedAt).toEqual(expect.any(String));

    // Act scope, through the page: claims as the token's own service account, without CSRF (no cookie).
    const page = await form('admin', '/admin/tokens', [
      ['name', 'Sistem antrean'],
      ['scopes', 'applications:read'],
      ['scopes', 'applications:act'],
      ['expiresInDays', '90'],
    ]);
    expect(page.statusCode).toBe(201);
    const actToken = /gpr_[0-9a-f]{32}_[A-Za-z0-9_-]{43}/.exec(page.body)?.[0];
    expect(actToken).toBeDefined();
    const claim = await bearer(actToken!, 'POST', `/api/v1/applications/${applicationId}/claim`, {});
    expect(claim.statusCode, claim.body).toBe(200);
    const actRow = await ctx()
      .db.selectFrom('api_tokens')
      .selectAll()
      .where('name', '=', 'Sistem antrean')
      .executeTakeFirstOrThrow();
    expect(await assignee(applicationId)).toBe(actRow.user_id);

    // Forged, malformed, another agency's admin, revoked, expired.
    const forged = `${actToken!.slice(0, -43)}${'A'.repeat(43)}`;
    expect((await bearer(forged, 'GET', '/api/v1/inbox')).statusCode).toBe(401);
    expect((await bearer('gpr_nonsense', 'GET', '/api/v1/inbox')).statusCode).toBe(401);
    expect((await api('dinsosAdmin', 'DELETE', `/api/v1/admin/tokens/${actRow.id}`)).statusCode).toBe(404);
    expect((await api('platform', 'GET', '/api/v1/admin/tokens')).statusCode).toBe(403);
    const revoked = await form('admin', `/admin/tokens/${actRow.id}/revoke`);
    expect(revoked.statusCode).toBe(303);
    expect((await bearer(actToken!, 'GET', '/api/v1/inbox')).statusCode).toBe(401);
    expect(await assignee(applicationId)).toBeNull();
    await ctx()
      .db.updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', item.id)
      .execute();
    expect((await bearer(token, 'GET', '/api/v1/inbox')).statusCode).toBe(401);
    const statuses = (await api('admin', 'GET', '/api/v1/admin/tokens')).json<{
      items: { status: string }[];
    }>();
    expect(statuses.items.map((i) => i.status).sort()).toEqual(['expired', 'revoked']);
    expect((await leaves('api_token.created')).length).toBe(2);
    expect((await leaves('api_token.revoked')).length).toBe(1);
    const bad = await api('admin', 'POST', '/api/v1/admin/tokens', {
      name: 'x',
      scopes: ['root'],
      expiresInDays: 30,
    });
    expect(bad.statusCode).toBe(400);
  });

  it(
    onEngine(engine, 'guessing API tokens from one address is stopped, even before a right guess'),
    async () => {
      const created = await api('admin', 'POST', '/api/v1/admin/tokens', {
        name: 'Dasbor kinerja',
        scopes: ['applications:read'],
        expiresInDays: 30,
      });
      const { token } = created.json<{ token: string }>();
      const from = (remoteAddress: string, presented: string) =>
        app.inject({
          method: 'GET',
          url: '/api/v1/inbox',
          remoteAddress,
          headers: { authorization: `Bearer ${presented}` },
        });
      const guess = () => `${token.slice(0, -43)}${randomBytes(32).toString('base64url')}`;
      // Correct tokens never count: a busy agency system is not slowed down by its own traffic.
      for (let i = 0; i < FAILED_TOKENS_PER_IP.limit + 5; i++)
        expect((await from('198.51.100.7', token)).statusCode).toBe(200);
      for (let i = 0; i < FAILED_TOKENS_PER_IP.limit; i++)
        expect((await from('198.51.100.8', guess())).statusCode).toBe(401);
      const last = await from('198.51.100.8', guess());
      expect(last.statusCode).toBe(429);
      expect(last.json<{ error: { code: string } }>().error.code).toBe('auth.too_many_attempts');
      expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
      // From then on even the right token waits at that address; another address is not affected.
      expect((await from('198.51.100.8', token)).statusCode).toBe(429);
      expect((await from('198.51.100.9', token)).statusCode).toBe(200);
    },
  );

  it(
    onEngine(engine, 'platform pages: an agency with a unit, a holiday added and removed, keys rotated'),
    async () => {
      const created = await form('platform', '/admin/platform/agencies', [
        ['slug', 'dinas-kesehatan'],
        ['code', 'DKS'],
        ['nameId', 'Dinas Kesehatan Kota Sukamaju'],
        ['nameEn', 'Sukamaju City Health Office'],
        ['timezone', 'Asia/Jakarta'],
        ['unitslug', 'pelayanan-kesehatan'],
        ['unitnameId', 'Bidang Pelayanan Kesehatan'],
        ['unitnameEn', 'Health Services Division'],
      ]);
      expect(created.statusCode, created.body).toBe(303);
      const unit = await form('platform', '/admin/platform/units', [
        ['addagency', 'dinas-kesehatan'],
        ['addslug', 'kesehatan-masyarakat'],
        ['addnameId', 'Bidang Kesehatan Masyarakat'],
        ['addnameEn', 'Public Health Division'],
      ]);
      expect(unit.statusCode, unit.body).toBe(303);
      const agency = (await listAgencies(ctx())).find((a) => a.slug === 'dinas-kesehatan');
      expect(agency?.units.map((u) => u.slug).sort()).toEqual([
        'kesehatan-masyarakat',
        'pelayanan-kesehatan',
      ]);
      const duplicate = await form('platform', '/admin/platform/agencies', [
        ['slug', 'dinas-lain'],
        ['code', 'DKS'],
        ['nameId', 'Dinas Lain'],
        ['nameEn', 'Other Office'],
        ['timezone', 'Asia/Jakarta'],
      ]);
      expect(duplicate.statusCode).toBe(400);
      expect(duplicate.body).toContain('href="#code"');
      expect(duplicate.body).toContain('value="dinas-lain"');
      expect((await leaves('unit.created')).length).toBe(1);

      const added = await form('platform', '/admin/platform/holidays', [
        ['date', '2027-03-03'],
        ['kind', 'national'],
        ['nameId', 'Hari Uji Coba'],
        ['nameEn', 'Trial Day'],
      ]);
      expect(added.statusCode, added.body).toBe(303);
      const holiday = (await listHolidays(ctx(), 2027, null)).find((h) => h.name.en === 'Trial Day');
      expect(holiday?.source).toBe('added');
      const listPage = await app.inject({
        method: 'GET',
        url: '/admin/platform/holidays?year=2027',
        cookies: as('platform').cookies,
      });
      expect(listPage.body).toContain('Hari Uji Coba');
      const badHoliday = await form('platform', '/admin/platform/holidays', [
        ['date', '2027-02-30'],
        ['kind', 'regional'],
        ['nameId', 'X'],
        ['nameEn', 'Y'],
      ]);
      expect(badHoliday.statusCode).toBe(400);
      expect(badHoliday.body).toContain('href="#date"');
      expect(badHoliday.body).toContain('href="#agency"');
      const removed = await form('platform', `/admin/platform/holidays/${holiday!.id}/remove?year=2027`);
      expect(removed.statusCode).toBe(303);
      expect((await listHolidays(ctx(), 2027, null)).some((h) => h.name.en === 'Trial Day')).toBe(false);

      const disdukcapil = (await listAgencies(ctx())).find((a) => a.slug === 'disdukcapil')!;
      const before = await ctx()
        .db.selectFrom('signing_keys')
        .select('id')
        .where('purpose', '=', `document:${disdukcapil.id}`)
        .execute();
      const rotated = await form('platform', '/admin/platform/keys/documents/disdukcapil/rotate');
      expect(rotated.statusCode).toBe(303);
      const after = await ctx()
        .db.selectFrom('signing_keys')
        .selectAll()
        .where('purpose', '=', `document:${disdukcapil.id}`)
        .execute();
      expect(after.length).toBe(before.length + 1);
      expect(after.filter((k) => k.retired_at === null)).toHaveLength(1);
      expect((await form('platform', '/admin/platform/keys/audit/rotate')).statusCode).toBe(303);
      const keysPage = await app.inject({
        method: 'GET',
        url: '/admin/platform/keys',
        cookies: as('platform').cookies,
      });
      expect(keysPage.statusCode).toBe(200);
      expect(keysPage.body).toContain(after.find((k) => k.retired_at === null)!.id);
      for (const type of [
        'agency.created',
        'holiday.added',
        'holiday.removed',
        'document.key_rotated',
        'audit.key_rotated',
      ])
        expect((await leaves(type)).length, type).toBeGreaterThan(0);

      // Agency admins are refused every platform page and act.
      for (const url of ['/admin/platform/agencies', '/admin/platform/holidays', '/admin/platform/keys'])
        expect((await app.inject({ method: 'GET', url, cookies: as('admin').cookies })).statusCode).toBe(403);
      expect((await form('admin', '/admin/platform/keys/documents/disdukcapil/rotate')).statusCode).toBe(403);
      expect((await form('admin', '/admin/platform/units', [['addagency', 'disdukcapil']])).statusCode).toBe(
        403,
      );
    },
  );
});
