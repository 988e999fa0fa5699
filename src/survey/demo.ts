/**
 * Demo survey answers: with `history`, responses for a realistic share of the generated closed
 * applications (the open-data seeder creates those first; without them nothing is created), each
 * service with a character of its own so the grades differ, a few comments, and one population
 * entered per agency so the report shows both sources. Without `history` (every test) nothing.
 */
import { appendAuditLeaf } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import { newId, nowIso } from '../db/ids.ts';
import { type ElementKey, perElement, type ScaleValue, type SurveyAnswers } from './elements.ts';
import { periodContaining, periodRange } from './periods.ts';
import * as store from './store.ts';

/** Most closed applications looked at; the generated history stays far below it. */
const MAX_APPLICATIONS = 50_000;
const BATCH = 250;
const DAY_MS = 86_400_000;

/** How often a respondent writes a comment, and some they write. */
const COMMENT_SHARE = 0.08;
const COMMENTS = [
  'Pelayanan cepat dan petugas ramah. Terima kasih.',
  'Antrean di loket cukup lama, mohon ditambah petugas pada jam sibuk.',
  'Persyaratan sudah jelas di situs, jadi saya tidak perlu bolak-balik.',
  'Ruang tunggu panas, mohon kipas angin atau AC diperbaiki.',
  'Status permohonan mudah dipantau lewat Gapura.',
  'Informasi biaya perlu dipasang lebih jelas di loket.',
  'Petugas menjelaskan dengan sabar. Sangat membantu.',
  'Dokumen selesai lebih cepat dari janji layanan.',
];

/** A small deterministic generator (mulberry32), so every demo start looks the same. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** A service's character: its mean answer per element (about 2.6 to 3.8). */
function characterOf(serviceId: string): Record<ElementKey, number> {
  const rnd = random(seedOf(serviceId));
  const base = 2.7 + rnd() * 1.0;
  // Waiting is what people rate lowest and politeness highest, nearly everywhere.
  const lean: Partial<Record<ElementKey, number>> = {
    time: -0.35,
    facilities: -0.15,
    behaviour: 0.15,
    cost: 0.3,
  };
  return perElement((key) => Math.min(3.9, base + (lean[key] ?? 0) + (rnd() - 0.5) * 0.3));
}

function answerAround(mean: number, rnd: () => number): ScaleValue {
  const spread = (rnd() + rnd() + rnd() - 1.5) * 0.9;
  const value = Math.round(mean + spread);
  return value <= 1 ? 1 : value === 2 ? 2 : value === 3 ? 3 : 4;
}

export async function seedSurveyDemo(ctx: AppContext, options: { history: boolean }): Promise<void> {
  if (!options.history) return;
  const closed = await store.unansweredClosed(ctx.db, MAX_APPLICATIONS);
  if (closed.length === 0) return;
  const rnd = random(20260414);
  const now = Date.now();
  const characters = new Map<string, Record<ElementKey, number>>();
  // About half of those served online answer; fewer at the counter, where the kiosk is optional.
  const chosen = closed.filter((a) => rnd() < (a.applicant_id === null ? 0.3 : 0.5));
  await ctx.keyring.prepare([...new Set(chosen.map((a) => a.agency_id))]);
  const batches: (typeof chosen)[] = [];
  for (let start = 0; start < chosen.length; start += BATCH) batches.push(chosen.slice(start, start + BATCH));
  // Answers are drawn in order first, so the data does not depend on how the batches interleave.
  const prepared = batches.map((batch) =>
    batch.map((application) => {
      let character = characters.get(application.service_id);
      if (!character) {
        character = characterOf(application.service_id);
        characters.set(application.service_id, character);
      }
      const closedAt = Date.parse(application.closed_at ?? nowIso(now));
      const answeredMs = Math.min(now - 60_000, closedAt + Math.floor(rnd() * 4 * DAY_MS));
      const answers = perElement((key) => answerAround(character[key], rnd));
      const comment = rnd() < COMMENT_SHARE ? (COMMENTS[Math.floor(rnd() * COMMENTS.length)] ?? null) : null;
      return { application, answeredMs, answers, comment };
    }),
  );
  // PostgreSQL takes several batches at once (each its own transaction); SQLite has one writer.
  const lanes = ctx.engine === 'postgres' ? 8 : 1;
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < prepared.length; i = next++) await insertBatch(ctx, prepared[i] ?? []);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  await enterDemoPopulations(ctx, chosen, now);
}

