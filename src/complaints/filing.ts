/**
 * Filing a complaint: named (a citizen's account), confidential (an account, or a name and a
 * contact, seen only by complaint staff) or anonymous (no identity at all; the tracking number and
 * secret are the only way back to it). Checks first, everything at once; then duplicates, rate
 * limits, and one transaction with the complaint, its first event, its files, the audit leaf and
 * the complainant's notification.
 */
import { randomInt } from 'node:crypto';
import { isUniqueViolation } from '../applications/service.ts';
import { ALPHABET, newTrackingNumber } from '../applications/tracking.ts';
import { appendAuditLeaf } from '../audit/log.ts';
import { calendarFor } from '../calendar/service.ts';
import type { AppContext } from '../context.ts';
import { PLATFORM_SCOPE } from '../crypto/keyring.ts';
import { newId } from '../db/ids.ts';
import { parseContact } from '../identity/contact.ts';
import { hitRateLimit, type RateLimitRule } from '../identity/rate-limit.ts';
import type { Principal } from '../identity/roles.ts';
import { findRegion } from '../regions/store.ts';
import { DomainError, FieldErrors, type FieldProblem } from '../web/domain-error.ts';
import { isMessageKey, type Lang, t } from '../web/i18n/index.ts';
import { type CheckedFile, checkAttachments, storeAttachments } from './attachments.ts';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_MODES,
  type ComplaintCategory,
  type ComplaintMode,
  isOneOf,
  REPORT_TYPES,
  type ReportType,
  type SubjectKind,
} from './schemas.ts';
import { notifyComplainant, ownerIndex, type Reporter, recipientOf, TIME_ZONE } from './service.ts';
import * as store from './store.ts';
import { COMPLAINT_WORKFLOW, complaintState } from './workflow.ts';

/** The number's prefix (aduan), in place of an agency code: the platform receives every report. */
export const NUMBER_PREFIX = 'ADU';
const SECRET_LENGTH = 8;
export const TEXT_LIMITS = { min: 20, max: 5000 } as const;
export const NAME_MAX = 120;
/** Filings per address and per account in an hour (a village office may share one address). */
export const FILE_PER_CLIENT: RateLimitRule = { limit: 20, windowMs: 60 * 60_000 };
export const FILE_PER_ACCOUNT: RateLimitRule = { limit: 10, windowMs: 60 * 60_000 };
/** The same person sending the same text again within this time is told about the first report. */
const DUPLICATE_WINDOW_MS = 24 * 60 * 60_000;

export interface FilingInput {
  mode: string;
  reportType: string;
  category: string;
  /** What it is about: a service or agency slug, or (kind application) one of the filer's applications. */
  subject: { kind: string; ref: string };
  text: string;
  regionCode?: string | undefined;
  mayPublish: boolean;
  /** A guest's name and e-mail address or mobile number (confidential without an account). */
  reporterName?: string | undefined;
  reporterContact?: string | undefined;
  files: readonly Buffer[];
  lang: Lang;
  /** The client's address: rate limits, and the filer of an anonymous report for duplicates. */
  client: string;
}

export interface ComplaintReceipt {
  id: string;
  number: string;
  secret: string;
  mode: ComplaintMode;
  state: string;
  filedAt: string;
  /** When the complaint admin verifies it at the latest. */
  verifyBy: string | null;
}

interface Checked {
  mode: ComplaintMode;
  reportType: ReportType;
  category: ComplaintCategory;
  subjectKind: SubjectKind;
  serviceId: string | null;
  applicationId: string | null;
  agencyId: string | null;
  text: string;
  regionCode: string | null;
  /** The citizen account it is filed under (named, or confidential from an account). */
  ownerId: string | null;
  /** A guest's identity (confidential without an account). */
  reporter: Reporter | null;
  files: CheckedFile[];
}

/** A refusal's message in both languages, from the catalogue of error messages. */
function messageOf(err: DomainError): { id: string; en: string } {
  const key = `errors.${err.code}`;
  const say = (lang: Lang) => (isMessageKey(key) ? t(lang, key, err.details) : err.code);
  return { id: say('id'), en: say('en') };
}

