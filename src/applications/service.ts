/**
 * Applications from the citizen's side: a draft saved at every step, submission (idempotent), the
 * tracking number and secret, the citizen's own list, and public tracking without an account.
 *
 * An application is one row from its first answer: the draft *is* the application, so a double
 * click or a retried request submits it once. A conditional update on `row_version` decides which
 * of two simultaneous submissions files it; the other reads the result. A request that creates and
 * submits in one go (the API) carries an `Idempotency-Key`, unique per applicant.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { appendAuditLeaf } from '../audit/log.ts';
import { type AgencyTimeZone, isAgencyTimeZone } from '../calendar/calendar.ts';
import { calendarFor } from '../calendar/service.ts';
import { type AnswerError, compileDefinition } from '../catalog/compile.ts';
import type { LocalText, ServiceDefinition } from '../catalog/schemas.ts';
import { getPublished } from '../catalog/service.ts';
import { findServiceBySlug, findVersionById, findVersionByStatus } from '../catalog/store.ts';
import type { AppContext } from '../context.ts';
import { PLATFORM_SCOPE } from '../crypto/keyring.ts';
import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { hitRateLimit } from '../identity/rate-limit.ts';
import { hasRole, type Principal } from '../identity/roles.ts';
import { contactChannels } from '../identity/service.ts';
import { notify } from '../notifications/service.ts';
import { recordSubmissionConsent } from '../privacy/consent.ts';
import { recordSubjects } from '../privacy/subjects.ts';
import { DomainError } from '../web/domain-error.ts';
import type { Lang } from '../web/i18n/index.ts';
import { recordEvent } from './events.ts';
import { ALPHABET, newTrackingNumber, parseTrackingNumber } from './tracking.ts';

/** The consent statement's version; the text lives with the pages and changes with this number. */
export const CONSENT_VERSION = '2026-1';
const SECRET_LENGTH = 8;
/** Wrong tracking secrets allowed per number and per client in a quarter of an hour. */
const TRACK_LIMIT = { limit: 10, windowMs: 15 * 60_000 };

export type Answers = Record<string, unknown>;

export interface ApplicationView {
  id: string;
  stage: 'draft' | 'active' | 'closed';
  service: { slug: string; name: LocalText; version: number };
  agency: { slug: string; name: LocalText };
  state: { key: string; label: LocalText; applicantCanEdit: boolean } | null;
  outcome: 'approved' | 'rejected' | 'withdrawn' | null;
  trackingNumber: string | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  dueAt: string | null;
  rowVersion: number;
  assisted: boolean;
}

/**
 * What a draft's editor is told when the service version it was started on is no longer published:
 * `moved` — the draft now uses the published version (`problems` are the answers that no longer
 * validate against it); `withdrawn` — the service is not published at all, the answers are kept
 * to read and nothing can be filed.
 */
export type VersionNotice =
  | { kind: 'moved'; version: number; problems: AnswerError[] }
  | { kind: 'withdrawn' };

export interface ApplicationDetail extends ApplicationView {
  answers: Answers;
  /** Set for a draft whose service changed since it was started. */
  versionNotice?: VersionNotice;
  definition: ServiceDefinition;
  history: Array<{
    kind: string;
    action: string | null;
    fromState: string | null;
    toState: string | null;
    at: string;
  }>;
}

export interface Receipt {
  id: string;
  trackingNumber: string;
  trackingSecret: string;
  state: string;
  submittedAt: string;
  dueAt: string;
}

/** Answers that do not validate, each with its field path and a message in both languages. */
export class AnswerProblems extends DomainError {
  constructor(readonly errors: readonly AnswerError[]) {
    super('application.invalid', { count: errors.length, errors });
  }
}

/** An agency's encryption scope: its own id, as for every other record of the agency. */
export function scopeOf(agencyId: string): string {
  return agencyId;
}

export async function agencyOf(db: Db, agencyId: string) {
  const agency = await db
    .selectFrom('agencies')
    .select(['id', 'slug', 'code', 'name_id', 'name_en', 'timezone'])
    .where('id', '=', agencyId)
    .executeTakeFirst();
  if (!agency) throw new DomainError('not_found');
  const timezone: AgencyTimeZone = isAgencyTimeZone(agency.timezone) ? agency.timezone : 'Asia/Jakarta';
  return { ...agency, timezone };
}

