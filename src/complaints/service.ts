/**
 * Who may reach a complaint, and how: the complainant through their account or the tracking number
 * and secret, the platform's complaint admin always, the complaint handler and supervisor of the
 * agency it was disposed to (staff of another agency are told it does not exist), and the public
 * only through its published page. Also how the complainant is reached: in-app and by the
 * account's e-mail or phone, by the contact a guest gave, never for an anonymous report.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseTrackingNumber } from '../applications/tracking.ts';
import type { AgencyTimeZone } from '../calendar/calendar.ts';
import type { AppContext } from '../context.ts';
import { PLATFORM_SCOPE } from '../crypto/keyring.ts';
import type { Db } from '../db/database.ts';
import { hitRateLimit } from '../identity/rate-limit.ts';
import { hasRole, type Principal } from '../identity/roles.ts';
import { contactChannels, displayName } from '../identity/service.ts';
import { notify } from '../notifications/service.ts';
import type { TemplateName } from '../notifications/templates.ts';
import { DomainError } from '../web/domain-error.ts';
import type { Lang } from '../web/i18n/index.ts';
import type { ComplaintRow } from './store.ts';
import * as store from './store.ts';

/** The platform's time zone: the complaint admin's deadlines run on the national calendar in WIB. */
export const TIME_ZONE: AgencyTimeZone = 'Asia/Jakarta';
/** Wrong tracking secrets allowed per number and per client in a quarter of an hour. */
const TRACK_LIMIT = { limit: 10, windowMs: 15 * 60_000 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A guest's identity on a confidential report (stored encrypted as this JSON). */
const ReporterSchema = Type.Object({
  name: Type.String(),
  email: Type.Optional(Type.String()),
  phone: Type.Optional(Type.String()),
});
export type Reporter = Static<typeof ReporterSchema>;

/** Who a complaint's notifications go to; null for an anonymous report. */
export interface Recipient {
  userId: string | null;
  email?: string;
  sms?: string;
  lang: Lang;
}

/** The blind index of the account a complaint was filed under. */
export function ownerIndex(ctx: AppContext, userId: string): string {
  return ctx.keyring.blindIndex(PLATFORM_SCOPE, 'complaint-owner', userId);
}

export async function ownerOf(ctx: AppContext, row: ComplaintRow): Promise<string | null> {
  return row.owner_enc ? ctx.keyring.decrypt(row.owner_enc, `complaints.owner:${row.id}`) : null;
}

export async function reporterOf(ctx: AppContext, row: ComplaintRow): Promise<Reporter | null> {
  if (!row.reporter_enc) return null;
  const parsed: unknown = JSON.parse(
    await ctx.keyring.decrypt(row.reporter_enc, `complaints.reporter:${row.id}`),
  );
  return Value.Check(ReporterSchema, parsed) ? parsed : null;
}

/** Where to tell the complainant; read before a transaction (decrypting may load keys). */
export async function recipientOf(
  ctx: AppContext,
  who: { ownerId: string | null; reporter: Reporter | null; lang: Lang },
): Promise<Recipient | null> {
  if (who.ownerId)
    return { userId: who.ownerId, ...(await contactChannels(ctx, who.ownerId)), lang: who.lang };
  if (who.reporter)
    return {
      userId: null,
      ...(who.reporter.email ? { email: who.reporter.email } : {}),
      ...(who.reporter.phone ? { sms: who.reporter.phone } : {}),
      lang: who.lang,
    };
  return null;
}

export async function recipientOfRow(ctx: AppContext, row: ComplaintRow): Promise<Recipient | null> {
  return recipientOf(ctx, {
    ownerId: await ownerOf(ctx, row),
    reporter: await reporterOf(ctx, row),
    lang: row.lang,
  });
}

/** Tells the complainant, in the caller's transaction; an anonymous complainant reads the tracking page. */
export async function notifyComplainant(
  ctx: AppContext,
  trx: Db,
  recipient: Recipient | null,
  template: TemplateName,
  params: Record<string, string | number>,
): Promise<void> {
  if (!recipient) return;
  await notify(ctx, trx, {
    template,
    lang: recipient.lang,
    userId: recipient.userId,
    channels: {
      inApp: recipient.userId !== null,
      ...(recipient.email ? { email: recipient.email } : {}),
      ...(recipient.sms ? { sms: recipient.sms } : {}),
    },
    params,
  });
}

/** A complaint number as typed (any case, spaces, O for 0), or undefined when it is not one. */
export function parseComplaintNumber(input: string): string | undefined {
  const parsed = parseTrackingNumber(input);
  return parsed?.agencyCode === 'ADU' ? parsed.text : undefined;
}

/**
 * The complaint of a number and secret (the receipt's). An unknown number and a wrong secret get
 * the same answer, and both count against the client's and the number's limits.
 */
export async function trackedRow(
  ctx: AppContext,
  input: { number: string; secret: string; client: string },
): Promise<ComplaintRow> {
  const number = parseComplaintNumber(input.number);
  const numberKey = number ?? createHash('sha256').update(input.number).digest('base64url');
  for (const key of [`complaint:track:client:${input.client}`, `complaint:track:number:${numberKey}`]) {
    const limit = await hitRateLimit(ctx.db, key, TRACK_LIMIT);
    if (!limit.allowed)
      throw new DomainError('auth.too_many_attempts', { retryAfterSeconds: limit.retryAfterSeconds });
  }
  const row = number ? await store.findByNumber(ctx.db, number) : undefined;
  const expected = row
    ? await ctx.keyring.decrypt(row.secret_enc, `complaints.secret:${row.id}`)
    : 'x'.repeat(8);
  const given = Buffer.from(input.secret.toUpperCase().replace(/[\s-]/g, '').slice(0, 32));
  const wanted = Buffer.from(expected);
  if (!row || given.length !== wanted.length || !timingSafeEqual(given, wanted))
    throw new DomainError('complaint.track_failed');
  return row;
}

/** One of the citizen's own complaints (named or confidential under their account). */
export async function ownRow(ctx: AppContext, citizen: Principal, id: string): Promise<ComplaintRow> {
  const row = UUID.test(id) ? await store.findById(ctx.db, id) : undefined;
  await ctx.keyring.prepare([PLATFORM_SCOPE]);
  if (!row || row.owner_bidx === null || row.owner_bidx !== ownerIndex(ctx, citizen.userId))
    throw new DomainError('not_found');
  return row;
}

export async function listOwnRows(ctx: AppContext, citizen: Principal): Promise<ComplaintRow[]> {
  await ctx.keyring.prepare([PLATFORM_SCOPE]);
  return store.listByOwner(ctx.db, ownerIndex(ctx, citizen.userId));
}

/** Agency roles that work a disposed complaint. */
export const AGENCY_COMPLAINT_ROLES = ['complaint_handler', 'supervisor'] as const;

/** The agencies whose complaint inbox the principal works. */
export function inboxAgencies(principal: Principal): string[] {
  return [
    ...new Set(
      principal.grants.flatMap((g) =>
        (AGENCY_COMPLAINT_ROLES as readonly string[]).includes(g.role) && g.agencyId ? [g.agencyId] : [],
      ),
    ),
  ];
}

export function isComplaintAdmin(principal: Principal): boolean {
  return hasRole(principal, 'complaint_admin');
}

/** Whether staff may see the complaint: the complaint admin, or the agency it was disposed to. */
export function isVisibleToStaff(principal: Principal, row: Pick<ComplaintRow, 'agency_id' | 'disposed_at'>) {
  if (isComplaintAdmin(principal)) return true;
  return (
    row.agency_id !== null && row.disposed_at !== null && inboxAgencies(principal).includes(row.agency_id)
  );
}

export async function staffRow(ctx: AppContext, principal: Principal, id: string): Promise<ComplaintRow> {
  const row = UUID.test(id) ? await store.findById(ctx.db, id) : undefined;
  if (!row || !isVisibleToStaff(principal, row)) throw new DomainError('not_found');
  return row;
}

/** The complaint of a published page; unpublished, unknown and withheld ones are all "not found". */
export async function publishedRow(ctx: AppContext, numberText: string): Promise<ComplaintRow> {
  const number = parseComplaintNumber(numberText);
  const row = number ? await store.findByNumber(ctx.db, number) : undefined;
  if (row?.may_publish !== 1 || row.published_at === null || row.public_text_enc === null)
    throw new DomainError('not_found');
  return row;
}

/** Who filed, as complaint staff may see it: the account's name and contacts, a guest's, or none. */
export async function identityOf(ctx: AppContext, row: ComplaintRow): Promise<Reporter | null> {
  if (row.mode === 'anonymous') return null;
  const ownerId = await ownerOf(ctx, row);
  if (ownerId) {
    const name = (await displayName(ctx, ownerId)) ?? '';
    const channels = await contactChannels(ctx, ownerId);
    return {
      name,
      ...(channels.email ? { email: channels.email } : {}),
      ...(channels.sms ? { phone: channels.sms } : {}),
    };
  }
  return reporterOf(ctx, row);
}
