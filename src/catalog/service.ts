/**
 * The service catalogue: services and their versions, draft → published (immutable) → retired.
 *
 * A service is an agency's slug; its versions are whole definition documents. There is at most one
 * draft and at most one published version per service: publishing a draft retires the version it
 * replaces, and applications keep the version they were filed under. Drafts may be incomplete (the
 * designer saves work in progress); only a definition that passes `validateDefinition` is published.
 * Publishing and retiring record who and when, in the version row and in the audit log.
 */
import { findAgencyRowBySlug } from '../agencies/store.ts';
import { appendAuditLeaf } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { hasRole, type Principal } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import type { Problem } from './problems.ts';
import { isRecord, numberAt, prop, stringAt } from './reader.ts';
import type { Category, LocalText, ServiceDefinition } from './schemas.ts';
import { buildSearchIndex, type SearchIndex, searchIndex } from './search.ts';
import * as store from './store.ts';
import { validateDefinition } from './validate.ts';

export type VersionStatus = store.VersionStatus;

/** Largest definition document accepted, as JSON text. The largest demo definition is ~40 KB. */
export const MAX_DEFINITION_BYTES = 512 * 1024;

/** Who changes the catalogue: a signed-in agency admin, or the operator at the command line (null). */
export type Actor = Principal | null;

export interface VersionSummary {
  version: number;
  status: VersionStatus;
  name: LocalText;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  publishedAt: string | null;
  publishedBy: string | null;
  retiredAt: string | null;
  retiredBy: string | null;
}

export interface StoredVersion extends VersionSummary {
  serviceId: string;
  versionId: string;
  slug: string;
  agencyId: string;
  /** The document as stored; a draft's may not validate. */
  definition: unknown;
}

/** What the public catalogue lists for one published service. */
export interface CatalogueEntry {
  slug: string;
  version: number;
  agency: { slug: string; name: LocalText };
  name: LocalText;
  description: LocalText;
  category: Category;
  tags: string[];
  /** 0 when the service is free. */
  feeRupiah: number;
  completionDays: number;
  product: LocalText;
  publishedAt: string;
}

export interface PublishedService {
  entry: CatalogueEntry;
  versionId: string;
  definition: ServiceDefinition;
}

export interface CatalogueQuery {
  q?: string;
  agency?: string;
  category?: string;
  page?: number;
  perPage?: number;
}

export interface CataloguePage {
  items: CatalogueEntry[];
  total: number;
  page: number;
  perPage: number;
}

/** A definition that cannot be published (or imported): every problem, with its path. */
export class DefinitionProblems extends DomainError {
  constructor(readonly problems: readonly Problem[]) {
    super('service.invalid', { count: problems.length, problems });
  }
}

function notFound(): DomainError {
  return new DomainError('not_found');
}

function textOf(value: unknown): LocalText | undefined {
  const id = stringAt(value, 'id');
  const en = stringAt(value, 'en');
  return id !== undefined && en !== undefined ? { id, en } : undefined;
}

/** The columns copied out of a document for listings; readable even from an incomplete draft. */
function columnsOf(definition: unknown, fallbackName: LocalText, fallbackCategory: string) {
  const standard = prop(definition, 'standard');
  const fee = prop(standard, 'fee');
  const kind = stringAt(fee, 'kind');
  const name = textOf(prop(definition, 'name')) ?? fallbackName;
  return {
    name_id: name.id,
    name_en: name.en,
    category: stringAt(definition, 'category') ?? fallbackCategory,
    completion_days: numberAt(standard, 'completionDays') ?? null,
    fee_rupiah: kind === 'free' ? 0 : kind === 'paid' ? (numberAt(fee, 'amountRupiah') ?? null) : null,
  };
}

function serialise(definition: unknown): string {
  const text = JSON.stringify(definition);
  if (Buffer.byteLength(text) > MAX_DEFINITION_BYTES)
    throw new DomainError('service.too_large', { maxBytes: MAX_DEFINITION_BYTES });
  return text;
}

function summaryOf(row: store.VersionRow): VersionSummary {
  return {
    version: row.version,
    status: row.status,
    name: { id: row.name_id, en: row.name_en },
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
    retiredAt: row.retired_at,
    retiredBy: row.retired_by,
  };
}

