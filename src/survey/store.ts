/** SQL of the satisfaction survey. */
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { ANSWER_COLUMNS, perElement } from './elements.ts';
import type { AnswerSums } from './ikm.ts';

/** Upper bound for lists that are not paged (services, grouped sums): far above any real count. */
const MANY = 10_000;

export type ResponseRow = Database['survey_responses'];
export type PopulationRow = Database['survey_populations'];

/** Which rows a figure covers: one agency, one service, or all (nulls), answered or closed in [from, to). */
export interface RangeFilter {
  agencyId: string | null;
  serviceId: string | null;
  from: string;
  to: string;
}

export async function insertResponse(db: Db, row: ResponseRow): Promise<void> {
  await db.insertInto('survey_responses').values(row).execute();
}

/** Several responses in one statement (the demo's history). */
export async function insertResponses(db: Db, rows: readonly ResponseRow[]): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('survey_responses')
      .values([...rows])
      .execute();
}

export function findResponse(db: Db, applicationId: string) {
  return db
    .selectFrom('survey_responses')
    .select(['id', 'channel', 'answered_at'])
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
}

/**
 * The services a figure covers, with their agency's time zone (periods are local): those ever
 * published (a service still only in draft has served nobody).
 */
export function servicesInScope(db: Db, scope: { agencyId: string | null; serviceId: string | null }) {
  let query = db
    .selectFrom('services')
    .innerJoin('agencies', 'agencies.id', 'services.agency_id')
    .select(['services.id', 'services.slug', 'services.agency_id', 'agencies.timezone'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('service_versions as v')
          .select('v.id')
          .whereRef('v.service_id', '=', 'services.id')
          .where('v.status', '!=', 'draft'),
      ),
    );
  if (scope.agencyId !== null) query = query.where('services.agency_id', '=', scope.agencyId);
  if (scope.serviceId !== null) query = query.where('services.id', '=', scope.serviceId);
  return query.orderBy('services.slug').limit(MANY).execute();
}

/** The answers summed per element and service: integers, so the IKM can be computed exactly. */
export async function sumsByService(db: Db, filter: RangeFilter): Promise<Map<string, AnswerSums>> {
  let query = db
    .selectFrom('survey_responses')
    .select((eb) => [
      'service_id',
      eb.fn.countAll<number | string>().as('n'),
      eb.fn.sum<number | string>('u1').as('u1'),
      eb.fn.sum<number | string>('u2').as('u2'),
      eb.fn.sum<number | string>('u3').as('u3'),
      eb.fn.sum<number | string>('u4').as('u4'),
      eb.fn.sum<number | string>('u5').as('u5'),
      eb.fn.sum<number | string>('u6').as('u6'),
      eb.fn.sum<number | string>('u7').as('u7'),
      eb.fn.sum<number | string>('u8').as('u8'),
      eb.fn.sum<number | string>('u9').as('u9'),
    ])
    .where('answered_at', '>=', filter.from)
    .where('answered_at', '<', filter.to);
  if (filter.agencyId !== null) query = query.where('agency_id', '=', filter.agencyId);
  if (filter.serviceId !== null) query = query.where('service_id', '=', filter.serviceId);
  const rows = await query.groupBy('service_id').limit(MANY).execute();
  const out = new Map<string, AnswerSums>();
  for (const row of rows) {
    // PostgreSQL sums integers as bigint or numeric; both arrive as exact integers here.
    const sums = perElement((key) => Number(row[ANSWER_COLUMNS[key]]));
    out.set(row.service_id, { respondents: Number(row.n), sums });
  }
  return out;
}

/** Applications closed with a decision (approved or rejected) per service: the default population. */
export async function closedByService(db: Db, filter: RangeFilter): Promise<Map<string, number>> {
  let query = db
    .selectFrom('applications')
    .select((eb) => ['service_id', eb.fn.countAll<number | string>().as('n')])
    .where('stage', '=', 'closed')
    .where('outcome', 'in', ['approved', 'rejected'])
    .where('closed_at', '>=', filter.from)
    .where('closed_at', '<', filter.to);
  if (filter.agencyId !== null) query = query.where('agency_id', '=', filter.agencyId);
  if (filter.serviceId !== null) query = query.where('service_id', '=', filter.serviceId);
  const rows = await query.groupBy('service_id').limit(MANY).execute();
  return new Map(rows.map((r) => [r.service_id, Number(r.n)]));
}

/** Entered populations of the given periods (a few keys), for every service. */
export function populationsOf(db: Db, periods: readonly string[]) {
  if (periods.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('survey_populations')
    .select(['service_id', 'period', 'population', 'entered_at'])
    .where('period', 'in', periods)
    .limit(MANY)
    .execute();
}

export async function putPopulation(db: Db, row: PopulationRow): Promise<void> {
  await db
    .insertInto('survey_populations')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['service_id', 'period']).doUpdateSet({
        population: row.population,
        entered_by: row.entered_by,
        entered_at: row.entered_at,
      }),
    )
    .execute();
}

