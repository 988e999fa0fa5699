/**
 * Attachments of an application: checked by content (magic bytes, not the name or the declared
 * type), held to the field's size and count limits, named by an HMAC of the content under the
 * agency's key, and stored encrypted with their SHA-256 encrypted beside them. A refused upload
 * stores nothing.
 */
import { createHash } from 'node:crypto';
import type { FileField, ServiceDefinition } from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Principal } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import { currentDraftVersion, definitionOf, editorRow, scopeOf } from './service.ts';

/** The largest upload any field may allow (the definition schema's maximum, 20 MB). */
export const MAX_UPLOAD_BYTES = 20_480 * 1024;

const SIGNATURES: ReadonlyArray<{ mime: FileField['accept'][number]; magic: Buffer }> = [
  { mime: 'application/pdf', magic: Buffer.from('%PDF-', 'latin1') },
  { mime: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
  { mime: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
];

/** The type of a file from its first bytes, whatever it is called. */
export function sniffType(bytes: Buffer): FileField['accept'][number] | undefined {
  return SIGNATURES.find((s) => bytes.subarray(0, s.magic.length).equals(s.magic))?.mime;
}

/** A file field anywhere in the form (inside a repeating group too), by key. */
export function fileFieldOf(definition: ServiceDefinition, key: string): FileField | undefined {
  for (const section of definition.form.sections) {
    for (const field of section.fields) {
      if (field.type === 'file' && field.key === key) return field;
      if (field.type === 'group') {
        const inner = field.fields.find((f) => f.key === key);
        if (inner?.type === 'file') return inner;
      }
    }
  }
  return undefined;
}

export interface StoredUpload {
  id: string;
  field: string;
  mime: string;
  size: number;
}

/**
 * Stores a file for one field of a draft the uploader edits — the applicant's own, or a counter
 * draft the officer started for a walk-in citizen — or of the applicant's application in a state
 * where the applicant may edit (returned for revision).
 */
export async function uploadAttachment(
  ctx: AppContext,
  uploader: Principal,
  applicationId: string,
  fieldKey: string,
  bytes: Buffer,
): Promise<StoredUpload> {
  // A draft's files belong to the service version it is filed under: the current one.
  const { row, notice } = await currentDraftVersion(ctx, await editorRow(ctx, uploader, applicationId));
  if (notice?.kind === 'withdrawn') throw new DomainError('service.not_published');
  const { definition } = await definitionOf(ctx.db, row.service_version_id);
  const state = definition.workflow.states.find((s) => s.key === row.state);
  // Revision rounds are the applicant's own: the officer who filed at the counter does not answer them.
  const revising =
    row.stage === 'active' && state?.applicantCanEdit === true && row.applicant_id === uploader.userId;
  if (row.stage !== 'draft' && !revising) throw new DomainError('application.not_editable');
  const field = fileFieldOf(definition, fieldKey);
  if (!field) throw new DomainError('upload.unknown_field', { field: fieldKey });
  if (bytes.length === 0) throw new DomainError('upload.empty');
  if (bytes.length > field.maxSizeKb * 1024)
    throw new DomainError('upload.too_large', { maxKb: field.maxSizeKb });
  const mime = sniffType(bytes);
  if (!mime || !field.accept.includes(mime))
    throw new DomainError('upload.type_not_allowed', { accepted: field.accept.join(', ') });
  const id = await storeAttachment(ctx, {
    agencyId: row.agency_id,
    applicationId,
    uploaderId: uploader.userId,
    fieldKey,
    mime,
    bytes,
    maxFiles: field.maxFiles,
    // In a revision round the files kept from before stay part of the history; the limit is on
    // the replacements, so a field with one file can get a new one.
    countSince: row.stage !== 'draft' ? (row.state_entered_at ?? '') : undefined,
  });
  return { id, field: fieldKey, mime, size: bytes.length };
}

/**
 * Stores checked bytes as an attachment: named by an HMAC under the agency's key, encrypted, with
 * the SHA-256 encrypted beside it. Refused (`upload.too_many`, nothing stored) when the field
 * already holds `maxFiles` files (counted from `countSince` when given).
 */
export async function storeAttachment(
  ctx: AppContext,
  input: {
    agencyId: string;
    applicationId: string;
    uploaderId: string;
    fieldKey: string;
    mime: string;
    bytes: Buffer;
    maxFiles: number;
    countSince?: string;
  },
): Promise<string> {
  const scope = scopeOf(input.agencyId);
  await ctx.keyring.prepare([scope]);
  const id = newId();
  const { bytes } = input;
  const stored = await ctx.db.transaction().execute(async (trx) => {
    const count = await trx
      .selectFrom('attachments')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('application_id', '=', input.applicationId)
      .where('field_key', '=', input.fieldKey)
      .$if(input.countSince !== undefined, (q) => q.where('created_at', '>=', input.countSince ?? ''))
      .executeTakeFirst();
    if (Number(count?.n ?? 0) >= input.maxFiles) return false;
    await trx
      .insertInto('attachments')
      .values({
        id,
        agency_id: input.agencyId,
        application_id: input.applicationId,
        uploader_id: input.uploaderId,
        field_key: input.fieldKey,
        content_name: ctx.keyring.contentName(scope, bytes),
        mime: input.mime,
        size: bytes.length,
        sha256_enc: ctx.keyring.encrypt(
          scope,
          createHash('sha256').update(bytes).digest('hex'),
          `attachments.sha256:${id}`,
        ),
        data_enc: ctx.keyring.encryptBytes(scope, bytes, `attachments.data:${id}`),
        created_at: nowIso(),
      })
      .execute();
    return true;
  });
  if (!stored) throw new DomainError('upload.too_many', { maxFiles: input.maxFiles });
  return id;
}

/** The attachments of an application its editor sees (no content). */
export async function listAttachments(ctx: AppContext, editor: Principal, applicationId: string) {
  await editorRow(ctx, editor, applicationId);
  return ctx.db
    .selectFrom('attachments')
    .select(['id', 'field_key as field', 'mime', 'size', 'created_at as createdAt'])
    .where('application_id', '=', applicationId)
    .orderBy('created_at')
    .execute();
}

/**
 * An attachment's content, checked against its recorded SHA-256. Who may read it is the caller's
 * decision (the applicant, or agency staff through the inbox, which logs the access).
 */
export async function readAttachment(
  ctx: AppContext,
  applicationId: string,
  attachmentId: string,
): Promise<{ mime: string; bytes: Buffer }> {
  const row = await ctx.db
    .selectFrom('attachments')
    .selectAll()
    .where('id', '=', attachmentId)
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  if (!row) throw new DomainError('not_found');
  const bytes = await ctx.keyring.decryptBytes(Buffer.from(row.data_enc), `attachments.data:${row.id}`);
  const expected = await ctx.keyring.decrypt(row.sha256_enc, `attachments.sha256:${row.id}`);
  if (createHash('sha256').update(bytes).digest('hex') !== expected) throw new DomainError('upload.corrupt');
  return { mime: row.mime, bytes };
}

/** Removes an attachment from a draft its editor fills in. */
export async function deleteAttachment(
  ctx: AppContext,
  editor: Principal,
  applicationId: string,
  attachmentId: string,
): Promise<void> {
  const row = await editorRow(ctx, editor, applicationId);
  if (row.stage !== 'draft') throw new DomainError('application.not_editable');
  const removed = await ctx.db
    .deleteFrom('attachments')
    .where('id', '=', attachmentId)
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  if (Number(removed.numDeletedRows) !== 1) throw new DomainError('not_found');
}
