import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../src/app.ts';
import { applyCommand } from '../src/catalog/designer/commands.ts';
import { EditorPage } from '../src/catalog/designer/editor-page.tsx';
import { type Doc, PARTS, readPart } from '../src/catalog/designer/mapping.ts';
import { parseNamedInputs } from '../src/catalog/designer/names.ts';
import { demoDefinitionFiles, readDefinitionFile } from '../src/catalog/files.ts';
import { starterDefinition } from '../src/catalog/starter.ts';
import { validateDefinition } from '../src/catalog/validate.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import type { PageContext } from '../src/web/pages/layout.tsx';
import { type App, buildServer } from '../src/web/server.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, openTestContext } from './helpers/engines.ts';
import { type ApiSession, apiSignIn } from './helpers/http.ts';
import { formFields as pageFormFields } from './helpers/pages.ts';

/** The designer's whole editor form, the preview's disabled controls included. */
const formFields = (html: string) => pageFormFields(html, { everyControl: true });

/** The fields as @fastify/formbody gives them to a handler: a repeated name becomes a list. */
function asBody(fields: Array<[string, string]>): Record<string, string | string[]> {
  const body: Record<string, string | string[]> = {};
  for (const [name, value] of fields) {
    const existing = body[name];
    body[name] =
      existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return body;
}

const PAGE: PageContext = { lang: 'id', principal: null, csrfToken: 'x', isDemo: false, path: '/' };

function renderPart(doc: Doc, part: (typeof PARTS)[number]): string {
  const checked = validateDefinition(doc);
  return EditorPage({
    page: PAGE,
    slug: String(doc.slug),
    version: 1,
    part,
    doc,
    problems: checked.ok ? [] : checked.problems,
    saved: false,
  }) as string;
}

describe('the designer name parser', () => {
  it('nests paths into objects and lists, keeping repeated names as lists', () => {
    expect(
      parseNamedInputs({
        'form.sections[0].fields[1].label.id': 'Nama',
        'form.sections[0].fields[0].key': 'nik',
        'workflow.actions[0].roles': ['verifier', 'approver'],
        tags: 'a, b',
        _csrf: 'token',
        _do: 'addField:0',
      }),
    ).toEqual({
      form: { sections: [{ fields: [{ key: 'nik' }, { label: { id: 'Nama' } }] }] },
      workflow: { actions: [{ roles: ['verifier', 'approver'] }] },
      tags: 'a, b',
    });
  });

  it('closes the holes of a sparse list and ignores names that are not paths', () => {
    expect(
      parseNamedInputs({
        'list[0]': 'a',
        'list[2]': 'c',
        'x.__proto__.polluted': 'yes',
        'constructor.prototype': 'no',
        'a[5000]': 'too far',
        '1abc': 'no',
        'a..b': 'no',
      }),
    ).toEqual({ list: ['a', 'c'] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the designer mapping', () => {
  const demos = demoDefinitionFiles().map((file) => {
    const parsed = readDefinitionFile(file);
    if (!parsed.ok) throw new Error(`demo ${file} cannot be read`);
    return parsed.value as Doc;
  });

  for (const part of PARTS) {
    it(`renders every demo definition's ${part} part into the editor and reads it back unchanged`, () => {
      for (const demo of demos) {
        const html = renderPart(demo, part);
        const read = readPart(part, demo, parseNamedInputs(asBody(formFields(html))));
        expect(read, `${String(demo.slug)} ${part}`).toEqual(demo);
      }
    });
  }

  it('keeps a malformed number as typed, reads 50.000 as fifty thousand, and drops an empty optional text', () => {
    const demo = demos[0] as Doc;
    const fields = formFields(renderPart(demo, 'standard')).map(([name, value]): [string, string] => {
      if (name === 'standard.completionDays') return [name, '14 hari'];
      if (name === 'standard.fee.kind') return [name, 'paid'];
      if (name === 'standard.fee.amountRupiah') return [name, 'Rp 50.000'];
      if (name.startsWith('standard.facilities.')) return [name, ''];
      return [name, value];
    });
    const read = readPart('standard', demo, parseNamedInputs(asBody(fields)));
    const standard = read.standard as Doc;
    expect(standard.completionDays).toBe('14 hari');
    expect((standard.fee as Doc).amountRupiah).toBe(50000);
    expect(standard.facilities).toBeUndefined();
    const problems = validateDefinition(read);
    expect(problems.ok).toBe(false);
    if (!problems.ok) expect(problems.problems.map((p) => p.path)).toContain('standard.completionDays');
    expect(renderPart(read, 'standard')).toContain('value="14 hari"');
  });

  it('suggests keys from labels and builds a condition from the selects', () => {
    const starter = starterDefinition({
      agency: 'disdukcapil',
      slug: 'uji',
      name: { id: 'Uji', en: 'Test' },
      category: 'other',
    });
    const read = readPart(
      'form',
      starter,
      parseNamedInputs({
        'form.sections[0].key': 'pemohon',
        'form.sections[0].title.id': 'Pemohon',
        'form.sections[0].title.en': 'Applicant',
        'form.sections[0].fields[0].type': 'yesno',
        'form.sections[0].fields[0].label.id': 'Punya KIS?',
        'form.sections[0].fields[0].label.en': 'Have a KIS?',
        'form.sections[0].fields[0].classification': 'personal',
        'form.sections[0].fields[1].type': 'text',
        'form.sections[0].fields[1].label.id': 'Nomor KIS',
        'form.sections[0].fields[1].label.en': 'KIS number',
        'form.sections[0].fields[1].classification': 'specific',
        'form.sections[0].fields[1].visibleWhen.mode': 'all',
        'form.sections[0].fields[1].visibleWhen.conditions[0].field': 'punya_kis',
        'form.sections[0].fields[1].visibleWhen.conditions[0].op': 'eq',
        'form.sections[0].fields[1].visibleWhen.conditions[0].value': 'ya',
        'form.sections[0].fields[1].visibleWhen.conditions[1].field': '',
        'form.sections[0].fields[1].visibleWhen.conditions[1].value': '',
      }),
    );
    const fields = ((read.form as Doc).sections as Doc[])[0]?.fields as Doc[];
    expect(fields.map((f) => f.key)).toEqual(['punya_kis', 'nomor_kis']);
    expect(fields[1]?.visibleWhen).toEqual({ field: 'punya_kis', op: 'eq', value: true });
  });
});

describe('the designer commands', () => {
  const base = (): Doc =>
    starterDefinition({
      agency: 'disdukcapil',
      slug: 'uji',
      name: { id: 'Uji', en: 'Test' },
      category: 'other',
    });
  const fieldsOf = (doc: Doc, s = 0) => (((doc.form as Doc).sections as Doc[])[s]?.fields ?? []) as Doc[];

  it('adds, moves and removes fields, with the type chosen next to the button', () => {
    let doc = base();
    const added = applyCommand(doc, 'addField:0', { '_newType.0': 'file' });
    doc = added.doc;
    expect(added.focus).toBe('form.sections[0].fields[1]');
    expect(fieldsOf(doc)[1]).toMatchObject({ type: 'file', accept: expect.any(Array), maxFiles: 1 });
    doc = applyCommand(doc, 'addField:0:group').doc;
    expect(fieldsOf(doc)[2]).toMatchObject({ type: 'group', fields: [{ type: 'text' }] });
    doc = applyCommand(doc, 'addField:0.2:nik').doc;
    expect(((fieldsOf(doc)[2]?.fields ?? []) as Doc[]).map((f) => f.type)).toEqual(['text', 'nik']);
    const moved = applyCommand(doc, 'moveField:0.2:up');
    expect(moved.focus).toBe('form.sections[0].fields[1]');
    expect(fieldsOf(moved.doc).map((f) => f.type)).toEqual(['text', 'group', 'file']);
    doc = applyCommand(moved.doc, 'removeField:0.0').doc;
    expect(fieldsOf(doc).map((f) => f.type)).toEqual(['group', 'file']);
    expect(applyCommand(doc, 'moveField:0.0:up').doc).toEqual(doc);
    expect(applyCommand(doc, 'removeField:9.9').doc).toEqual(doc);
    expect(applyCommand(doc, 'addField:0:script').doc.form).toBeDefined();
    const nested = fieldsOf(applyCommand(doc, 'addField:0.0:group').doc)[0]?.fields as Doc[];
    expect(nested.map((f) => f.type)).toEqual(['text', 'nik', 'text']);
  });

  it('adds, moves and removes sections', () => {
    let doc = applyCommand(base(), 'addSection').doc;
    expect((doc.form as Doc).sections).toHaveLength(2);
    doc = applyCommand(doc, 'moveSection:1:up').doc;
    expect(((doc.form as Doc).sections as Doc[])[1]?.key).toBe('pemohon');
    doc = applyCommand(doc, 'removeSection:0').doc;
    expect(((doc.form as Doc).sections as Doc[]).map((s) => s.key)).toEqual(['pemohon']);
  });

  it('adds, moves and removes states and actions', () => {
    let doc = applyCommand(base(), 'addState').doc;
    const states = () => ((doc.workflow as Doc).states as Doc[]).map((s) => s.key);
    expect(states()).toEqual(['diajukan', 'disetujui', '']);
    doc = applyCommand(doc, 'moveState:2:up').doc;
    expect(states()).toEqual(['diajukan', '', 'disetujui']);
    doc = applyCommand(doc, 'removeState:1').doc;
    expect(states()).toEqual(['diajukan', 'disetujui']);
    doc = applyCommand(applyCommand(doc, 'addAction').doc, 'addAction').doc;
    expect((doc.workflow as Doc).actions).toHaveLength(2);
    doc = applyCommand(doc, 'removeAction:0').doc;
    expect((doc.workflow as Doc).actions).toHaveLength(1);
  });

  it('removes one condition of a rule, keeping the rest', () => {
    const doc = base();
    fieldsOf(doc).push({
      type: 'text',
      key: 'b',
      label: { id: 'B', en: 'B' },
      classification: 'public',
      visibleWhen: {
        any: [
          { field: 'nama_lengkap', op: 'eq', value: 'x' },
          { field: 'nama_lengkap', op: 'eq', value: 'y' },
        ],
      },
    });
    const after = applyCommand(doc, 'removeCondition:0.1:visibleWhen:0').doc;
    expect(fieldsOf(after)[1]?.visibleWhen).toEqual({ field: 'nama_lengkap', op: 'eq', value: 'y' });
  });
});

describe.each(ENGINES)('the designer pages', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  let accounts: DemoAccount[];
  let admin: ApiSession;
  const account = (role: DemoAccount['role'], agency: string | null = null) => {
    const found = accounts.find((a) => a.role === role && (agency === null || a.agencySlug === agency));
    if (!found) throw new Error(`no demo ${role}`);
    return found;
  };
  const signIn = (a: DemoAccount) => apiSignIn(app, opened, a.email, a.password);
  const get = (session: ApiSession, url: string) =>
    app.inject({ url, cookies: { gapura_session: session.cookie }, headers: { 'accept-language': 'id' } });
  const post = (
    session: ApiSession,
    url: string,
    fields: Record<string, string | string[]> | Array<[string, string]>,
  ) => {
    const params = new URLSearchParams();
    const entries = Array.isArray(fields)
      ? fields
      : Object.entries(fields).flatMap(([k, v]) =>
          Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]],
        );
    for (const [k, v] of entries) params.append(k, v);
    params.append('_csrf', session.csrf);
    return app.inject({
      method: 'POST',
      url,
      cookies: { gapura_session: session.cookie },
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'id' },
      payload: params.toString(),
    });
  };
  /** Posts a part as the browser would, with some inputs replaced and an optional command. */
  const submitPart = async (
    session: ApiSession,
    slug: string,
    part: string,
    changes: Record<string, string | string[]> = {},
    command?: string,
  ) => {
    const page = await get(session, `/admin/services/${slug}/edit/${part}`);
    expect(page.statusCode).toBe(200);
    const fields = formFields(page.body).filter(([name]) => name !== '_csrf' && !(name in changes));
    for (const [k, v] of Object.entries(changes)) for (const x of [v].flat()) fields.push([k, x]);
    if (command) fields.push(['_do', command]);
    const response = await post(session, `/admin/services/${slug}/edit/${part}`, fields);
    expect(response.statusCode).toBe(303);
    return response;
  };

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    accounts = await seedDemo(opened.ctx);
    app = await buildServer(opened.ctx);
    admin = await signIn(account('agency_admin', 'disdukcapil'));
  });
  afterAll(async () => {
    await app.close();
    await opened.handle.close();
    await fresh.cleanup();
  });

  it(onEngine(engine, "lists the admin's services with their version statuses"), async () => {
    const page = await get(admin, '/admin/services');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Akta Kelahiran');
    expect(page.body).toContain('Buat layanan baru');
    expect(page.body).not.toContain('Tidak Mampu');
  });

  it(onEngine(engine, 'refuses citizens, verifiers and admins of another agency'), async () => {
    const citizen = await signIn(account('citizen'));
    const verifier = await signIn(account('verifier', 'disdukcapil'));
    // Only agency admins see the way to the designer in the page header.
    expect((await get(admin, '/account')).body).toContain('href="/admin/services"');
    expect((await get(verifier, '/account')).body).not.toContain('href="/admin/services"');
    const other = await signIn(account('agency_admin', 'dinsos'));
    expect((await get(citizen, '/admin/services')).statusCode).toBe(403);
    expect((await get(verifier, '/admin/services/akta-kelahiran')).statusCode).toBe(403);
    expect((await get(other, '/admin/services/akta-kelahiran')).statusCode).toBe(403);
    expect((await get(other, '/admin/services/akta-kelahiran/edit/form')).statusCode).toBe(403);
    expect((await post(other, '/admin/services/akta-kelahiran/publish', {})).statusCode).toBe(403);
    expect((await post(verifier, '/admin/services/new', { nameId: 'X', category: 'other' })).statusCode).toBe(
      403,
    );
    const anonymous = await app.inject('/admin/services');
    expect(anonymous.statusCode).toBe(302);
  });

  it(onEngine(engine, 'keeps what was typed when the create form is refused'), async () => {
    const refused = await post(admin, '/admin/services/new', {
      nameId: 'Surat Uji',
      nameEn: '',
      slug: 'Bad Slug!',
      category: '',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('g-error-summary');
    expect(refused.body).toContain('value="Surat Uji"');
    expect(refused.body).toContain('value="bad slug!"');
    const taken = await post(admin, '/admin/services/new', {
      nameId: 'Akta',
      slug: 'akta-kelahiran',
      category: 'other',
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('sudah dipakai');
  });

  it(
    onEngine(engine, 'creates, edits and publishes a service that then appears in the catalogue'),
    async () => {
      const created = await post(admin, '/admin/services/new', {
        nameId: 'Surat Keterangan Domisili Uji',
        nameEn: 'Test Residence Certificate',
        slug: '',
        category: 'population',
      });
      expect(created.statusCode).toBe(303);
      const slug = 'surat-keterangan-domisili-uji';
      expect(created.headers.location).toBe(`/admin/services/${slug}/edit/identity`);

      // Publishing the starter fails with every problem listed, and publishes nothing.
      const refused = await post(admin, `/admin/services/${slug}/publish`, {});
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('Belum dapat diterbitkan');
      expect(refused.body).toContain(`/admin/services/${slug}/edit/standard#p-standard-requirements`);
      const listed = await app.inject('/api/v1/services?perPage=100');
      expect(listed.json<{ items: { slug: string }[] }>().items.map((i) => i.slug)).not.toContain(slug);

      // The editor shows the problems inline and counts them on the tabs.
      const standardPage = await get(admin, `/admin/services/${slug}/edit/standard`);
      expect(standardPage.body).toContain('d-summary');
      expect(standardPage.body).toContain('id="p-standard-procedure-id-error"');

      await submitPart(admin, slug, 'identity', {
        'description.id': 'Surat keterangan tempat tinggal untuk uji.',
        'description.en': 'A residence certificate for testing.',
      });
      await submitPart(admin, slug, 'standard', {}, 'addRequirement');
      await submitPart(admin, slug, 'standard', {
        'standard.requirements[0].id': 'KTP',
        'standard.requirements[0].en': 'ID card',
        'standard.procedure.id': 'Ajukan, diperiksa, disetujui.',
        'standard.procedure.en': 'Apply, checked, approved.',
        'standard.completionDays': '3',
        'standard.fee.kind': 'free',
        'standard.product.id': 'Surat keterangan',
        'standard.product.en': 'Certificate',
        'standard.complaintHandling.id': 'Melalui menu Pengaduan.',
        'standard.complaintHandling.en': 'Through the Complaints page.',
      });
      await submitPart(admin, slug, 'workflow', {}, 'addState');
      await submitPart(admin, slug, 'workflow', {
        'workflow.states[2].label.id': 'Ditolak',
        'workflow.states[2].label.en': 'Rejected',
        'workflow.states[2].terminal': 'rejected',
        // Unticked: the service clock stops in a final stage.
        'workflow.states[2].slaRuns': [],
      });
      await submitPart(admin, slug, 'workflow', {}, 'addAction');
      await submitPart(admin, slug, 'workflow', {}, 'addAction');
      await submitPart(admin, slug, 'workflow', {
        'workflow.actions[0].label.id': 'Setujui',
        'workflow.actions[0].label.en': 'Approve',
        'workflow.actions[0].from': 'diajukan',
        'workflow.actions[0].to': 'disetujui',
        'workflow.actions[0].roles': 'approver',
        'workflow.actions[0].kind': 'approve',
        'workflow.actions[1].label.id': 'Tolak',
        'workflow.actions[1].label.en': 'Reject',
        'workflow.actions[1].from': 'diajukan',
        'workflow.actions[1].to': 'ditolak',
        'workflow.actions[1].roles': ['verifier', 'approver'],
        'workflow.actions[1].kind': 'reject',
        'workflow.actions[1].requiresComment': 'true',
      });
      await submitPart(admin, slug, 'output', {
        'output.documentName.id': 'Surat Keterangan Domisili',
        'output.documentName.en': 'Residence Certificate',
        'dataRules.retention.years': '5',
        'dataRules.retention.basis': 'JRA uji',
      });
      const overview = await get(admin, `/admin/services/${slug}`);
      expect(overview.body).not.toContain('d-count');
      const published = await post(admin, `/admin/services/${slug}/publish`, {});
      expect(published.statusCode).toBe(200);
      expect(published.body).toContain('telah diterbitkan');
      const listedAfter = await app.inject('/api/v1/services?perPage=100');
      expect(listedAfter.json<{ items: { slug: string }[] }>().items.map((i) => i.slug)).toContain(slug);
      const preview = await get(admin, `/admin/services/${slug}/preview`);
      expect(preview.statusCode).toBe(200);
      expect(preview.body).toContain('Nama lengkap');
    },
  );

  it(
    onEngine(
      engine,
      'edits a published service as version 2 while version 1 stays published, then compares and retires',
    ),
    async () => {
      const slug = 'akta-kelahiran';
      const listVersions = async () =>
        (
          await app.inject({
            url: `/api/v1/admin/services/${slug}/versions`,
            cookies: { gapura_session: admin.cookie },
          })
        ).json<{ items: { version: number; status: string }[] }>().items;
      // Only opening the editor changes nothing: the draft starts with the first save.
      expect((await get(admin, `/admin/services/${slug}/edit/form`)).statusCode).toBe(200);
      expect((await listVersions()).map((v) => v.status)).toEqual(['published']);
      await submitPart(admin, slug, 'identity', { 'name.id': 'Akta Kelahiran (baru)' });
      const versions = await app.inject({
        url: `/api/v1/admin/services/${slug}/versions`,
        cookies: { gapura_session: admin.cookie },
      });
      const items = versions.json<{ items: { version: number; status: string }[] }>().items;
      expect(items.map((v) => [v.version, v.status])).toEqual([
        [2, 'draft'],
        [1, 'published'],
      ]);
      const catalogue = await app.inject(`/api/v1/services/${slug}`);
      expect(catalogue.body).not.toContain('Akta Kelahiran (baru)');

      const compare = await get(admin, `/admin/services/${slug}/compare?from=1&to=2`);
      expect(compare.statusCode).toBe(200);
      expect(compare.body).toContain('name.id');
      expect(compare.body).toContain('Akta Kelahiran (baru)');

      const confirm = await get(admin, `/admin/services/${slug}/retire`);
      expect(confirm.body).toContain('Ya, tarik dari katalog');
      const retired = await post(admin, `/admin/services/${slug}/retire`, {});
      expect(retired.statusCode).toBe(200);
      expect(retired.body).toContain('ditarik dari katalog');
      expect((await app.inject(`/api/v1/services/${slug}`)).statusCode).toBe(404);
    },
  );

  it(onEngine(engine, 'refuses a page POST without its CSRF token'), async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/admin/services/sktm/publish',
      cookies: { gapura_session: admin.cookie },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expect(response.statusCode).toBe(403);
  });
});