/** Starts a draft of the published version of a service for a signed-in citizen. */
export function startApplication(
  ctx: AppContext,
  applicant: Principal,
  slug: string,
  answers: Answers = {},
): Promise<{ id: string }> {
  return insertDraft(
    ctx,
    { applicantId: applicant.userId, assistedBy: null, actorId: applicant.userId },
    slug,
    answers,
  );
}

/**
 * Starts a counter draft: an officer fills the form in for a walk-in citizen who has no account
 * here (the applicant stays empty until the citizen links it with the tracking number and secret).
 * Only services of an agency where the officer works the counter.
 */
export async function startCounterDraft(
  ctx: AppContext,
  officer: Principal,
  slug: string,
): Promise<{ id: string }> {
  const service = await findServiceBySlug(ctx.db, slug);
  if (!service || !hasRole(officer, 'counter_officer', service.agency_id)) throw new DomainError('not_found');
  return insertDraft(
    ctx,
    { applicantId: null, assistedBy: officer.userId, actorId: officer.userId },
    slug,
    {},
  );
}

async function insertDraft(
  ctx: AppContext,
  filer: Filer,
  slug: string,
  answers: Answers,
): Promise<{ id: string }> {
  const published = await getPublished(ctx, slug);
  const service = await findServiceBySlug(ctx.db, slug);
  if (!service) throw new DomainError('not_found');
  await ctx.keyring.prepare([scopeOf(service.agency_id)]);
  const id = newId();
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('applications')
      .values({
        id,
        agency_id: service.agency_id,
        service_id: service.id,
        service_version_id: published.versionId,
        applicant_id: filer.applicantId,
        assisted_by: filer.assistedBy,
        stage: 'draft',
        state: null,
        outcome: null,
        answers_enc: ctx.keyring.encrypt(
          scopeOf(service.agency_id),
          JSON.stringify(answers),
          `applications.answers:${id}`,
        ),
        tracking_number: null,
        tracking_secret_enc: null,
        submit_key: null,
        consent_version: null,
        row_version: 1,
        created_at: now,
        updated_at: now,
        submitted_at: null,
        due_at: null,
        assigned_to: null,
        state_entered_at: null,
        state_due_at: null,
        closed_at: null,
      })
      .execute();
    await recordEvent(trx, { application_id: id, kind: 'created', actor_id: filer.actorId, created_at: now });
  });
  return { id };
}

export type ApplicationRow = NonNullable<Awaited<ReturnType<typeof findRow>>>;

