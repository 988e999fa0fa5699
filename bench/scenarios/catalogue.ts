/**
 * Catalogue search over HTTP with 10,000 published services: `GET /api/v1/services` with a query
 * citizens type, at saturation, against a static file of exactly the same bytes served by the same
 * server process (`/static/`, @fastify/static) in the same run.
 *
 * The services are generated from word lists, deterministically, for 25 fictional regions with
 * seven offices each. Every one is a whole definition copied from a demo service (the one of its
 * category) with its own identity, names, description and tags; each passes `validateDefinition`
 * and is stored as a published version the way publishing stores it, in one transaction. The audit
 * leaves that publishing writes are left out: the catalogue never reads them.
 */
import { rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createAgency } from '../../src/agencies/service.ts';
import { DEMO_DEFINITIONS_DIR, readDefinitionFile } from '../../src/catalog/files.ts';
import type { Category, LocalText, ServiceDefinition } from '../../src/catalog/schemas.ts';
import { searchTokens } from '../../src/catalog/search.ts';
import { insertService, insertVersion } from '../../src/catalog/store.ts';
import { validateDefinition } from '../../src/catalog/validate.ts';
import type { AppContext } from '../../src/context.ts';
import { newId, nowIso } from '../../src/db/ids.ts';
import {
  type BenchOptions,
  type BenchRow,
  eachEngine,
  type LoadResult,
  quantile,
  ROOT,
  ratioRow,
  rssMb,
  runLoad,
  type Scenario,
  startGapura,
  waitReady,
} from '../lib.ts';
import { CONNECTIONS, openBench, stopIfRunning } from './submit.ts';

const SERVICES = 10_000;
/** Two words a citizen looking for a business licence types: each must match (the search ANDs them). */
const QUERY = 'izin usaha';
const SEARCH_PATH = `/api/v1/services?q=${encodeURIComponent(QUERY)}`;
/** What browsers send: the server compresses both answers (brotli, over 1 KB) alike. */
const ACCEPT_ENCODING = 'gzip, deflate, br';
/** What the server serves under /static/: the baseline's file lives there for the run only. */
const STATIC_DIR = path.join(ROOT, 'src/web/static');

interface Office {
  slug: string;
  code: string;
  name: LocalText;
  /** The first tag of its services. */
  tag: string;
  /** Kinds of service; `{}` in the name is where the object goes, in each language. */
  kinds: { name: LocalText; category: Category }[];
  objects: LocalText[];
}

const text = (id: string, en: string): LocalText => ({ id, en });

