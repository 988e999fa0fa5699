/**
 * The citizen's requests about their data: correction (handled by the agency's admin) and deletion
 * (decided at once per application: data past its retention period is erased, data still under it
 * is restricted and the citizen is told until when — UU 27/2022 art. 8, 16 and 43).
 */

import { definitionOf, scopeOf } from '../applications/service.ts';
import { appendAuditLeaf } from '../audit/log.ts';
import type { LocalText } from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';
import { PLATFORM_SCOPE } from '../crypto/keyring.ts';
import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { checkPassword } from '../identity/passwords.ts';
import { hasRole, type Principal } from '../identity/roles.ts';
import { displayName } from '../identity/service.ts';
import { anonymiseUser, findUserById } from '../identity/store.ts';
import { DomainError, FieldErrors } from '../web/domain-error.ts';
import { applicationsAbout } from './access.ts';
import * as store from './store.ts';

export const MIN_DETAILS_CHARS = 10;
export const MAX_DETAILS_CHARS = 2000;
export const MAX_NOTE_CHARS = 2000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The end of an application's retention period: its closing plus the service's years. */
export function retentionEnd(closedAt: string, years: number): string {
  const end = new Date(closedAt);
  end.setUTCFullYear(end.getUTCFullYear() + years);
  return end.toISOString();
}

// Correction ------------------------------------------------------------------------------------

export interface CorrectableApplication {
  id: string;
  trackingNumber: string | null;
  service: LocalText;
  relation: 'applicant' | 'subject';
}

/** Filed applications the citizen may ask to correct: their own and those carrying their NIK. */
export async function correctableApplications(
  ctx: AppContext,
  citizen: Principal,
): Promise<CorrectableApplication[]> {
  const about = await applicationsAbout(ctx, citizen.userId);
  const own = new Set(about.own);
  const rows = await store.applicationRows(ctx.db, [...about.own, ...about.subjectOf]);
  const erased = new Set(
    (
      await store.privacyStateOf(
        ctx.db,
        rows.map((r) => r.id),
      )
    )
      .filter((s) => s.erased_at)
      .map((s) => s.application_id),
  );
  const out: CorrectableApplication[] = [];
  for (const row of rows) {
    if (row.stage === 'draft' || erased.has(row.id)) continue;
    const { definition } = await definitionOf(ctx.db, row.service_version_id);
    out.push({
      id: row.id,
      trackingNumber: row.tracking_number,
      service: definition.name,
      relation: own.has(row.id) ? 'applicant' : 'subject',
    });
  }
  return out;
}

/**
 * Asks the agency to correct an application the citizen filed or is a subject of. What is wrong is
 * personal data itself, so it is kept encrypted under the agency's key.
 */
export async function requestCorrection(
  ctx: AppContext,
  citizen: Principal,
  input: { applicationId: string; details: string },
): Promise<{ id: string }> {
  const details = input.details.trim();
  const about = await applicationsAbout(ctx, citizen.userId);
  const allowed = new Set([...about.own, ...about.subjectOf]);
  const problems = [];
  if (!UUID.test(input.applicationId) || !allowed.has(input.applicationId))
    problems.push({
      field: 'applicationId',
      code: 'required',
      message: {
        id: 'Pilih permohonan yang datanya perlu diperbaiki.',
        en: 'Choose the application whose data needs correcting.',
      },
    });
  if (details.length < MIN_DETAILS_CHARS || details.length > MAX_DETAILS_CHARS)
    problems.push({
      field: 'details',
      code: details.length === 0 ? 'required' : 'length',
      message: {
        id: `Tuliskan data mana yang salah dan seharusnya bagaimana (${MIN_DETAILS_CHARS}–${MAX_DETAILS_CHARS} karakter).`,
        en: `Say which data is wrong and what it should be (${MIN_DETAILS_CHARS}–${MAX_DETAILS_CHARS} characters).`,
      },
    });
  if (problems.length > 0) throw new FieldErrors(problems);
  const application = await ctx.db
    .selectFrom('applications')
    .select(['id', 'agency_id', 'stage'])
    .where('id', '=', input.applicationId)
    .executeTakeFirst();
  if (!application || application.stage === 'draft') throw new DomainError('not_found');
  const scope = scopeOf(application.agency_id);
  await ctx.keyring.prepare([scope]);
  const id = newId();
  await ctx.db.transaction().execute(async (trx) => {
    await store.insertRequest(trx, {
      id,
      kind: 'correction',
      user_id: citizen.userId,
      agency_id: application.agency_id,
      application_id: application.id,
      details_enc: ctx.keyring.encrypt(scope, details, `privacy_requests.details:${id}`),
      outcome: null,
      status: 'open',
      created_at: nowIso(),
      handled_by: null,
      handled_at: null,
      note_enc: null,
    });
    await appendAuditLeaf(trx, {
      type: 'privacy.correction_requested',
      actorId: citizen.userId,
      agencyId: application.agency_id,
      subjectId: application.id,
      facts: { request: id },
    });
  });
  return { id };
}