export function findRow(db: Db, id: string) {
  return db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Whether the principal fills in and reads this application as its applicant: their own, or a
 * counter filing not yet linked to an account that this officer started (while they still work the
 * agency's counter). Once a citizen links it, it is theirs alone.
 */
export function isEditor(
  principal: Principal,
  row: Pick<ApplicationRow, 'applicant_id' | 'assisted_by' | 'agency_id'>,
): boolean {
  if (row.applicant_id !== null) return row.applicant_id === principal.userId;
  return (
    row.assisted_by !== null &&
    row.assisted_by === principal.userId &&
    hasRole(principal, 'counter_officer', row.agency_id)
  );
}

/** The application the principal edits (see {@link isEditor}); anybody else's (or none) is simply not found. */
export async function editorRow(ctx: AppContext, editor: Principal, id: string): Promise<ApplicationRow> {
  const row = /^[0-9a-f-]{36}$/.test(id) ? await findRow(ctx.db, id) : undefined;
  if (!row || !isEditor(editor, row)) throw new DomainError('not_found');
  return row;
}

/**
 * A draft keeps the service version it was started on until that version stops being published.
 * Then the draft moves to the version published now, answers and all — whether they still validate
 * is for the review page to show — or, when the service is not published any more, stays where it
 * is to be read and not filed. A draft on a version published after it was started was moved, and
 * says so until it is filed.
 */
export async function currentDraftVersion(
  ctx: AppContext,
  row: ApplicationRow,
): Promise<{ row: ApplicationRow; notice: VersionNotice | undefined }> {
  if (row.stage !== 'draft') return { row, notice: undefined };
  let current = row;
  for (let attempt = 0; ; attempt++) {
    const version = await findVersionById(ctx.db, current.service_version_id);
    if (version?.status === 'published') {
      const moved = version.published_at !== null && version.published_at > current.created_at;
      if (!moved) return { row: current, notice: undefined };
      const agency = await agencyOf(ctx.db, current.agency_id);
      const { definition } = await definitionOf(ctx.db, current.service_version_id);
      const checked = validatorOf(definition, current.service_version_id, agency.timezone).validate(
        await answersOf(ctx, current),
      );
      return {
        row: current,
        notice: { kind: 'moved', version: version.version, problems: checked.ok ? [] : checked.errors },
      };
    }
    const published = await findVersionByStatus(ctx.db, current.service_id, 'published');
    if (!published) return { row: current, notice: { kind: 'withdrawn' } };
    // Conditional on the version read: of two requests moving the same draft one writes, the
    // other reads the result.
    const updated = await ctx.db
      .updateTable('applications')
      .set({
        service_version_id: published.id,
        row_version: current.row_version + 1,
        updated_at: nowIso(),
      })
      .where('id', '=', current.id)
      .where('row_version', '=', current.row_version)
      .where('stage', '=', 'draft')
      .executeTakeFirst();
    const reread = await findRow(ctx.db, current.id);
    if (!reread) throw new DomainError('not_found');
    if (Number(updated.numUpdatedRows) !== 1 && attempt >= 3) throw new DomainError('application.changed');
    if (reread.stage !== 'draft') return { row: reread, notice: undefined };
    current = reread;
  }
}

/** The editor's draft on its current service version; refused when the service was withdrawn. */
async function editableDraft(ctx: AppContext, editor: Principal, id: string) {
  const found = await currentDraftVersion(ctx, await editorRow(ctx, editor, id));
  if (found.row.stage !== 'draft') throw new DomainError('application.not_editable');
  if (found.notice?.kind === 'withdrawn') throw new DomainError('service.not_published');
  return found.row;
}

/** Parsed definitions by version id: a version an application points at never changes. */
const definitions = new Map<string, { definition: ServiceDefinition; version: number }>();
const MAX_CACHED_DEFINITIONS = 1000;

export async function definitionOf(
  db: Db,
  versionId: string,
): Promise<{ definition: ServiceDefinition; version: number }> {
  const cached = definitions.get(versionId);
  if (cached) return cached;
  const version = await findVersionById(db, versionId);
  if (!version) throw new DomainError('not_found');
  // Published versions were validated before publishing and never change.
  const parsed = {
    definition: JSON.parse(version.definition) as ServiceDefinition,
    version: version.version,
  };
  if (version.status !== 'draft') {
    if (definitions.size >= MAX_CACHED_DEFINITIONS) definitions.delete(definitions.keys().next().value ?? '');
    definitions.set(versionId, parsed);
  }
  return parsed;
}

export async function answersOf(ctx: AppContext, row: ApplicationRow): Promise<Answers> {
  const text = await ctx.keyring.decrypt(row.answers_enc, `applications.answers:${row.id}`);
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Answers) : {};
}

export function validatorOf(definition: ServiceDefinition, versionId: string, timeZone: AgencyTimeZone) {
  return compileDefinition(definition, { cacheKey: versionId, timeZone });
}

/** Keys of the fields of one form section (a group is one key). */
export function sectionKeys(definition: ServiceDefinition, sectionIndex: number): string[] {
  return definition.form.sections[sectionIndex]?.fields.map((f) => f.key) ?? [];
}

/**
 * Saves answers into a draft (merged over what is there: the draft is saved at every step) and
 * returns the problems of the fields just sent, so a section can be shown again with them. What
 * was typed is stored even when it does not validate yet: nothing is lost.
 */
export async function saveAnswers(
  ctx: AppContext,
  editor: Principal,
  id: string,
  answers: Answers,
): Promise<{ rowVersion: number; errors: AnswerError[] }> {
  const row = await editableDraft(ctx, editor, id);
  const agency = await agencyOf(ctx.db, row.agency_id);
  const { definition } = await definitionOf(ctx.db, row.service_version_id);
  const known = new Set(definition.form.sections.flatMap((s) => s.fields.map((f) => f.key)));
  const merged = { ...(await answersOf(ctx, row)) };
  for (const [key, value] of Object.entries(answers)) if (known.has(key)) merged[key] = value;
  await ctx.keyring.prepare([scopeOf(row.agency_id)]);
  const updated = await ctx.db
    .updateTable('applications')
    .set({
      answers_enc: ctx.keyring.encrypt(
        scopeOf(row.agency_id),
        JSON.stringify(merged),
        `applications.answers:${id}`,
      ),
      row_version: row.row_version + 1,
      updated_at: nowIso(),
    })
    .where('id', '=', id)
    .where('row_version', '=', row.row_version)
    .where('stage', '=', 'draft')
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new DomainError('application.changed');
  const result = validatorOf(definition, row.service_version_id, agency.timezone).validate(merged);
  const sent = new Set(Object.keys(answers));
  const errors = result.ok ? [] : result.errors.filter((e) => sent.has(e.path.split(/[.[]/)[0] ?? ''));
  return { rowVersion: row.row_version + 1, errors };
}

function newSecret(): string {
  let secret = '';
  for (let i = 0; i < SECRET_LENGTH; i++) secret += ALPHABET[randomInt(ALPHABET.length)];
  return secret;
}

async function receiptOf(ctx: AppContext, row: ApplicationRow): Promise<Receipt> {
  if (!row.tracking_number || !row.tracking_secret_enc || !row.state || !row.submitted_at || !row.due_at)
    throw new DomainError('application.not_submitted');
  return {
    id: row.id,
    trackingNumber: row.tracking_number,
    trackingSecret: await ctx.keyring.decrypt(row.tracking_secret_enc, `applications.secret:${row.id}`),
    state: row.state,
    submittedAt: row.submitted_at,
    dueAt: row.due_at,
  };
}

/** Idempotency keys are the sender's own: namespaced by who files, so two people never collide. */
function submitKey(actorId: string, row: { applicant_id: string | null }, key: string): string {
  return row.applicant_id === null ? `c:${actorId}:${key}` : `u:${row.applicant_id}:${key}`;
}

function findBySubmitKey(db: Db, key: string) {
  return db.selectFrom('applications').selectAll().where('submit_key', '=', key).executeTakeFirst();
}

export function isUniqueViolation(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  return code === '23505' || code.startsWith('SQLITE_CONSTRAINT');
}

/**
 * Files a draft: every answer must validate and the consent statement must be accepted. Submitting
 * an application that is already filed returns its receipt again (a double click, a retry).
 */
export async function submitApplication(
  ctx: AppContext,
  editor: Principal,
  id: string,
  input: { consent: boolean; lang: Lang; idempotencyKey?: string },
): Promise<Receipt> {
  const { row, notice } = await currentDraftVersion(ctx, await editorRow(ctx, editor, id));
  if (row.stage !== 'draft') return receiptOf(ctx, row);
  if (notice?.kind === 'withdrawn') throw new DomainError('service.not_published');
  return fileDraft(ctx, row, { ...input, actorId: editor.userId });
}

/** What a filing needs, read and checked before its transaction opens. */
interface PreparedFiling {
  agency: Awaited<ReturnType<typeof agencyOf>>;
  definition: ServiceDefinition;
  /** The answers as accepted: hidden fields dropped, values normalised. */
  values: Answers;
  calendar: Awaited<ReturnType<typeof calendarFor>>;
  channels: { email?: string; sms?: string };
}

async function prepareFiling(
  ctx: AppContext,
  agencyId: string,
  versionId: string,
  definition: ServiceDefinition,
  answers: Answers,
  applicantId: string | null,
): Promise<PreparedFiling> {
  const agency = await agencyOf(ctx.db, agencyId);
  const checked = validatorOf(definition, versionId, agency.timezone).validate(answers);
  if (!checked.ok) throw new AnswerProblems(checked.errors);
  const calendar = await calendarFor(ctx, agency.id);
  // The agency's data key and the platform's (NIK blind indexes): loaded here, never inside the transaction.
  await ctx.keyring.prepare([scopeOf(agency.id), PLATFORM_SCOPE]);
  const channels = applicantId ? await contactChannels(ctx, applicantId) : {};
  return { agency, definition, values: checked.values, calendar, channels };
}

/** The columns a filing sets on the application row. */
type FiledColumns = Pick<
  ApplicationRow,
  | 'stage'
  | 'state'
  | 'answers_enc'
  | 'tracking_number'
  | 'tracking_secret_enc'
  | 'submit_key'
  | 'consent_version'
  | 'updated_at'
  | 'submitted_at'
  | 'due_at'
  | 'state_entered_at'
  | 'state_due_at'
>;

/**
 * The filing transaction, shared by a draft being submitted and an application created and filed
 * in one request: `writeRow` stores the filed row (an update of the draft, or an insert) and says
 * whether it did; then the subjects, the consent, the history event, the audit leaf and the
 * applicant's notifications, all in the same transaction. A tracking number drawn twice is drawn
 * again. Returns the receipt, or undefined when `writeRow` stored nothing.
 */
async function commitFiling(
  ctx: AppContext,
  id: string,
  filing: PreparedFiling,
  input: { lang: Lang; actorId: string; applicantId: string | null; submitKey: string | null },
  writeRow: (trx: Db, columns: FiledColumns, now: string) => Promise<boolean>,
): Promise<Receipt | undefined> {
  const { agency, definition, calendar } = filing;
  const scope = scopeOf(agency.id);
  for (let attempt = 0; ; attempt++) {
    const now = new Date();
    const at = now.toISOString();
    const tracking = newTrackingNumber(agency.code, now);
    const secret = newSecret();
    const dueAt = calendar.deadline(now, definition.standard.completionDays, agency.timezone).toISOString();
    const start = definition.workflow.states.find((s) => s.key === definition.workflow.startState);
    const stateDueAt =
      start?.slaRuns && start.slaDays !== undefined
        ? calendar.deadline(now, start.slaDays, agency.timezone).toISOString()
        : null;
    const columns: FiledColumns = {
      stage: 'active',
      state: definition.workflow.startState,
      answers_enc: ctx.keyring.encrypt(scope, JSON.stringify(filing.values), `applications.answers:${id}`),
      tracking_number: tracking.text,
      tracking_secret_enc: ctx.keyring.encrypt(scope, secret, `applications.secret:${id}`),
      submit_key: input.submitKey,
      consent_version: CONSENT_VERSION,
      updated_at: at,
      submitted_at: at,
      due_at: dueAt,
      state_entered_at: at,
      state_due_at: stateDueAt,
    };
    try {
      const filed = await ctx.db.transaction().execute(async (trx) => {
        if (!(await writeRow(trx, columns, at))) return false;
        // Everyone whose NIK the application carries can find it in their access log; the
        // consent given is a record of its own.
        await recordSubjects(trx, ctx, id, definition, filing.values);
        await recordSubmissionConsent(trx, {
          applicationId: id,
          userId: input.applicantId,
          version: CONSENT_VERSION,
          at,
        });
        await recordEvent(trx, {
          application_id: id,
          kind: 'submitted',
          to_state: definition.workflow.startState,
          actor_id: input.actorId,
          created_at: at,
        });
        await appendAuditLeaf(trx, {
          type: 'application.submitted',
          actorId: input.actorId,
          agencyId: agency.id,
          subjectId: id,
          facts: { service: definition.slug, state: definition.workflow.startState },
        });
        // A walk-in citizen without an account gets the receipt on paper instead.
        if (input.applicantId)
          await notify(ctx, trx, {
            template: 'application.submitted',
            lang: input.lang,
            userId: input.applicantId,
            channels: { inApp: true, ...filing.channels },
            params: {
              trackingNumber: tracking.text,
              service: definition.name[input.lang],
              dueDate: dueAt.slice(0, 10),
            },
          });
        return true;
      });
      if (!filed) return undefined;
      return {
        id,
        trackingNumber: tracking.text,
        trackingSecret: secret,
        state: definition.workflow.startState,
        submittedAt: at,
        dueAt,
      };
    } catch (err) {
      // A tracking number drawn twice (35 random bits per agency and year): draw again. The same
      // Idempotency-Key is for the caller to sort out.
      if (!isUniqueViolation(err) || attempt >= 3) throw err;
      if (input.submitKey && (await findBySubmitKey(ctx.db, input.submitKey))) throw err;
    }
  }
}

/** The filing itself, for a draft row whoever files it (the applicant, or an officer at a counter). */
async function fileDraft(
  ctx: AppContext,
  row: ApplicationRow,
  input: { consent: boolean; lang: Lang; idempotencyKey?: string; actorId: string },
): Promise<Receipt> {
  if (!input.consent) throw new DomainError('application.consent_required');
  const { definition } = await definitionOf(ctx.db, row.service_version_id);
  const filing = await prepareFiling(
    ctx,
    row.agency_id,
    row.service_version_id,
    definition,
    await answersOf(ctx, row),
    row.applicant_id,
  );
  const key = input.idempotencyKey ? submitKey(input.actorId, row, input.idempotencyKey) : null;
  let receipt: Receipt | undefined;
  try {
    receipt = await commitFiling(
      ctx,
      row.id,
      filing,
      { lang: input.lang, actorId: input.actorId, applicantId: row.applicant_id, submitKey: key },
      async (trx, columns) => {
        const updated = await trx
          .updateTable('applications')
          .set({ ...columns, row_version: row.row_version + 1 })
          .where('id', '=', row.id)
          .where('row_version', '=', row.row_version)
          .where('stage', '=', 'draft')
          .executeTakeFirst();
        return Number(updated.numUpdatedRows) === 1;
      },
    );
  } catch (err) {
    // The same Idempotency-Key already filed another draft.
    if (isUniqueViolation(err) && key && (await findBySubmitKey(ctx.db, key))?.id !== row.id)
      throw new DomainError('application.idempotency_conflict');
    throw err;
  }
  if (receipt) return receipt;
  // Someone else changed the draft meanwhile: a double submit gets the receipt, anything else a conflict.
  const current = await findRow(ctx.db, row.id);
  if (!current) throw new DomainError('not_found');
  if (current.stage === 'draft') throw new DomainError('application.changed');
  return receiptOf(ctx, current);
}

/** Who files an application in one request: a citizen for themself, or an officer at a counter. */
interface Filer {
  applicantId: string | null;
  assistedBy: string | null;
  actorId: string;
}

/**
 * Creates and submits in one request, in one transaction: all or nothing (a request that cannot be
 * filed leaves nothing behind), and the same `Idempotency-Key` from the same sender returns the
 * application it filed first instead of filing another.
 */
async function fileNew(
  ctx: AppContext,
  filer: Filer,
  slug: string,
  answers: Answers,
  input: { consent: boolean; lang: Lang; idempotencyKey: string },
): Promise<Receipt> {
  const key = submitKey(filer.actorId, { applicant_id: filer.applicantId }, input.idempotencyKey);
  const earlier = await findBySubmitKey(ctx.db, key);
  if (earlier) return receiptOf(ctx, earlier);
  if (!input.consent) throw new DomainError('application.consent_required');
  const published = await getPublished(ctx, slug);
  const service = await findServiceBySlug(ctx.db, slug);
  if (!service) throw new DomainError('not_found');
  const filing = await prepareFiling(
    ctx,
    service.agency_id,
    published.versionId,
    published.definition,
    answers,
    filer.applicantId,
  );
  const id = newId();
  try {
    const receipt = await commitFiling(
      ctx,
      id,
      filing,
      { lang: input.lang, actorId: filer.actorId, applicantId: filer.applicantId, submitKey: key },
      async (trx, columns, at) => {
        await trx
          .insertInto('applications')
          .values({
            ...columns,
            id,
            agency_id: service.agency_id,
            service_id: service.id,
            service_version_id: published.versionId,
            applicant_id: filer.applicantId,
            assisted_by: filer.assistedBy,
            outcome: null,
            row_version: 1,
            created_at: at,
            assigned_to: null,
            closed_at: null,
          })
          .execute();
        await recordEvent(trx, {
          application_id: id,
          kind: 'created',
          actor_id: filer.actorId,
          created_at: at,
        });
        return true;
      },
    );
    if (!receipt) throw new DomainError('application.changed');
    return receipt;
  } catch (err) {
    // Another request with the same key won the race: answer with its receipt.
    const winner = isUniqueViolation(err) ? await findBySubmitKey(ctx.db, key) : undefined;
    if (winner) return receiptOf(ctx, winner);
    throw err;
  }
}

/** A citizen creates and files an application in one request (the API). */
export function fileApplication(
  ctx: AppContext,
  applicant: Principal,
  slug: string,
  answers: Answers,
  input: { consent: boolean; lang: Lang; idempotencyKey: string },
): Promise<Receipt> {
  return fileNew(
    ctx,
    { applicantId: applicant.userId, assistedBy: null, actorId: applicant.userId },
    slug,
    answers,
    input,
  );
}

/**
 * Counter (assisted) mode: an officer of the service's agency files for a walk-in citizen, who
 * consented at the counter and takes the receipt with the tracking secret on paper. The
 * application is marked as assisted by that officer; the citizen can link it to an account later
 * with the tracking number and secret.
 */
export async function fileAtCounter(
  ctx: AppContext,
  officer: Principal,
  slug: string,
  answers: Answers,
  input: { consent: boolean; lang: Lang; idempotencyKey: string },
): Promise<Receipt> {
  const service = await findServiceBySlug(ctx.db, slug);
  if (!service || !hasRole(officer, 'counter_officer', service.agency_id)) throw new DomainError('not_found');
  return fileNew(
    ctx,
    { applicantId: null, assistedBy: officer.userId, actorId: officer.userId },
    slug,
    answers,
    input,
  );
}

/**
 * Links a counter-filed application to the signed-in citizen who proves control of its tracking
 * number and secret (rate limited like public tracking).
 */
export async function claimApplication(
  ctx: AppContext,
  citizen: Principal,
  input: { trackingNumber: string; secret: string; client: string },
): Promise<{ id: string }> {
  await trackApplication(ctx, input);
  const parsed = parseTrackingNumber(input.trackingNumber);
  const row = parsed
    ? await ctx.db
        .selectFrom('applications')
        .selectAll()
        .where('tracking_number', '=', parsed.text)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new DomainError('application.track_failed');
  if (row.applicant_id === citizen.userId) return { id: row.id };
  if (row.applicant_id !== null) throw new DomainError('application.already_linked');
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const linked = await trx
      .updateTable('applications')
      .set({ applicant_id: citizen.userId, row_version: row.row_version + 1, updated_at: now })
      .where('id', '=', row.id)
      .where('applicant_id', 'is', null)
      .executeTakeFirst();
    if (Number(linked.numUpdatedRows) !== 1) throw new DomainError('application.already_linked');
    await appendAuditLeaf(trx, {
      type: 'application.linked',
      actorId: citizen.userId,
      agencyId: row.agency_id,
      subjectId: row.id,
    });
  });
  return { id: row.id };
}