/** Offices of a regional government and the services they run: kinds of service × what they are for. */
const OFFICES: Office[] = [
  {
    slug: 'dpmptsp',
    code: 'PT',
    name: text(
      'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu',
      'Investment and One-Stop Integrated Service Office',
    ),
    tag: 'perizinan',
    kinds: [
      { name: text('Izin Usaha {}', '{} Business Licence'), category: 'licensing' },
      { name: text('Perpanjangan Izin Usaha {}', '{} Business Licence Renewal'), category: 'licensing' },
      { name: text('Izin Operasional {}', '{} Operating Permit'), category: 'licensing' },
      { name: text('Persetujuan Bangunan Gedung {}', '{} Building Approval'), category: 'building' },
      { name: text('Sertifikat Laik Fungsi {}', '{} Certificate of Fitness for Use'), category: 'building' },
    ],
    objects: [
      text('Toko Kelontong', 'Grocery Shop'),
      text('Rumah Makan', 'Restaurant'),
      text('Kedai Kopi', 'Coffee Shop'),
      text('Bengkel Motor', 'Motorcycle Workshop'),
      text('Salon Kecantikan', 'Beauty Salon'),
      text('Penatu', 'Laundry'),
      text('Toko Bangunan', 'Hardware Store'),
      text('Minimarket', 'Minimarket'),
      text('Hotel', 'Hotel'),
      text('Penginapan', 'Guesthouse'),
      text('Gudang', 'Warehouse'),
      text('Percetakan', 'Print Shop'),
    ],
  },
  {
    slug: 'dinkes',
    code: 'KS',
    name: text('Dinas Kesehatan', 'Health Office'),
    tag: 'kesehatan',
    kinds: [
      { name: text('Izin Operasional {}', '{} Operating Permit'), category: 'health' },
      { name: text('Perpanjangan Izin Operasional {}', '{} Operating Permit Renewal'), category: 'health' },
      {
        name: text('Sertifikat Laik Higiene Sanitasi {}', '{} Hygiene and Sanitation Certificate'),
        category: 'health',
      },
      { name: text('Rekomendasi Teknis {}', '{} Technical Recommendation'), category: 'health' },
      { name: text('Pendaftaran {}', '{} Registration'), category: 'health' },
    ],
    objects: [
      text('Klinik Pratama', 'Primary Clinic'),
      text('Apotek', 'Pharmacy'),
      text('Laboratorium Klinik', 'Clinical Laboratory'),
      text('Optik', 'Optician'),
      text('Toko Obat', 'Drugstore'),
      text('Rumah Bersalin', 'Maternity Home'),
      text('Klinik Gigi', 'Dental Clinic'),
      text('Depot Air Minum', 'Drinking Water Depot'),
      text('Jasa Boga', 'Catering'),
      text('Praktik Bidan', 'Midwifery Practice'),
      text('Klinik Fisioterapi', 'Physiotherapy Clinic'),
      text('Pangan Industri Rumah Tangga', 'Home-Industry Food'),
    ],
  },
  {
    slug: 'disdik',
    code: 'DK',
    name: text('Dinas Pendidikan', 'Education Office'),
    tag: 'pendidikan',
    kinds: [
      { name: text('Izin Pendirian {}', '{} Establishment Permit'), category: 'education' },
      { name: text('Izin Operasional {}', '{} Operating Permit'), category: 'education' },
      {
        name: text('Perpanjangan Izin Operasional {}', '{} Operating Permit Renewal'),
        category: 'education',
      },
      { name: text('Penutupan {}', '{} Closure'), category: 'education' },
      { name: text('Perubahan Data {}', '{} Data Change'), category: 'education' },
    ],
    objects: [
      text('Taman Kanak-Kanak', 'Kindergarten'),
      text('Kelompok Bermain', 'Playgroup'),
      text('Sekolah Dasar Swasta', 'Private Primary School'),
      text('Sekolah Menengah Pertama Swasta', 'Private Junior High School'),
      text('Lembaga Kursus Bahasa', 'Language Course'),
      text('Lembaga Bimbingan Belajar', 'Tutoring Centre'),
      text('Pusat Kegiatan Belajar Masyarakat', 'Community Learning Centre'),
      text('Taman Penitipan Anak', 'Day Care Centre'),
      text('Lembaga Kursus Komputer', 'Computer Course'),
      text('Sanggar Seni', 'Art Studio'),
      text('Lembaga Pelatihan Kerja', 'Vocational Training Centre'),
      text('Rumah Pintar', 'Learning House'),
    ],
  },
  {
    slug: 'dinsos',
    code: 'SO',
    name: text('Dinas Sosial', 'Social Affairs Office'),
    tag: 'sosial',
    kinds: [
      {
        name: text('Rekomendasi Bantuan Sosial {}', 'Social Assistance Recommendation for {}'),
        category: 'social_assistance',
      },
      { name: text('Pendaftaran {}', 'Registration of {}'), category: 'social_assistance' },
      { name: text('Verifikasi Data {}', 'Data Verification of {}'), category: 'social_assistance' },
      {
        name: text('Izin Pengumpulan Sumbangan untuk {}', 'Fundraising Permit for {}'),
        category: 'social_assistance',
      },
      { name: text('Pendampingan {}', 'Support for {}'), category: 'social_assistance' },
    ],
    objects: [
      text('Lansia Terlantar', 'Neglected Elderly People'),
      text('Penyandang Disabilitas', 'Persons with Disabilities'),
      text('Anak Yatim', 'Orphans'),
      text('Keluarga Miskin', 'Poor Families'),
      text('Korban Bencana', 'Disaster Victims'),
      text('Rumah Tidak Layak Huni', 'Substandard Housing'),
      text('Panti Asuhan', 'Orphanages'),
      text('Lembaga Kesejahteraan Sosial', 'Social Welfare Institutions'),
      text('Pekerja Sosial Masyarakat', 'Community Social Workers'),
      text('Karang Taruna', 'Youth Organisations'),
      text('Tunawisma', 'Homeless People'),
      text('Anak Jalanan', 'Street Children'),
    ],
  },
  {
    slug: 'disdukcapil',
    code: 'DC',
    name: text('Dinas Kependudukan dan Pencatatan Sipil', 'Population and Civil Registration Office'),
    tag: 'kependudukan',
    kinds: [
      { name: text('Penerbitan {}', '{} Issuance'), category: 'population' },
      { name: text('Penggantian {} yang Hilang', 'Replacement of a Lost {}'), category: 'population' },
      { name: text('Perbaikan {}', '{} Correction'), category: 'population' },
      { name: text('Legalisasi {}', '{} Legalisation'), category: 'population' },
      { name: text('Pencetakan Ulang {}', '{} Reprint'), category: 'population' },
    ],
    objects: [
      text('Akta Kelahiran', 'Birth Certificate'),
      text('Akta Kematian', 'Death Certificate'),
      text('Akta Perkawinan', 'Marriage Certificate'),
      text('Akta Perceraian', 'Divorce Certificate'),
      text('Akta Pengakuan Anak', 'Child Acknowledgement Certificate'),
      text('Akta Pengesahan Anak', 'Child Legitimation Certificate'),
      text('Kartu Keluarga', 'Family Card'),
      text('KTP Elektronik', 'Electronic ID Card'),
      text('Kartu Identitas Anak', 'Child ID Card'),
      text('Surat Keterangan Pindah', 'Certificate of Moving'),
      text('Surat Keterangan Tempat Tinggal', 'Certificate of Residence'),
      text('Biodata Penduduk', 'Resident Biodata'),
    ],
  },
  {
    slug: 'dlh',
    code: 'LH',
    name: text('Dinas Lingkungan Hidup', 'Environment Office'),
    tag: 'lingkungan',
    kinds: [
      { name: text('Persetujuan Lingkungan {}', '{} Environmental Approval'), category: 'other' },
      { name: text('Izin Pembuangan Air Limbah {}', '{} Wastewater Discharge Permit'), category: 'other' },
      { name: text('Rekomendasi UKL-UPL {}', '{} UKL-UPL Recommendation'), category: 'other' },
      {
        name: text('Izin Penyimpanan Limbah B3 {}', '{} Hazardous Waste Storage Permit'),
        category: 'other',
      },
      { name: text('Pengangkutan Sampah {}', '{} Waste Collection'), category: 'other' },
    ],
    objects: [
      text('Rumah Makan', 'Restaurant'),
      text('Bengkel', 'Workshop'),
      text('Hotel', 'Hotel'),
      text('Rumah Sakit', 'Hospital'),
      text('Pabrik Tahu', 'Tofu Factory'),
      text('Peternakan Ayam', 'Poultry Farm'),
      text('Tempat Cuci Kendaraan', 'Car Wash'),
      text('Pasar Tradisional', 'Traditional Market'),
      text('Perumahan', 'Housing Estate'),
      text('Klinik', 'Clinic'),
      text('Penatu', 'Laundry'),
      text('Pergudangan', 'Warehousing'),
    ],
  },
  {
    slug: 'dishub',
    code: 'HB',
    name: text('Dinas Perhubungan', 'Transport Office'),
    tag: 'perhubungan',
    kinds: [
      { name: text('Izin Trayek {}', '{} Route Permit'), category: 'other' },
      { name: text('Uji Berkala {}', '{} Periodic Inspection'), category: 'other' },
      { name: text('Izin Penyelenggaraan {}', '{} Operation Permit'), category: 'other' },
      { name: text('Rekomendasi Andalalin {}', '{} Traffic Impact Recommendation'), category: 'other' },
      { name: text('Kartu Pengawasan {}', '{} Supervision Card'), category: 'other' },
    ],
    objects: [
      text('Angkutan Kota', 'City Transit'),
      text('Angkutan Pedesaan', 'Rural Transit'),
      text('Taksi', 'Taxi'),
      text('Angkutan Sekolah', 'School Transport'),
      text('Angkutan Barang', 'Freight Transport'),
      text('Bus Pariwisata', 'Tour Bus'),
      text('Ojek Pangkalan', 'Motorcycle Taxi Stand'),
      text('Kendaraan Bermotor Umum', 'Public Motor Vehicle'),
      text('Mobil Barang', 'Goods Vehicle'),
      text('Kereta Gandengan', 'Trailer'),
      text('Parkir Tepi Jalan', 'On-Street Parking'),
      text('Terminal Tipe C', 'Type C Terminal'),
    ],
  },
];