interface DemoResponse {
  application: {
    id: string;
    agency_id: string;
    service_id: string;
    applicant_id: string | null;
    assisted_by: string | null;
  };
  answeredMs: number;
  answers: SurveyAnswers;
  comment: string | null;
}

/** One transaction: the batch's responses in one statement, then each response's audit leaf. */
async function insertBatch(ctx: AppContext, batch: readonly DemoResponse[]): Promise<void> {
  if (batch.length === 0) return;
  const rows = batch.map(({ application, answeredMs, answers, comment }) => {
    const id = newId(answeredMs);
    return {
      id,
      application_id: application.id,
      agency_id: application.agency_id,
      service_id: application.service_id,
      channel: application.applicant_id === null ? ('counter' as const) : ('online' as const),
      u1: answers.requirements,
      u2: answers.procedure,
      u3: answers.time,
      u4: answers.cost,
      u5: answers.product,
      u6: answers.competence,
      u7: answers.behaviour,
      u8: answers.complaints,
      u9: answers.facilities,
      comment_enc:
        comment === null
          ? null
          : ctx.keyring.encrypt(application.agency_id, comment, `survey_responses.comment:${id}`),
      answered_at: nowIso(answeredMs),
    };
  });
  await ctx.db.transaction().execute(async (trx) => {
    await store.insertResponses(trx, rows);
    for (const [i, { application, answeredMs, answers, comment }] of batch.entries())
      await appendAuditLeaf(
        trx,
        {
          type: 'survey.answered',
          actorId: application.applicant_id ?? application.assisted_by,
          agencyId: application.agency_id,
          subjectId: application.id,
          facts: { channel: rows[i]?.channel ?? 'online', service: application.service_id },
          personal: { answers, comment },
        },
        answeredMs,
      );
  });
}

/**
 * Each agency's admin entered the population of its busiest service for the last full quarter:
 * a little above the applications closed in the system, as walk-ins served without a filing count too.
 */
async function enterDemoPopulations(
  ctx: AppContext,
  answered: readonly { agency_id: string; service_id: string }[],
  now: number,
): Promise<void> {
  const busiest = new Map<string, Map<string, number>>();
  for (const a of answered) {
    const counts = busiest.get(a.agency_id) ?? new Map<string, number>();
    counts.set(a.service_id, (counts.get(a.service_id) ?? 0) + 1);
    busiest.set(a.agency_id, counts);
  }
  const current = periodContaining(new Date(now), 'quarter', 'Asia/Jakarta');
  const previous = periodContaining(
    new Date(Date.parse(periodRange(current, 'Asia/Jakarta').from) - DAY_MS),
    'quarter',
    'Asia/Jakarta',
  );
  const range = periodRange(previous, 'Asia/Jakarta');
  for (const [agencyId, counts] of busiest) {
    const serviceId = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    const admin = await ctx.db
      .selectFrom('role_grants')
      .select('user_id')
      .where('agency_id', '=', agencyId)
      .where('role', '=', 'agency_admin')
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!serviceId || !admin) continue;
    const closed =
      (await store.closedByService(ctx.db, { agencyId, serviceId, ...range })).get(serviceId) ?? 0;
    if (closed === 0) continue;
    const population = Math.round(closed * 1.15);
    await ctx.db.transaction().execute(async (trx) => {
      await store.putPopulation(trx, {
        service_id: serviceId,
        period: previous.key,
        population,
        entered_by: admin.user_id,
        entered_at: nowIso(now),
      });
      await appendAuditLeaf(trx, {
        type: 'survey.population_set',
        actorId: admin.user_id,
        agencyId,
        subjectId: serviceId,
        facts: { period: previous.key, population },
      });
    });
  }
}
