import { appendAuditLeaf } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import { newId, nowIso } from '../db/ids.ts';
import { DomainError } from '../web/domain-error.ts';
import type { Agency, Dpo, NewAgency } from './schemas.ts';
import * as store from './store.ts';

export class AgencyExists extends DomainError {
  constructor(slug: string) {
    super('agency.exists', { slug });
  }
}

/** The data protection officer of an agency row, or null while none is named. */
export function dpoOf(row: {
  dpo_name: string | null;
  dpo_email: string | null;
  dpo_phone: string | null;
}): Dpo | null {
  if (!row.dpo_name || !row.dpo_email) return null;
  return { name: row.dpo_name, email: row.dpo_email, ...(row.dpo_phone ? { phone: row.dpo_phone } : {}) };
}

function dpoColumns(dpo: Dpo | undefined) {
  return {
    dpo_name: dpo?.name.trim() ?? null,
    dpo_email: dpo?.email.trim().toLowerCase() ?? null,
    dpo_phone: dpo?.phone?.trim() || null,
  };
}

/** Names (or replaces) an agency's data protection officer; an audit leaf records it. */
export async function setAgencyDpo(ctx: AppContext, slug: string, dpo: Dpo, actorId: string): Promise<void> {
  const row = await store.findAgencyRowBySlug(ctx.db, slug);
  if (!row) throw new DomainError('not_found');
  await ctx.db.transaction().execute(async (trx) => {
    await store.updateDpo(trx, row.id, dpoColumns(dpo));
    // The officer's work contact is public; the leaf commits to it without spelling it out.
    await appendAuditLeaf(trx, {
      type: 'agency.dpo_set',
      actorId,
      agencyId: row.id,
      subjectId: row.id,
      personal: dpoColumns(dpo),
    });
  });
}

/** Every agency with its units, for the public list. */
export async function listAgencies(ctx: AppContext): Promise<Agency[]> {
  const agencies = await store.listAgencyRows(ctx.db);
  const units = await store.listUnitRows(
    ctx.db,
    agencies.map((a) => a.id),
  );
  return agencies.map((a) => ({
    id: a.id,
    slug: a.slug,
    code: a.code,
    name: { id: a.name_id, en: a.name_en },
    timezone: a.timezone === 'Asia/Makassar' || a.timezone === 'Asia/Jayapura' ? a.timezone : 'Asia/Jakarta',
    dpo: dpoOf(a),
    units: units
      .filter((u) => u.agency_id === a.id)
      .map((u) => ({ id: u.id, slug: u.slug, name: { id: u.name_id, en: u.name_en } })),
  }));
}

/** Creates an agency and its units; an audit leaf records it. */
export async function createAgency(
  ctx: AppContext,
  input: NewAgency,
  actorId: string | null,
): Promise<string> {
  if (await store.findAgencyRowBySlug(ctx.db, input.slug)) throw new AgencyExists(input.slug);
  const id = newId();
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    await store.insertAgency(trx, {
      id,
      slug: input.slug,
      code: input.code,
      name_id: input.nameId,
      name_en: input.nameEn,
      timezone: input.timezone,
      ...dpoColumns(input.dpo),
      created_at: now,
    });
    for (const unit of input.units) {
      await store.insertUnit(trx, {
        id: newId(),
        agency_id: id,
        slug: unit.slug,
        name_id: unit.nameId,
        name_en: unit.nameEn,
        created_at: now,
      });
    }
    await appendAuditLeaf(trx, {
      type: 'agency.created',
      actorId,
      agencyId: id,
      subjectId: id,
      facts: { slug: input.slug },
    });
  });
  await ctx.keyring.prepare([id]);
  return id;
}

export async function findAgencyIdBySlug(ctx: AppContext, slug: string): Promise<string | undefined> {
  return (await store.findAgencyRowBySlug(ctx.db, slug))?.id;
}

/** The names, in both languages, of the agencies given by id (unknown ids are left out). */
export async function agencyNames(
  ctx: AppContext,
  ids: readonly string[],
): Promise<Map<string, { id: string; en: string }>> {
  const rows = await store.findAgencyRowsByIds(ctx.db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, { id: r.name_id, en: r.name_en }]));
}