function fieldProblem(field: string, code: string, id: string, en: string): FieldProblem {
  return { field, code, message: { id, en } };
}

/** Text as compared for duplicates: case, spacing and line breaks do not make a report new. */
function normaliseText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function newSecret(): string {
  let secret = '';
  for (let i = 0; i < SECRET_LENGTH; i++) secret += ALPHABET[randomInt(ALPHABET.length)];
  return secret;
}

async function resolveSubject(
  ctx: AppContext,
  principal: Principal | null,
  kind: SubjectKind,
  ref: string,
): Promise<Pick<Checked, 'serviceId' | 'applicationId' | 'agencyId'> | undefined> {
  const value = ref.trim();
  if (value === '' || value.length > 100) return undefined;
  if (kind === 'service') {
    const service = await store.findService(ctx.db, value);
    return service ? { serviceId: service.id, applicationId: null, agencyId: service.agency_id } : undefined;
  }
  if (kind === 'agency') {
    const agency = await store.findAgencyBySlug(ctx.db, value);
    return agency ? { serviceId: null, applicationId: null, agencyId: agency.id } : undefined;
  }
  // Only the filer's own filed application: anybody else's is as unknown as a made-up id.
  const application =
    principal?.kind === 'citizen' && /^[0-9a-f-]{36}$/.test(value)
      ? await store.findOwnFiledApplication(ctx.db, value, principal.userId)
      : undefined;
  return application
    ? { serviceId: application.service_id, applicationId: application.id, agencyId: application.agency_id }
    : undefined;
}