export async function deletePopulation(db: Db, serviceId: string, period: string): Promise<number> {
  const result = await db
    .deleteFrom('survey_populations')
    .where('service_id', '=', serviceId)
    .where('period', '=', period)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The names of services: of the published version, else of the newest one. */
export async function serviceNames(
  db: Db,
  serviceIds: readonly string[],
): Promise<Map<string, { id: string; en: string }>> {
  if (serviceIds.length === 0) return new Map();
  const versions = await db
    .selectFrom('service_versions')
    .select(['service_id', 'version', 'status', 'name_id', 'name_en'])
    .where('service_id', 'in', serviceIds)
    .orderBy('version', 'desc')
    .limit(MANY)
    .execute();
  // Newest first: the first version seen names the service unless a published one comes later.
  const chosen = new Map<string, { name: { id: string; en: string }; published: boolean }>();
  for (const v of versions) {
    const known = chosen.get(v.service_id);
    if (!known || (v.status === 'published' && !known.published))
      chosen.set(v.service_id, {
        name: { id: v.name_id, en: v.name_en },
        published: v.status === 'published',
      });
  }
  return new Map([...chosen].map(([id, c]) => [id, c.name]));
}

/** The newest comments of the range, for the agency's staff (without the application they came from). */
export function latestComments(db: Db, filter: RangeFilter, limit: number) {
  let query = db
    .selectFrom('survey_responses')
    .select(['id', 'service_id', 'comment_enc', 'answered_at'])
    .where('comment_enc', 'is not', null)
    .where('answered_at', '>=', filter.from)
    .where('answered_at', '<', filter.to);
  if (filter.agencyId !== null) query = query.where('agency_id', '=', filter.agencyId);
  if (filter.serviceId !== null) query = query.where('service_id', '=', filter.serviceId);
  return query.orderBy('answered_at', 'desc').limit(limit).execute();
}

/**
 * Applications a counter officer may open the kiosk survey for: in an agency where they work the
 * counter, closed with a decision, filed by them at the counter or closed by their action, and not
 * answered yet. Newest first.
 */
export function counterCandidates(
  db: Db,
  officerId: string,
  agencyIds: readonly string[],
  options: { applicationId?: string; trackingNumber?: string; closedSince?: string; limit: number },
) {
  if (agencyIds.length === 0) return Promise.resolve([]);
  let query = db
    .selectFrom('applications as a')
    .innerJoin('service_versions as v', 'v.id', 'a.service_version_id')
    .select([
      'a.id',
      'a.agency_id',
      'a.service_id',
      'a.tracking_number',
      'a.outcome',
      'a.closed_at',
      'v.name_id',
      'v.name_en',
    ])
    .where('a.agency_id', 'in', agencyIds)
    .where('a.stage', '=', 'closed')
    .where('a.outcome', 'in', ['approved', 'rejected'])
    .where((eb) =>
      eb.or([
        eb('a.assisted_by', '=', officerId),
        eb.exists(
          eb
            .selectFrom('application_events as e')
            .select('e.id')
            .whereRef('e.application_id', '=', 'a.id')
            .where('e.kind', '=', 'action')
            .whereRef('e.to_state', '=', 'a.state')
            .where('e.actor_id', '=', officerId),
        ),
      ]),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('survey_responses as r').select('r.id').whereRef('r.application_id', '=', 'a.id'),
        ),
      ),
    );
  if (options.applicationId !== undefined) query = query.where('a.id', '=', options.applicationId);
  if (options.trackingNumber !== undefined)
    query = query.where('a.tracking_number', '=', options.trackingNumber);
  if (options.closedSince !== undefined) query = query.where('a.closed_at', '>=', options.closedSince);
  return query.orderBy('a.closed_at', 'desc').limit(options.limit).execute();
}

/** Closed applications with a decision and no response yet (for the demo's history). */
export function unansweredClosed(db: Db, limit: number) {
  return db
    .selectFrom('applications as a')
    .select(['a.id', 'a.agency_id', 'a.service_id', 'a.applicant_id', 'a.assisted_by', 'a.closed_at'])
    .where('a.stage', '=', 'closed')
    .where('a.outcome', 'in', ['approved', 'rejected'])
    .where('a.closed_at', 'is not', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb.selectFrom('survey_responses as r').select('r.id').whereRef('r.application_id', '=', 'a.id'),
        ),
      ),
    )
    .orderBy('a.closed_at')
    .limit(limit)
    .execute();
}
