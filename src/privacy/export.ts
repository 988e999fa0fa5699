/**
 * "Export my data" (UU 27/2022 art. 7 and 13): everything the platform holds about the citizen's
 * account, their applications with their answers decrypted, the history, attachments (described,
 * not included), notifications, consent records, requests and the access log. Applications that
 * merely carry the citizen's NIK are listed without their answers: those belong to another person's
 * filing and name other people too.
 */
import { definitionOf } from '../applications/service.ts';
import type { LocalText, ServiceDefinition } from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';
import type { Principal } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import { type AccessEntry, applicationsAbout, listAccessLog } from './access.ts';
import { type ConsentRecord, listConsents, SUBMISSION_PURPOSE } from './consent.ts';
import { listMyRequests, type MyRequest } from './requests.ts';
import * as store from './store.ts';

export interface ExportedApplication {
  id: string;
  trackingNumber: string | null;
  service: { slug: string; name: LocalText; version: number };
  agency: LocalText;
  stage: 'draft' | 'active' | 'closed';
  state: { key: string; label: LocalText } | null;
  outcome: string | null;
  createdAt: string;
  submittedAt: string | null;
  closedAt: string | null;
  consentVersion: string | null;
  restrictedUntil: string | null;
  restricted: boolean;
  erasedAt: string | null;
  answers: Record<string, unknown>;
  history: {
    kind: 'created' | 'submitted' | 'action' | 'revised' | 'identity_verified';
    action: string | null;
    fromState: string | null;
    toState: string | null;
    comment: string | null;
    at: string;
  }[];
  attachments: { field: string; mime: string; size: number; createdAt: string }[];
  /** Kept for the readable page (labels and sections); not part of the JSON download. */
  definition?: ServiceDefinition;
}

export interface MyDataExport {
  generatedAt: string;
  account: {
    id: string;
    kind: 'citizen' | 'staff';
    name: string;
    email: string | null;
    phone: string | null;
    /** Only the last four digits: the whole number is never shown again once registered. */
    nik: string | null;
    status: string;
    createdAt: string;
  };
  applications: ExportedApplication[];
  /** Applications filed by others that carry the citizen's NIK. */
  subjectOf: {
    trackingNumber: string | null;
    service: LocalText;
    agency: LocalText;
    submittedAt: string | null;
  }[];
  notifications: {
    channel: string;
    subject: string;
    body: string;
    createdAt: string;
    sentAt: string | null;
    readAt: string | null;
  }[];
  consents: ConsentRecord[];
  requests: MyRequest[];
  accessLog: AccessEntry[];
}

export function maskNik(nik: string): string {
  return `${'•'.repeat(Math.max(nik.length - 4, 0))}${nik.slice(-4)}`;
}

function parseObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export async function exportMyData(
  ctx: AppContext,
  citizen: Principal,
  options: { withDefinitions?: boolean } = {},
): Promise<MyDataExport> {
  const user = await ctx.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', citizen.userId)
    .executeTakeFirst();
  if (!user) throw new DomainError('not_found');
  const dec = (value: string | null, context: string) =>
    value === null ? Promise.resolve(null) : ctx.keyring.decrypt(value, context);
  const nik = await dec(user.nik_enc, 'users.nik');

  const about = await applicationsAbout(ctx, citizen.userId);
  const rows = await store.applicationRows(ctx.db, [...about.own, ...about.subjectOf]);
  const states = new Map(
    (
      await store.privacyStateOf(
        ctx.db,
        rows.map((r) => r.id),
      )
    ).map((s) => [s.application_id, s]),
  );
  const agencies = new Map(
    (
      await ctx.db
        .selectFrom('agencies')
        .select(['id', 'name_id', 'name_en'])
        .where('id', 'in', rows.length > 0 ? [...new Set(rows.map((r) => r.agency_id))] : [''])
        .execute()
    ).map((a) => [a.id, { id: a.name_id, en: a.name_en }]),
  );
  const own = new Set(about.own);
  const applications: ExportedApplication[] = [];
  const subjectOf: MyDataExport['subjectOf'] = [];
  for (const row of rows) {
    const { definition, version } = await definitionOf(ctx.db, row.service_version_id);
    const agency = agencies.get(row.agency_id) ?? { id: '', en: '' };
    if (!own.has(row.id)) {
      if (row.stage !== 'draft')
        subjectOf.push({
          trackingNumber: row.tracking_number,
          service: definition.name,
          agency,
          submittedAt: row.submitted_at,
        });
      continue;
    }
    const state = definition.workflow.states.find((s) => s.key === row.state);
    const events = await store.eventsOf(ctx.db, row.id);
    const history = [];
    for (const e of events)
      history.push({
        kind: e.kind,
        action: e.action,
        fromState: e.from_state,
        toState: e.to_state,
        comment: await dec(e.comment_enc, `application_events.comment:${e.id}`),
        at: e.created_at,
      });
    const privacy = states.get(row.id);
    applications.push({
      id: row.id,
      trackingNumber: row.tracking_number,
      service: { slug: definition.slug, name: definition.name, version },
      agency,
      stage: row.stage,
      state: state ? { key: state.key, label: state.label } : null,
      outcome: row.outcome,
      createdAt: row.created_at,
      submittedAt: row.submitted_at,
      closedAt: row.closed_at,
      consentVersion: row.consent_version,
      restricted: Boolean(privacy?.restricted_at) && !privacy?.erased_at,
      restrictedUntil: privacy?.restricted_until ?? null,
      erasedAt: privacy?.erased_at ?? null,
      answers: parseObject(await ctx.keyring.decrypt(row.answers_enc, `applications.answers:${row.id}`)),
      history,
      attachments: (await store.attachmentsOf(ctx.db, row.id)).map((a) => ({
        field: a.field_key,
        mime: a.mime,
        size: a.size,
        createdAt: a.created_at,
      })),
      ...(options.withDefinitions ? { definition } : {}),
    });
  }

  const notifications: MyDataExport['notifications'] = [];
  for (const n of await store.notificationsOf(ctx.db, citizen.userId))
    notifications.push({
      channel: n.channel,
      subject: await ctx.keyring.decrypt(n.subject_enc, 'notifications.subject'),
      body: await ctx.keyring.decrypt(n.body_enc, 'notifications.body'),
      createdAt: n.created_at,
      sentAt: n.sent_at,
      readAt: n.read_at,
    });

  return {
    generatedAt: new Date().toISOString(),
    account: {
      id: user.id,
      kind: user.kind,
      name: await ctx.keyring.decrypt(user.name_enc, 'users.name'),
      email: await dec(user.email_enc, 'users.email'),
      phone: await dec(user.phone_enc, 'users.phone'),
      nik: nik === null ? null : maskNik(nik),
      status: user.status,
      createdAt: user.created_at,
    },
    applications,
    subjectOf,
    notifications,
    consents: withSubmissionConsents(await listConsents(ctx, citizen.userId), applications),
    requests: await listMyRequests(ctx, citizen),
    accessLog: await listAccessLog(ctx, citizen),
  };
}

/**
 * Applications filed before consent records existed still carry the version accepted on their
 * row; those are listed as records too, so the export shows every consent given.
 */
function withSubmissionConsents(
  records: ConsentRecord[],
  applications: ExportedApplication[],
): ConsentRecord[] {
  const recorded = new Set(records.map((r) => r.applicationId).filter((id) => id !== null));
  const implied: ConsentRecord[] = applications
    .filter((a) => a.consentVersion !== null && a.submittedAt !== null && !recorded.has(a.id))
    .map((a) => ({
      purpose: SUBMISSION_PURPOSE,
      version: a.consentVersion as string,
      applicationId: a.id,
      givenAt: a.submittedAt as string,
      withdrawnAt: null,
    }));
  return [...records, ...implied].sort((a, b) =>
    a.givenAt < b.givenAt ? 1 : a.givenAt > b.givenAt ? -1 : 0,
  );
}