export interface AgencyRequest {
  id: string;
  status: 'open' | 'handled';
  trackingNumber: string | null;
  service: LocalText;
  requester: string;
  details: string;
  createdAt: string;
  handledBy: string | null;
  handledAt: string | null;
  note: string | null;
}

function adminAgencies(principal: Principal): string[] {
  return principal.grants
    .filter((g) => g.role === 'agency_admin' && g.agencyId !== null)
    .map((g) => g.agencyId as string);
}

async function decryptOrNull(ctx: AppContext, value: string | null, context: string): Promise<string | null> {
  return value === null ? null : ctx.keyring.decrypt(value, context);
}

/** The correction requests of the agencies the caller administers, open ones first. */
export async function listAgencyRequests(ctx: AppContext, admin: Principal): Promise<AgencyRequest[]> {
  const rows = await store.requestsOfAgencies(ctx.db, adminAgencies(admin));
  const names = new Map<string, string>();
  const nameOf = async (id: string) => {
    let name = names.get(id);
    if (name === undefined) {
      name = (await displayName(ctx, id)) ?? '—';
      names.set(id, name);
    }
    return name;
  };
  const out: AgencyRequest[] = [];
  for (const r of rows) {
    out.push({
      id: r.id,
      status: r.status,
      trackingNumber: r.tracking_number,
      service: { id: r.service_name_id, en: r.service_name_en },
      requester: await nameOf(r.user_id),
      // Erasure removes what the citizen wrote with the rest of the application's personal data.
      details: (await decryptOrNull(ctx, r.details_enc, `privacy_requests.details:${r.id}`)) ?? '',
      createdAt: r.created_at,
      handledBy: r.handled_by ? await nameOf(r.handled_by) : null,
      handledAt: r.handled_at,
      note: await decryptOrNull(ctx, r.note_enc, `privacy_requests.note:${r.id}`),
    });
  }
  return out;
}

/** The agency admin marks a correction request handled, with a note for the citizen. */
export async function markRequestHandled(
  ctx: AppContext,
  admin: Principal,
  id: string,
  noteText: string,
): Promise<void> {
  const row = UUID.test(id) ? await store.findRequest(ctx.db, id) : undefined;
  // Admins of other agencies learn nothing about the request, not even that it exists.
  if (row?.kind !== 'correction' || !hasRole(admin, 'agency_admin', row.agency_id))
    throw new DomainError('not_found');
  const note = noteText.trim();
  if (note.length > MAX_NOTE_CHARS)
    throw new FieldErrors([
      {
        field: 'note',
        code: 'length',
        message: {
          id: `Catatan paling banyak ${MAX_NOTE_CHARS} karakter.`,
          en: `The note can be at most ${MAX_NOTE_CHARS} characters.`,
        },
      },
    ]);
  if (row.status === 'handled') return;
  const scope = scopeOf(row.agency_id);
  await ctx.keyring.prepare([scope]);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('privacy_requests')
      .set({
        status: 'handled',
        handled_by: admin.userId,
        handled_at: nowIso(),
        note_enc: note === '' ? null : ctx.keyring.encrypt(scope, note, `privacy_requests.note:${id}`),
      })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .execute();
    await appendAuditLeaf(trx, {
      type: 'privacy.request_handled',
      actorId: admin.userId,
      agencyId: row.agency_id,
      subjectId: row.application_id,
      facts: { request: id },
    });
  });
}

export interface MyRequest {
  id: string;
  kind: 'correction' | 'deletion';
  status: 'open' | 'handled';
  outcome: string | null;
  trackingNumber: string | null;
  service: LocalText;
  createdAt: string;
  handledAt: string | null;
  note: string | null;
}

export async function listMyRequests(ctx: AppContext, citizen: Principal): Promise<MyRequest[]> {
  const rows = await store.requestsOfUser(ctx.db, citizen.userId);
  const out: MyRequest[] = [];
  for (const r of rows)
    out.push({
      id: r.id,
      kind: r.kind,
      status: r.status,
      outcome: r.outcome,
      trackingNumber: r.tracking_number,
      service: { id: r.service_name_id, en: r.service_name_en },
      createdAt: r.created_at,
      handledAt: r.handled_at,
      note: await decryptOrNull(ctx, r.note_enc, `privacy_requests.note:${r.id}`),
    });
  return out;
}

