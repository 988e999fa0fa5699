import type { Agency, NewAgency } from '../agencies/schemas.ts';
import { AgencyExists, createAgency, listAgencies, setAgencyDpo } from '../agencies/service.ts';
import { insertUnit } from '../agencies/store.ts';
import { appendAuditLeaf } from '../audit/log.ts';
import { rotateHeadKey } from '../audit/sequencer.ts';
import { type PublicKeyInfo, publishedKeys, STH_KEY_PURPOSE } from '../audit/signing.ts';
import { addHoliday } from '../calendar/service.ts';
import type { AppContext } from '../context.ts';
import { newId, nowIso } from '../db/ids.ts';
import { documentKeyPurpose, rotateDocumentKey } from '../documents/signer.ts';
import { parseContact } from '../identity/contact.ts';
import { DomainError, FieldErrors, type FieldProblem } from '../web/domain-error.ts';
import * as store from './store.ts';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function problem(field: string, code: string, id: string, en: string): FieldProblem {
  return { field, code, message: { id, en } };
}

export interface NewUnit {
  slug: string;
  nameId: string;
  nameEn: string;
}

function checkUnitInput(unit: NewUnit, prefix: string, problems: FieldProblem[]): void {
  if (!SLUG.test(unit.slug) || unit.slug.length > 60)
    problems.push(
      problem(
        `${prefix}slug`,
        'invalid',
        'Alamat unit hanya huruf kecil, angka dan tanda hubung, misalnya bidang-pelayanan.',
        'The unit address takes lower-case letters, digits and hyphens only, like service-division.',
      ),
    );
  if (unit.nameId.trim().length < 3)
    problems.push(
      problem(
        `${prefix}nameId`,
        'required',
        'Tulis nama unit dalam bahasa Indonesia.',
        'Enter the unit name in Indonesian.',
      ),
    );
  if (unit.nameEn.trim().length < 3)
    problems.push(
      problem(
        `${prefix}nameEn`,
        'required',
        'Tulis nama unit dalam bahasa Inggris.',
        'Enter the unit name in English.',
      ),
    );
}

/**
 * Creates an agency (with its units) after checking every field, so the form can point at each
 * problem instead of failing on a database constraint.
 */
export async function createAgencyChecked(
  ctx: AppContext,
  actorId: string,
  input: NewAgency,
): Promise<string> {
  const problems: FieldProblem[] = [];
  if (!SLUG.test(input.slug) || input.slug.length > 60)
    problems.push(
      problem(
        'slug',
        'invalid',
        'Alamat instansi hanya huruf kecil, angka dan tanda hubung, misalnya dinas-kesehatan.',
        'The agency address takes lower-case letters, digits and hyphens only, like health-office.',
      ),
    );
  if (!/^[A-Z]{2,5}$/.test(input.code))
    problems.push(
      problem(
        'code',
        'invalid',
        'Kode instansi 2–5 huruf besar, misalnya DKS.',
        'The agency code is 2–5 capital letters, like DKS.',
      ),
    );
  else if (await store.agencyCodeTaken(ctx.db, input.code))
    problems.push(
      problem(
        'code',
        'taken',
        'Kode itu sudah dipakai instansi lain.',
        'Another agency already uses that code.',
      ),
    );
  if (input.nameId.trim().length < 3)
    problems.push(
      problem(
        'nameId',
        'required',
        'Tulis nama instansi dalam bahasa Indonesia.',
        'Enter the agency name in Indonesian.',
      ),
    );
  if (input.nameEn.trim().length < 3)
    problems.push(
      problem(
        'nameEn',
        'required',
        'Tulis nama instansi dalam bahasa Inggris.',
        'Enter the agency name in English.',
      ),
    );
  input.units.forEach((unit, i) => {
    checkUnitInput(unit, i === 0 ? 'unit' : `unit${i}`, problems);
  });
  if (problems.length > 0) throw new FieldErrors(problems);
  try {
    return await createAgency(
      ctx,
      { ...input, nameId: input.nameId.trim(), nameEn: input.nameEn.trim() },
      actorId,
    );
  } catch (err) {
    if (err instanceof AgencyExists)
      throw new FieldErrors([
        problem(
          'slug',
          'taken',
          'Sudah ada instansi dengan alamat itu.',
          'An agency with that address already exists.',
        ),
      ]);
    throw err;
  }
}

