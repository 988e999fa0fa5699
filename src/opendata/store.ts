/**
 * The SQL of open data: counts and processing-time histograms of one agency's applications,
 * grouped in the database by service and local month, so what comes back is a few rows per
 * service and month however many applications there are. Months and days are the agency's local
 * ones (a fixed offset from UTC).
 */
import { type Insertable, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

const DECIDED: readonly NonNullable<Database['applications']['outcome']>[] = ['approved', 'rejected'];

/**
 * A local month as the instants it spans, ISO UTC: from <= t < to. Timestamps are stored as
 * fixed-width ISO text, so these comparisons are plain index ranges and every month is read by a
 * subquery of its own: no date function runs per row, and the grouping stays within a month.
 */
export interface MonthRange {
  key: string;
  from: string;
  to: string;
}

/** Applications filed, by service and local month of filing. */
export async function receivedByMonth(
  db: Db,
  agencyId: string,
  months: readonly MonthRange[],
): Promise<{ serviceId: string; month: string; n: number }[]> {
  const parts = months.map((m) =>
    db
      .selectFrom('applications')
      .select([
        sql<string>`${sql.lit(m.key)}`.as('bucket'),
        'service_id',
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('agency_id', '=', agencyId)
      .where('submitted_at', '>=', m.from)
      .where('submitted_at', '<', m.to)
      .groupBy('service_id'),
  );
  const [first, ...rest] = parts;
  if (!first) return [];
  const rows = await rest.reduce((query, part) => query.unionAll(part), first).execute();
  return rows.map((r) => ({ serviceId: r.service_id, month: r.bucket, n: Number(r.n) }));
}

/** Applications closed (any outcome) and decided (approved or rejected), by service and local month. */
export async function closedByMonth(
  db: Db,
  agencyId: string,
  months: readonly MonthRange[],
): Promise<{ serviceId: string; month: string; closed: number; decided: number }[]> {
  const parts = months.map((m) =>
    db
      .selectFrom('applications')
      .select([
        sql<string>`${sql.lit(m.key)}`.as('bucket'),
        'service_id',
        (eb) => eb.fn.countAll<number>().as('closed'),
        sql<number>`sum(case when outcome in (${sql.join(DECIDED)}) then 1 else 0 end)`.as('decided'),
      ])
      .where('agency_id', '=', agencyId)
      .where('closed_at', '>=', m.from)
      .where('closed_at', '<', m.to)
      .groupBy('service_id'),
  );
  const [first, ...rest] = parts;
  if (!first) return [];
  const rows = await rest.reduce((query, part) => query.unionAll(part), first).execute();
  return rows.map((r) => ({
    serviceId: r.service_id,
    month: r.bucket,
    closed: Number(r.closed),
    decided: Number(r.decided),
  }));
}

function byService(
  rows: readonly { service_id: string; n: number | string | bigint }[],
): Map<string, number> {
  return new Map(rows.map((r) => [r.service_id, Number(r.n)]));
}

/** Applications open now (filed, not closed), by service: a short index range. */
export async function openNow(db: Db, agencyId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('applications')
    .select(['service_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('agency_id', '=', agencyId)
    .where('closed_at', 'is', null)
    .where('submitted_at', 'is not', null)
    .groupBy('service_id')
    .execute();
  return byService(rows);
}

/** Applications filed and closed from an instant on, by service (to carry the open count back to it). */
export async function flowsSince(
  db: Db,
  agencyId: string,
  at: string,
): Promise<{ received: Map<string, number>; closed: Map<string, number> }> {
  const received = await db
    .selectFrom('applications')
    .select(['service_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('agency_id', '=', agencyId)
    .where('submitted_at', '>=', at)
    .groupBy('service_id')
    .execute();
  const closed = await db
    .selectFrom('applications')
    .select(['service_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('agency_id', '=', agencyId)
    .where('closed_at', '>=', at)
    .groupBy('service_id')
    .execute();
  return { received: byService(received), closed: byService(closed) };
}

/** The earliest filing among the applications decided in a span (where the day table must start). */
export async function earliestFilingOfDecided(
  db: Db,
  agencyId: string,
  from: string,
  to: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('applications')
    .select((eb) => eb.fn.min('submitted_at').as('first'))
    .where('agency_id', '=', agencyId)
    .where('closed_at', '>=', from)
    .where('closed_at', '<', to)
    .where('outcome', 'in', DECIDED)
    .executeTakeFirst();
  return row?.first ?? null;
}

/**
 * A UTC date of the agency's calendar, for instants of that date before `localDayStartsAt` (the
 * UTC hour at which the next local day begins: 17 in WIB) and from then on: the working days
 * counted up to the local date they fall on, and that date's local month.
 */
export interface CalendarDay {
  utcDate: string;
  before: number;
  after: number;
  beforeMonth: string;
  afterMonth: string;
}

export interface HistogramRow {
  serviceId: string;
  month: string;
  days: number;
  n: number;
  onTime: number;
}

/**
 * Decided applications by service, local month of the decision and working days taken, with how
 * many were decided by their deadline (`closed_at <= due_at`; the deadline already moved by the
 * working days the clock stood still while waiting for the applicant). The applications are first
 * grouped by the UTC dates of filing and decision and by whether each fell after the local day
 * turned (text only — substr and comparisons, no date function per row, the same on both
 * engines); the few groups then meet the agency's calendar, passed in as a table of UTC dates: the
 * working days taken are the count at the decision minus the count at the filing, and the month
 * is the decision's.
 */
export async function processingHistogram(
  db: Db,
  agencyId: string,
  span: { from: string; to: string },
  calendar: readonly CalendarDay[],
  localDayStartsAt: number,
): Promise<HistogramRow[]> {
  if (calendar.length === 0) return [];
  const hour = String(localDayStartsAt).padStart(2, '0');
  const values = sql.join(
    calendar.map(
      (d) =>
        sql`(${sql.lit(d.utcDate)}, ${sql.lit(d.before)}, ${sql.lit(d.after)}, ${sql.lit(d.beforeMonth)}, ${sql.lit(d.afterMonth)})`,
    ),
  );
  const result = await sql<{ service_id: string; bucket: string; wd: number; n: number; on_time: number }>`
    with cal (utc_date, before_count, after_count, before_month, after_month) as (values ${values}),
    decided as (
      select service_id,
        substr(submitted_at, 1, 10) as filed_date,
        case when substr(submitted_at, 12, 2) < ${sql.lit(hour)} then 0 else 1 end as filed_late,
        substr(closed_at, 1, 10) as closed_date,
        case when substr(closed_at, 12, 2) < ${sql.lit(hour)} then 0 else 1 end as closed_late,
        count(*) as n,
        sum(case when closed_at <= due_at then 1 else 0 end) as on_time
      from applications
      where agency_id = ${agencyId}
        and closed_at >= ${span.from}
        and closed_at < ${span.to}
        and outcome in (${sql.join(DECIDED)})
      group by service_id, filed_date, filed_late, closed_date, closed_late
    )
    select decided.service_id,
      case when decided.closed_late = 0 then decided_day.before_month else decided_day.after_month end as bucket,
      (case when decided.closed_late = 0 then decided_day.before_count else decided_day.after_count end)
        - (case when decided.filed_late = 0 then filed_day.before_count else filed_day.after_count end) as wd,
      sum(decided.n) as n,
      sum(decided.on_time) as on_time
    from decided
    inner join cal as filed_day on filed_day.utc_date = decided.filed_date
    inner join cal as decided_day on decided_day.utc_date = decided.closed_date
    group by decided.service_id, bucket, wd
  `.execute(db);
  return result.rows.map((r) => ({
    serviceId: r.service_id,
    month: r.bucket,
    days: Number(r.wd),
    n: Number(r.n),
    onTime: Number(r.on_time),
  }));
}

/** When the first application anywhere was filed (the first year the pages offer). */
export async function firstFiling(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('applications')
    .select((eb) => eb.fn.min('submitted_at').as('first'))
    .executeTakeFirst();
  return row?.first ?? null;
}

/** Services with a version that was ever published, with the newest such version's names. */
export async function listPublicServices(
  db: Db,
): Promise<{ id: string; agencyId: string; slug: string; nameId: string; nameEn: string }[]> {
  const rows = await db
    .selectFrom('services as s')
    .innerJoin('service_versions as v', 'v.service_id', 's.id')
    .select(['s.id', 's.agency_id', 's.slug', 'v.version', 'v.name_id', 'v.name_en'])
    .where('v.status', 'in', ['published', 'retired'])
    .orderBy('s.slug')
    .orderBy('v.version', 'desc')
    .limit(10_000)
    .execute();
  const seen = new Set<string>();
  const services: { id: string; agencyId: string; slug: string; nameId: string; nameEn: string }[] = [];
  for (const r of rows) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    services.push({ id: r.id, agencyId: r.agency_id, slug: r.slug, nameId: r.name_id, nameEn: r.name_en });
  }
  return services;
}

// ---------------------------------------------------------------------------------------------
// Generated history (demo and benchmark)

/** A service's id and agency by slug. */
export function findServiceIds(db: Db, slug: string): Promise<{ id: string; agencyId: string } | undefined> {
  return db
    .selectFrom('services')
    .select(['id', 'agency_id as agencyId'])
    .where('slug', '=', slug)
    .executeTakeFirst();
}

/** One active staff member of the agency per role (the earliest granted), to act in generated history. */
export async function staffByRole(db: Db, agencyId: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('role_grants')
    .select(['role', 'user_id'])
    .where('agency_id', '=', agencyId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1000)
    .execute();
  const staff = new Map<string, string>();
  for (const r of rows) if (!staff.has(r.role)) staff.set(r.role, r.user_id);
  return staff;
}

export async function insertApplications(
  db: Db,
  rows: readonly Insertable<Database['applications']>[],
): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('applications')
      .values([...rows])
      .execute();
}

export async function insertEvents(
  db: Db,
  rows: readonly Insertable<Database['application_events']>[],
): Promise<void> {
  if (rows.length > 0)
    await db
      .insertInto('application_events')
      .values([...rows])
      .execute();
}
