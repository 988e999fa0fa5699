import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitionOf } from '../src/applications/service.ts';
import { overallDeadline, stateOf } from '../src/applications/sla.ts';
import { newTrackingNumber, parseTrackingNumber } from '../src/applications/tracking.ts';
import { calendarFor } from '../src/calendar/service.ts';
import type { ServiceDefinition } from '../src/catalog/schemas.ts';
import { getPublished } from '../src/catalog/service.ts';
import type { AppContext } from '../src/context.ts';
import { newId } from '../src/db/ids.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { seedOpenDataDemo } from '../src/opendata/demo.ts';
import type { Dashboard, FigureSet } from '../src/opendata/schemas.ts';
import { t } from '../src/web/i18n/index.ts';
import { type App, buildServer } from '../src/web/server.ts';
import { ENGINES, onEngine, useTestContext } from './helpers/engines.ts';
import { unescapeHtml } from './helpers/pages.ts';

/** Primary suppression (1–4 records) and complementary (hidden only to protect another cell). */
const SMALL = '< 5';
const WITHHELD = 'suppressed';
const isHidden = (value: unknown) => value === SMALL || value === WITHHELD;

/** An instant from a local WIB date and time, as the database stores it. */
function wib(local: string): string {
  return new Date(`${local.replace(' ', 'T')}:00+07:00`).toISOString();
}

interface Known {
  slug: string;
  filed: string;
  closed?: { at: string; outcome: 'approved' | 'rejected' | 'withdrawn' };
}

/**
 * Writes one application as the workflow leaves it: filed at `filed`, and either still waiting in
 * its first state or closed in the terminal state of its outcome, with the deadline the workflow
 * sets on filing (completion days on the agency's calendar; none of these waited for the applicant).
 */
async function insertKnown(ctx: AppContext, known: Known): Promise<void> {
  const published = await getPublished(ctx, known.slug);
  const service = await ctx.db
    .selectFrom('services')
    .select(['id', 'agency_id'])
    .where('slug', '=', known.slug)
    .executeTakeFirstOrThrow();
  const agency = await ctx.db
    .selectFrom('agencies')
    .select('code')
    .where('id', '=', service.agency_id)
    .executeTakeFirstOrThrow();
  const definition: ServiceDefinition = published.definition;
  const calendar = await calendarFor(ctx, service.agency_id);
  const filed = wib(known.filed);
  const closedAt = known.closed ? wib(known.closed.at) : null;
  const terminal = known.closed
    ? definition.workflow.states.find((s) => s.terminal === known.closed?.outcome)?.key
    : undefined;
  const id = newId(Date.parse(filed));
  await ctx.keyring.prepare([service.agency_id]);
  await ctx.db
    .insertInto('applications')
    .values({
      id,
      agency_id: service.agency_id,
      service_id: service.id,
      service_version_id: published.versionId,
      applicant_id: null,
      assisted_by: null,
      stage: closedAt ? 'closed' : 'active',
      state: terminal ?? definition.workflow.startState,
      outcome: known.closed?.outcome ?? null,
      answers_enc: ctx.keyring.encrypt(service.agency_id, '{}', `applications.answers:${id}`),
      tracking_number: newTrackingNumber(agency.code, new Date(filed)).text,
      tracking_secret_enc: null,
      submit_key: null,
      consent_version: null,
      row_version: 3,
      created_at: filed,
      updated_at: closedAt ?? filed,
      submitted_at: filed,
      due_at: calendar.deadline(filed, definition.standard.completionDays, 'Asia/Jakarta').toISOString(),
      assigned_to: null,
      state_entered_at: closedAt ?? filed,
      state_due_at: null,
      closed_at: closedAt,
      identity_verified_by: null,
      identity_verified_at: null,
    })
    .execute();
}

const approved = (at: string) => ({ at, outcome: 'approved' as const });

/**
 * Birth certificates (3 working days) around the 2026 holidays: Imlek (16 Feb cuti bersama, 17 Feb),
 * Nyepi and Idul Fitri (18–24 Mar: cuti bersama 18, 20, 23, 24; Nyepi 19; Idul Fitri 21–22).
 * Working days taken, as the comment says; "late" is past the deadline of 3 working days.
 */