export interface DpoInput {
  agency: string;
  name: string;
  email: string;
  phone: string;
}

/** Names an agency's data protection officer after checking every field of the form. */
export async function setDpoChecked(ctx: AppContext, actorId: string, input: DpoInput): Promise<void> {
  const problems: FieldProblem[] = [];
  const agency = (await listAgencies(ctx)).find((a) => a.slug === input.agency);
  if (!agency) problems.push(problem('dpoagency', 'required', 'Pilih instansinya.', 'Choose the agency.'));
  if (input.name.trim().length < 3)
    problems.push(
      problem(
        'dponame',
        'required',
        'Tulis nama atau jabatan pejabat pelindungan data.',
        'Enter the name or title of the data protection officer.',
      ),
    );
  if (parseContact(input.email)?.kind !== 'email')
    problems.push(
      problem(
        'dpoemail',
        'invalid',
        'Tulis alamat email yang benar, misalnya ppd@instansi.go.id.',
        'Enter a valid e-mail address, like dpo@agency.go.id.',
      ),
    );
  const phone = input.phone.trim();
  if (phone !== '' && !/^\+?[0-9 ()-]{6,20}$/.test(phone))
    problems.push(
      problem(
        'dpophone',
        'invalid',
        'Nomor telepon kantor hanya angka, spasi, tanda kurung dan tanda hubung, misalnya (0271) 123456.',
        'The office telephone takes digits, spaces, brackets and hyphens only, like (0271) 123456.',
      ),
    );
  if (problems.length > 0 || !agency) throw new FieldErrors(problems);
  await setAgencyDpo(
    ctx,
    agency.slug,
    { name: input.name.trim(), email: input.email.trim(), ...(phone ? { phone } : {}) },
    actorId,
  );
}

async function agencyBySlug(ctx: AppContext, slug: string): Promise<Agency> {
  const agency = (await listAgencies(ctx)).find((a) => a.slug === slug);
  if (!agency) throw new DomainError('not_found');
  return agency;
}

/** Adds a unit to an agency; an audit leaf records it. Field problems are named `addslug`, `addnameId`, `addnameEn`. */
export async function addUnit(
  ctx: AppContext,
  actorId: string,
  agencySlug: string,
  unit: NewUnit,
): Promise<string> {
  const agency = await agencyBySlug(ctx, agencySlug);
  const problems: FieldProblem[] = [];
  checkUnitInput(unit, 'add', problems);
  if (problems.length === 0 && (await store.unitSlugTaken(ctx.db, agency.id, unit.slug)))
    problems.push(
      problem(
        'addslug',
        'taken',
        'Instansi ini sudah punya unit dengan alamat itu.',
        'This agency already has a unit with that address.',
      ),
    );
  if (problems.length > 0) throw new FieldErrors(problems);
  const id = newId();
  await ctx.db.transaction().execute(async (trx) => {
    await insertUnit(trx, {
      id,
      agency_id: agency.id,
      slug: unit.slug,
      name_id: unit.nameId.trim(),
      name_en: unit.nameEn.trim(),
      created_at: nowIso(),
    });
    await appendAuditLeaf(trx, {
      type: 'unit.created',
      actorId,
      agencyId: agency.id,
      subjectId: id,
      facts: { slug: unit.slug },
    });
  });
  return id;
}

export interface KeyOverview {
  audit: PublicKeyInfo[];
  agencies: { agency: Agency; keys: PublicKeyInfo[] }[];
}

/** Every signing key: the audit log's tree-head keys and each agency's document keys, old ones included. */
export async function listSigningKeys(ctx: AppContext): Promise<KeyOverview> {
  const agencies = await listAgencies(ctx);
  const out: KeyOverview = { audit: await publishedKeys(ctx.db, STH_KEY_PURPOSE), agencies: [] };
  for (const agency of agencies)
    out.agencies.push({ agency, keys: await publishedKeys(ctx.db, documentKeyPurpose(agency.id)) });
  return out;
}