/** Fictional regions in the style of the demo's Kota Sukamaju: first part × second part. */
const REGION_FIRST = ['Suka', 'Tirta', 'Giri', 'Banyu', 'Wana', 'Sri', 'Karang', 'Mekar'];
const REGION_SECOND = ['jaya', 'raya', 'mulya', 'sari', 'asih'];
const REGIONS = 25;

/** The demo definition each category's services are copied from. */
const TEMPLATE_BY_CATEGORY: Record<Category, string> = {
  licensing: 'izin-usaha-mikro.yaml',
  building: 'persetujuan-bangunan-gedung.yaml',
  health: 'izin-usaha-mikro.yaml',
  education: 'izin-usaha-mikro.yaml',
  social_assistance: 'sktm.yaml',
  civil_registration: 'akta-kelahiran.yaml',
  population: 'pembaruan-kartu-keluarga.yaml',
  other: 'izin-usaha-mikro.yaml',
};

/** A region, or an agency of one: the slug, the code for tracking numbers and the name. */
interface GeneratedAgency {
  slug: string;
  code: string;
  name: LocalText;
}

function regions(): GeneratedAgency[] {
  const out: GeneratedAgency[] = [];
  for (const second of REGION_SECOND) {
    for (const first of REGION_FIRST) {
      const place = `${first}${second}`;
      const isCity = out.length % 3 === 0;
      const index = out.length;
      out.push({
        slug: place.toLowerCase(),
        code: String.fromCharCode(65 + Math.floor(index / 26), 65 + (index % 26)),
        name: isCity
          ? text(`Kota ${place}`, `${place} City`)
          : text(`Kabupaten ${place}`, `${place} Regency`),
      });
    }
  }
  return out.slice(0, REGIONS);
}