export async function viewOf(
  ctx: AppContext,
  row: ApplicationRow,
): Promise<ApplicationView & { definition: ServiceDefinition }> {
  const agency = await agencyOf(ctx.db, row.agency_id);
  const { definition, version } = await definitionOf(ctx.db, row.service_version_id);
  const state = row.state ? definition.workflow.states.find((s) => s.key === row.state) : undefined;
  return {
    id: row.id,
    stage: row.stage,
    service: { slug: definition.slug, name: definition.name, version },
    agency: { slug: agency.slug, name: { id: agency.name_id, en: agency.name_en } },
    state: state ? { key: state.key, label: state.label, applicantCanEdit: state.applicantCanEdit } : null,
    outcome: row.outcome,
    trackingNumber: row.tracking_number,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    dueAt: row.due_at,
    rowVersion: row.row_version,
    assisted: row.assisted_by !== null,
    definition,
  };
}

/**
 * The application with its answers and history, for its editor (see {@link isEditor}). A draft is
 * first brought to its service's current version, with a notice when that changed anything.
 */
export async function getApplication(
  ctx: AppContext,
  editor: Principal,
  id: string,
): Promise<ApplicationDetail> {
  const { row, notice } = await currentDraftVersion(ctx, await editorRow(ctx, editor, id));
  const view = await viewOf(ctx, row);
  const events = await ctx.db
    .selectFrom('application_events')
    .select(['kind', 'action', 'from_state', 'to_state', 'created_at'])
    .where('application_id', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return {
    ...view,
    answers: await answersOf(ctx, row),
    history: events.map((e) => ({
      kind: e.kind,
      action: e.action,
      fromState: e.from_state,
      toState: e.to_state,
      at: e.created_at,
    })),
    ...(notice ? { versionNotice: notice } : {}),
  };
}

/** The receipt of a filed application (tracking number and secret), for its editor. */
export async function getReceipt(ctx: AppContext, editor: Principal, id: string): Promise<Receipt> {
  return receiptOf(ctx, await editorRow(ctx, editor, id));
}

/** An officer's counter drafts not filed yet, newest change first (a busy counter gets interrupted). */
export async function listCounterDrafts(
  ctx: AppContext,
  officer: Principal,
): Promise<Array<{ id: string; service: LocalText; updatedAt: string }>> {
  const rows = await ctx.db
    .selectFrom('applications')
    .selectAll()
    .where('assisted_by', '=', officer.userId)
    .where('applicant_id', 'is', null)
    .where('stage', '=', 'draft')
    .orderBy('updated_at', 'desc')
    .limit(50)
    .execute();
  const drafts: Array<{ id: string; service: LocalText; updatedAt: string }> = [];
  for (const row of rows) {
    if (!isEditor(officer, row)) continue;
    const { definition } = await definitionOf(ctx.db, row.service_version_id);
    drafts.push({ id: row.id, service: definition.name, updatedAt: row.updated_at });
  }
  return drafts;
}

/** The applicant's applications, newest change first. */
export async function listMyApplications(ctx: AppContext, applicant: Principal): Promise<ApplicationView[]> {
  const rows = await ctx.db
    .selectFrom('applications')
    .selectAll()
    .where('applicant_id', '=', applicant.userId)
    .orderBy('updated_at', 'desc')
    .limit(200)
    .execute();
  const views: ApplicationView[] = [];
  for (const row of rows) {
    const { definition: _definition, ...view } = await viewOf(ctx, row);
    views.push(view);
  }
  return views;
}

export interface PublicStatus {
  trackingNumber: string;
  service: LocalText;
  agency: LocalText;
  state: LocalText | null;
  outcome: 'approved' | 'rejected' | 'withdrawn' | null;
  submittedAt: string | null;
  dueAt: string | null;
}

/**
 * Public tracking: the tracking number and the secret from the receipt. An unknown number and a
 * wrong secret get the same answer, and both count against the client's and the number's limits.
 */
export async function trackApplication(
  ctx: AppContext,
  input: { trackingNumber: string; secret: string; client: string },
): Promise<PublicStatus> {
  const parsed = parseTrackingNumber(input.trackingNumber);
  const numberKey = parsed?.text ?? createHash('sha256').update(input.trackingNumber).digest('base64url');
  for (const key of [`track:client:${input.client}`, `track:number:${numberKey}`]) {
    const limit = await hitRateLimit(ctx.db, key, TRACK_LIMIT);
    if (!limit.allowed)
      throw new DomainError('auth.too_many_attempts', { retryAfterSeconds: limit.retryAfterSeconds });
  }
  const failed = () => new DomainError('application.track_failed');
  if (!parsed) throw failed();
  const row = await ctx.db
    .selectFrom('applications')
    .selectAll()
    .where('tracking_number', '=', parsed.text)
    .executeTakeFirst();
  const expected = row?.tracking_secret_enc
    ? await ctx.keyring.decrypt(row.tracking_secret_enc, `applications.secret:${row.id}`)
    : newSecret();
  const given = Buffer.from(
    input.secret.toUpperCase().replace(/[\s-]/g, '').padEnd(SECRET_LENGTH).slice(0, 32),
  );
  const wanted = Buffer.from(expected.padEnd(SECRET_LENGTH));
  const matches = given.length === wanted.length && timingSafeEqual(given, wanted);
  if (!row || !matches) throw failed();
  const view = await viewOf(ctx, row);
  return {
    trackingNumber: parsed.text,
    service: view.service.name,
    agency: view.agency.name,
    state: view.state?.label ?? null,
    outcome: view.outcome,
    submittedAt: view.submittedAt,
    dueAt: view.dueAt,
  };
}