function storedOf(service: store.ServiceRow, row: store.VersionRow): StoredVersion {
  return {
    ...summaryOf(row),
    serviceId: service.id,
    versionId: row.id,
    slug: service.slug,
    agencyId: service.agency_id,
    definition: JSON.parse(row.definition) as unknown,
  };
}

/** Agency admins manage their own agency's services; the command-line operator manages all. */
export function canManage(actor: Actor, agencyId: string): boolean {
  return actor === null || hasRole(actor, 'agency_admin', agencyId);
}

function assertManages(actor: Actor, agencyId: string): void {
  if (!canManage(actor, agencyId)) throw new DomainError('auth.forbidden');
}

async function serviceFor(db: Db, slug: string, actor: Actor): Promise<store.ServiceRow> {
  const service = await store.findServiceBySlug(db, slug);
  if (!service) throw notFound();
  assertManages(actor, service.agency_id);
  return service;
}

/** The agency and slug a document names must be the service's own: they cannot be changed. */
function assertIdentity(definition: unknown, service: store.ServiceRow, agencySlug: string): void {
  if (stringAt(definition, 'slug') !== service.slug || stringAt(definition, 'agency') !== agencySlug)
    throw new DomainError('service.identity_mismatch', { slug: service.slug, agency: agencySlug });
}

async function agencySlugOf(db: Db, agencyId: string): Promise<string> {
  const agency = await db.selectFrom('agencies').select('slug').where('id', '=', agencyId).executeTakeFirst();
  if (!agency) throw notFound();
  return agency.slug;
}

function actorId(actor: Actor): string | null {
  return actor?.userId ?? null;
}

/**
 * Stores `definition` as the service's draft: replaces the current draft, or starts a new version
 * after the highest one. The service is created when it does not exist yet.
 */
async function writeDraft(
  trx: Db,
  actor: Actor,
  agencyId: string,
  slug: string,
  definition: unknown,
): Promise<{ versionId: string; version: number }> {
  const text = serialise(definition);
  const now = nowIso();
  let service = await store.findServiceBySlug(trx, slug);
  if (!service) {
    service = { id: newId(), agency_id: agencyId, slug, created_by: actorId(actor), created_at: now };
    await store.insertService(trx, service);
    await appendAuditLeaf(trx, {
      type: 'service.created',
      actorId: actorId(actor),
      agencyId,
      subjectId: service.id,
      facts: { slug },
    });
  }
  const draft = await store.findVersionByStatus(trx, service.id, 'draft');
  const columns = columnsOf(definition, { id: slug, en: slug }, 'other');
  if (draft) {
    await store.updateVersion(trx, draft.id, {
      definition: text,
      ...columns,
      updated_by: actorId(actor),
      updated_at: now,
    });
    return { versionId: draft.id, version: draft.version };
  }
  const version = (await store.highestVersion(trx, service.id)) + 1;
  const id = newId();
  await store.insertVersion(trx, {
    id,
    service_id: service.id,
    version,
    status: 'draft',
    definition: text,
    ...columns,
    created_by: actorId(actor),
    created_at: now,
    updated_by: actorId(actor),
    updated_at: now,
    published_by: null,
    published_at: null,
    retired_by: null,
    retired_at: null,
  });
  return { versionId: id, version };
}

async function publishVersion(trx: Db, actor: Actor, service: store.ServiceRow, draft: store.VersionRow) {
  const now = nowIso();
  const current = await store.findVersionByStatus(trx, service.id, 'published');
  if (current) {
    await store.updateVersion(trx, current.id, {
      status: 'retired',
      retired_by: actorId(actor),
      retired_at: now,
      updated_at: now,
    });
  }
  await store.updateVersion(trx, draft.id, {
    status: 'published',
    published_by: actorId(actor),
    published_at: now,
    updated_at: now,
  });
  await appendAuditLeaf(trx, {
    type: 'service.published',
    actorId: actorId(actor),
    agencyId: service.agency_id,
    subjectId: service.id,
    facts: { slug: service.slug, version: draft.version, replaces: current?.version ?? null },
  });
}