function fill(pattern: LocalText, object: LocalText): LocalText {
  return { id: pattern.id.replace('{}', object.id), en: pattern.en.replace('{}', object.en) };
}

function slugOf(name: string, suffix: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const room = 60 - suffix.length - 1;
  const cut = base.length <= room ? base : base.slice(0, base.lastIndexOf('-', room));
  return `${cut}-${suffix}`;
}

interface Generated {
  agencySlug: string;
  definition: ServiceDefinition;
  /** Every word the catalogue indexes for the service, to count the expected matches. */
  indexed: Set<string>;
}

/** The agencies to create, and `count` services spread over them, in the same order every run. */
function generate(count: number): { agencies: GeneratedAgency[]; services: Generated[] } {
  const offices = regions().flatMap((region) => OFFICES.map((office) => ({ region, office })));
  const agencies = offices.map(({ region, office }) => ({
    slug: `${office.slug}-${region.slug}`,
    code: `${office.code}${region.code}`,
    name: text(`${office.name.id} ${region.name.id}`, `${region.name.en} ${office.name.en}`),
  }));
  const templates = new Map<string, Record<string, unknown>>();
  const template = (category: Category): Record<string, unknown> => {
    const file = TEMPLATE_BY_CATEGORY[category];
    let found = templates.get(file);
    if (!found) {
      const parsed = readDefinitionFile(path.join(DEMO_DEFINITIONS_DIR, file));
      if (!parsed.ok) throw new Error(`demo definition ${file} cannot be read`);
      found = parsed.value as Record<string, unknown>;
      templates.set(file, found);
    }
    return found;
  };
  const slugs = new Set<string>();
  const services: Generated[] = [];
  for (let i = 0; i < count; i++) {
    const agencyIndex = i % agencies.length;
    const agency = agencies[agencyIndex];
    const { region, office } = offices[agencyIndex] ?? {};
    if (!agency || !region || !office) throw new Error('no agency');
    const combinations = office.kinds.length * office.objects.length;
    const nth = Math.floor(i / agencies.length);
    if (nth >= combinations) throw new Error(`${office.slug} has only ${combinations} kinds of service`);
    // Each region starts at another place in the list, so regions offer different services.
    const combination = (nth + agencyIndex * 7) % combinations;
    const kind = office.kinds[combination % office.kinds.length];
    const object = office.objects[Math.floor(combination / office.kinds.length)];
    if (!kind || !object) throw new Error('no kind of service');
    const name = fill(kind.name, object);
    // Long names are cut to fit a slug; two cut alike get a number, as a person would add.
    let slug = slugOf(name.id, region.slug);
    for (let n = 2; slugs.has(slug); n++) slug = slugOf(name.id, `${region.slug}-${n}`);
    slugs.add(slug);
    const description = text(
      `Permohonan ${name.id} di ${region.name.id}. Berkas diperiksa petugas ${office.name.id} dan keputusannya terbit secara elektronik.`,
      `Apply for ${name.en} in ${region.name.en}. Staff of the ${office.name.en} check the file and the decision is issued electronically.`,
    );
    const product = text(`${name.id} elektronik`, `Electronic ${name.en}`);
    const tags = [office.tag, object.id.toLowerCase()];
    const base = template(kind.category);
    const candidate = {
      ...base,
      agency: agency.slug,
      slug,
      name,
      description,
      category: kind.category,
      tags,
      standard: { ...(base.standard as Record<string, unknown>), product },
      output: { ...(base.output as Record<string, unknown>), documentName: name },
    };
    const checked = validateDefinition(candidate);
    if (!checked.ok) throw new Error(`generated ${slug} does not validate: ${checked.problems[0]?.path}`);
    const indexed = new Set(
      searchTokens(
        [
          name.id,
          name.en,
          ...tags,
          slug,
          agency.name.id,
          agency.name.en,
          agency.slug,
          description.id,
          description.en,
          product.id,
          product.en,
        ].join(' '),
      ),
    );
    services.push({ agencySlug: agency.slug, definition: checked.definition, indexed });
  }
  return { agencies, services };
}

