/**
 * The officer inbox: the active applications of the caller's agencies that the caller's roles can
 * act on (a supervisor sees all of the agency's), with filters, counts and deadline order; and one
 * application's detail for staff, which records every view of personal data in the access log.
 */
import { type ExpressionBuilder, sql } from 'kysely';
import { appendAuditLeaf } from '../audit/log.ts';
import type { AgencyTimeZone, Calendar } from '../calendar/calendar.ts';
import { calendarFor } from '../calendar/service.ts';
import type {
  Classification,
  FormField,
  LocalText,
  ServiceDefinition,
  WorkflowAction,
} from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Database } from '../db/schema.ts';
import { hasRole, INBOX_ROLES, type Principal } from '../identity/roles.ts';
import { displayName } from '../identity/service.ts';
import { DomainError } from '../web/domain-error.ts';
import {
  actionDocumentKey,
  availableActions,
  fromStates,
  IDENTITY_ROLES,
  isAgencyStaff,
  mayTake,
  type RevisionRequest,
  revisionRequestOf,
  visibleRow,
} from './processing.ts';
import { type Answers, type ApplicationRow, agencyOf, answersOf, definitionOf } from './service.ts';
import { dueSoonLimit, type SlaView, slaView } from './sla.ts';
import { readAttachment } from './uploads.ts';

export const INBOX_MAX_PER_PAGE = 100;
const DEFAULT_PER_PAGE = 25;

export type DueFilter = 'due_soon' | 'overdue';

export interface InboxQuery {
  service?: string | undefined;
  state?: string | undefined;
  due?: DueFilter | undefined;
  assigned?: 'me' | 'unassigned' | undefined;
  sort?: 'deadline' | 'submitted' | undefined;
  page?: number | undefined;
  perPage?: number | undefined;
}

export interface InboxItem {
  id: string;
  trackingNumber: string | null;
  service: { slug: string; name: LocalText };
  agencyId: string;
  state: { key: string; label: LocalText };
  submittedAt: string | null;
  dueAt: string | null;
  stateDueAt: string | null;
  sla: SlaView;
  assignedTo: string | null;
  assignedToMe: boolean;
  rowVersion: number;
}

export interface InboxCounts {
  all: number;
  dueSoon: number;
  overdue: number;
  mine: number;
  unassigned: number;
  byState: { key: string; label: LocalText; count: number }[];
  byService: { slug: string; name: LocalText; count: number }[];
}

export interface InboxPage {
  items: InboxItem[];
  total: number;
  page: number;
  perPage: number;
  counts: InboxCounts;
}

/** Published versions never change, so their parsed definitions are kept (bounded). */
const DEFINITIONS = new Map<string, ServiceDefinition>();
const DEFINITION_CACHE_SIZE = 500;

async function cachedDefinition(db: Db, versionId: string): Promise<ServiceDefinition> {
  const cached = DEFINITIONS.get(versionId);
  if (cached) return cached;
  const { definition } = await definitionOf(db, versionId);
  if (DEFINITIONS.size >= DEFINITION_CACHE_SIZE) DEFINITIONS.clear();
  DEFINITIONS.set(versionId, definition);
  return definition;
}

/** The agencies in which the principal works an inbox. */
export function inboxAgencies(principal: Principal): string[] {
  const ids = principal.grants
    .filter((g) => g.agencyId !== null && (INBOX_ROLES as readonly string[]).includes(g.role))
    .map((g) => g.agencyId as string);
  return [...new Set(ids)];
}

/** What part of an agency's applications the principal sees: everything, or some states per version. */
type Scope =
  | { agencyId: string; all: true }
  | { agencyId: string; all: false; versionId: string; states: string[]; unverified: boolean };

type Eb = ExpressionBuilder<Database, 'applications'>;

