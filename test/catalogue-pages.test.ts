import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDefinitionFiles, readDefinitionFile } from '../src/catalog/files.ts';
import { formatRupiah, numberedSteps } from '../src/catalog/pages/catalogue-format.ts';
import { STANDARD_COMPONENTS } from '../src/catalog/schemas.ts';
import { importDefinition, retireService } from '../src/catalog/service.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { ENGINES, onEngine, useTestContext } from './helpers/engines.ts';
import { ROOT } from './helpers/process.ts';

const DEMO_SLUGS = [
  'akta-kelahiran',
  'izin-usaha-mikro',
  'pembaruan-kartu-keluarga',
  'persetujuan-bangunan-gedung',
  'sktm',
  'surat-keterangan-pindah',
];
const PAGE_BUDGET_BYTES = 40 * 1024;
const CSS_BYTES = readFileSync(path.join(ROOT, 'src/web/static/gapura.css')).byteLength;

function demoDefinition(slug: string): Record<string, unknown> {
  const file = demoDefinitionFiles().find((f) => f.endsWith(`/${slug}.yaml`));
  const parsed = file ? readDefinitionFile(file) : undefined;
  if (!parsed?.ok) throw new Error(`no demo definition ${slug}`);
  return structuredClone(parsed.value) as Record<string, unknown>;
}

/** The service slugs linked from result cards, in order. */
function resultSlugs(html: string): string[] {
  const list = html.match(/<ul class="g-cards g-catalogue__results">[\s\S]*?<\/ul>/)?.[0] ?? '';
  return [...list.matchAll(/href="\/services\/([a-z0-9-]+)"/g)].map((m) => m[1] ?? '');
}

/** The text of the element with role="status" (the announced result count). */
function statusText(html: string): string {
  return (html.match(/role="status"[^>]*>([\s\S]*?)<\/p>/)?.[1] ?? '').replace(/<[^>]+>/g, '');
}

describe('catalogue formatting', () => {
  it('writes rupiah with Indonesian thousand separators', () => {
    expect(formatRupiah(150_000)).toBe('Rp 150.000');
    expect(formatRupiah(1_250_000)).toBe('Rp 1.250.000');
    expect(formatRupiah(500)).toBe('Rp 500');
  });

  it('splits a procedure numbered 1, 2, 3 into steps, and leaves other text whole', () => {
    expect(numberedSteps('1. Isi formulir. 2. Verifikasi 3 hari. 3. Ambil akta.')).toEqual([
      'Isi formulir.',
      'Verifikasi 3 hari.',
      'Ambil akta.',
    ]);
    expect(numberedSteps('Datang ke loket. Bawa 2. salinan KK.')).toBeUndefined();
    expect(numberedSteps('1. Isi formulir. 3. Ambil akta.')).toBeUndefined();
    expect(numberedSteps('Satu langkah saja.')).toBeUndefined();
  });
});

