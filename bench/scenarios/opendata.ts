/**
 * Dashboard render time for one agency with 100,000 applications in its history: the open-data
 * page of that agency, rendered through the whole server stack (Fastify `inject`, in process),
 * p50 and p99 over repeated requests, against baselines measured in the same run on the same data:
 * one bare COUNT(*) over the agency's applications, and the same page for an agency with about
 * 1,000 applications.
 */
import { sql } from 'kysely';
import { createLogger, openContext } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { AppContext } from '../../src/context.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { generateHistory } from '../../src/opendata/history.ts';
import { buildServer } from '../../src/web/server.ts';
import {
  type BenchOptions,
  type BenchRow,
  eachEngine,
  newStore,
  quantile,
  removeStore,
  type Scenario,
} from '../lib.ts';

const BIG_AGENCY = 'disdukcapil';
const SMALL_AGENCY = 'dinsos';
/** Three years of history: the dashboard reads the current and the previous calendar year. */
const MONTHS = 36;
const TARGET = 100_000;
const SMALL_TARGET = 1_000;
const BIG_SERVICES = ['akta-kelahiran', 'pembaruan-kartu-keluarga', 'surat-keterangan-pindah'];

async function countApplications(ctx: AppContext, agencySlug: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('applications')
    .innerJoin('agencies', 'agencies.id', 'applications.agency_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('agencies.slug', '=', agencySlug)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Milliseconds of each of `times` runs of `work`, sorted, after `warm` runs not counted. */
async function timings(work: () => Promise<void>, times: number, warm = 3): Promise<number[]> {
  for (let i = 0; i < warm; i++) await work();
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await work();
    out.push(performance.now() - start);
  }
  return out.sort((a, b) => a - b);
}

const round = (ms: number) => Math.round(ms * 10) / 10;

async function opendataOn(engine: 'sqlite' | 'postgres', options: BenchOptions): Promise<BenchRow[]> {
  const store = await newStore(engine, options.databaseUrl);
  const config = loadConfig({ ...store.env, LOG_LEVEL: 'silent', GAPURA_MODE: 'demo' });
  const opened = await openContext(config, createLogger(config));
  const { ctx } = opened;
  try {
    await seedDemo(ctx);
    const seedStart = performance.now();
    // A little over the target: each month's volume varies ±15 % and the current month is partial.
    const perServiceMonth = Math.ceil((TARGET * 1.03) / MONTHS / BIG_SERVICES.length);
    await generateHistory(ctx, {
      now: new Date(),
      months: MONTHS,
      volumes: Object.fromEntries(BIG_SERVICES.map((s) => [s, perServiceMonth])),
      events: false,
      seed: 1,
    });
    await generateHistory(ctx, {
      now: new Date(),
      months: MONTHS,
      volumes: { sktm: Math.round(SMALL_TARGET / MONTHS) },
      events: false,
      seed: 2,
    });
    const seedSeconds = (performance.now() - seedStart) / 1000;
    // What autovacuum would have done by the time anyone looks at a dashboard.
    if (engine === 'postgres') await sql`vacuum analyze applications`.execute(ctx.db);
    const big = await countApplications(ctx, BIG_AGENCY);
    const small = await countApplications(ctx, SMALL_AGENCY);
    const app = await buildServer(ctx);
    const times = options.quick ? 15 : 60;
    const page = (slug: string) => async () => {
      const response = await app.inject({ method: 'GET', url: `/open-data/agencies/${slug}` });
      if (response.statusCode !== 200) throw new Error(`dashboard answered ${response.statusCode}`);
    };
    const bigPage = await timings(page(BIG_AGENCY), times);
    const smallPage = await timings(page(SMALL_AGENCY), times);
    const bareCount = await timings(async () => {
      await countApplications(ctx, BIG_AGENCY);
    }, times);
    await app.close();
    const p50 = quantile(bigPage, 0.5);
    const note = `${big.toLocaleString('en-US')} applications in the agency (seeded in ${seedSeconds.toFixed(1)} s with direct inserts, ${MONTHS} months), ${times} requests`;
    return [
      {
        scenario: `Open-data dashboard of one agency with ${big.toLocaleString('en-US')} applications (GET /open-data/agencies/${BIG_AGENCY}, in process) vs one bare COUNT(*) over its applications`,
        engine,
        figure: 'render p50',
        value: round(p50),
        unit: 'ms',
        baseline: round(quantile(bareCount, 0.5)),
        ratio: round(p50 / Math.max(0.001, quantile(bareCount, 0.5))),
        note: `p99 ${round(quantile(bigPage, 0.99))} ms; ${note}`,
      },
      {
        scenario: `Open-data dashboard: the agency with ${big.toLocaleString('en-US')} applications vs the same page for an agency with ${small.toLocaleString('en-US')}`,
        engine,
        figure: 'render p50',
        value: round(p50),
        unit: 'ms',
        baseline: round(quantile(smallPage, 0.5)),
        ratio: round(p50 / Math.max(0.001, quantile(smallPage, 0.5))),
        note: `small agency p99 ${round(quantile(smallPage, 0.99))} ms; every page also counts the other agencies' applications, for suppression that agrees across pages`,
      },
    ];
  } finally {
    await opened.handle.close();
    await removeStore(store, options.databaseUrl);
  }
}

export const opendataScenario: Scenario = eachEngine('opendata', opendataOn);