async function scopesOf(ctx: AppContext, principal: Principal): Promise<Scope[]> {
  const agencies = inboxAgencies(principal);
  const scopes: Scope[] = [];
  const partial = agencies.filter((a) => !hasRole(principal, 'supervisor', a));
  for (const agencyId of agencies) if (!partial.includes(agencyId)) scopes.push({ agencyId, all: true });
  if (partial.length === 0) return scopes;
  const versions = await ctx.db
    .selectFrom('applications')
    .select(['agency_id', 'service_version_id'])
    .distinct()
    .where('agency_id', 'in', partial)
    .where('stage', '=', 'active')
    .limit(2000)
    .execute();
  for (const v of versions) {
    const definition = await cachedDefinition(ctx.db, v.service_version_id);
    const row = { agency_id: v.agency_id, applicant_id: null };
    const states = new Set<string>();
    for (const action of definition.workflow.actions)
      if (mayTake(action, principal, row)) for (const s of fromStates(action)) states.add(s);
    const unverified =
      definition.dataRules.identityAssurance === 'counter_verified' &&
      IDENTITY_ROLES.some((role) => hasRole(principal, role, v.agency_id));
    if (states.size > 0 || unverified)
      scopes.push({
        agencyId: v.agency_id,
        all: false,
        versionId: v.service_version_id,
        states: [...states],
        unverified,
      });
  }
  return scopes;
}

function scopeCondition(eb: Eb, scopes: readonly Scope[]) {
  return eb.or(
    scopes.map((s) => {
      if (s.all) return eb('agency_id', '=', s.agencyId);
      const parts = [];
      if (s.states.length > 0) parts.push(eb('state', 'in', s.states));
      if (s.unverified) parts.push(eb('identity_verified_at', 'is', null));
      return eb.and([
        eb('agency_id', '=', s.agencyId),
        eb('service_version_id', '=', s.versionId),
        eb.or(parts),
      ]);
    }),
  );
}

interface AgencyClock {
  agencyId: string;
  timezone: AgencyTimeZone;
  calendar: Calendar;
  soonLimit: string;
}

async function clocksOf(
  ctx: AppContext,
  agencyIds: readonly string[],
  now: Date,
): Promise<Map<string, AgencyClock>> {
  const clocks = new Map<string, AgencyClock>();
  for (const agencyId of agencyIds) {
    const agency = await agencyOf(ctx.db, agencyId);
    const calendar = await calendarFor(ctx, agencyId);
    clocks.set(agencyId, {
      agencyId,
      timezone: agency.timezone,
      calendar,
      soonLimit: dueSoonLimit(calendar, now, agency.timezone).toISOString(),
    });
  }
  return clocks;
}

function overdueCondition(eb: Eb, now: string) {
  return eb.and([eb('sla_paused', '=', 0), eb.or([eb('state_due_at', '<', now), eb('due_at', '<', now)])]);
}

function dueSoonCondition(eb: Eb, now: string, clocks: Iterable<AgencyClock>) {
  return eb.and([
    eb('sla_paused', '=', 0),
    eb.not(eb.or([eb('state_due_at', '<', now), eb('due_at', '<', now)])),
    eb.or(
      [...clocks].map((c) =>
        eb.and([
          eb('agency_id', '=', c.agencyId),
          eb.or([eb('state_due_at', '<=', c.soonLimit), eb('due_at', '<=', c.soonLimit)]),
        ]),
      ),
    ),
  ]);
}

/** The nearer of the state deadline and the overall deadline. */
const DEADLINE = sql<string>`case when state_due_at is not null and (due_at is null or state_due_at < due_at) then state_due_at else due_at end`;

