/**
 * A complaint's attachments (up to three photos or PDFs as evidence): checked like an application's
 * uploads — by content, not by name or declared type, and against a size limit — then stored
 * encrypted under the platform key with their SHA-256 encrypted beside them. A file that fails a
 * check refuses the whole filing: nothing is stored.
 */
import { createHash } from 'node:crypto';
import { sniffType } from '../applications/uploads.ts';
import type { AppContext } from '../context.ts';
import { PLATFORM_SCOPE } from '../crypto/keyring.ts';
import type { Db } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import { DomainError } from '../web/domain-error.ts';
import * as store from './store.ts';

export const MAX_ATTACHMENTS = 3;
/** Largest attachment, in bytes: a phone photo fits. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;

export interface CheckedFile {
  mime: string;
  bytes: Buffer;
}

/**
 * Checks the files of a filing, refusing with the application uploads' codes (`upload.empty`,
 * `upload.too_large`, `upload.type_not_allowed`, `upload.too_many`) so people read the same messages.
 */
export function checkAttachments(files: readonly Buffer[]): CheckedFile[] {
  if (files.length > MAX_ATTACHMENTS) throw new DomainError('upload.too_many', { maxFiles: MAX_ATTACHMENTS });
  return files.map((bytes) => {
    if (bytes.length === 0) throw new DomainError('upload.empty');
    if (bytes.length > MAX_ATTACHMENT_BYTES)
      throw new DomainError('upload.too_large', { maxKb: MAX_ATTACHMENT_BYTES / 1024 });
    const mime = sniffType(bytes);
    if (!mime || !(ATTACHMENT_TYPES as readonly string[]).includes(mime))
      throw new DomainError('upload.type_not_allowed', { accepted: ATTACHMENT_TYPES.join(', ') });
    return { mime, bytes };
  });
}

/** Stores checked files in the filing's transaction (the platform key must be prepared). */
export async function storeAttachments(
  ctx: AppContext,
  trx: Db,
  complaintId: string,
  files: readonly CheckedFile[],
  at: string,
): Promise<void> {
  for (const file of files) {
    const id = newId();
    await store.insertAttachment(trx, {
      id,
      complaint_id: complaintId,
      content_name: ctx.keyring.contentName(PLATFORM_SCOPE, file.bytes),
      mime: file.mime,
      size: file.bytes.length,
      sha256_enc: ctx.keyring.encrypt(
        PLATFORM_SCOPE,
        createHash('sha256').update(file.bytes).digest('hex'),
        `complaint_attachments.sha256:${id}`,
      ),
      data_enc: ctx.keyring.encryptBytes(PLATFORM_SCOPE, file.bytes, `complaint_attachments.data:${id}`),
      created_at: at,
    });
  }
}

/** An attachment's content, checked against its recorded SHA-256; who may read it is the caller's decision. */
export async function readAttachment(
  ctx: AppContext,
  complaintId: string,
  attachmentId: string,
): Promise<{ mime: string; bytes: Buffer }> {
  const row = /^[0-9a-f-]{36}$/.test(attachmentId)
    ? await store.findAttachment(ctx.db, complaintId, attachmentId)
    : undefined;
  if (!row) throw new DomainError('not_found');
  const bytes = await ctx.keyring.decryptBytes(
    Buffer.from(row.data_enc),
    `complaint_attachments.data:${row.id}`,
  );
  const expected = await ctx.keyring.decrypt(row.sha256_enc, `complaint_attachments.sha256:${row.id}`);
  if (createHash('sha256').update(bytes).digest('hex') !== expected) throw new DomainError('upload.corrupt');
  return { mime: row.mime, bytes };
}
