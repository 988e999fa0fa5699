/**
 * Answering the satisfaction survey: the applicant for their own application (online), or a
 * walk-in citizen at the counter on a page the officer opens (kiosk). One response per application
 * — the database's unique constraint decides between two simultaneous answers — written with its
 * audit leaf in one transaction. The leaf commits to the answers and comment only through a salted
 * hash, and no page or API shows a single response back: staff see figures, never answers.
 */
import { type ApplicationRow, definitionOf, findRow } from '../applications/service.ts';
import { appendAuditLeaf } from '../audit/log.ts';
import type { LocalText } from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';
import { newId, nowIso } from '../db/ids.ts';
import { hitRateLimit, type RateLimitRule } from '../identity/rate-limit.ts';
import { hasRole, type Principal } from '../identity/roles.ts';
import { DomainError, FieldErrors, type FieldProblem } from '../web/domain-error.ts';
import { t } from '../web/i18n/index.ts';
import {
  ELEMENT_KEYS,
  type ElementKey,
  isScaleValue,
  MAX_COMMENT_CHARS,
  perElement,
  type ScaleValue,
  type SurveyAnswers,
} from './elements.ts';
import { isSurveyed } from './invite.ts';
import * as store from './store.ts';

/** Survey answers an account may send in a quarter of an hour (wrong ones included). */
export const ANSWER_LIMIT: RateLimitRule = { limit: 30, windowMs: 15 * 60_000 };
/** How far back the counter's list looks for finished applications. */
const COUNTER_LIST_DAYS = 90;
const COUNTER_LIST_LIMIT = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type SurveyState = { kind: 'not_open' } | { kind: 'open' } | { kind: 'answered'; answeredAt: string };

/** The application a survey is about, as the survey pages show it. */
export interface SurveyTarget {
  applicationId: string;
  agencyId: string;
  serviceId: string;
  serviceName: LocalText;
  trackingNumber: string | null;
  state: SurveyState;
}

export type Channel = 'online' | 'counter';

/** What a respondent sent: the nine answers and an optional comment, checked. */
export interface SurveyInput {
  answers: SurveyAnswers;
  comment: string | null;
}

async function targetOf(ctx: AppContext, row: ApplicationRow): Promise<SurveyTarget> {
  const { definition } = await definitionOf(ctx.db, row.service_version_id);
  const answered = await store.findResponse(ctx.db, row.id);
  const state: SurveyState = answered
    ? { kind: 'answered', answeredAt: answered.answered_at }
    : row.stage === 'closed' && isSurveyed(row.outcome)
      ? { kind: 'open' }
      : { kind: 'not_open' };
  return {
    applicationId: row.id,
    agencyId: row.agency_id,
    serviceId: row.service_id,
    serviceName: definition.name,
    trackingNumber: row.tracking_number,
    state,
  };
}

/** The application row of an id that can be one (a malformed id never reaches the database). */
function findApplication(ctx: AppContext, id: string): Promise<ApplicationRow | undefined> {
  return UUID.test(id) ? findRow(ctx.db, id) : Promise.resolve(undefined);
}

/** The applicant's own application; anyone else's is "not found". */
export async function applicantSurvey(
  ctx: AppContext,
  applicant: Principal,
  id: string,
): Promise<SurveyTarget> {
  const row = await findApplication(ctx, id);
  if (!row || row.applicant_id === null || row.applicant_id !== applicant.userId)
    throw new DomainError('not_found');
  return targetOf(ctx, row);
}

/** The agencies where the principal works the counter. */
function counterAgencies(officer: Principal): string[] {
  return [
    ...new Set(
      officer.grants.flatMap((g) => (g.role === 'counter_officer' && g.agencyId ? [g.agencyId] : [])),
    ),
  ];
}

/**
 * An application a counter officer may open the kiosk survey for: one of their agency's that they
 * filed at the counter or closed with their own action. Anything else is "not found".
 */
export async function counterSurvey(ctx: AppContext, officer: Principal, id: string): Promise<SurveyTarget> {
  const row = await findApplication(ctx, id);
  if (!row || !hasRole(officer, 'counter_officer', row.agency_id)) throw new DomainError('not_found');
  const target = await targetOf(ctx, row);
  if (row.assisted_by === officer.userId) return target;
  // Closed by this officer: the action that moved it into its final state was theirs.
  const closer = await ctx.db
    .selectFrom('application_events')
    .select('actor_id')
    .where('application_id', '=', row.id)
    .where('kind', '=', 'action')
    .where('to_state', '=', row.state)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (row.stage !== 'closed' || closer?.actor_id !== officer.userId) throw new DomainError('not_found');
  return target;
}

export interface CounterItem {
  applicationId: string;
  trackingNumber: string | null;
  serviceName: LocalText;
  outcome: 'approved' | 'rejected';
  closedAt: string;
}

/** The officer's finished applications waiting for a kiosk survey, or the one with a tracking number. */
export async function listCounterSurveys(
  ctx: AppContext,
  officer: Principal,
  trackingNumber?: string,
): Promise<CounterItem[]> {
  const number = trackingNumber?.trim().toUpperCase().replace(/\s+/g, '');
  const rows = await store.counterCandidates(ctx.db, officer.userId, counterAgencies(officer), {
    limit: COUNTER_LIST_LIMIT,
    ...(number
      ? { trackingNumber: number }
      : { closedSince: new Date(Date.now() - COUNTER_LIST_DAYS * 86_400_000).toISOString() }),
  });
  return rows.flatMap((r) =>
    r.closed_at !== null && isSurveyed(r.outcome)
      ? [
          {
            applicationId: r.id,
            trackingNumber: r.tracking_number,
            serviceName: { id: r.name_id, en: r.name_en },
            outcome: r.outcome,
            closedAt: r.closed_at,
          },
        ]
      : [],
  );
}