/** The principal's inbox. Staff without an inbox role anywhere get an empty page. */
export async function listInbox(
  ctx: AppContext,
  principal: Principal,
  query: InboxQuery = {},
): Promise<InboxPage> {
  const perPage = Math.min(Math.max(query.perPage ?? DEFAULT_PER_PAGE, 1), INBOX_MAX_PER_PAGE);
  const page = Math.max(query.page ?? 1, 1);
  const empty: InboxPage = {
    items: [],
    total: 0,
    page,
    perPage,
    counts: { all: 0, dueSoon: 0, overdue: 0, mine: 0, unassigned: 0, byState: [], byService: [] },
  };
  const scopes = await scopesOf(ctx, principal);
  if (scopes.length === 0) return empty;
  const now = new Date();
  const nowText = now.toISOString();
  const clocks = await clocksOf(ctx, [...new Set(scopes.map((s) => s.agencyId))], now);

  const base = ctx.db
    .selectFrom('applications')
    .where('stage', '=', 'active')
    .where((eb) => scopeCondition(eb, scopes));

  let filtered = base;
  if (query.service) {
    const slug = query.service;
    filtered = filtered.where('service_id', 'in', (eb) =>
      eb.selectFrom('services').select('id').where('slug', '=', slug),
    );
  }
  if (query.state) filtered = filtered.where('state', '=', query.state);
  if (query.due === 'overdue') filtered = filtered.where((eb) => overdueCondition(eb, nowText));
  if (query.due === 'due_soon')
    filtered = filtered.where((eb) => dueSoonCondition(eb, nowText, clocks.values()));
  if (query.assigned === 'me') filtered = filtered.where('assigned_to', '=', principal.userId);
  if (query.assigned === 'unassigned') filtered = filtered.where('assigned_to', 'is', null);

  const countOf = async (q: typeof base) =>
    Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);

  const total = await countOf(filtered);
  const rows = await filtered
    .selectAll()
    .orderBy(
      query.sort === 'submitted' ? sql`submitted_at` : DEADLINE,
      query.sort === 'submitted' ? 'desc' : 'asc',
    )
    .orderBy('id')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();

  const byStateRows = await base
    .select(['state', 'service_version_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['state', 'service_version_id'])
    .limit(1000)
    .execute();
  const states = new Map<string, { key: string; label: LocalText; count: number }>();
  const services = new Map<string, { slug: string; name: LocalText; count: number }>();
  for (const r of byStateRows) {
    const definition = await cachedDefinition(ctx.db, r.service_version_id);
    const key = r.state ?? '';
    const label = definition.workflow.states.find((s) => s.key === key)?.label ?? { id: key, en: key };
    const s = states.get(key) ?? { key, label, count: 0 };
    s.count += Number(r.n);
    states.set(key, s);
    const v = services.get(definition.slug) ?? { slug: definition.slug, name: definition.name, count: 0 };
    v.count += Number(r.n);
    services.set(definition.slug, v);
  }

  const items: InboxItem[] = [];
  for (const row of rows) {
    const definition = await cachedDefinition(ctx.db, row.service_version_id);
    const clock = clocks.get(row.agency_id);
    const state = definition.workflow.states.find((s) => s.key === row.state);
    items.push({
      id: row.id,
      trackingNumber: row.tracking_number,
      service: { slug: definition.slug, name: definition.name },
      agencyId: row.agency_id,
      state: { key: row.state ?? '', label: state?.label ?? { id: row.state ?? '', en: row.state ?? '' } },
      submittedAt: row.submitted_at,
      dueAt: row.due_at,
      stateDueAt: row.state_due_at,
      sla: clock
        ? slaView(
            clock.calendar,
            {
              stage: row.stage,
              slaPaused: row.sla_paused === 1,
              stateDueAt: row.state_due_at,
              dueAt: row.due_at,
            },
            clock.timezone,
            now,
          )
        : { state: null, overall: null, paused: false, worst: null },
      assignedTo: row.assigned_to,
      assignedToMe: row.assigned_to === principal.userId,
      rowVersion: row.row_version,
    });
  }

  return {
    items,
    total,
    page,
    perPage,
    counts: {
      all: await countOf(base),
      dueSoon: await countOf(base.where((eb) => dueSoonCondition(eb, nowText, clocks.values()))),
      overdue: await countOf(base.where((eb) => overdueCondition(eb, nowText))),
      mine: await countOf(base.where('assigned_to', '=', principal.userId)),
      unassigned: await countOf(base.where('assigned_to', 'is', null)),
      byState: [...states.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
      byService: [...services.values()].sort((a, b) => b.count - a.count || a.slug.localeCompare(b.slug)),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Detail

export interface DetailField {
  key: string;
  label: LocalText;
  classification: Classification;
  /** False when the caller's roles may not see this specific-data field: its value is withheld. */
  shown: boolean;
  field: FormField;
}

export interface HistoryEntry {
  kind: string;
  action: string | null;
  actionLabel: LocalText | null;
  fromState: string | null;
  toState: string | null;
  actor: string | null;
  comment: string | null;
  flaggedFields: string[];
  attachmentId: string | null;
  at: string;
}

export interface InboxAttachment {
  id: string;
  /** The form field's key, or `_action:<key>` for an officer's document. */
  field: string;
  /** The form field's label, or for an officer's document the action's. */
  label: LocalText;
  classification: Classification;
  /** Uploaded by an officer for a workflow action (not one of the applicant's files). */
  actionDocument: boolean;
  mime: string;
  size: number;
  uploadedAt: string;
  /** False for a file since replaced or never cited by an action: it stays part of the record. */
  current: boolean;
}

export interface InboxDetail {
  id: string;
  trackingNumber: string | null;
  agencyId: string;
  stage: 'draft' | 'active' | 'closed';
  outcome: 'approved' | 'rejected' | 'withdrawn' | null;
  service: { slug: string; name: LocalText; version: number };
  state: { key: string; label: LocalText } | null;
  submittedAt: string | null;
  rowVersion: number;
  assisted: boolean;
  sla: SlaView;
  assignedTo: { id: string; name: string } | null;
  assignedToMe: boolean;
  canClaim: boolean;
  /** Inbox staff of the agency a supervisor may assign to; empty for everyone else. */
  assignees: { id: string; name: string }[];
  identity: { required: boolean; verifiedAt: string | null; canVerify: boolean };
  sections: { key: string; title: LocalText; fields: DetailField[] }[];
  /** Only the answers the caller may see. */
  answers: Answers;
  hiddenFields: string[];
  history: HistoryEntry[];
  /** The files the caller may download (specific-data fields only for the roles named). */
  attachments: InboxAttachment[];
  actions: WorkflowAction[];
  revision: RevisionRequest | undefined;
  definition: ServiceDefinition;
}

/** Whether the principal may see fields classified as specific in this service. */
export function seesSpecific(principal: Principal, definition: ServiceDefinition, agencyId: string): boolean {
  return definition.dataRules.specificFieldRoles.some((role) => hasRole(principal, role, agencyId));
}

/** Removes what the caller may not see; returns the visible answers and the classes and keys shown. */
function redact(definition: ServiceDefinition, answers: Answers, specific: boolean) {
  const visible: Answers = {};
  const hidden: string[] = [];
  const classes = new Set<Classification>();
  const shown: string[] = [];
  for (const field of definition.form.sections.flatMap((s) => s.fields)) {
    if (!(field.key in answers)) continue;
    if (field.classification === 'specific' && !specific) {
      hidden.push(field.key);
      continue;
    }
    let value = answers[field.key];
    if (field.type === 'group' && Array.isArray(value)) {
      const inner = field.fields
        .filter((f) => f.classification === 'specific' && !specific)
        .map((f) => f.key);
      if (inner.length > 0) {
        value = value.map((item: unknown) =>
          typeof item === 'object' && item !== null
            ? Object.fromEntries(Object.entries(item).filter(([k]) => !inner.includes(k)))
            : item,
        );
        hidden.push(...inner.map((k) => `${field.key}.${k}`));
      }
      for (const f of field.fields) if (!inner.includes(f.key)) classes.add(f.classification);
    }
    visible[field.key] = value;
    classes.add(field.classification);
    shown.push(field.key);
  }
  return { visible, hidden, classes: [...classes].filter((c) => c !== 'public'), shown };
}

const ACTION_PREFIX = actionDocumentKey('');

/**
 * What an attachment is filed under: its form field (inside a group, the stricter of the group's
 * and the field's class) or the action an officer's document belongs to. A key the form does not
 * know is treated as specific, so nothing is shown by mistake.
 */
function attachmentFieldOf(
  definition: ServiceDefinition,
  key: string,
): { label: LocalText; classification: Classification; actionDocument: boolean } {
  if (key.startsWith(ACTION_PREFIX)) {
    const action = definition.workflow.actions.find((a) => a.key === key.slice(ACTION_PREFIX.length));
    return { label: action?.label ?? { id: key, en: key }, classification: 'personal', actionDocument: true };
  }
  for (const field of definition.form.sections.flatMap((s) => s.fields)) {
    if (field.key === key)
      return { label: field.label, classification: field.classification, actionDocument: false };
    if (field.type !== 'group') continue;
    const inner = field.fields.find((f) => f.key === key);
    if (inner)
      return {
        label: inner.label,
        classification: field.classification === 'specific' ? 'specific' : inner.classification,
        actionDocument: false,
      };
  }
  return { label: { id: key, en: key }, classification: 'specific', actionDocument: false };
}

/** The upload ids the answers hold now (file fields, also inside repeating groups). */
function citedUploads(definition: ServiceDefinition, answers: Answers): Set<string> {
  const ids = new Set<string>();
  const add = (value: unknown) => {
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') ids.add(v);
  };
  for (const field of definition.form.sections.flatMap((s) => s.fields)) {
    if (field.type === 'file') add(answers[field.key]);
    if (field.type !== 'group' || !Array.isArray(answers[field.key])) continue;
    for (const item of answers[field.key] as unknown[])
      if (typeof item === 'object' && item !== null)
        for (const inner of field.fields)
          if (inner.type === 'file') add((item as Record<string, unknown>)[inner.key]);
  }
  return ids;
}

const MAX_ATTACHMENTS_LISTED = 500;

async function attachmentsOf(
  ctx: AppContext,
  row: ApplicationRow,
  definition: ServiceDefinition,
  answers: Answers,
  history: readonly HistoryEntry[],
  specific: boolean,
): Promise<InboxAttachment[]> {
  const rows = await ctx.db
    .selectFrom('attachments')
    .select(['id', 'field_key', 'mime', 'size', 'created_at'])
    .where('application_id', '=', row.id)
    .orderBy('created_at')
    .orderBy('id')
    .limit(MAX_ATTACHMENTS_LISTED)
    .execute();
  const cited = citedUploads(definition, answers);
  for (const e of history) if (e.attachmentId) cited.add(e.attachmentId);
  const items: InboxAttachment[] = [];
  for (const r of rows) {
    const field = attachmentFieldOf(definition, r.field_key);
    if (field.classification === 'specific' && !specific) continue;
    items.push({
      id: r.id,
      field: r.field_key,
      ...field,
      mime: r.mime,
      size: Number(r.size),
      uploadedAt: r.created_at,
      current: cited.has(r.id),
    });
  }
  return items;
}

async function namesOf(ctx: AppContext, ids: Iterable<string>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(ids)) names.set(id, (await displayName(ctx, id)) ?? '—');
  return names;
}

async function historyOf(
  ctx: AppContext,
  row: ApplicationRow,
  definition: ServiceDefinition,
): Promise<HistoryEntry[]> {
  const events = await ctx.db
    .selectFrom('application_events')
    .selectAll()
    .where('application_id', '=', row.id)
    .orderBy('created_at')
    .orderBy('id')
    .limit(1000)
    .execute();
  const names = await namesOf(
    ctx,
    events.flatMap((e) => (e.actor_id ? [e.actor_id] : [])),
  );
  const entries: HistoryEntry[] = [];
  for (const e of events) {
    const parsed: unknown = e.flagged_fields ? JSON.parse(e.flagged_fields) : [];
    entries.push({
      kind: e.kind,
      action: e.action,
      actionLabel: definition.workflow.actions.find((a) => a.key === e.action)?.label ?? null,
      fromState: e.from_state,
      toState: e.to_state,
      actor: e.actor_id ? (names.get(e.actor_id) ?? null) : null,
      comment: e.comment_enc
        ? await ctx.keyring.decrypt(e.comment_enc, `application_events.comment:${e.id}`)
        : null,
      flaggedFields: Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : [],
      attachmentId: e.attachment_id,
      at: e.created_at,
    });
  }
  return entries;
}

async function assigneesOf(ctx: AppContext, agencyId: string): Promise<{ id: string; name: string }[]> {
  const grants = await ctx.db
    .selectFrom('role_grants')
    .select('user_id')
    .distinct()
    .where('agency_id', '=', agencyId)
    .where('role', 'in', [...INBOX_ROLES])
    .where('revoked_at', 'is', null)
    .limit(500)
    .execute();
  const names = await namesOf(
    ctx,
    grants.map((g) => g.user_id),
  );
  return [...names].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Records that staff saw an application's data: a row of the citizen's access log and, in the same
 * transaction, a leaf of the public audit log (which names the classes and the field keys, never
 * their values).
 */
async function recordAccess(
  ctx: AppContext,
  principal: Principal,
  row: ApplicationRow,
  classes: string,
  fields: readonly string[],
): Promise<void> {
  const at = Date.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('access_log')
      .values({
        id: newId(at),
        application_id: row.id,
        viewer_id: principal.userId,
        classes,
        fields: JSON.stringify(fields),
        viewed_at: nowIso(at),
      })
      .execute();
    await appendAuditLeaf(
      trx,
      {
        type: 'application.data_viewed',
        actorId: principal.userId,
        agencyId: row.agency_id,
        subjectId: row.id,
        facts: { classes, fields: fields.join(',') },
      },
      at,
    );
  });
}

/**
 * One application for agency staff: answers (specific fields only for the roles the definition
 * names), history, SLA and the actions the caller may take. Every call writes an access-log row
 * naming the viewer and the classes and fields shown.
 */
export async function getInboxDetail(
  ctx: AppContext,
  principal: Principal,
  id: string,
): Promise<InboxDetail> {
  const row = await visibleRow(ctx, principal, id);
  if (!isAgencyStaff(principal, row.agency_id) || row.stage === 'draft') throw new DomainError('not_found');
  const { definition, version } = await definitionOf(ctx.db, row.service_version_id);
  const agency = await agencyOf(ctx.db, row.agency_id);
  const calendar = await calendarFor(ctx, agency.id);
  const specific = seesSpecific(principal, definition, agency.id);
  const answers = await answersOf(ctx, row);
  const redacted = redact(definition, answers, specific);
  await recordAccess(ctx, principal, row, redacted.classes.sort().join(','), redacted.shown);
  const state = definition.workflow.states.find((s) => s.key === row.state);
  const assignedName = row.assigned_to
    ? (await namesOf(ctx, [row.assigned_to])).get(row.assigned_to)
    : undefined;
  const isSupervisor = hasRole(principal, 'supervisor', agency.id);
  const history = await historyOf(ctx, row, definition);
  return {
    id: row.id,
    trackingNumber: row.tracking_number,
    agencyId: row.agency_id,
    stage: row.stage,
    outcome: row.outcome,
    service: { slug: definition.slug, name: definition.name, version },
    state: state ? { key: state.key, label: state.label } : null,
    submittedAt: row.submitted_at,
    rowVersion: row.row_version,
    assisted: row.assisted_by !== null,
    sla: slaView(
      calendar,
      { stage: row.stage, slaPaused: row.sla_paused === 1, stateDueAt: row.state_due_at, dueAt: row.due_at },
      agency.timezone,
      new Date(),
    ),
    assignedTo: row.assigned_to ? { id: row.assigned_to, name: assignedName ?? '—' } : null,
    assignedToMe: row.assigned_to === principal.userId,
    canClaim: row.stage === 'active' && row.assigned_to === null,
    assignees: isSupervisor && row.stage === 'active' ? await assigneesOf(ctx, agency.id) : [],
    identity: {
      required: definition.dataRules.identityAssurance === 'counter_verified',
      verifiedAt: row.identity_verified_at,
      canVerify:
        row.stage === 'active' &&
        row.identity_verified_at === null &&
        definition.dataRules.identityAssurance === 'counter_verified' &&
        IDENTITY_ROLES.some((role) => hasRole(principal, role, agency.id)),
    },
    sections: definition.form.sections.map((s) => ({
      key: s.key,
      title: s.title,
      fields: s.fields.map((f) => ({
        key: f.key,
        label: f.label,
        classification: f.classification,
        shown: f.classification !== 'specific' || specific,
        field: f,
      })),
    })),
    answers: redacted.visible,
    hiddenFields: redacted.hidden,
    history,
    attachments: await attachmentsOf(ctx, row, definition, answers, history, specific),
    actions: availableActions(definition, row.state, principal, row),
    revision: await revisionRequestOf(ctx, row),
    definition,
  };
}

/**
 * One attachment's content for agency staff who may see the application — a file of a specific-data
 * field only for the roles the definition names — checked against its recorded hash. Every
 * download writes an access-log row naming the class and the field.
 */
export async function getInboxAttachment(
  ctx: AppContext,
  principal: Principal,
  applicationId: string,
  attachmentId: string,
): Promise<{ mime: string; bytes: Buffer; field: string }> {
  const row = await visibleRow(ctx, principal, applicationId);
  if (!isAgencyStaff(principal, row.agency_id) || row.stage === 'draft') throw new DomainError('not_found');
  const stored = await ctx.db
    .selectFrom('attachments')
    .select(['id', 'field_key'])
    .where('id', '=', attachmentId)
    .where('application_id', '=', row.id)
    .executeTakeFirst();
  if (!stored) throw new DomainError('not_found');
  const definition = await cachedDefinition(ctx.db, row.service_version_id);
  const { classification } = attachmentFieldOf(definition, stored.field_key);
  if (classification === 'specific' && !seesSpecific(principal, definition, row.agency_id))
    throw new DomainError('not_found');
  const file = await readAttachment(ctx, row.id, stored.id);
  await recordAccess(ctx, principal, row, classification === 'public' ? '' : classification, [
    stored.field_key,
  ]);
  return { ...file, field: stored.field_key };
}