/**
 * Creates the agencies and stores every service as its published version, as publishing does
 * (the service row, then one version row with the copied listing columns), in one transaction.
 */
async function seedCatalogue(
  ctx: AppContext,
  count: number,
): Promise<{ services: Generated[]; agencies: number; seconds: number }> {
  const started = performance.now();
  const { agencies, services } = generate(count);
  const agencyIds = new Map<string, string>();
  for (const agency of agencies) {
    const id = await createAgency(
      ctx,
      {
        slug: agency.slug,
        code: agency.code,
        nameId: agency.name.id,
        nameEn: agency.name.en,
        timezone: 'Asia/Jakarta',
        units: [{ slug: 'pelayanan', nameId: 'Bidang Pelayanan', nameEn: 'Service Division' }],
      },
      null,
    );
    agencyIds.set(agency.slug, id);
  }
  await ctx.db.transaction().execute(async (trx) => {
    for (const { agencySlug, definition } of services) {
      const agencyId = agencyIds.get(agencySlug);
      if (!agencyId) throw new Error(`no agency ${agencySlug}`);
      const now = nowIso();
      const serviceId = newId();
      await insertService(trx, {
        id: serviceId,
        agency_id: agencyId,
        slug: definition.slug,
        created_by: null,
        created_at: now,
      });
      await insertVersion(trx, {
        id: newId(),
        service_id: serviceId,
        version: 1,
        status: 'published',
        definition: JSON.stringify(definition),
        name_id: definition.name.id,
        name_en: definition.name.en,
        category: definition.category,
        completion_days: definition.standard.completionDays,
        fee_rupiah: definition.standard.fee.kind === 'paid' ? definition.standard.fee.amountRupiah : 0,
        created_by: null,
        created_at: now,
        updated_by: null,
        updated_at: now,
        published_by: null,
        published_at: now,
        retired_by: null,
        retired_at: null,
      });
    }
  });
  return { services, agencies: agencies.length, seconds: (performance.now() - started) / 1000 };
}

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One GET with exactly the headers given (fetch would add and undo its own Accept-Encoding). */
function rawGet(url: string, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

async function searchTotal(url: string, pathAndQuery: string): Promise<{ total: number; ms: number }> {
  const started = performance.now();
  const answer = await rawGet(`${url}${pathAndQuery}`, { 'accept-encoding': 'identity' });
  const ms = performance.now() - started;
  if (answer.status !== 200) throw new Error(`${pathAndQuery} answered ${answer.status}`);
  return { total: (JSON.parse(answer.body.toString('utf8')) as { total: number }).total, ms };
}

/** Bytes on the wire for `url` with the bench's Accept-Encoding, and the encoding the server chose. */
async function wireSize(url: string): Promise<string> {
  const answer = await rawGet(url, { 'accept-encoding': ACCEPT_ENCODING });
  if (answer.status !== 200) throw new Error(`${url} answered ${answer.status}`);
  return `${answer.body.length.toLocaleString('en-US')} B ${answer.headers['content-encoding'] ?? 'identity'}`;
}

/**
 * Loads each URL in turn, `rounds` times, after a one-second warm-up of each: a machine that slows
 * down for a while (it is shared) then slows both alike.
 */
async function alternate(urls: string[], rounds: number, seconds: number): Promise<LoadResult[][]> {
  const headers = { 'accept-encoding': ACCEPT_ENCODING };
  for (const url of urls) await runLoad({ url, connections: CONNECTIONS, durationSeconds: 1, headers });
  const results: LoadResult[][] = urls.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, url] of urls.entries()) {
      results[i]?.push(await runLoad({ url, connections: CONNECTIONS, durationSeconds: seconds, headers }));
    }
  }
  return results;
}

