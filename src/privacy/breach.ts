/**
 * Who is affected by an incident window (UU 27/2022 art. 46: notify the people affected within
 * 3 × 24 hours): applications whose personal data staff opened (access log), changed (history
 * events) or received (attachments) inside the window, with the people behind each — the
 * applicant and every subject found by NIK — and the channels they can be reached on. No NIK and
 * no contact value is printed: only which channels exist, for the notification run to use.
 */
import { fileFieldOf } from '../applications/uploads.ts';
import type { ServiceDefinition } from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';

export type BreachCategory = 'personal' | 'specific';
export type Channel = 'in_app' | 'email' | 'sms';

export interface BreachQuery {
  from: string;
  to: string;
  agencyId?: string | undefined;
  /** The agency's slug, echoed in the report. */
  agencySlug?: string | undefined;
  category?: BreachCategory | undefined;
}

export interface AffectedPerson {
  userId: string;
  channels: Channel[];
}

export interface AffectedApplication {
  applicationId: string;
  trackingNumber: string | null;
  agency: string;
  service: string;
  accessed: number;
  changed: number;
  files: number;
  firstAt: string;
  lastAt: string;
  /** Null for a walk-in citizen filed at a counter without an account: the agency reaches them. */
  applicant: AffectedPerson | null;
  subjects: { withAccount: AffectedPerson[]; withoutAccount: number };
}

export interface BreachReport {
  window: { from: string; to: string };
  agency: string | null;
  category: BreachCategory | null;
  /** Three times 24 hours from when the report was made (the operator has just learnt of it). */
  notifyBy: string;
  applications: AffectedApplication[];
  counts: { applications: number; people: number; withoutAccount: number; counterFiled: number };
}

const CHUNK = 500;
const MAX_ROWS = 100_000;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** Whether a service holds data of the category at all (every service with a personal field does). */
function carries(definition: ServiceDefinition, category: BreachCategory): boolean {
  const fields = definition.form.sections.flatMap((s) =>
    s.fields.flatMap((f) => (f.type === 'group' ? [f, ...f.fields] : [f])),
  );
  return fields.some((f) =>
    category === 'specific' ? f.classification === 'specific' : f.classification !== 'public',
  );
}

function classesMatch(classes: string, category: BreachCategory): boolean {
  return category === 'specific' ? classes.split(',').includes('specific') : classes !== '';
}

interface Touch {
  accessed: number;
  changed: number;
  files: number;
  firstAt: string;
  lastAt: string;
}