const AKTA: Known[] = [
  // February: five decided the next working day, one filed before Imlek and decided in March.
  ...['02', '03', '04', '05'].map((d) => ({
    slug: 'akta-kelahiran',
    filed: `2026-02-${d} 09:00`,
    closed: approved(`2026-02-${String(Number(d) + 1).padStart(2, '0')} 10:00`),
  })),
  { slug: 'akta-kelahiran', filed: '2026-02-06 09:00', closed: approved('2026-02-09 10:00') }, // Fri → Mon: 1
  { slug: 'akta-kelahiran', filed: '2026-02-13 10:00', closed: approved('2026-03-03 11:00') }, // 10, late
  // March.
  { slug: 'akta-kelahiran', filed: '2026-03-16 09:00', closed: approved('2026-03-25 10:00') }, // 2 (17, 25)
  { slug: 'akta-kelahiran', filed: '2026-03-17 14:00', closed: approved('2026-03-27 09:00') }, // 3 (25, 26, 27)
  {
    slug: 'akta-kelahiran',
    filed: '2026-03-17 16:00',
    closed: { at: '2026-03-31 11:00', outcome: 'rejected' }, // 5, late (deadline 27 Mar)
  },
  { slug: 'akta-kelahiran', filed: '2026-03-02 08:00', closed: approved('2026-03-02 15:00') }, // 0
  { slug: 'akta-kelahiran', filed: '2026-03-05 10:00', closed: approved('2026-03-10 10:00') }, // 3 (6, 9, 10)
  { slug: 'akta-kelahiran', filed: '2026-03-10 10:00', closed: approved('2026-03-16 10:00') }, // 4, late
  { slug: 'akta-kelahiran', filed: '2026-03-21 20:00', closed: approved('2026-03-26 09:00') }, // 2: filed on Idul Fitri
  // Filed 06:30 WIB on 12 March, which is still 11 March in UTC: 1 working day, not 2.
  { slug: 'akta-kelahiran', filed: '2026-03-12 06:30', closed: approved('2026-03-13 08:00') },
  {
    slug: 'akta-kelahiran',
    filed: '2026-03-04 10:00',
    closed: { at: '2026-03-05 10:00', outcome: 'withdrawn' }, // received, never completed
  },
  { slug: 'akta-kelahiran', filed: '2026-03-30 10:00' }, // still waiting: pending
];

/** Family cards: three in March (a small count). Moving letters: six in March, 2 working days each. */
const OTHERS: Known[] = [
  { slug: 'pembaruan-kartu-keluarga', filed: '2026-03-02 10:00', closed: approved('2026-03-05 10:00') }, // 3
  { slug: 'pembaruan-kartu-keluarga', filed: '2026-03-03 10:00', closed: approved('2026-03-05 11:00') }, // 2
  { slug: 'pembaruan-kartu-keluarga', filed: '2026-03-04 10:00', closed: approved('2026-03-05 12:00') }, // 1
  ...[
    ['09', '11'],
    ['10', '12'],
    ['11', '13'],
    ['12', '16'],
    ['13', '17'],
    ['16', '25'],
  ].map(([from, to]) => ({
    slug: 'surat-keterangan-pindah',
    filed: `2026-03-${from} 09:00`,
    closed: approved(`2026-03-${to} 09:00`),
  })),
];

/** Two certificates of poverty from the social affairs office in March: a small count of an agency. */
const DINSOS: Known[] = [
  { slug: 'sktm', filed: '2026-03-09 09:00', closed: approved('2026-03-10 09:00') },
  { slug: 'sktm', filed: '2026-03-10 09:00', closed: approved('2026-03-11 09:00') },
];

/** The columns of the table of agencies or services, in the page's order. */
const TABLE_COLUMNS = [
  ['applications', 'received'],
  ['applications', 'completed'],
  ['applications', 'pending'],
  ['applications', 'processingDaysMedian'],
  ['applications', 'processingDaysP90'],
  ['applications', 'slaCompliance'],
  ['satisfaction', 'score'],
  ['satisfaction', 'grade'],
  ['complaints', 'received'],
  ['complaints', 'resolved'],
] as const;