// Deletion --------------------------------------------------------------------------------------

export type DeletionOutcome =
  | { kind: 'erased' }
  | { kind: 'already_erased' }
  /** A draft never filed: nothing obliges keeping it, so it is removed whole. */
  | { kind: 'discarded' }
  /** Kept under retention; `until` is null while the application is open (its period starts at closing). */
  | { kind: 'restricted'; until: string | null; years: number; basis: string };

export interface DeletionResult {
  applicationId: string;
  trackingNumber: string | null;
  service: LocalText;
  outcome: DeletionOutcome;
}

/**
 * A deletion request: decided per application the citizen filed. A subject who did not file an
 * application cannot have it erased (the applicant and the other people in it rely on it); they
 * can ask for a correction instead.
 */
export async function requestDeletion(
  ctx: AppContext,
  citizen: Principal,
  now = new Date(),
): Promise<DeletionResult[]> {
  const rows = await store.applicationRows(ctx.db, (await applicationsAbout(ctx, citizen.userId)).own);
  const states = new Map(
    (
      await store.privacyStateOf(
        ctx.db,
        rows.map((r) => r.id),
      )
    ).map((s) => [s.application_id, s]),
  );
  const results: DeletionResult[] = [];
  for (const row of rows) {
    const { definition } = await definitionOf(ctx.db, row.service_version_id);
    const base = { applicationId: row.id, trackingNumber: row.tracking_number, service: definition.name };
    const { years, basis } = definition.dataRules.retention;
    const at = now.toISOString();
    if (states.get(row.id)?.erased_at) {
      results.push({ ...base, outcome: { kind: 'already_erased' } });
    } else if (row.stage === 'draft') {
      await discardDraft(ctx, citizen, row.id, row.agency_id);
      results.push({ ...base, outcome: { kind: 'discarded' } });
    } else if (row.stage === 'closed' && row.closed_at && retentionEnd(row.closed_at, years) <= at) {
      await eraseApplication(ctx, citizen, row, at);
      results.push({ ...base, outcome: { kind: 'erased' } });
    } else {
      const until = row.stage === 'closed' && row.closed_at ? retentionEnd(row.closed_at, years) : null;
      await restrictApplication(ctx, citizen, row, until, at);
      results.push({ ...base, outcome: { kind: 'restricted', until, years, basis } });
    }
  }
  return results;
}

/**
 * Closing an account: the deletion request for every application first (erased, discarded or
 * restricted under retention, as {@link requestDeletion} decides), then the account itself becomes
 * an anonymous tombstone — no name, contacts or NIK, no way to sign in — and every session ends.
 * Applications kept under retention stay with the agency and can still be tracked by number and
 * secret. The password is asked again because this cannot be undone.
 */
export async function closeAccount(
  ctx: AppContext,
  citizen: Principal,
  password: string,
  now = new Date(),
): Promise<DeletionResult[]> {
  const user = await findUserById(ctx.db, citizen.userId);
  if (user?.kind !== 'citizen' || !(await checkPassword(user.password_hash, password)))
    throw new FieldErrors([
      {
        field: 'password',
        code: 'invalid',
        message: {
          id: 'Kata sandi tidak cocok. Akun belum ditutup.',
          en: 'The password does not match. The account is still open.',
        },
      },
    ]);
  const results = await requestDeletion(ctx, citizen, now);
  const at = now.toISOString();
  const salted = await store.saltedLeavesAbout(ctx.db, citizen.userId);
  const emptyName = ctx.keyring.encrypt(PLATFORM_SCOPE, '', 'users.name');
  await ctx.db.transaction().execute(async (trx) => {
    await anonymiseUser(trx, citizen.userId, emptyName, at);
    // The public log can no longer confirm a guess of what the account's events committed to.
    if (salted.length > 0) await trx.deleteFrom('audit_salts').where('leaf_id', 'in', salted).execute();
    await store.forgetNotificationsOf(trx, citizen.userId, {
      subject: ctx.keyring.encrypt(PLATFORM_SCOPE, '', 'notifications.subject'),
      body: ctx.keyring.encrypt(PLATFORM_SCOPE, '', 'notifications.body'),
    });
    await appendAuditLeaf(trx, {
      type: 'account.closed',
      actorId: citizen.userId,
      agencyId: null,
      subjectId: citizen.userId,
      facts: { applications: results.length, salts: salted.length },
    });
  });
  return results;
}