export interface ImportResult {
  slug: string;
  version: number;
  status: VersionStatus;
}

/**
 * Imports a whole definition (from a file or the API): it must validate; it becomes the service's
 * draft, and is published at once when `publish` is set.
 */
export async function importDefinition(
  ctx: AppContext,
  actor: Actor,
  input: unknown,
  options: { publish?: boolean } = {},
): Promise<ImportResult> {
  const checked = validateDefinition(input);
  if (!checked.ok) throw new DefinitionProblems(checked.problems);
  const definition = checked.definition;
  const agency = await findAgencyRowBySlug(ctx.db, definition.agency);
  if (!agency) throw new DomainError('service.unknown_agency', { agency: definition.agency });
  assertManages(actor, agency.id);
  const existing = await store.findServiceBySlug(ctx.db, definition.slug);
  if (existing && existing.agency_id !== agency.id)
    throw new DomainError('service.exists', { slug: definition.slug });
  return ctx.db.transaction().execute(async (trx) => {
    const { versionId, version } = await writeDraft(trx, actor, agency.id, definition.slug, definition);
    if (!options.publish) return { slug: definition.slug, version, status: 'draft' as const };
    const service = await store.findServiceBySlug(trx, definition.slug);
    const draft = await store.findVersionById(trx, versionId);
    if (!service || !draft) throw notFound();
    await publishVersion(trx, actor, service, draft);
    return { slug: definition.slug, version, status: 'published' as const };
  });
}

/**
 * Starts a new service from `definition` (the designer's starter document): the slug must be free
 * and the agency one the actor administers.
 */
export async function createService(
  ctx: AppContext,
  actor: Actor,
  agencyId: string,
  definition: unknown,
): Promise<ImportResult> {
  assertManages(actor, agencyId);
  const slug = stringAt(definition, 'slug');
  if (slug === undefined) throw new DomainError('request.invalid');
  if (await store.findServiceBySlug(ctx.db, slug)) throw new DomainError('service.exists', { slug });
  const agencySlug = await agencySlugOf(ctx.db, agencyId);
  if (stringAt(definition, 'agency') !== agencySlug)
    throw new DomainError('service.identity_mismatch', { slug, agency: agencySlug });
  const { version } = await ctx.db
    .transaction()
    .execute((trx) => writeDraft(trx, actor, agencyId, slug, definition));
  return { slug, version, status: 'draft' };
}

/** Saves the draft of an existing service (any document: the designer saves work in progress). */
export async function saveDraft(
  ctx: AppContext,
  actor: Actor,
  slug: string,
  definition: unknown,
): Promise<ImportResult> {
  const service = await serviceFor(ctx.db, slug, actor);
  if (!isRecord(definition)) throw new DomainError('request.invalid');
  assertIdentity(definition, service, await agencySlugOf(ctx.db, service.agency_id));
  const { version } = await ctx.db
    .transaction()
    .execute((trx) => writeDraft(trx, actor, service.agency_id, slug, definition));
  return { slug, version, status: 'draft' };
}

/**
 * The draft to edit: the existing one, or a new draft copied from the newest version (editing a
 * published service never changes it).
 */
export async function openDraft(ctx: AppContext, actor: Actor, slug: string): Promise<StoredVersion> {
  const service = await serviceFor(ctx.db, slug, actor);
  const draft = await store.findVersionByStatus(ctx.db, service.id, 'draft');
  if (draft) return storedOf(service, draft);
  const [newest] = await store.listVersionRows(ctx.db, service.id);
  if (!newest) throw notFound();
  const definition: unknown = JSON.parse(newest.definition);
  const { version } = await ctx.db
    .transaction()
    .execute((trx) => writeDraft(trx, actor, service.agency_id, slug, definition));
  const created = await store.findVersionRow(ctx.db, service.id, version);
  if (!created) throw notFound();
  return storedOf(service, created);
}