function problem(field: string, key: 'survey.invalid_answer' | 'survey.comment_too_long'): FieldProblem {
  const params = { max: MAX_COMMENT_CHARS };
  return {
    field,
    code: key === 'survey.invalid_answer' ? 'required' : 'too_long',
    message: { id: t('id', key, params), en: t('en', key, params) },
  };
}

/** A form's or the API's answer to one element: 1–4 as a number or its text. */
function scaleOf(value: unknown): ScaleValue | undefined {
  const number = typeof value === 'string' && /^[1-4]$/.test(value.trim()) ? Number(value.trim()) : value;
  return isScaleValue(number) ? number : undefined;
}

/**
 * Checks what a respondent sent (form fields or the API's body): every element answered 1–4, the
 * comment at most {@link MAX_COMMENT_CHARS} characters (blank means none). Each problem names its field.
 */
export function readSurveyInput(answers: Record<string, unknown>, comment: unknown): SurveyInput {
  const problems: FieldProblem[] = [];
  const read = new Map<ElementKey, ScaleValue>();
  for (const key of ELEMENT_KEYS) {
    const value = scaleOf(answers[key]);
    if (value === undefined) problems.push(problem(key, 'survey.invalid_answer'));
    else read.set(key, value);
  }
  const text = typeof comment === 'string' ? comment.trim() : '';
  if ([...text].length > MAX_COMMENT_CHARS) problems.push(problem('comment', 'survey.comment_too_long'));
  if (problems.length > 0) throw new FieldErrors(problems);
  // Every element was read (a missing one is a problem above), so the fallback is never used.
  return {
    answers: perElement((key) => read.get(key) ?? 1),
    comment: text === '' ? null : text,
  };
}

/**
 * Stores a response for the target application. Refusals: the survey is not open
 * (`survey.not_open`), already answered (`survey.already_answered`, also when another answer wins
 * a race), too many attempts (`auth.too_many_attempts`), bad answers (`request.fields`).
 */
async function answer(
  ctx: AppContext,
  actor: Principal,
  target: SurveyTarget,
  raw: { answers: Record<string, unknown>; comment: unknown },
  channel: Channel,
): Promise<{ answeredAt: string }> {
  if (target.state.kind === 'answered') throw new DomainError('survey.already_answered');
  if (target.state.kind === 'not_open') throw new DomainError('survey.not_open');
  const limited = await hitRateLimit(ctx.db, `survey.answer:${actor.userId}`, ANSWER_LIMIT);
  if (!limited.allowed)
    throw new DomainError('auth.too_many_attempts', { retryAfterSeconds: limited.retryAfterSeconds });
  const input = readSurveyInput(raw.answers, raw.comment);
  const id = newId();
  const at = nowIso();
  await ctx.keyring.prepare([target.agencyId]);
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await store.insertResponse(trx, {
        id,
        application_id: target.applicationId,
        agency_id: target.agencyId,
        service_id: target.serviceId,
        channel,
        u1: input.answers.requirements,
        u2: input.answers.procedure,
        u3: input.answers.time,
        u4: input.answers.cost,
        u5: input.answers.product,
        u6: input.answers.competence,
        u7: input.answers.behaviour,
        u8: input.answers.complaints,
        u9: input.answers.facilities,
        comment_enc:
          input.comment === null
            ? null
            : ctx.keyring.encrypt(target.agencyId, input.comment, `survey_responses.comment:${id}`),
        answered_at: at,
      });
      await appendAuditLeaf(trx, {
        type: 'survey.answered',
        actorId: actor.userId,
        agencyId: target.agencyId,
        subjectId: target.applicationId,
        facts: { channel, service: target.serviceId },
        personal: { answers: input.answers, comment: input.comment },
      });
    });
  } catch (err) {
    // The unique constraint on the application: another answer was stored first.
    if (await store.findResponse(ctx.db, target.applicationId))
      throw new DomainError('survey.already_answered');
    throw err;
  }
  return { answeredAt: at };
}

/** The applicant answers for their own application. */
export async function answerAsApplicant(
  ctx: AppContext,
  applicant: Principal,
  applicationId: string,
  raw: { answers: Record<string, unknown>; comment: unknown },
): Promise<{ applicationId: string; answeredAt: string }> {
  const target = await applicantSurvey(ctx, applicant, applicationId);
  const { answeredAt } = await answer(ctx, applicant, target, raw, 'online');
  return { applicationId: target.applicationId, answeredAt };
}

/** A walk-in citizen answers at the counter, on the page the officer opened. */
export async function answerAtCounter(
  ctx: AppContext,
  officer: Principal,
  applicationId: string,
  raw: { answers: Record<string, unknown>; comment: unknown },
): Promise<SurveyTarget> {
  const target = await counterSurvey(ctx, officer, applicationId);
  await answer(ctx, officer, target, raw, 'counter');
  return target;
}