/**
 * Replaces the tree-head signing key (under the sequencer lock, as `gapura audit rotate-key` does);
 * the old key stays published for the heads it signed. The rotation is an audit leaf of its own.
 */
export async function rotateAuditKey(ctx: AppContext, actorId: string): Promise<string> {
  const keyId = await rotateHeadKey(ctx);
  await ctx.db.transaction().execute(async (trx) => {
    await appendAuditLeaf(trx, {
      type: 'audit.key_rotated',
      actorId,
      agencyId: null,
      subjectId: keyId,
      facts: { purpose: STH_KEY_PURPOSE },
    });
  });
  return keyId;
}

/** Replaces an agency's document key, with its audit leaf, in one transaction. */
export async function rotateAgencyDocumentKey(
  ctx: AppContext,
  actorId: string,
  agencySlug: string,
): Promise<string> {
  const agency = await agencyBySlug(ctx, agencySlug);
  return ctx.db.transaction().execute(async (trx) => {
    const key = await rotateDocumentKey({ db: trx, keyring: ctx.keyring }, agency.id);
    await appendAuditLeaf(trx, {
      type: 'document.key_rotated',
      actorId,
      agencyId: agency.id,
      subjectId: key.keyId,
      facts: { purpose: key.purpose },
    });
    return key.keyId;
  });
}

export interface HolidayForm {
  date: string;
  kind: string;
  nameId: string;
  nameEn: string;
  /** Agency slug, for a regional holiday only; empty otherwise. */
  agency: string;
}

/** Adds a holiday from the platform form, pointing at each wrong field (the calendar service adds the audit leaf). */
export async function addHolidayChecked(
  ctx: AppContext,
  actorId: string,
  input: HolidayForm,
): Promise<string> {
  const problems: FieldProblem[] = [];
  const date = input.date.trim();
  const validDate =
    /^\d{4}-\d{2}-\d{2}$/.test(date) && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
  if (!validDate)
    problems.push(
      problem(
        'date',
        'invalid',
        'Tulis tanggal yang ada, misalnya 2026-08-17.',
        'Enter a real date, like 2026-08-17.',
      ),
    );
  const kind = input.kind;
  if (kind !== 'national' && kind !== 'cuti_bersama' && kind !== 'regional')
    problems.push(problem('kind', 'invalid', 'Pilih jenis hari libur.', 'Choose the kind of holiday.'));
  if (input.nameId.trim().length < 2)
    problems.push(
      problem(
        'nameId',
        'required',
        'Tulis nama hari libur dalam bahasa Indonesia.',
        'Enter the name in Indonesian.',
      ),
    );
  if (input.nameEn.trim().length < 2)
    problems.push(
      problem(
        'nameEn',
        'required',
        'Tulis nama hari libur dalam bahasa Inggris.',
        'Enter the name in English.',
      ),
    );
  let agencyId: string | null = null;
  if (kind === 'regional') {
    const agency = (await listAgencies(ctx)).find((a) => a.slug === input.agency);
    if (!agency)
      problems.push(
        problem(
          'agency',
          'required',
          'Libur daerah harus menyebut instansinya.',
          'A regional holiday names its agency.',
        ),
      );
    agencyId = agency?.id ?? null;
  } else if (input.agency !== '') {
    problems.push(
      problem(
        'agency',
        'not_regional',
        'Hanya libur daerah yang menyebut instansi.',
        'Only a regional holiday names an agency.',
      ),
    );
  }
  if (problems.length > 0 || (kind !== 'national' && kind !== 'cuti_bersama' && kind !== 'regional'))
    throw new FieldErrors(problems);
  return addHoliday(
    ctx,
    { date, kind, nameId: input.nameId.trim(), nameEn: input.nameEn.trim(), agencyId },
    actorId,
  );
}

/** Regional holidays of every agency in a year, with the agency's name. */
export async function regionalHolidaysOf(ctx: AppContext, year: number) {
  const rows = await store.regionalHolidays(ctx.db, year);
  const agencies = await listAgencies(ctx);
  return rows.map((r) => ({
    id: r.id,
    date: r.date,
    name: { id: r.name_id, en: r.name_en },
    agencyName: agencies.find((a) => a.id === r.agency_id)?.name ?? { id: '', en: '' },
  }));
}
