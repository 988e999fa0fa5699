import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../src/app.ts';
import { demoDefinitionFiles, readDefinitionFile } from '../src/catalog/files.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, openTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn } from './helpers/http.ts';

function demoDefinition(slug: string): Record<string, unknown> {
  const file = demoDefinitionFiles().find((f) => f.endsWith(`/${slug}.yaml`));
  const parsed = file ? readDefinitionFile(file) : undefined;
  if (!parsed?.ok) throw new Error(`no demo definition ${slug}`);
  return structuredClone(parsed.value) as Record<string, unknown>;
}

interface Listing {
  items: Array<{ slug: string; name: { id: string }; feeRupiah: number; completionDays: number }>;
  total: number;
}

describe.each(ENGINES)('service catalogue API', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  let accounts: DemoAccount[];
  let admin: ApiSession;
  let otherAdmin: ApiSession;

  const signIn = (email: string) => {
    const account = accounts.find((a) => a.email === email);
    if (!account) throw new Error(`no demo account ${email}`);
    return apiSignIn(app, opened, account.email, account.password);
  };
  const asAdmin = (session: ApiSession) => ({
    cookies: { gapura_session: session.cookie },
    headers: { 'x-csrf-token': session.csrf },
  });
  const listing = async (query = '') =>
    (await app.inject({ method: 'GET', url: `/api/v1/services${query}` })).json<Listing>();

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    accounts = await seedDemo(opened.ctx);
    app = await buildServer(opened.ctx);
    admin = await signIn('admin.disdukcapil@sukamaju.example');
    otherAdmin = await signIn('admin.dinsos@sukamaju.example');
  });
  afterAll(async () => {
    await app.close();
    await opened.handle.close();
    await fresh.cleanup();
  });

  it(onEngine(engine, 'lists the six published demo services with fee and time'), async () => {
    const body = await listing();
    expect(body.total).toBe(6);
    expect(body.items.map((s) => s.slug).sort()).toEqual([
      'akta-kelahiran',
      'izin-usaha-mikro',
      'pembaruan-kartu-keluarga',
      'persetujuan-bangunan-gedung',
      'sktm',
      'surat-keterangan-pindah',
    ]);
    const akta = body.items.find((s) => s.slug === 'akta-kelahiran');
    expect(akta).toMatchObject({ feeRupiah: 0, completionDays: 3 });
  });

  it(onEngine(engine, 'searches with typos, in both languages, and filters and pages'), async () => {
    expect((await listing('?q=akta%20kelahran')).items[0]?.slug).toBe('akta-kelahiran');
    expect((await listing('?q=birth%20certificate')).items[0]?.slug).toBe('akta-kelahiran');
    expect((await listing('?q=zzzqqqxx')).total).toBe(0);
    const licensing = await listing('?category=licensing');
    expect(licensing.items.map((s) => s.slug)).toEqual(['izin-usaha-mikro']);
    const disdukcapil = await listing('?agency=disdukcapil');
    expect(disdukcapil.total).toBe(3);
    const page2 = await listing('?perPage=4&page=2');
    expect(page2.items).toHaveLength(2);
    expect(page2.total).toBe(6);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/services?category=spaceflight' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'request.invalid' } });
  });

  it(onEngine(engine, 'serves a published definition, and 404 for an unknown service'), async () => {
    const found = await app.inject({ method: 'GET', url: '/api/v1/services/sktm' });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({
      service: { slug: 'sktm', agency: { slug: 'dinsos' } },
      definition: { slug: 'sktm', agency: 'dinsos' },
    });
    const missing = await app.inject({ method: 'GET', url: '/api/v1/services/tidak-ada' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it(onEngine(engine, 'publishes a JSON Schema that accepts every demo definition'), async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/schemas/service-definition.json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/schema\+json/);
    const schema = response.json<Record<string, unknown>>();
    const validate = new Ajv({ discriminator: true, allErrors: true, strict: false }).compile(schema);
    for (const file of demoDefinitionFiles()) {
      const parsed = readDefinitionFile(file);
      expect(validate(parsed.ok ? parsed.value : null), `${file}: ${JSON.stringify(validate.errors)}`).toBe(
        true,
      );
    }
    const broken = demoDefinition('sktm');
    (broken.form as { sections: Array<{ fields: Array<{ type: string }> }> }).sections[0]!.fields[0]!.type =
      'hologram';
    expect(validate(broken)).toBe(false);
  });

  it(
    onEngine(engine, 'a new version is a draft until published; publishing retires the old one'),
    async () => {
      const definition = demoDefinition('akta-kelahiran');
      (definition.name as { id: string }).id = 'Akta Kelahiran (baru)';
      const imported = await app.inject({
        method: 'POST',
        url: '/api/v1/admin/services',
        ...asAdmin(admin),
        payload: definition,
      });
      expect(imported.statusCode).toBe(201);
      expect(imported.json()).toEqual({ slug: 'akta-kelahiran', version: 2, status: 'draft' });
      // The catalogue still shows version 1 while version 2 is a draft.
      expect((await listing('?q=akta')).items[0]?.name.id).not.toContain('(baru)');

      const published = await app.inject({
        method: 'POST',
        url: '/api/v1/admin/services/akta-kelahiran/publish',
        ...asAdmin(admin),
      });
      expect(published.json()).toEqual({ slug: 'akta-kelahiran', version: 2, status: 'published' });
      expect((await listing('?q=akta')).items[0]?.name.id).toBe('Akta Kelahiran (baru)');

      const versions = await app.inject({
        method: 'GET',
        url: '/api/v1/admin/services/akta-kelahiran/versions',
        ...asAdmin(admin),
      });
      const items = versions.json<{ items: Array<Record<string, unknown>> }>().items;
      expect(items.map((v) => [v.version, v.status])).toEqual([
        [2, 'published'],
        [1, 'retired'],
      ]);
      expect(items[0]?.publishedBy).toEqual(expect.any(String));
      expect(items[1]?.retiredBy).toBe(items[0]?.publishedBy);
      expect(items[1]?.retiredAt).toEqual(expect.any(String));

      const diff = await app.inject({
        method: 'GET',
        url: '/api/v1/admin/services/akta-kelahiran/diff?from=1&to=2',
        ...asAdmin(admin),
      });
      expect(diff.json<{ changes: unknown[] }>().changes).toEqual([
        { path: 'name.id', kind: 'changed', before: 'Akta Kelahiran', after: 'Akta Kelahiran (baru)' },
      ]);

      const leaves = await opened.ctx.db.selectFrom('audit_leaves').select('content').execute();
      const types = leaves.map((l) => JSON.parse(l.content.toString('utf8')).type as string);
      expect(types.filter((t) => t === 'service.published')).toHaveLength(7);
    },
  );

  it(onEngine(engine, 'exports a version as JSON and YAML that import back unchanged'), async () => {
    const json = await app.inject({
      method: 'GET',
      url: '/api/v1/admin/services/akta-kelahiran/versions/1',
      ...asAdmin(admin),
    });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual(demoDefinition('akta-kelahiran'));
    const yaml = await app.inject({
      method: 'GET',
      url: '/api/v1/admin/services/akta-kelahiran/versions/1?format=yaml',
      ...asAdmin(admin),
    });
    expect(yaml.headers['content-type']).toMatch(/^application\/yaml/);
    const reimported = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/services',
      ...asAdmin(admin),
      headers: { ...asAdmin(admin).headers, 'content-type': 'application/yaml' },
      payload: yaml.body,
    });
    expect(reimported.statusCode).toBe(201);
    expect(reimported.json()).toEqual({ slug: 'akta-kelahiran', version: 3, status: 'draft' });
  });

  it(onEngine(engine, 'refuses an invalid definition with every problem and stores nothing'), async () => {
    const before = await opened.ctx.db.selectFrom('service_versions').select('id').execute();
    const definition = demoDefinition('sktm');
    delete (definition.standard as Record<string, unknown>).product;
    (definition.workflow as { startState: string }).startState = 'nowhere';
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/services',
      ...asAdmin(otherAdmin),
      payload: definition,
    });
    expect(refused.statusCode).toBe(422);
    const body = refused.json<{ error: { code: string; details: { problems: Array<{ path: string }> } } }>();
    expect(body.error.code).toBe('service.invalid');
    expect(body.error.details.problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['standard.product', 'workflow.startState']),
    );
    const yaml = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/services',
      ...asAdmin(otherAdmin),
      headers: { ...asAdmin(otherAdmin).headers, 'content-type': 'application/yaml' },
      payload: 'slug: [unclosed',
    });
    expect(yaml.statusCode).toBe(422);
    expect(yaml.json()).toMatchObject({ error: { details: { problems: [{ code: 'file.parse' }] } } });
    const check = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/services/validate',
      ...asAdmin(otherAdmin),
      payload: definition,
    });
    expect(check.json()).toMatchObject({ valid: false });
    expect(await opened.ctx.db.selectFrom('service_versions').select('id').execute()).toHaveLength(
      before.length,
    );
  });

  it(onEngine(engine, 'an agency admin cannot change another agency’s services'), async () => {
    const definition = demoDefinition('akta-kelahiran');
    for (const request of [
      { method: 'POST' as const, url: '/api/v1/admin/services', payload: definition },
      { method: 'PUT' as const, url: '/api/v1/admin/services/akta-kelahiran/draft', payload: definition },
      { method: 'POST' as const, url: '/api/v1/admin/services/akta-kelahiran/publish' },
      { method: 'POST' as const, url: '/api/v1/admin/services/akta-kelahiran/retire' },
      { method: 'GET' as const, url: '/api/v1/admin/services/akta-kelahiran/versions' },
    ]) {
      const response = await app.inject({ ...request, ...asAdmin(otherAdmin) });
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(403);
    }
    const mine = await app.inject({ method: 'GET', url: '/api/v1/admin/services', ...asAdmin(otherAdmin) });
    expect(mine.json<{ items: Array<{ slug: string }> }>().items.map((s) => s.slug)).toEqual(['sktm']);
  });

  it(onEngine(engine, 'a draft may be incomplete, but keeps its agency and address'), async () => {
    const definition = demoDefinition('surat-keterangan-pindah');
    delete (definition.standard as Record<string, unknown>).procedure;
    const saved = await app.inject({
      method: 'PUT',
      url: '/api/v1/admin/services/surat-keterangan-pindah/draft',
      ...asAdmin(admin),
      payload: definition,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({
      version: 2,
      status: 'draft',
      problems: [{ path: 'standard.procedure' }],
    });
    const publish = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/services/surat-keterangan-pindah/publish',
      ...asAdmin(admin),
    });
    expect(publish.statusCode).toBe(422);
    const moved = await app.inject({
      method: 'PUT',
      url: '/api/v1/admin/services/surat-keterangan-pindah/draft',
      ...asAdmin(admin),
      payload: { ...definition, slug: 'pindah-lain' },
    });
    expect(moved.statusCode).toBe(400);
    expect(moved.json()).toMatchObject({ error: { code: 'service.identity_mismatch' } });
  });

  it(onEngine(engine, 'retiring takes a service out of the catalogue'), async () => {
    const retired = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/services/pembaruan-kartu-keluarga/retire',
      ...asAdmin(admin),
    });
    expect(retired.json()).toMatchObject({ status: 'retired', version: 1 });
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/services/pembaruan-kartu-keluarga' })).statusCode,
    ).toBe(404);
    expect((await listing()).items.map((s) => s.slug)).not.toContain('pembaruan-kartu-keluarga');
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/admin/services/pembaruan-kartu-keluarga/retire',
      ...asAdmin(admin),
    });
    expect(again.statusCode).toBe(409);
  });
});