/** Publishes the draft; refused with every problem when it does not validate. */
export async function publishDraft(ctx: AppContext, actor: Actor, slug: string): Promise<ImportResult> {
  const service = await serviceFor(ctx.db, slug, actor);
  const draft = await store.findVersionByStatus(ctx.db, service.id, 'draft');
  if (!draft) throw new DomainError('service.no_draft', { slug });
  const definition: unknown = JSON.parse(draft.definition);
  const checked = validateDefinition(definition);
  if (!checked.ok) throw new DefinitionProblems(checked.problems);
  assertIdentity(definition, service, await agencySlugOf(ctx.db, service.agency_id));
  await ctx.db.transaction().execute((trx) => publishVersion(trx, actor, service, draft));
  return { slug, version: draft.version, status: 'published' };
}

/** Takes the published version out of the catalogue. Applications already filed keep it. */
export async function retireService(ctx: AppContext, actor: Actor, slug: string): Promise<ImportResult> {
  const service = await serviceFor(ctx.db, slug, actor);
  const current = await store.findVersionByStatus(ctx.db, service.id, 'published');
  if (!current) throw new DomainError('service.not_published', { slug });
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    await store.updateVersion(trx, current.id, {
      status: 'retired',
      retired_by: actorId(actor),
      retired_at: now,
      updated_at: now,
    });
    await appendAuditLeaf(trx, {
      type: 'service.retired',
      actorId: actorId(actor),
      agencyId: service.agency_id,
      subjectId: service.id,
      facts: { slug, version: current.version },
    });
  });
  return { slug, version: current.version, status: 'retired' };
}

/** Every version of a service, newest first. */
export async function listVersions(ctx: AppContext, actor: Actor, slug: string): Promise<VersionSummary[]> {
  const service = await serviceFor(ctx.db, slug, actor);
  return (await store.listVersionRows(ctx.db, service.id)).map(summaryOf);
}

/** One version with its document; without a number, the draft if any, else the newest. */
export async function getVersion(
  ctx: AppContext,
  actor: Actor,
  slug: string,
  version?: number,
): Promise<StoredVersion> {
  const service = await serviceFor(ctx.db, slug, actor);
  const row =
    version === undefined
      ? (await store.listVersionRows(ctx.db, service.id))[0]
      : await store.findVersionRow(ctx.db, service.id, version);
  if (!row) throw notFound();
  return storedOf(service, row);
}

export interface ManagedService {
  slug: string;
  agencyId: string;
  name: LocalText;
  versions: Array<Pick<VersionSummary, 'version' | 'status' | 'updatedAt' | 'publishedAt'>>;
}

/** The services an actor manages (an agency admin's agencies; everything for the operator). */
export async function listManagedServices(ctx: AppContext, actor: Actor): Promise<ManagedService[]> {
  const agencyIds =
    actor === null
      ? [null]
      : [
          ...new Set(
            actor.grants.filter((g) => g.role === 'agency_admin' && g.agencyId).map((g) => g.agencyId),
          ),
        ];
  const byslug = new Map<string, ManagedService>();
  for (const agencyId of agencyIds) {
    for (const row of await store.listServiceRows(ctx.db, agencyId)) {
      let service = byslug.get(row.slug);
      if (!service) {
        service = {
          slug: row.slug,
          agencyId: row.agency_id,
          name: { id: row.name_id, en: row.name_en },
          versions: [],
        };
        byslug.set(row.slug, service);
      }
      service.versions.push({
        version: row.version,
        status: row.status,
        updatedAt: row.updated_at,
        publishedAt: row.published_at,
      });
    }
  }
  return [...byslug.values()];
}

// ---------------------------------------------------------------------------------------------
// The public catalogue: published versions, kept in memory and rebuilt when the fingerprint of the
// versions table changes (one cheap query per request, so every node of a cluster sees a publish).

interface CatalogueSnapshot {
  fingerprint: string;
  services: PublishedService[];
  bySlug: Map<string, PublishedService>;
  index: SearchIndex;
}

/**
 * One snapshot per database handle read from: the primary's and, with DATABASE_REPLICA_URL, the
 * replica's (the same handle, and so one snapshot, without a replica).
 */
const snapshots = new WeakMap<Db, CatalogueSnapshot>();