function valueIn(set: FigureSet, group: keyof FigureSet, name: string): unknown {
  const figures: Record<string, unknown> = set[group];
  return figures[name];
}

/** How an English page writes a published value. */
function shown(value: unknown): string {
  if (value === null) return '—';
  if (value === WITHHELD) return '×';
  if (typeof value === 'number')
    return new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(value);
  return String(value);
}

function text(html: string): string {
  return unescapeHtml(html.replace(/<[^>]+>/g, '')).trim();
}

/** The rows of the table with the given caption: each row's cells as text. */
function tableRows(html: string, caption: string): string[][] {
  const start = html.indexOf(`<caption>${caption}`);
  if (start < 0) throw new Error(`no table captioned ${caption}`);
  const table = html.slice(start, html.indexOf('</table>', start));
  const body = table.slice(table.indexOf('<tbody>'), table.indexOf('</tbody>'));
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((c) => text(c[1] ?? '')),
  );
}

/** The page's summary figures: the name in each <dt> and the text of its <dd>. */
function headline(html: string): Map<string, string> {
  return new Map(
    [...html.matchAll(/<dt>([^<]*)<\/dt><dd>([^<]*)<\/dd>/g)].map((m) => [
      text(m[1] ?? ''),
      text(m[2] ?? ''),
    ]),
  );
}

function csvValues(csv: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of csv.trim().split('\r\n').slice(1)) {
    const [level, agency, service, period, figure, value] = line.split(',');
    map.set(`${level}|${agency}|${service}|${period}|${figure}`, value ?? '');
  }
  return map;
}

