/** The SQL of complaints. Every list has a limit; policy (who may see what) is the services' business. */
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

export type ComplaintRow = Database['complaints'];
export type ComplaintEventRow = Database['complaint_events'];
export type ComplaintChanges = Partial<Omit<ComplaintRow, 'id' | 'number' | 'created_at'>>;

/** Complaints looked at per periodic run; the next run picks up the rest. */
export const JOB_BATCH = 500;
const MANY = 10_000;

export async function insertComplaint(db: Db, row: ComplaintRow): Promise<void> {
  await db.insertInto('complaints').values(row).execute();
}

export async function insertEvent(db: Db, row: ComplaintEventRow): Promise<void> {
  await db.insertInto('complaint_events').values(row).execute();
}

export async function insertAttachment(db: Db, row: Database['complaint_attachments']): Promise<void> {
  await db.insertInto('complaint_attachments').values(row).execute();
}

export function findById(db: Db, id: string): Promise<ComplaintRow | undefined> {
  return db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findByNumber(db: Db, number: string): Promise<ComplaintRow | undefined> {
  return db.selectFrom('complaints').selectAll().where('number', '=', number).executeTakeFirst();
}

/** The latest complaint with the same filer-and-text index filed since `since`. */
export function findDuplicate(db: Db, dedupeBidx: string, since: string) {
  return db
    .selectFrom('complaints')
    .select(['id', 'number'])
    .where('dedupe_bidx', '=', dedupeBidx)
    .where('created_at', '>=', since)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Applies changes when the row is still at `rowVersion`; false when someone else changed it first. */
export async function updateIfVersion(
  db: Db,
  id: string,
  rowVersion: number,
  changes: ComplaintChanges,
): Promise<boolean> {
  const updated = await db
    .updateTable('complaints')
    .set(changes)
    .where('id', '=', id)
    .where('row_version', '=', rowVersion)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

export function listEvents(db: Db, complaintId: string) {
  return db
    .selectFrom('complaint_events')
    .selectAll()
    .where('complaint_id', '=', complaintId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1000)
    .execute();
}

export function listAttachmentInfo(db: Db, complaintId: string) {
  return db
    .selectFrom('complaint_attachments')
    .select(['id', 'mime', 'size', 'created_at'])
    .where('complaint_id', '=', complaintId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(10)
    .execute();
}

export function findAttachment(db: Db, complaintId: string, attachmentId: string) {
  return db
    .selectFrom('complaint_attachments')
    .selectAll()
    .where('id', '=', attachmentId)
    .where('complaint_id', '=', complaintId)
    .executeTakeFirst();
}

export function listByOwner(db: Db, ownerBidx: string) {
  return db
    .selectFrom('complaints')
    .selectAll()
    .where('owner_bidx', '=', ownerBidx)
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
}

export interface QueueFilter {
  /** Only complaints disposed to one of these agencies (the agency inbox); all when absent (the admin). */
  agencyIds?: readonly string[];
  states: readonly string[];
}

export async function listQueue(db: Db, filter: QueueFilter, offset: number, limit: number) {
  if (filter.states.length === 0 || (filter.agencyIds && filter.agencyIds.length === 0))
    return { rows: [], total: 0 };
  const base = db
    .selectFrom('complaints')
    .where('state', 'in', [...filter.states])
    .$if(filter.agencyIds !== undefined, (q) =>
      q.where('agency_id', 'in', [...(filter.agencyIds ?? [])]).where('disposed_at', 'is not', null),
    );
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      // Deadlines first (no deadline last), then oldest first.
      .orderBy(sql`case when state_due_at is null then 1 else 0 end`)
      .orderBy('state_due_at')
      .orderBy('created_at')
      .offset(offset)
      .limit(limit)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

/** Published complaints, newest first, optionally of one agency. */
export async function listPublished(db: Db, agencyId: string | undefined, offset: number, limit: number) {
  const base = db
    .selectFrom('complaints')
    .where('published_at', 'is not', null)
    .where('may_publish', '=', 1)
    .$if(agencyId !== undefined, (q) =>
      q.where((eb) => eb.fn.coalesce('agency_id', 'target_agency_id'), '=', agencyId ?? ''),
    );
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute(),
    base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
  ]);
  return { rows, total: Number(count?.n ?? 0) };
}

export function answeredDueForClosing(db: Db, now: string) {
  return db
    .selectFrom('complaints')
    .select(['id', 'row_version'])
    .where('state', '=', 'answered')
    .where('auto_close_at', '<=', now)
    .orderBy('auto_close_at')
    .limit(JOB_BATCH)
    .execute();
}

/** Open complaints whose state deadline falls at or before `limit`. */
export function dueForEscalation(db: Db, states: readonly string[], limit: string) {
  return db
    .selectFrom('complaints')
    .select(['id', 'number', 'state', 'state_due_at', 'agency_id'])
    .where('state', 'in', [...states])
    .where('state_due_at', '<=', limit)
    .orderBy('state_due_at')
    .limit(JOB_BATCH)
    .execute();
}

/** Records an escalation once; false when it was already sent. */
export async function markEscalated(db: Db, row: Database['complaint_escalations']): Promise<boolean> {
  const inserted = await db
    .insertInto('complaint_escalations')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Holders of a role, in one agency or (agencyId null) platform-wide. */
export async function holdersOf(db: Db, role: string, agencyId: string | null): Promise<string[]> {
  const rows = await db
    .selectFrom('role_grants')
    .select('user_id')
    .distinct()
    .where('role', '=', role)
    .where('revoked_at', 'is', null)
    .$if(agencyId === null, (q) => q.where('agency_id', 'is', null))
    .$if(agencyId !== null, (q) => q.where('agency_id', '=', agencyId ?? ''))
    .limit(100)
    .execute();
  return rows.map((r) => r.user_id);
}

export async function followUpDaysOf(db: Db, agencyId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('complaint_agency_settings')
    .select('follow_up_days')
    .where('agency_id', '=', agencyId)
    .executeTakeFirst();
  return row?.follow_up_days;
}

export function listFollowUpSettings(db: Db) {
  return db
    .selectFrom('complaint_agency_settings')
    .select(['agency_id', 'follow_up_days', 'updated_at'])
    .limit(MANY)
    .execute();
}

export async function upsertFollowUpDays(db: Db, row: Database['complaint_agency_settings']): Promise<void> {
  await db
    .insertInto('complaint_agency_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('agency_id').doUpdateSet({
        follow_up_days: row.follow_up_days,
        updated_by: row.updated_by,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** What figures are computed from: complaints of a scope filed, or closed, in a period. */
export interface FigureFilter {
  agencyId: string | null;
  serviceId: string | null;
  from: string;
  to: string;
}

function scoped(db: Db, filter: FigureFilter) {
  return db
    .selectFrom('complaints')
    .$if(filter.serviceId !== null, (q) => q.where('service_id', '=', filter.serviceId ?? ''))
    .$if(filter.agencyId !== null, (q) =>
      // The agency it was disposed to, or, before that, the one the complainant named.
      q.where((eb) => eb.fn.coalesce('agency_id', 'target_agency_id'), '=', filter.agencyId ?? ''),
    );
}

export async function countFiled(db: Db, filter: FigureFilter): Promise<number> {
  const row = await scoped(db, filter)
    .select((eb) => eb.fn.countAll().as('n'))
    .where('created_at', '>=', filter.from)
    .where('created_at', '<', filter.to)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Complaints closed in the period after at least one follow-up: when filed and closed, and where. */
export function listResolved(db: Db, filter: FigureFilter) {
  return scoped(db, filter)
    .select(['created_at', 'closed_at', 'agency_id', 'target_agency_id'])
    .where('state', '=', 'closed')
    .where('follow_ups', '>=', 1)
    .where('closed_at', '>=', filter.from)
    .where('closed_at', '<', filter.to)
    .limit(1_000_000)
    .execute();
}

// What complaints name -------------------------------------------------------------------------

export function findService(db: Db, slug: string) {
  return db.selectFrom('services').select(['id', 'agency_id']).where('slug', '=', slug).executeTakeFirst();
}

export function findAgencyBySlug(db: Db, slug: string) {
  return db.selectFrom('agencies').select(['id', 'timezone']).where('slug', '=', slug).executeTakeFirst();
}

export function findAgencyById(db: Db, id: string) {
  return db
    .selectFrom('agencies')
    .select(['id', 'slug', 'name_id', 'name_en', 'timezone'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** One of the citizen's own applications, once filed (a draft is nothing to complain about yet). */
export function findOwnFiledApplication(db: Db, id: string, applicantId: string) {
  return db
    .selectFrom('applications')
    .select(['id', 'agency_id', 'service_id'])
    .where('id', '=', id)
    .where('applicant_id', '=', applicantId)
    .where('stage', '!=', 'draft')
    .executeTakeFirst();
}

export function listAgencies(db: Db) {
  return db
    .selectFrom('agencies')
    .select(['id', 'slug', 'name_id', 'name_en', 'timezone'])
    .orderBy('name_id')
    .limit(MANY)
    .execute();
}

/** Each service's name from its newest version (published or not: a complaint outlives versions). */
export async function serviceNames(db: Db, serviceIds: readonly string[]) {
  if (serviceIds.length === 0) return [];
  return db
    .selectFrom('service_versions as v')
    .innerJoin('services as s', 's.id', 'v.service_id')
    .select(['v.service_id', 's.slug', 'v.name_id', 'v.name_en', 'v.version', 'v.status'])
    .where('v.service_id', 'in', [...new Set(serviceIds)])
    .orderBy('v.version', 'desc')
    .limit(MANY)
    .execute();
}

/** Published services with their agency, for the filing form's choice. */
export function listPublishedServices(db: Db) {
  return db
    .selectFrom('service_versions as v')
    .innerJoin('services as s', 's.id', 'v.service_id')
    .select(['s.slug', 's.agency_id', 'v.name_id', 'v.name_en'])
    .where('v.status', '=', 'published')
    .orderBy('v.name_id')
    .limit(MANY)
    .execute();
}

/** One of the citizen's own filed applications, to name it on the filing form. */
export function findOwnApplicationLabel(db: Db, id: string, applicantId: string) {
  return db
    .selectFrom('applications')
    .select(['id', 'tracking_number', 'service_id'])
    .where('id', '=', id)
    .where('applicant_id', '=', applicantId)
    .where('stage', '!=', 'draft')
    .executeTakeFirst();
}