interface Row {
  id: string;
  agency_id: string;
  row_version: number;
}

async function recordDeletion(trx: Db, citizen: Principal, row: Row, outcome: string, at: string) {
  await store.insertRequest(trx, {
    id: newId(),
    kind: 'deletion',
    user_id: citizen.userId,
    agency_id: row.agency_id,
    application_id: row.id,
    details_enc: null,
    outcome,
    status: 'handled',
    created_at: at,
    handled_by: null,
    handled_at: at,
    note_enc: null,
  });
}

async function restrictApplication(
  ctx: AppContext,
  citizen: Principal,
  row: Row,
  until: string | null,
  at: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await store.upsertPrivacyState(trx, {
      application_id: row.id,
      restricted_at: at,
      restricted_until: until,
      erased_at: null,
    });
    await recordDeletion(trx, citizen, row, 'restricted', at);
    await appendAuditLeaf(trx, {
      type: 'privacy.restricted',
      actorId: citizen.userId,
      agencyId: row.agency_id,
      subjectId: row.id,
      facts: { until },
    });
  });
}

/**
 * Erases an application's personal data past its retention: the answers become an empty
 * document, attachments and officers' comments are deleted, the subjects' NIK indexes and the
 * texts of privacy requests go, and the salts of its audit leaves are erased so the public log
 * can no longer confirm a guessed value (it stays verifiable). What is left — agency, service,
 * dates, states, outcome — is the non-personal skeleton statistics count on. Issued documents
 * are not touched: the agency's register keeps them under their own rules.
 */
export async function eraseApplication(
  ctx: AppContext,
  citizen: Principal,
  row: Row,
  at: string,
): Promise<void> {
  const scope = scopeOf(row.agency_id);
  await ctx.keyring.prepare([scope]);
  const salted = await store.saltedLeavesAbout(ctx.db, row.id);
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('applications')
      .set({
        answers_enc: ctx.keyring.encrypt(scope, '{}', `applications.answers:${row.id}`),
        row_version: row.row_version + 1,
        updated_at: at,
      })
      .where('id', '=', row.id)
      .execute();
    await trx.deleteFrom('attachments').where('application_id', '=', row.id).execute();
    // A survey comment may name people; the ratings stay for the statistics.
    await trx
      .updateTable('survey_responses')
      .set({ comment_enc: null })
      .where('application_id', '=', row.id)
      .execute();
    await trx
      .updateTable('application_events')
      .set({ comment_enc: null })
      .where('application_id', '=', row.id)
      .execute();
    await trx.deleteFrom('application_subjects').where('application_id', '=', row.id).execute();
    await trx
      .updateTable('privacy_requests')
      .set({ details_enc: null, note_enc: null })
      .where('application_id', '=', row.id)
      .execute();
    if (salted.length > 0) await trx.deleteFrom('audit_salts').where('leaf_id', 'in', salted).execute();
    await store.upsertPrivacyState(trx, {
      application_id: row.id,
      restricted_at: null,
      restricted_until: null,
      erased_at: at,
    });
    await recordDeletion(trx, citizen, row, 'erased', at);
    await appendAuditLeaf(trx, {
      type: 'privacy.erased',
      actorId: citizen.userId,
      agencyId: row.agency_id,
      subjectId: row.id,
      facts: { salts: salted.length },
    });
  });
}

/** Removes a draft that was never filed, with everything attached to it. */
async function discardDraft(
  ctx: AppContext,
  citizen: Principal,
  id: string,
  agencyId: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const draft = await trx
      .selectFrom('applications')
      .select('id')
      .where('id', '=', id)
      .where('stage', '=', 'draft')
      .executeTakeFirst();
    if (!draft) return;
    await trx.deleteFrom('attachments').where('application_id', '=', id).execute();
    await trx.deleteFrom('application_events').where('application_id', '=', id).execute();
    await trx.deleteFrom('application_subjects').where('application_id', '=', id).execute();
    await trx.deleteFrom('consents').where('application_id', '=', id).execute();
    await trx.deleteFrom('privacy_requests').where('application_id', '=', id).execute();
    await trx.deleteFrom('application_privacy').where('application_id', '=', id).execute();
    await trx.deleteFrom('applications').where('id', '=', id).execute();
    await appendAuditLeaf(trx, {
      type: 'privacy.draft_discarded',
      actorId: citizen.userId,
      agencyId,
      subjectId: id,
    });
  });
}