describe.each(ENGINES)('public catalogue pages', (engine) => {
  const db = useTestContext(engine);
  let app: App;
  const get = (url: string, lang?: 'en') =>
    app.inject({ method: 'GET', url, ...(lang ? { cookies: { gapura_lang: lang } } : {}) });

  beforeAll(async () => {
    await seedDemo(db.opened.ctx);
    app = await buildServer(db.opened.ctx);
  });
  afterAll(async () => {
    await app?.close();
  });

  it(onEngine(engine, 'lists the six demo services as cards with fee, time and a count'), async () => {
    const res = await get('/services');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(resultSlugs(res.body).sort()).toEqual(DEMO_SLUGS);
    expect(statusText(res.body)).toBe('6 layanan ditemukan');
    expect(res.body).toContain('<h1>Katalog layanan</h1>');
    expect(res.body).toContain('Gratis');
    expect(res.body).toContain('Rp 500.000');
    expect(res.body).toContain('3 hari kerja');
    expect(res.body).toContain('Pencatatan sipil');
    expect(res.body).toContain('Dinas Kependudukan dan Pencatatan Sipil');
  });

  it(onEngine(engine, 'finds akta-kelahiran first for "akta kelahran" and for "birth"'), async () => {
    const typo = await get('/services?q=akta%20kelahran');
    expect(resultSlugs(typo.body)[0]).toBe('akta-kelahiran');
    expect(typo.body).toContain('value="akta kelahran"');
    expect(statusText(typo.body)).toMatch(/layanan ditemukan untuk “akta kelahran”/);
    const english = await get('/services?q=birth', 'en');
    expect(resultSlugs(english.body)[0]).toBe('akta-kelahiran');
    expect(english.body).toContain('<h1>Service catalogue</h1>');
    expect(english.body).toContain('Free');
    expect(english.body).toContain('3 working days');
  });

  it(onEngine(engine, 'filters by category and by agency, and keeps the choice selected'), async () => {
    const licensing = await get('/services?category=licensing');
    expect(resultSlugs(licensing.body)).toEqual(['izin-usaha-mikro']);
    expect(licensing.body).toContain('<option value="licensing" selected>');
    const disdukcapil = await get('/services?agency=disdukcapil');
    expect(resultSlugs(disdukcapil.body).sort()).toEqual([
      'akta-kelahiran',
      'pembaruan-kartu-keluarga',
      'surat-keterangan-pindah',
    ]);
    expect(disdukcapil.body).toContain('<option value="disdukcapil" selected>');
    const both = await get('/services?agency=dinsos&category=licensing');
    expect(resultSlugs(both.body)).toEqual([]);
    expect(both.body).toContain('Tidak ada layanan yang cocok.');
  });

  it(
    onEngine(engine, 'says nothing matched and suggests checking the spelling or removing filters'),
    async () => {
      const res = await get('/services?q=zzzqqqxx');
      expect(res.statusCode).toBe(200);
      expect(resultSlugs(res.body)).toEqual([]);
      expect(statusText(res.body)).toBe('Tidak ada layanan yang cocok.');
      expect(res.body).toContain('Periksa ejaan');
      expect(res.body).toContain('hapus filter');
      expect(res.body).toContain('value="zzzqqqxx"');
      const filtered = await get('/services?q=akta&category=building');
      expect(filtered.body).toContain(
        'href="/services?q=akta">Cari “akta” di semua instansi dan kategori</a>',
      );
      const english = await get('/services?q=zzzqqqxx', 'en');
      expect(english.body).toContain('Check the spelling');
    },
  );

  it(onEngine(engine, 'pages through results with links that keep the search'), async () => {
    const first = await get('/services?perPage=4');
    expect(resultSlugs(first.body)).toHaveLength(4);
    expect(first.body).toContain('Halaman 1 dari 2');
    expect(first.body).toContain('href="/services?perPage=4&page=2"');
    const second = await get('/services?perPage=4&page=2');
    expect(resultSlugs(second.body)).toHaveLength(2);
    expect(second.body).toContain('href="/services?perPage=4"');
    const beyond = await get('/services?perPage=4&page=9');
    expect(beyond.statusCode).toBe(200);
    expect(beyond.body).toContain('Halaman ini tidak berisi hasil.');
  });

  it(onEngine(engine, 'ignores unusable parameters with a note instead of failing'), async () => {
    for (const url of [
      '/services?category=spaceships',
      '/services?page=abc',
      '/services?page=-3&perPage=0',
      '/services?agency=nope',
      `/services?q=${'akta '.repeat(300)}`,
      '/services?q=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body).not.toContain('"><script>');
    }
    const category = await get('/services?category=spaceships');
    expect(resultSlugs(category.body)).toHaveLength(6);
    expect(category.body).toContain('Kategori yang dipilih tidak dikenal');
    const agency = await get('/services?agency=nope');
    expect(agency.body).toContain('Instansi yang dipilih tidak dikenal');
  });

  it(
    onEngine(engine, 'shows the whole standard, requirements, fee, legal basis, diagram and Apply'),
    async () => {
      const res = await get('/services/akta-kelahiran');
      expect(res.statusCode).toBe(200);
      const html = res.body;
      expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
      expect(html).toContain('<h1>Akta Kelahiran</h1>');
      // All 14 components, in the order of UU 25/2009 art. 21.
      const positions = STANDARD_COMPONENTS.map((c) => html.indexOf(`</span> ${c.label.id}</dt>`));
      expect(positions.every((p) => p > 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(html).toContain('<ul class="g-checklist">');
      expect(html).toContain('Kartu Keluarga (KK) tempat anak akan didaftarkan');
      expect(html).toContain('Gratis');
      expect(html).toContain('3 hari kerja');
      expect(html).toContain('<strong>UU Nomor 23 Tahun 2006</strong> tentang');
      expect(html).toContain('Administrasi Kependudukan');
      expect(html).toContain('Dasar hukum biaya: UU Nomor 24 Tahun 2013');
      expect(html).toMatch(/<svg[^>]*role="img"/);
      expect(html).toContain('href="/services/akta-kelahiran/apply"');
      expect(html).toContain('Ajukan permohonan');
      expect(html).toMatch(/Versi 1, diterbitkan \d{1,2} \S+ \d{4}\./);
      expect(html).not.toContain('Belum dinyatakan');
    },
  );

  it(onEngine(engine, 'shows a paid fee in rupiah with its legal basis'), async () => {
    const res = await get('/services/persetujuan-bangunan-gedung');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Rp 500.000');
    expect(res.body).toContain('Dasar hukum biaya:');
  });

  it(onEngine(engine, 'writes the labels in English for an English reader'), async () => {
    const res = await get('/services/akta-kelahiran', 'en');
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).toContain('<h1>Birth Certificate</h1>');
    for (const c of STANDARD_COMPONENTS) expect(res.body).toContain(`</span> ${c.label.en}</dt>`);
    expect(res.body).toContain('>Apply</a>');
    expect(res.body).toContain('Legal basis of the fee: UU No. 24 of 2013');
    expect(res.body).toContain('Free');
    expect(res.body).not.toContain('Persyaratan</dt>');
  });

  it(
    onEngine(engine, 'says "Belum dinyatakan" for an optional component left out, and links regulations'),
    async () => {
      const def = demoDefinition('akta-kelahiran');
      const standard = def.standard as Record<string, unknown>;
      delete standard.facilities;
      delete standard.staffCompetence;
      standard.legalBasis = [
        {
          type: 'UU',
          number: '25',
          year: 2009,
          title: { id: 'Pelayanan Publik', en: 'Public Services' },
          link: 'https://peraturan.go.id/id/uu-no-25-tahun-2009',
        },
      ];
      def.slug = 'akta-kelahiran-ringkas';
      def.name = { id: 'Akta Kelahiran (ringkas)', en: 'Birth Certificate (short)' };
      await importDefinition(db.opened.ctx, null, def, { publish: true });
      const res = await get('/services/akta-kelahiran-ringkas');
      expect(res.statusCode).toBe(200);
      const undeclared = res.body.match(/<p class="g-service__undeclared">Belum dinyatakan<\/p>/g);
      expect(undeclared).toHaveLength(2);
      expect(res.body).toContain(
        '<a href="https://peraturan.go.id/id/uu-no-25-tahun-2009" rel="noopener" target="_blank"><strong>UU Nomor 25 Tahun 2009</strong>',
      );
      const english = await get('/services/akta-kelahiran-ringkas', 'en');
      expect(english.body).toContain('Not yet declared');
    },
  );

  it(onEngine(engine, 'offers a search box on the home page that leads to the catalogue'), async () => {
    const res = await get('/');
    expect(res.body).toMatch(/<form method="get" action="\/services"[^>]*>/);
    expect(res.body).toContain('name="q"');
    expect(res.body).toContain('<a href="/services">Lihat semua layanan di katalog</a>');
  });

  it(onEngine(engine, 'answers 404 with a page for an unknown service'), async () => {
    for (const slug of ['tidak-ada', 'Not_A_Slug', '%3Cb%3E']) {
      const res = await get(`/services/${slug}`);
      expect(res.statusCode, slug).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('Layanan tidak ditemukan');
      expect(res.body).toContain('href="/services"');
    }
  });

  it(onEngine(engine, 'keeps each page, with its stylesheet, within 40 KB'), async () => {
    const catalogue = await get('/services');
    const sizes = await Promise.all(
      [...DEMO_SLUGS, 'akta-kelahiran-ringkas'].flatMap((slug) =>
        (['id', 'en'] as const).map(async (lang) => {
          const res = await get(`/services/${slug}`, lang === 'en' ? 'en' : undefined);
          expect(res.statusCode).toBe(200);
          return Buffer.byteLength(res.body);
        }),
      ),
    );
    expect(Buffer.byteLength(catalogue.body) + CSS_BYTES).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
    expect(Math.max(...sizes) + CSS_BYTES).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
  });

  it(onEngine(engine, 'drops a retired service from the catalogue and its page'), async () => {
    await retireService(db.opened.ctx, null, 'akta-kelahiran-ringkas');
    await retireService(db.opened.ctx, null, 'sktm');
    const list = await get('/services');
    expect(resultSlugs(list.body).sort()).toEqual(DEMO_SLUGS.filter((s) => s !== 'sktm'));
    expect((await get('/services/sktm')).statusCode).toBe(404);
    expect((await get('/services/akta-kelahiran-ringkas')).statusCode).toBe(404);
    expect(resultSlugs((await get('/services?q=sktm')).body)).not.toContain('sktm');
  });
});