/** Turns of equal length as one: the mean rate, the median p99, every error. */
function combine(turns: LoadResult[] = []): LoadResult {
  const sum = (pick: (turn: LoadResult) => number) => turns.reduce((total, turn) => total + pick(turn), 0);
  const middle = (values: number[]) =>
    quantile(
      [...values].sort((a, b) => a - b),
      0.5,
    );
  return {
    requestsPerSecond: sum((t) => t.requestsPerSecond) / Math.max(1, turns.length),
    p50: middle(turns.map((t) => t.p50)),
    p99: middle(turns.map((t) => t.p99)),
    errors: sum((t) => t.errors),
    non2xx: sum((t) => t.non2xx),
  };
}

async function catalogueOn(engine: 'sqlite' | 'postgres', options: BenchOptions): Promise<BenchRow[]> {
  const rounds = options.quick ? 1 : 4;
  const seconds = options.quick ? 2 : 3;
  const staticFile = path.join(STATIC_DIR, `bench-artefact-catalogue-${process.pid}.json`);
  let server = await startGapura(engine, options.databaseUrl);
  try {
    await waitReady(server.url);
    const demoAll = await searchTotal(server.url, '/api/v1/services?perPage=1');
    const demoMatches = await searchTotal(server.url, SEARCH_PATH);
    await server.stop();

    const bench = await openBench(server);
    let seeded: Awaited<ReturnType<typeof seedCatalogue>>;
    try {
      seeded = await seedCatalogue(bench.ctx, SERVICES);
    } finally {
      await bench.handle.close();
    }
    const queryTokens = searchTokens(QUERY);
    const expected = seeded.services.filter((s) => queryTokens.every((t) => s.indexed.has(t))).length;

    server = await startGapura(engine, options.databaseUrl, {}, server.store);
    await waitReady(server.url);
    // The first search after a change reads and indexes the whole catalogue: timed, not measured below.
    const first = await searchTotal(server.url, SEARCH_PATH);
    const all = await searchTotal(server.url, '/api/v1/services?perPage=1');
    if (all.total !== demoAll.total + SERVICES)
      throw new Error(`the catalogue lists ${all.total} services, expected ${demoAll.total + SERVICES}`);
    if (first.total !== demoMatches.total + expected)
      throw new Error(`"${QUERY}" found ${first.total} services, expected ${demoMatches.total + expected}`);

    const page = await rawGet(`${server.url}${SEARCH_PATH}`, { 'accept-encoding': 'identity' });
    writeFileSync(staticFile, page.body);
    const staticUrl = `${server.url}/static/${path.basename(staticFile)}`;
    const served = await rawGet(staticUrl, { 'accept-encoding': 'identity' });
    if (served.status !== 200 || !served.body.equals(page.body))
      throw new Error(`the static copy answered ${served.status} with ${served.body.length} bytes`);
    const searchWire = await wireSize(`${server.url}${SEARCH_PATH}`);
    const staticWire = await wireSize(staticUrl);

    const turns = await alternate([`${server.url}${SEARCH_PATH}`, staticUrl], rounds, seconds);
    const search = combine(turns[0]);
    const baseline = combine(turns[1]);
    const rss = await rssMb(server.pid);
    await server.stop();
    const trouble = (load: LoadResult, what: string) =>
      load.errors + load.non2xx > 0 ? `; ${what}: ${load.non2xx} non-2xx, ${load.errors} errors` : '';
    const measured = `${CONNECTIONS} connections, ${rounds} × ${seconds} s of each in alternating turns (p99: the median turn's), both sent with Accept-Encoding "${ACCEPT_ENCODING}"`;
    const label = `Catalogue search over HTTP with ${SERVICES.toLocaleString('en-US')} published services (GET /api/v1/services?q=${QUERY}, first page of 20) vs a static file of the same bytes from the same server`;
    return [
      ratioRow(
        {
          scenario: label,
          engine,
          figure: 'requests/s',
          value: Math.round(search.requestsPerSecond),
          unit: 'req/s',
          baseline: Math.round(baseline.requestsPerSecond),
          target: '≥ 25% of static',
          note:
            `p99 ${search.p99} ms (static ${baseline.p99} ms); ${measured}; ` +
            `"${QUERY}" matches ${first.total.toLocaleString('en-US')} of ${all.total.toLocaleString('en-US')} services, no agency or category filter; ` +
            `answer ${page.body.length.toLocaleString('en-US')} B (search ${searchWire}, static ${staticWire} on the wire)` +
            trouble(search, 'search') +
            trouble(baseline, 'static'),
        },
        0.25,
      ),
      {
        scenario: label,
        engine,
        figure: 'p99 latency',
        value: search.p99,
        unit: 'ms',
        baseline: baseline.p99,
        ratio: Math.round((search.p99 / Math.max(1, baseline.p99)) * 100) / 100,
        note: `at saturation, ${measured}; seeded in ${seeded.seconds.toFixed(1)} s (${seeded.agencies} agencies); first search after seeding ${Math.round(first.ms)} ms (catalogue read and indexed); server RSS after the load ${rss} MB`,
      },
    ];
  } finally {
    rmSync(staticFile, { force: true });
    await stopIfRunning(server);
    await server.cleanup();
  }
}

export const catalogueScenario: Scenario = eachEngine('catalogue', catalogueOn);