/** Every problem of a filing at once, or the checked filing. */
async function checkFiling(
  ctx: AppContext,
  principal: Principal | null,
  input: FilingInput,
): Promise<Checked> {
  const problems: FieldProblem[] = [];
  const citizen = principal?.kind === 'citizen' ? principal : null;
  const mode = isOneOf(COMPLAINT_MODES, input.mode) ? input.mode : undefined;
  if (!mode) problems.push(fieldProblem('mode', 'required', 'Pilih cara melapor.', 'Choose how to report.'));
  if (mode === 'named' && !citizen)
    problems.push(
      fieldProblem(
        'mode',
        'needs_account',
        'Untuk melapor atas nama Anda, masuk dengan akun warga. Tanpa akun, pilih rahasia atau anonim.',
        'To report under your name, sign in with a citizen account. Without one, choose confidential or anonymous.',
      ),
    );
  const reportType = isOneOf(REPORT_TYPES, input.reportType) ? input.reportType : undefined;
  if (!reportType)
    problems.push(
      fieldProblem('reportType', 'required', 'Pilih jenis laporan.', 'Choose the kind of report.'),
    );
  const category = isOneOf(COMPLAINT_CATEGORIES, input.category) ? input.category : undefined;
  if (!category)
    problems.push(fieldProblem('category', 'required', 'Pilih kategori laporan.', 'Choose a category.'));

  const subjectKind = isOneOf(['service', 'agency', 'application'] as const, input.subject.kind)
    ? input.subject.kind
    : undefined;
  const subject = subjectKind
    ? await resolveSubject(ctx, principal, subjectKind, input.subject.ref)
    : undefined;
  if (!subjectKind || !subject)
    problems.push(
      fieldProblem(
        'subject',
        'unknown',
        'Pilih layanan atau instansi yang Anda laporkan.',
        'Choose the service or agency your report is about.',
      ),
    );
  else if (subjectKind === 'application' && mode === 'anonymous')
    problems.push(
      fieldProblem(
        'mode',
        'application_not_anonymous',
        'Laporan tentang permohonan Anda tidak dapat anonim (permohonan itu menunjukkan siapa Anda). Pilih rahasia.',
        'A report about your application cannot be anonymous (the application shows who you are). Choose confidential.',
      ),
    );

  const text = input.text.trim();
  if (text.length < TEXT_LIMITS.min || text.length > TEXT_LIMITS.max)
    problems.push(
      fieldProblem(
        'text',
        text.length === 0 ? 'required' : 'length',
        `Tuliskan laporan Anda: ${TEXT_LIMITS.min} sampai ${TEXT_LIMITS.max} karakter (sekarang ${text.length}).`,
        `Write your report: ${TEXT_LIMITS.min} to ${TEXT_LIMITS.max} characters (now ${text.length}).`,
      ),
    );

  const regionText = input.regionCode?.trim() ?? '';
  const region = regionText === '' ? undefined : findRegion(regionText);
  if (regionText !== '' && !region)
    problems.push(
      fieldProblem('regionCode', 'unknown', 'Lokasi itu tidak dikenal.', 'That location is not known.'),
    );

  let reporter: Reporter | null = null;
  if (mode === 'confidential' && !citizen) {
    const name = input.reporterName?.trim() ?? '';
    const contact = parseContact(input.reporterContact ?? '');
    if (name === '' || name.length > NAME_MAX)
      problems.push(
        fieldProblem(
          'reporterName',
          'required',
          `Tuliskan nama Anda (paling banyak ${NAME_MAX} karakter); hanya petugas pengaduan yang melihatnya.`,
          `Write your name (at most ${NAME_MAX} characters); only complaint staff see it.`,
        ),
      );
    if (!contact)
      problems.push(
        fieldProblem(
          'reporterContact',
          'invalid',
          'Tuliskan alamat email atau nomor HP yang benar, agar kami dapat mengabari Anda.',
          'Write a valid e-mail address or mobile number, so that we can tell you how it goes.',
        ),
      );
    if (contact && name !== '') reporter = { name, [contact.kind]: contact.value };
  }

  let files: CheckedFile[] = [];
  try {
    files = checkAttachments(input.files);
  } catch (err) {
    // Alone, a bad file keeps its own code (413, 415…); with other problems it is listed among them.
    if (!(err instanceof DomainError) || problems.length === 0) throw err;
    problems.push({ field: 'attachments', code: err.code, message: messageOf(err) });
  }
  if (problems.length > 0 || !mode || !reportType || !category || !subjectKind || !subject)
    throw new FieldErrors(problems);
  return {
    mode,
    reportType,
    category,
    subjectKind,
    ...subject,
    text,
    regionCode: region?.code ?? null,
    ownerId: mode !== 'anonymous' && citizen ? citizen.userId : null,
    reporter,
    files,
  };
}

/** Who filed, for duplicate detection: the account, else the guest's contact, else the address. */
function filerKey(checked: Checked, client: string): string {
  if (checked.ownerId) return `u:${checked.ownerId}`;
  const contact = checked.reporter?.email ?? checked.reporter?.phone;
  if (contact) return `c:${contact}`;
  return `ip:${client}`;
}

async function limitRate(ctx: AppContext, checked: Checked, client: string, now: Date): Promise<void> {
  const keys: [string, RateLimitRule][] = [[`complaint:file:client:${client}`, FILE_PER_CLIENT]];
  if (checked.ownerId) keys.push([`complaint:file:account:${checked.ownerId}`, FILE_PER_ACCOUNT]);
  for (const [key, rule] of keys) {
    const limit = await hitRateLimit(ctx.db, key, rule, now.getTime());
    if (!limit.allowed)
      throw new DomainError('auth.too_many_attempts', { retryAfterSeconds: limit.retryAfterSeconds });
  }
}

/**
 * Files a complaint. Refusals: `request.fields` (every problem of the form), the upload codes for a
 * bad file, `complaint.duplicate` (the same filer sent the same text in the last day; details name
 * the earlier number), `auth.too_many_attempts`.
 */