function entryOf(row: Awaited<ReturnType<typeof store.listPublishedRows>>[number], d: ServiceDefinition) {
  const entry: CatalogueEntry = {
    slug: row.slug,
    version: row.version,
    agency: { slug: row.agency_slug, name: { id: row.agency_name_id, en: row.agency_name_en } },
    name: d.name,
    description: d.description,
    category: d.category,
    tags: d.tags ?? [],
    feeRupiah: d.standard.fee.kind === 'paid' ? d.standard.fee.amountRupiah : 0,
    completionDays: d.standard.completionDays,
    product: d.standard.product,
    publishedAt: row.published_at ?? '',
  };
  return entry;
}

async function catalogue(db: Db): Promise<CatalogueSnapshot> {
  const fingerprint = await store.catalogueFingerprint(db);
  const cached = snapshots.get(db);
  if (cached?.fingerprint === fingerprint) return cached;
  const pending = building.get(db);
  if (pending?.fingerprint === fingerprint) return pending.snapshot;
  const snapshot: Promise<CatalogueSnapshot> = buildSnapshot(db, fingerprint).finally(() => {
    if (building.get(db)?.snapshot === snapshot) building.delete(db);
  });
  building.set(db, { fingerprint, snapshot });
  return snapshot;
}

/**
 * Snapshots being built: a rebuild reads and indexes the whole catalogue (seconds with 10,000
 * services), so requests that arrive meanwhile wait for it rather than start their own.
 */
const building = new WeakMap<Db, { fingerprint: string; snapshot: Promise<CatalogueSnapshot> }>();

async function buildSnapshot(db: Db, fingerprint: string): Promise<CatalogueSnapshot> {
  const services = (await store.listPublishedRows(db)).map((row) => {
    // Published documents were validated before publishing and are never changed afterwards.
    const definition = JSON.parse(row.definition) as ServiceDefinition;
    return { entry: entryOf(row, definition), versionId: row.id, definition };
  });
  const index = buildSearchIndex(
    services.map(({ entry, definition }) => ({
      id: entry.slug,
      fields: [
        { text: `${entry.name.id} ${entry.name.en}`, weight: 3 },
        { text: [...entry.tags, entry.slug.replaceAll('-', ' ')].join(' '), weight: 2 },
        { text: `${entry.agency.name.id} ${entry.agency.name.en} ${entry.agency.slug}`, weight: 1 },
        {
          text: `${entry.description.id} ${entry.description.en} ${entry.product.id} ${entry.product.en} ${definition.output.documentName.id}`,
          weight: 1,
        },
      ],
    })),
  );
  const snapshot = {
    fingerprint,
    services,
    bySlug: new Map(services.map((s) => [s.entry.slug, s])),
    index,
  };
  snapshots.set(db, snapshot);
  return snapshot;
}

export const MAX_PER_PAGE = 100;

/**
 * Published services matching words (typo-tolerant), an agency and a category; best matches first.
 * Read from the replica when there is one: a listing may show a publish a moment late.
 */
export async function searchCatalogue(ctx: AppContext, query: CatalogueQuery): Promise<CataloguePage> {
  const snapshot = await catalogue(ctx.readDb);
  const words = query.q?.trim() ?? '';
  let entries =
    words === ''
      ? snapshot.services.map((s) => s.entry).sort((a, b) => a.name.id.localeCompare(b.name.id, 'id'))
      : searchIndex(snapshot.index, words).flatMap((hit) => {
          const found = snapshot.bySlug.get(hit.id);
          return found ? [found.entry] : [];
        });
  if (query.agency) entries = entries.filter((e) => e.agency.slug === query.agency);
  if (query.category) entries = entries.filter((e) => e.category === query.category);
  const perPage = Math.min(Math.max(query.perPage ?? 20, 1), MAX_PER_PAGE);
  const page = Math.max(query.page ?? 1, 1);
  return {
    items: entries.slice((page - 1) * perPage, page * perPage),
    total: entries.length,
    page,
    perPage,
  };
}

/**
 * The published version of a service, or not found. From the primary, never the replica: filing
 * takes the version it files under from here, which must be the one published now.
 */
export async function getPublished(ctx: AppContext, slug: string): Promise<PublishedService> {
  const found = (await catalogue(ctx.db)).bySlug.get(slug);
  if (!found) throw notFound();
  return found;
}