describe.each(ENGINES)('open data dashboards', (engine) => {
  const test = useTestContext(engine);
  let app: App;
  const ctx = () => test.opened.ctx;
  const json = async (url: string): Promise<Dashboard> => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode, url).toBe(200);
    return response.json<Dashboard>();
  };

  beforeAll(async () => {
    await seedDemo(test.opened.ctx);
    for (const known of [...AKTA, ...OTHERS]) await insertKnown(test.opened.ctx, known);
    app = await buildServer(test.opened.ctx);
  });
  afterAll(async () => {
    await app?.close();
  });

  it(
    onEngine(engine, 'counts a service’s month in working days of the agency calendar, across cuti bersama'),
    async () => {
      const march = await json('/api/v1/open-data/services/akta-kelahiran?period=2026-03');
      // Days taken: 0, 1, 2, 2, 3, 3, 4, 5, 10 — 6 of 9 by the deadline. One pending (< 5).
      expect(march.figures.applications).toEqual({
        received: 10,
        completed: 9,
        pending: SMALL,
        processingDaysMedian: 3,
        processingDaysP90: 10,
        slaCompliance: 66.7,
      });
      const quarter = await json('/api/v1/open-data/services/akta-kelahiran?period=2026-Q1');
      // Plus February's five of 1 day each: 0, 1×6, 2, 2, 3, 3, 4, 5, 10 — 11 of 14 on time.
      expect(quarter.figures.applications).toEqual({
        received: 16,
        completed: 14,
        pending: SMALL,
        processingDaysMedian: 1.5,
        processingDaysP90: 5,
        slaCompliance: 78.6,
      });
      const february = march.trend.find((p) => p.month === '2026-02');
      expect(february).toMatchObject({ received: 6, completed: 5, pending: SMALL, processingDaysMedian: 1 });
      expect(march.trend.find((p) => p.month === '2025-12')).toMatchObject({
        received: 0,
        completed: 0,
        pending: 0,
        processingDaysMedian: null,
        slaCompliance: null,
      });
      expect(march.trend.map((p) => p.month)).toEqual([
        '2025-04',
        '2025-05',
        '2025-06',
        '2025-07',
        '2025-08',
        '2025-09',
        '2025-10',
        '2025-11',
        '2025-12',
        '2026-01',
        '2026-02',
        '2026-03',
      ]);
    },
  );

  it(
    onEngine(engine, 'hides small counts and, where a total is published, the next smallest cell too'),
    async () => {
      const agency = await json('/api/v1/open-data/agencies/disdukcapil?period=2026-03');
      // 10 + 3 + 6 = 19 filed, 9 + 3 + 6 = 18 decided: 0, 1, 1, 2×9, 3, 3, 3, 4, 5, 10; 15 on time.
      expect(agency.figures.applications).toEqual({
        received: 19,
        completed: 18,
        pending: SMALL,
        processingDaysMedian: 2,
        processingDaysP90: 5,
        slaCompliance: 83.3,
      });
      const rows = new Map(agency.breakdown.rows.map((r) => [r.slug, r.figures.applications]));
      expect(rows.get('akta-kelahiran')).toMatchObject({
        received: 10,
        completed: 9,
        processingDaysMedian: 3,
      });
      // Three family cards are small ("< 5"); the six moving letters, the next smallest, are hidden
      // with them so 19 − 10 gives nothing away — but as six is not "< 5", they are "suppressed".
      expect(rows.get('pembaruan-kartu-keluarga')).toEqual({
        received: SMALL,
        completed: SMALL,
        pending: 0,
        processingDaysMedian: SMALL,
        processingDaysP90: SMALL,
        slaCompliance: SMALL,
      });
      expect(rows.get('surat-keterangan-pindah')).toEqual({
        received: WITHHELD,
        completed: WITHHELD,
        pending: 0,
        processingDaysMedian: WITHHELD,
        processingDaysP90: WITHHELD,
        slaCompliance: WITHHELD,
      });
      const platform = await json('/api/v1/open-data?period=2026-03');
      expect(platform.figures.applications.received).toBe(19);
      expect(new Map(platform.breakdown.rows.map((r) => [r.slug, r.figures.applications.received]))).toEqual(
        new Map([
          ['dinsos', 0],
          ['disdukcapil', 19],
          ['dpmptsp', 0],
        ]),
      );
      // The survey's population (decisions in the period) is a count like any other.
      expect(
        agency.breakdown.rows.find((r) => r.slug === 'pembaruan-kartu-keluarga')?.figures.satisfaction
          .population,
      ).toBe(SMALL);
      expect(
        agency.breakdown.rows.find((r) => r.slug === 'surat-keterangan-pindah')?.figures.satisfaction
          .population,
      ).toBe(WITHHELD);
      // The JSON says what both marks mean, in both languages.
      for (const text of [agency.suppression.id, agency.suppression.en]) {
        expect(text).toContain('"< 5"');
        expect(text).toContain('"suppressed"');
      }
    },
  );

  it(onEngine(engine, 'publishes the same figures on the page, in the CSV and in the JSON'), async () => {
    for (const path of [
      '/open-data/agencies/disdukcapil',
      '/open-data/services/akta-kelahiran',
      '/open-data',
    ]) {
      const query = '?period=2026-03';
      const dashboard = await json(`/api/v1${path}${query}`);
      const page = await app.inject({
        method: 'GET',
        url: `${path}${query}`,
        headers: { 'accept-language': 'en' },
      });
      expect(page.statusCode).toBe(200);
      const html = page.body;
      // The page explains both marks it uses.
      const rule = text(
        html.slice(html.indexOf('<h2 id="angka-kecil">'), html.indexOf('<h2 id="definisi">')),
      );
      expect(rule).toContain('written “< 5”');
      expect(rule).toContain('written “×”');

      const figures = headline(html.slice(0, html.indexOf('<h2 id="tren">')));
      const unit = (value: unknown, days: boolean, percent: boolean) =>
        typeof value !== 'number'
          ? shown(value)
          : days
            ? `${shown(value)} working days`
            : percent
              ? `${shown(value)}%`
              : shown(value);
      const a = dashboard.figures.applications;
      const expected: [string, string][] = [
        [t('en', 'opendata.fig.applications.received'), unit(a.received, false, false)],
        [t('en', 'opendata.fig.applications.completed'), unit(a.completed, false, false)],
        [t('en', 'opendata.fig.applications.pending'), unit(a.pending, false, false)],
        [
          t('en', 'opendata.fig.applications.processingDaysMedian'),
          unit(a.processingDaysMedian, true, false),
        ],
        [t('en', 'opendata.fig.applications.processingDaysP90'), unit(a.processingDaysP90, true, false)],
        [t('en', 'opendata.fig.applications.slaCompliance'), unit(a.slaCompliance, false, true)],
        [t('en', 'opendata.fig.satisfaction.respondents'), shown(dashboard.figures.satisfaction.respondents)],
        [t('en', 'opendata.fig.satisfaction.population'), shown(dashboard.figures.satisfaction.population)],
        [t('en', 'opendata.fig.complaints.received'), shown(dashboard.figures.complaints.received)],
      ];
      for (const [name, value] of expected) expect(figures.get(name), `${path} ${name}`).toBe(value);

      if (dashboard.breakdown.level !== null) {
        const caption = t(
          'en',
          dashboard.breakdown.level === 'agency' ? 'opendata.by_agency' : 'opendata.by_service',
        );
        const rows = tableRows(html, caption);
        expect(rows.map((r) => r[0])).toEqual(dashboard.breakdown.rows.map((r) => r.name.en));
        dashboard.breakdown.rows.forEach((row, i) => {
          expect(rows[i]?.slice(1)).toEqual(TABLE_COLUMNS.map(([g, n]) => shown(valueIn(row.figures, g, n))));
        });
        if (path === '/open-data/agencies/disdukcapil') {
          // Three family cards are "< 5"; the six moving letters hidden with them are "×".
          const byName = new Map(rows.map((r) => [r[0], r.slice(1)]));
          const cellsOf = (slug: string) =>
            byName.get(dashboard.breakdown.rows.find((r) => r.slug === slug)?.name.en ?? '');
          expect(cellsOf('pembaruan-kartu-keluarga')?.slice(0, 2)).toEqual(['< 5', '< 5']);
          expect(cellsOf('surat-keterangan-pindah')?.slice(0, 2)).toEqual(['×', '×']);
        }
      }
      const volume = tableRows(html, t('en', 'opendata.chart_volume_title'));
      const time = tableRows(html, t('en', 'opendata.chart_time_title'));
      const sla = tableRows(html, t('en', 'opendata.chart_sla_title'));
      dashboard.trend.forEach((p, i) => {
        expect(volume[i]?.slice(1)).toEqual([shown(p.received), shown(p.completed), shown(p.pending)]);
        expect(time[i]?.slice(1)).toEqual([shown(p.processingDaysMedian), shown(p.processingDaysP90)]);
        expect(sla[i]?.slice(1)).toEqual([shown(p.slaCompliance)]);
      });

      const csvResponse = await app.inject({ method: 'GET', url: `/api/v1${path}/figures.csv${query}` });
      expect(csvResponse.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csvResponse.headers.link).toContain('creativecommons.org/licenses/by/4.0');
      const csv = csvValues(csvResponse.body);
      const s = dashboard.subject;
      const own = `${s.level}|${s.agency?.slug ?? ''}|${s.service?.slug ?? ''}`;
      const asCsv = (v: unknown) => (v === null ? '' : String(v));
      for (const [name, value] of Object.entries(a))
        expect(csv.get(`${own}|2026-03|applications.${name}`)).toBe(asCsv(value));
      for (const p of dashboard.trend)
        for (const name of [
          'received',
          'completed',
          'pending',
          'processingDaysMedian',
          'processingDaysP90',
          'slaCompliance',
        ] as const)
          expect(csv.get(`${own}|${p.month}|applications.${name}`), `${p.month} ${name}`).toBe(
            asCsv(p[name]),
          );
      if (path === '/open-data/agencies/disdukcapil') {
        expect(csv.get('service|disdukcapil|pembaruan-kartu-keluarga|2026-03|applications.received')).toBe(
          '< 5',
        );
        expect(csv.get('service|disdukcapil|surat-keterangan-pindah|2026-03|applications.received')).toBe(
          'suppressed',
        );
      }
      for (const row of dashboard.breakdown.rows) {
        const place =
          dashboard.breakdown.level === 'agency'
            ? `agency|${row.slug}|`
            : `service|${s.agency?.slug}|${row.slug}`;
        for (const [g, n] of TABLE_COLUMNS)
          expect(csv.get(`${place}|2026-03|${g}.${n}`), `${row.slug} ${g}.${n}`).toBe(
            asCsv(valueIn(row.figures, g, n)),
          );
      }
      // Every definition in both languages, and the licence, travel with the JSON.
      expect(dashboard.licence).toMatchObject({
        id: 'CC-BY-4.0',
        url: 'https://creativecommons.org/licenses/by/4.0/',
      });
      expect(dashboard.definitions.map((d) => d.key)).toContain('applications.processingDaysP90');
      for (const d of dashboard.definitions)
        expect(d.definition.id.length * d.definition.en.length).toBeGreaterThan(0);
    }
  });

  it(
    onEngine(engine, 'counts working days of applications filed more than a year before their decision'),
    async () => {
      // Filed two and a half years before: before the year the calendar table first reaches back.
      const long: Known[] = ['06', '07', '08', '09', '10'].map((d, i) => ({
        slug: 'izin-usaha-mikro',
        filed: `2023-11-${d} 09:00`,
        closed: approved(`2026-04-${String(6 + i).padStart(2, '0')} 09:00`),
      }));
      for (const known of long) await insertKnown(ctx(), known);
      const agencyId = (
        await ctx()
          .db.selectFrom('agencies')
          .select('id')
          .where('slug', '=', 'dpmptsp')
          .executeTakeFirstOrThrow()
      ).id;
      const calendar = await calendarFor(ctx(), agencyId);
      const days = long
        .map((k) => calendar.workingDaysBetween(wib(k.filed), wib(k.closed?.at ?? ''), 'Asia/Jakarta'))
        .sort((x, y) => x - y);
      expect(days[0]).toBeGreaterThan(500);
      const april = await json('/api/v1/open-data/services/izin-usaha-mikro?period=2026-04');
      expect(april.figures.applications).toMatchObject({
        received: 0,
        completed: 5,
        processingDaysMedian: days[2],
        processingDaysP90: days[4],
        slaCompliance: 0,
      });
    },
  );

  it(
    onEngine(
      engine,
      'keeps a hidden cell hidden on every page, month, quarter and year, so no sum gives it away',
    ),
    async () => {
      for (const known of DINSOS) await insertKnown(ctx(), known);
      const periods = ['2026', '2026-Q1', '2026-01', '2026-02', '2026-03'];
      const overview = await json('/api/v1/open-data?period=2026-03');
      // Two certificates of poverty are hidden; the only other agency with applications goes too.
      expect(new Map(overview.breakdown.rows.map((r) => [r.slug, r.figures.applications.received]))).toEqual(
        new Map<string, unknown>([
          ['dinsos', SMALL],
          ['disdukcapil', WITHHELD],
          ['dpmptsp', 0],
        ]),
      );
      const agencyQuarter = await json('/api/v1/open-data/agencies/disdukcapil?period=2026-Q1');
      expect(agencyQuarter.figures.applications.received).toBe(WITHHELD);
      expect(
        agencyQuarter.breakdown.rows.find((r) => r.slug === 'akta-kelahiran')?.figures.applications.received,
      ).toBe(16);

      // Every published cell, from every page, each time it appears.
      const cells = new Map<string, unknown>();
      const record = (key: string, value: unknown) => {
        if (cells.has(key)) expect(value, key).toEqual(cells.get(key));
        cells.set(key, value);
      };
      const measures = ['received', 'completed', 'pending'] as const;
      const agencies = overview.breakdown.rows.map((r) => r.slug);
      const services = new Map<string, string[]>();
      for (const period of periods) {
        const pages = [await json(`/api/v1/open-data?period=${period}`)];
        for (const agency of agencies) {
          const page = await json(`/api/v1/open-data/agencies/${agency}?period=${period}`);
          pages.push(page);
          services.set(
            agency,
            page.breakdown.rows.map((r) => r.slug),
          );
          for (const service of page.breakdown.rows)
            pages.push(await json(`/api/v1/open-data/services/${service.slug}?period=${period}`));
        }
        for (const page of pages) {
          const own = page.subject.service?.slug ?? page.subject.agency?.slug ?? 'platform';
          for (const m of measures) record(`${own}|${period}|${m}`, page.figures.applications[m]);
          record(`${own}|${period}|population`, page.figures.satisfaction.population);
          for (const row of page.breakdown.rows) {
            for (const m of measures) record(`${row.slug}|${period}|${m}`, row.figures.applications[m]);
            record(`${row.slug}|${period}|population`, row.figures.satisfaction.population);
          }
          for (const point of page.trend)
            for (const m of measures) record(`${own}|${point.month}|${m}`, point[m]);
        }
      }
      // Every sum a reader could form: shown in full it adds up; with a hidden cell, never just one.
      const check = (total: string, members: string[]) => {
        const values = [total, ...members].map((k) => cells.get(k));
        if (values.some((v) => v === undefined)) throw new Error(`missing ${total} or its members`);
        const hiddenMembers = members.filter((k) => isHidden(cells.get(k))).length;
        if (isHidden(cells.get(total))) return;
        expect(hiddenMembers, `${total} = ${members.join(' + ')}`).not.toBe(1);
        if (hiddenMembers === 0)
          expect(
            members.reduce((sum, k) => sum + Number(cells.get(k) ?? 0), 0),
            total,
          ).toBe(cells.get(total));
      };
      let sums = 0;
      for (const period of periods)
        for (const m of [...measures, 'population']) {
          check(
            `platform|${period}|${m}`,
            agencies.map((a) => `${a}|${period}|${m}`),
          );
          for (const [agency, list] of services)
            check(
              `${agency}|${period}|${m}`,
              list.map((s) => `${s}|${period}|${m}`),
            );
          sums += 1 + services.size;
        }
      for (const series of ['platform', ...agencies, ...[...services.values()].flat()])
        for (const m of ['received', 'completed']) {
          check(
            `${series}|2026-Q1|${m}`,
            ['01', '02', '03'].map((mm) => `${series}|2026-${mm}|${m}`),
          );
          sums++;
        }
      expect(sums).toBeGreaterThan(40);
      expect(cells.get('dinsos|2026-03|received')).toBe(SMALL);
      // The office's March goes with the two certificates, and its quarter with their quarter; its
      // February may stay, as the quarter it would be subtracted from is hidden. Both hold more
      // than four (19 and 25), so they are "suppressed", never "< 5".
      expect(cells.get('disdukcapil|2026-03|received')).toBe(WITHHELD);
      expect(cells.get('disdukcapil|2026-Q1|received')).toBe(WITHHELD);
      // Both kinds of hidden cell are published across the pages.
      const kinds = new Set([...cells.values()].filter(isHidden));
      expect(kinds).toEqual(new Set([SMALL, WITHHELD]));
      expect(cells.get('disdukcapil|2026-02|received')).toBe(6);
      expect(cells.get('akta-kelahiran|2026-Q1|received')).toBe(16);
    },
  );

  it(
    onEngine(engine, 'serves light, script-free pages with accessible charts and a period form'),
    async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/open-data/agencies/disdukcapil?period=2026-Q1',
        headers: { 'accept-language': 'id' },
      });
      expect(response.statusCode).toBe(200);
      const html = response.body;
      expect(Buffer.byteLength(html)).toBeLessThan(40 * 1024);
      expect(html).not.toContain('<script');
      expect(html).toMatch(/<form method="get" action="\/open-data\/agencies\/disdukcapil"/);
      expect(html).toContain('<option value="2026-Q1" selected>');
      const figures = [...html.matchAll(/<figure class="g-od-figure">([\s\S]*?)<\/figure>/g)].map(
        (m) => m[1] ?? '',
      );
      expect(figures).toHaveLength(3);
      for (const figure of figures) {
        expect(figure).toMatch(/^<svg [^>]*role="img"/);
        expect(figure).toMatch(/<title id="od-[a-z]+-t">[^<]+<\/title><desc id="od-[a-z]+-d">[^<]+<\/desc>/);
        expect(figure).toContain('<table class="g-od-table">');
      }
      expect(html).toContain('href="/api/v1/open-data/agencies/disdukcapil/figures.csv?period=2026-Q1"');
      expect(html).toContain('rel="license"');
      expect(html).toContain('href="/open-data/services/akta-kelahiran?period=2026-Q1"');
      // The footer of every page links here.
      const home = await app.inject({ method: 'GET', url: '/' });
      expect(home.body).toContain('<a href="/open-data">');

      const odd = await app.inject({
        method: 'GET',
        url: "/open-data?period=2026'%20OR%201=1",
        headers: { 'accept-language': 'en' },
      });
      expect(odd.statusCode).toBe(200);
      expect(odd.body).toContain('Unknown period “2026&#39; OR 1=1”');
      const missing = await app.inject({ method: 'GET', url: '/open-data/agencies/nowhere' });
      expect(missing.statusCode).toBe(404);
      expect(missing.body).toContain('<h1>Data terbuka tidak ditemukan</h1>');
      const api = await app.inject({ method: 'GET', url: '/api/v1/open-data/services/nowhere/figures.csv' });
      expect(api.statusCode).toBe(404);
      expect(api.json()).toMatchObject({ error: { code: 'not_found' } });
      const bad = await app.inject({ method: 'GET', url: '/api/v1/open-data?period=2026-13' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ error: { code: 'request.invalid' } });
      const openapi = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
        paths: Record<string, { get?: { responses?: Record<string, unknown> } }>;
      }>();
      expect(Object.keys(openapi.paths).filter((p) => p.startsWith('/api/v1/open-data'))).toHaveLength(6);
      expect(JSON.stringify(openapi.paths['/api/v1/open-data/agencies/{agency}']?.get?.responses)).toContain(
        'processingDaysP90',
      );
    },
  );
});

