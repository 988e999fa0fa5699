/**
 * "Who accessed my data": every time staff opened an application the citizen filed, or an
 * application that carries the citizen's NIK (they are its subject), with who, in which role and
 * agency, which classes of data and when.
 */
import type { Dpo } from '../agencies/schemas.ts';
import { listAgencies } from '../agencies/service.ts';
import type { LocalText } from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';
import { isAgencyRole, type Principal, type StaffRole } from '../identity/roles.ts';
import { displayName } from '../identity/service.ts';
import * as store from './store.ts';

export type ViewedClass = 'personal' | 'specific';

export interface AccessEntry {
  id: string;
  applicationId: string;
  trackingNumber: string | null;
  /** Whether the citizen filed the application or is a person it is about. */
  relation: 'applicant' | 'subject';
  service: LocalText;
  agency: LocalText;
  /** The agency's time zone, to say "when" in the time the office keeps. */
  timezone: string;
  viewer: { name: string; roles: StaffRole[] };
  classes: ViewedClass[];
  viewedAt: string;
}

function viewedClasses(text: string): ViewedClass[] {
  return text.split(',').filter((c): c is ViewedClass => c === 'personal' || c === 'specific');
}

/** The roles a staff member held in the agency at a moment (a grant revoked since still counts then). */
function rolesAt(grants: { role: string; created_at: string; revoked_at: string | null }[], at: string) {
  const held = grants.filter((g) => g.created_at <= at && (g.revoked_at === null || g.revoked_at > at));
  const roles = (held.length > 0 ? held : grants).map((g) => g.role).filter(isAgencyRole);
  return [...new Set(roles)];
}

/** Which applications a citizen's rights reach: their own, and those that carry their NIK. */
export async function applicationsAbout(ctx: AppContext, userId: string) {
  return store.applicationIdsAbout(ctx.db, userId, await store.nikIndexOfUser(ctx.db, userId));
}

export async function listAccessLog(ctx: AppContext, citizen: Principal): Promise<AccessEntry[]> {
  const about = await applicationsAbout(ctx, citizen.userId);
  const own = new Set(about.own);
  const rows = await store.accessRowsOf(ctx.db, [...about.own, ...about.subjectOf]);
  const names = new Map<string, string>();
  const grants = new Map<string, Awaited<ReturnType<typeof store.grantsIn>>>();
  const entries: AccessEntry[] = [];
  for (const row of rows) {
    let name = names.get(row.viewer_id);
    if (name === undefined) {
      name = (await displayName(ctx, row.viewer_id)) ?? '—';
      names.set(row.viewer_id, name);
    }
    const grantKey = `${row.viewer_id}/${row.agency_id}`;
    let held = grants.get(grantKey);
    if (!held) {
      held = await store.grantsIn(ctx.db, row.viewer_id, row.agency_id);
      grants.set(grantKey, held);
    }
    entries.push({
      id: row.id,
      applicationId: row.application_id,
      trackingNumber: row.tracking_number,
      relation: own.has(row.application_id) ? 'applicant' : 'subject',
      service: { id: row.service_name_id, en: row.service_name_en },
      agency: { id: row.agency_name_id, en: row.agency_name_en },
      timezone: row.timezone,
      viewer: { name, roles: rolesAt(held, row.viewed_at) },
      classes: viewedClasses(row.classes),
      viewedAt: row.viewed_at,
    });
  }
  return entries;
}

export interface DataOfficer {
  agency: LocalText;
  /** Null while the agency has not appointed one. */
  dpo: Dpo | null;
}

/** The data protection officers of the agencies that hold an application the citizen's rights reach. */
export async function dataOfficersOf(ctx: AppContext, citizen: Principal): Promise<DataOfficer[]> {
  const about = await applicationsAbout(ctx, citizen.userId);
  const rows = await store.applicationRows(ctx.db, [...about.own, ...about.subjectOf]);
  const held = new Set(rows.map((r) => r.agency_id));
  return (await listAgencies(ctx)).filter((a) => held.has(a.id)).map((a) => ({ agency: a.name, dpo: a.dpo }));
}
