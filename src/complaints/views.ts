/**
 * What each reader of a complaint sees. The public: the published (redacted) text, where it stands
 * and the agency's answers — never who filed a confidential or anonymous report. The complainant:
 * their own text, every step with the reasons given, and what they can do next. Complaint staff:
 * everything, the identity of a named or confidential complainant included.
 */
import { type SlaView, slaView } from '../applications/sla.ts';
import { calendarFor } from '../calendar/service.ts';
import type { LocalText } from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';
import { PLATFORM_SCOPE } from '../crypto/keyring.ts';
import type { Principal } from '../identity/roles.ts';
import { displayName } from '../identity/service.ts';
import { findRegion } from '../regions/store.ts';
import { actionsFor, type ComplaintActor } from './handling.ts';
import type { ComplaintAction, ComplaintCategory, ComplaintMode, ReportType } from './schemas.ts';
import { identityOf, type Reporter, TIME_ZONE } from './service.ts';
import type { ComplaintRow } from './store.ts';
import * as store from './store.ts';
import { ANSWER_ACTIONS, COMPLAINT_WORKFLOW, complaintState } from './workflow.ts';

export interface StateView {
  key: string;
  label: LocalText;
  terminal: boolean;
}

export interface ComplaintSummary {
  id: string;
  number: string;
  mode: ComplaintMode;
  reportType: ReportType;
  category: ComplaintCategory;
  state: StateView;
  /** The agency it was disposed to, or the one the complainant named. */
  agency: LocalText | null;
  service: LocalText | null;
  region: string | null;
  filedAt: string;
  stateDueAt: string | null;
  closedAt: string | null;
  published: boolean;
}

export interface TimelineEntry {
  at: string;
  kind: 'filed' | 'action' | 'redacted';
  action: { key: string; label: LocalText } | null;
  toState: StateView | null;
  /** Who acted, in general terms; staff see the person too. */
  by: 'complainant' | 'platform' | 'agency' | 'system';
  actorName: string | null;
  comment: string | null;
  /** The agency a disposition named. */
  agency: LocalText | null;
}

export interface ComplainantView extends ComplaintSummary {
  text: string;
  mayPublish: boolean;
  timeline: TimelineEntry[];
  actions: ComplaintAction[];
  appealUsed: boolean;
  autoCloseAt: string | null;
  rowVersion: number;
}

export interface PublicAnswer {
  at: string;
  text: string;
  /** The supervisor's answer to the complainant's appeal. */
  appeal: boolean;
}

export interface PublicView {
  number: string;
  reportType: ReportType;
  category: ComplaintCategory;
  state: StateView;
  agency: LocalText | null;
  service: LocalText | null;
  region: string | null;
  filedAt: string;
  closedAt: string | null;
  text: string;
  answers: PublicAnswer[];
  /** The complainant's name, only for a named report. */
  reporterName: string | null;
}

export interface StaffView extends ComplainantView {
  identity: Reporter | null;
  applicationId: string | null;
  publicText: string | null;
  attachments: Array<{ id: string; mime: string; size: number; createdAt: string }>;
  sla: SlaView;
  agencies: Array<{ slug: string; name: LocalText }>;
  canRedact: boolean;
}

function stateView(key: string): StateView {
  const state = complaintState(key);
  return { key, label: state?.label ?? { id: key, en: key }, terminal: state?.terminal !== undefined };
}

/** Names of the agencies and services a page of complaints refers to, read once. */
export class Names {
  private agencies = new Map<string, LocalText>();
  private services = new Map<string, LocalText>();

  static async of(ctx: AppContext, rows: readonly ComplaintRow[]): Promise<Names> {
    const names = new Names();
    for (const a of await store.listAgencies(ctx.db))
      names.agencies.set(a.id, { id: a.name_id, en: a.name_en });
    const serviceIds = rows.flatMap((r) => (r.service_id ? [r.service_id] : []));
    // Newest version first: the first name seen for a service is its current one.
    for (const s of await store.serviceNames(ctx.db, serviceIds))
      if (!names.services.has(s.service_id))
        names.services.set(s.service_id, { id: s.name_id, en: s.name_en });
    return names;
  }

  agency(id: string | null): LocalText | null {
    return id ? (this.agencies.get(id) ?? null) : null;
  }

  service(id: string | null): LocalText | null {
    return id ? (this.services.get(id) ?? null) : null;
  }
}

export function summaryOf(row: ComplaintRow, names: Names): ComplaintSummary {
  return {
    id: row.id,
    number: row.number,
    mode: row.mode,
    reportType: row.report_type,
    category: row.category,
    state: stateView(row.state),
    agency: names.agency(row.agency_id ?? row.target_agency_id),
    service: names.service(row.service_id),
    region: row.region_code ? (findRegion(row.region_code)?.name ?? row.region_code) : null,
    filedAt: row.created_at,
    stateDueAt: row.state_due_at,
    closedAt: row.closed_at,
    published: row.may_publish === 1 && row.published_at !== null,
  };
}

export async function summariesOf(
  ctx: AppContext,
  rows: readonly ComplaintRow[],
): Promise<ComplaintSummary[]> {
  const names = await Names.of(ctx, rows);
  return rows.map((row) => summaryOf(row, names));
}