describe.each(ENGINES)('open data demo history', (engine) => {
  const test = useTestContext(engine);

  it(
    onEngine(
      engine,
      'walks generated applications through their real workflows, with the deadlines the inbox keeps',
    ),
    async () => {
      const ctx = test.opened.ctx;
      await seedDemo(ctx);
      await seedOpenDataDemo(ctx, { history: true });
      const rows = await ctx.db.selectFrom('applications').selectAll().execute();
      expect(rows.length).toBeGreaterThan(5000);
      const sample = rows.filter((_, i) => i % 97 === 0);
      for (const row of sample) {
        const { definition } = await definitionOf(ctx.db, row.service_version_id);
        const state = stateOf(definition, row.state);
        expect(state, row.state ?? '').toBeDefined();
        expect(row.stage === 'closed').toBe(state?.terminal !== undefined);
        expect(row.outcome).toBe(state?.terminal ?? null);
        expect(parseTrackingNumber(row.tracking_number ?? '')?.text).toBe(row.tracking_number);
        const events = await ctx.db
          .selectFrom('application_events')
          .select(['kind', 'to_state', 'created_at'])
          .where('application_id', '=', row.id)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
        const moves = events.filter((e) => e.kind === 'submitted' || e.kind === 'action');
        expect(moves.at(-1)?.to_state).toBe(row.state);
        const last = moves.at(-1)?.created_at ?? '';
        const due = overallDeadline(
          await calendarFor(ctx, row.agency_id),
          definition,
          row.submitted_at ?? '',
          moves.map((e) => ({ toState: e.to_state ?? '', at: e.created_at })),
          'Asia/Jakarta',
          new Date(last),
        );
        expect(row.due_at).toBe(due.toISOString());
        expect(row.closed_at).toBe(row.stage === 'closed' ? last : null);
      }
      const outcomes = new Set(rows.map((r) => r.outcome));
      expect(outcomes).toEqual(new Set(['approved', 'rejected', 'withdrawn', null]));
      // Some were late: the dashboard has something to show on every line.
      expect(rows.some((r) => r.outcome === 'approved' && (r.closed_at ?? '') > (r.due_at ?? ''))).toBe(true);
    },
  );
});