export async function breachReport(
  ctx: AppContext,
  query: BreachQuery,
  now = new Date(),
): Promise<BreachReport> {
  const category = query.category ?? 'personal';
  const agencyFilter = query.agencyId;

  const accessRows = await ctx.db
    .selectFrom('access_log as l')
    .innerJoin('applications as a', 'a.id', 'l.application_id')
    .select(['l.application_id as id', 'l.classes', 'l.viewed_at as at'])
    .where('l.viewed_at', '>=', query.from)
    .where('l.viewed_at', '<', query.to)
    .$if(agencyFilter !== undefined, (q) => q.where('a.agency_id', '=', agencyFilter as string))
    .limit(MAX_ROWS)
    .execute();
  const eventRows = await ctx.db
    .selectFrom('application_events as e')
    .innerJoin('applications as a', 'a.id', 'e.application_id')
    .select(['e.application_id as id', 'e.created_at as at'])
    .where('e.created_at', '>=', query.from)
    .where('e.created_at', '<', query.to)
    .$if(agencyFilter !== undefined, (q) => q.where('a.agency_id', '=', agencyFilter as string))
    .limit(MAX_ROWS)
    .execute();
  const fileRows = await ctx.db
    .selectFrom('attachments as f')
    .innerJoin('applications as a', 'a.id', 'f.application_id')
    .select(['f.application_id as id', 'f.field_key', 'f.created_at as at'])
    .where('f.created_at', '>=', query.from)
    .where('f.created_at', '<', query.to)
    .$if(agencyFilter !== undefined, (q) => q.where('a.agency_id', '=', agencyFilter as string))
    .limit(MAX_ROWS)
    .execute();

  const ids = [
    ...new Set([...accessRows, ...eventRows, ...fileRows].flatMap((r) => (r.id === null ? [] : [r.id]))),
  ];
  const apps = new Map<
    string,
    { tracking_number: string | null; applicant_id: string | null; agency_slug: string; definition: string }
  >();
  for (const part of chunks(ids)) {
    const rows = await ctx.db
      .selectFrom('applications as a')
      .innerJoin('agencies as g', 'g.id', 'a.agency_id')
      .innerJoin('service_versions as v', 'v.id', 'a.service_version_id')
      .select(['a.id', 'a.tracking_number', 'a.applicant_id', 'g.slug as agency_slug', 'v.definition'])
      .where('a.id', 'in', part)
      .execute();
    for (const r of rows) apps.set(r.id, r);
  }
  const definitions = new Map<string, ServiceDefinition>();
  const definitionOf = (text: string) => {
    let parsed = definitions.get(text);
    if (!parsed) {
      parsed = JSON.parse(text) as ServiceDefinition;
      definitions.set(text, parsed);
    }
    return parsed;
  };

  const touched = new Map<string, Touch>();
  const touch = (id: string, at: string, kind: 'accessed' | 'changed' | 'files') => {
    const t = touched.get(id) ?? { accessed: 0, changed: 0, files: 0, firstAt: at, lastAt: at };
    t[kind] += 1;
    if (at < t.firstAt) t.firstAt = at;
    if (at > t.lastAt) t.lastAt = at;
    touched.set(id, t);
  };
  for (const r of accessRows) if (classesMatch(r.classes, category)) touch(r.id, r.at, 'accessed');
  for (const r of eventRows) {
    const app = apps.get(r.id);
    if (app && carries(definitionOf(app.definition), category)) touch(r.id, r.at, 'changed');
  }
  for (const r of fileRows) {
    const app = r.id === null ? undefined : apps.get(r.id);
    if (!app || r.id === null) continue;
    const field = fileFieldOf(definitionOf(app.definition), r.field_key);
    const classification = field?.classification ?? 'personal';
    if (category === 'specific' ? classification === 'specific' : classification !== 'public')
      touch(r.id, r.at, 'files');
  }

  const affectedIds = [...touched.keys()];
  const subjects = new Map<string, string[]>();
  for (const part of chunks(affectedIds)) {
    const rows = await ctx.db
      .selectFrom('application_subjects')
      .select(['application_id', 'nik_bidx'])
      .where('application_id', 'in', part)
      .execute();
    for (const r of rows)
      subjects.set(r.application_id, [...(subjects.get(r.application_id) ?? []), r.nik_bidx]);
  }
  const allIndexes = [...new Set([...subjects.values()].flat())];
  const accountsByNik = new Map<string, string>();
  for (const part of chunks(allIndexes)) {
    const rows = await ctx.db
      .selectFrom('users')
      .select(['id', 'nik_bidx'])
      .where('nik_bidx', 'in', part)
      .execute();
    for (const r of rows) if (r.nik_bidx) accountsByNik.set(r.nik_bidx, r.id);
  }
  const userIds = [
    ...new Set([
      ...affectedIds.flatMap((id) => {
        const applicant = apps.get(id)?.applicant_id;
        return applicant ? [applicant] : [];
      }),
      ...accountsByNik.values(),
    ]),
  ];
  const channels = new Map<string, Channel[]>();
  for (const part of chunks(userIds)) {
    const rows = await ctx.db
      .selectFrom('users')
      .select(['id', 'email_enc', 'phone_enc'])
      .where('id', 'in', part)
      .execute();
    for (const r of rows)
      channels.set(r.id, [
        'in_app',
        ...(r.email_enc ? (['email'] as const) : []),
        ...(r.phone_enc ? (['sms'] as const) : []),
      ]);
  }
  const person = (userId: string): AffectedPerson => ({
    userId,
    channels: channels.get(userId) ?? ['in_app'],
  });

  const applications: AffectedApplication[] = [];
  const people = new Set<string>();
  let withoutAccount = 0;
  let counterFiled = 0;
  for (const [id, t] of touched) {
    const app = apps.get(id);
    if (!app) continue;
    const applicantId = app.applicant_id;
    if (applicantId) people.add(applicantId);
    else counterFiled += 1;
    const withAccount: AffectedPerson[] = [];
    let without = 0;
    for (const index of subjects.get(id) ?? []) {
      const userId = accountsByNik.get(index);
      if (!userId) without += 1;
      else if (userId !== applicantId) {
        withAccount.push(person(userId));
        people.add(userId);
      }
    }
    withoutAccount += without;
    applications.push({
      applicationId: id,
      trackingNumber: app.tracking_number,
      agency: app.agency_slug,
      service: definitionOf(app.definition).slug,
      ...t,
      applicant: applicantId ? person(applicantId) : null,
      subjects: { withAccount, withoutAccount: without },
    });
  }
  applications.sort((a, b) => (a.firstAt < b.firstAt ? -1 : a.firstAt > b.firstAt ? 1 : 0));
  return {
    window: { from: query.from, to: query.to },
    agency: query.agencySlug ?? null,
    category: query.category ?? null,
    notifyBy: new Date(now.getTime() + 72 * 3_600_000).toISOString(),
    applications,
    counts: { applications: applications.length, people: people.size, withoutAccount, counterFiled },
  };
}