/** Whose step an event was, in the words the complainant reads. */
function byOf(role: string): TimelineEntry['by'] {
  if (role === 'complainant') return 'complainant';
  if (role === 'system') return 'system';
  return role === 'complaint_admin' ? 'platform' : 'agency';
}

async function timelineOf(
  ctx: AppContext,
  row: ComplaintRow,
  names: Names,
  reader: 'complainant' | 'staff',
): Promise<TimelineEntry[]> {
  const events = await store.listEvents(ctx.db, row.id);
  const entries: TimelineEntry[] = [];
  for (const e of events) {
    // A correction of the public text is staff business; a return to the admin is between staff.
    if (reader === 'complainant' && e.kind === 'redacted') continue;
    const internal = reader === 'complainant' && e.action === 'return_to_admin';
    const action = e.action ? COMPLAINT_WORKFLOW.actions.find((a) => a.key === e.action) : undefined;
    entries.push({
      at: e.created_at,
      kind: e.kind,
      action: action ? { key: action.key, label: action.label } : null,
      toState: e.to_state ? stateView(e.to_state) : null,
      by: byOf(e.actor_role),
      actorName: reader === 'staff' && e.actor_id ? ((await displayName(ctx, e.actor_id)) ?? null) : null,
      comment:
        e.comment_enc && !internal
          ? await ctx.keyring.decrypt(e.comment_enc, `complaint_events.comment:${e.id}`)
          : null,
      agency: names.agency(e.agency_id),
    });
  }
  return entries;
}

async function complainantViewWith(
  ctx: AppContext,
  row: ComplaintRow,
  actor: ComplaintActor,
  reader: 'complainant' | 'staff',
): Promise<ComplainantView & { names: Names }> {
  await ctx.keyring.prepare([PLATFORM_SCOPE]);
  const names = await Names.of(ctx, [row]);
  return {
    ...summaryOf(row, names),
    text: await ctx.keyring.decrypt(row.text_enc, `complaints.text:${row.id}`),
    mayPublish: row.may_publish === 1,
    timeline: await timelineOf(ctx, row, names, reader),
    actions: actionsFor(actor, row),
    appealUsed: row.appeals > 0,
    autoCloseAt: row.state === 'answered' ? row.auto_close_at : null,
    rowVersion: row.row_version,
    names,
  };
}

/** The complainant's own view (through their account or the number and secret). */
export async function complainantView(ctx: AppContext, row: ComplaintRow): Promise<ComplainantView> {
  const { names: _names, ...view } = await complainantViewWith(
    ctx,
    row,
    { kind: 'complainant', principal: null },
    'complainant',
  );
  return view;
}

/** The published page: the redacted text and the agency's answers; the name only of a named report. */
export async function publicView(ctx: AppContext, row: ComplaintRow): Promise<PublicView> {
  await ctx.keyring.prepare([PLATFORM_SCOPE]);
  const names = await Names.of(ctx, [row]);
  const summary = summaryOf(row, names);
  const answers: PublicAnswer[] = [];
  for (const e of await store.listEvents(ctx.db, row.id)) {
    if (e.kind !== 'action' || !e.action || !ANSWER_ACTIONS.includes(e.action) || !e.comment_enc) continue;
    answers.push({
      at: e.created_at,
      text: await ctx.keyring.decrypt(e.comment_enc, `complaint_events.comment:${e.id}`),
      appeal: e.action === 'answer_appeal',
    });
  }
  const identity = row.mode === 'named' ? await identityOf(ctx, row) : null;
  return {
    number: row.number,
    reportType: summary.reportType,
    category: summary.category,
    state: summary.state,
    agency: summary.agency,
    service: summary.service,
    region: summary.region,
    filedAt: summary.filedAt,
    closedAt: summary.closedAt,
    text: row.public_text_enc
      ? await ctx.keyring.decrypt(row.public_text_enc, `complaints.public_text:${row.id}`)
      : '',
    answers,
    reporterName: identity?.name ?? null,
  };
}

/** Complaint staff's view, with the actions this person may take. */
export async function staffView(
  ctx: AppContext,
  principal: Principal,
  row: ComplaintRow,
): Promise<StaffView> {
  const { names: _names, ...view } = await complainantViewWith(
    ctx,
    row,
    { kind: 'staff', principal },
    'staff',
  );
  const calendar = await calendarFor(ctx, row.agency_id);
  const agencies = await store.listAgencies(ctx.db);
  return {
    ...view,
    identity: await identityOf(ctx, row),
    applicationId: row.application_id,
    publicText: row.public_text_enc
      ? await ctx.keyring.decrypt(row.public_text_enc, `complaints.public_text:${row.id}`)
      : null,
    attachments: (await store.listAttachmentInfo(ctx.db, row.id)).map((a) => ({
      id: a.id,
      mime: a.mime,
      size: a.size,
      createdAt: a.created_at,
    })),
    sla: slaView(
      calendar,
      {
        stage: view.state.terminal ? 'closed' : 'active',
        slaPaused: row.state_due_at === null,
        stateDueAt: row.state_due_at,
        dueAt: null,
      },
      TIME_ZONE,
      new Date(),
    ),
    agencies: agencies.map((a) => ({ slug: a.slug, name: { id: a.name_id, en: a.name_en } })),
    canRedact: row.may_publish === 1,
  };
}