export async function fileComplaint(
  ctx: AppContext,
  principal: Principal | null,
  input: FilingInput,
  now: Date = new Date(),
): Promise<ComplaintReceipt> {
  const checked = await checkFiling(ctx, principal, input);
  await ctx.keyring.prepare([PLATFORM_SCOPE]);
  const dedupe = ctx.keyring.blindIndex(
    PLATFORM_SCOPE,
    'complaint-dedupe',
    `${filerKey(checked, input.client)}\n${normaliseText(checked.text)}`,
  );
  const earlier = await store.findDuplicate(
    ctx.db,
    dedupe,
    new Date(now.getTime() - DUPLICATE_WINDOW_MS).toISOString(),
  );
  if (earlier) throw new DomainError('complaint.duplicate', { number: earlier.number });
  await limitRate(ctx, checked, input.client, now);

  const calendar = await calendarFor(ctx, null);
  const start = complaintState(COMPLAINT_WORKFLOW.startState);
  const verifyBy =
    start?.slaDays === undefined ? null : calendar.deadline(now, start.slaDays, TIME_ZONE).toISOString();
  const at = now.toISOString();
  const recipient = await recipientOf(ctx, {
    ownerId: checked.ownerId,
    reporter: checked.reporter,
    lang: input.lang,
  });
  for (let attempt = 0; ; attempt++) {
    const id = newId(now.getTime());
    const number = newTrackingNumber(NUMBER_PREFIX, now).text;
    const secret = newSecret();
    try {
      await ctx.db.transaction().execute(async (trx) => {
        const enc = (text: string, column: string) =>
          ctx.keyring.encrypt(PLATFORM_SCOPE, text, `${column}:${id}`);
        await store.insertComplaint(trx, {
          id,
          number,
          secret_enc: enc(secret, 'complaints.secret'),
          mode: checked.mode,
          owner_bidx: checked.ownerId ? ownerIndex(ctx, checked.ownerId) : null,
          owner_enc: checked.ownerId ? enc(checked.ownerId, 'complaints.owner') : null,
          reporter_enc: checked.reporter
            ? enc(JSON.stringify(checked.reporter), 'complaints.reporter')
            : null,
          dedupe_bidx: dedupe,
          report_type: checked.reportType,
          category: checked.category,
          subject_kind: checked.subjectKind,
          service_id: checked.serviceId,
          application_id: checked.applicationId,
          target_agency_id: checked.agencyId,
          agency_id: null,
          region_code: checked.regionCode,
          text_enc: enc(checked.text, 'complaints.text'),
          public_text_enc: null,
          may_publish: input.mayPublish ? 1 : 0,
          published_at: null,
          lang: input.lang,
          state: COMPLAINT_WORKFLOW.startState,
          row_version: 1,
          appeals: 0,
          follow_ups: 0,
          created_at: at,
          updated_at: at,
          state_entered_at: at,
          state_due_at: verifyBy,
          auto_close_at: null,
          disposed_at: null,
          closed_at: null,
        });
        await store.insertEvent(trx, {
          id: newId(now.getTime()),
          complaint_id: id,
          kind: 'filed',
          action: null,
          from_state: null,
          to_state: COMPLAINT_WORKFLOW.startState,
          actor_id: null,
          actor_role: 'complainant',
          agency_id: null,
          comment_enc: null,
          created_at: at,
        });
        await storeAttachments(ctx, trx, id, checked.files, at);
        await appendAuditLeaf(
          trx,
          {
            type: 'complaint.filed',
            // Only a named complainant is named in the public log.
            actorId: checked.mode === 'named' ? checked.ownerId : null,
            agencyId: checked.agencyId,
            subjectId: id,
            facts: {
              mode: checked.mode,
              reportType: checked.reportType,
              category: checked.category,
              subject: checked.subjectKind,
              attachments: checked.files.length,
            },
          },
          now.getTime(),
        );
        await notifyComplainant(ctx, trx, recipient, 'complaint.filed', {
          number,
          dueDate: verifyBy?.slice(0, 10) ?? '-',
        });
      });
      return {
        id,
        number,
        secret,
        mode: checked.mode,
        state: COMPLAINT_WORKFLOW.startState,
        filedAt: at,
        verifyBy,
      };
    } catch (err) {
      // A number drawn twice: draw again.
      if (!isUniqueViolation(err) || attempt >= 3) throw err;
    }
  }
}
