import type { FileField } from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';
import type { Principal } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import { actionDocumentKey, fromStates, isAgencyStaff, mayTake, visibleRow } from './processing.ts';
import { definitionOf } from './service.ts';
import { type StoredUpload, sniffType, storeAttachment } from './uploads.ts';

export const OFFICER_DOCUMENT_MAX_KB = 10_240;
export const OFFICER_DOCUMENT_TYPES: readonly FileField['accept'][number][] = [
  'application/pdf',
  'image/jpeg',
  'image/png',
];
/** Refused actions keep their uploaded document, so retries rarely upload again; this bounds the rest. */
const MAX_DOCUMENTS_PER_ACTION = 20;

/**
 * Stores a document for an action the officer may take on the application now. Refusals: not
 * visible or not agency staff (`not_found`), not active (`application.closed` /
 * `application.not_submitted`), no such action from this state or one that needs no document
 * (`application.action_unavailable`), a role that may not take it (`auth.forbidden`), and the file
 * checks (`upload.empty`, `upload.too_large`, `upload.type_not_allowed`, `upload.too_many`).
 */
export async function uploadOfficerDocument(
  ctx: AppContext,
  officer: Principal,
  applicationId: string,
  actionKey: string,
  bytes: Buffer,
): Promise<StoredUpload> {
  const row = await visibleRow(ctx, officer, applicationId);
  if (!isAgencyStaff(officer, row.agency_id)) throw new DomainError('not_found');
  if (row.stage === 'closed') throw new DomainError('application.closed');
  if (row.stage !== 'active' || row.state === null) throw new DomainError('application.not_submitted');
  const { definition } = await definitionOf(ctx.db, row.service_version_id);
  const action = definition.workflow.actions.find((a) => a.key === actionKey);
  if (!action?.requiresDocument || !fromStates(action).includes(row.state))
    throw new DomainError('application.action_unavailable', { state: row.state });
  if (!mayTake(action, officer, row)) throw new DomainError('auth.forbidden');
  if (bytes.length === 0) throw new DomainError('upload.empty');
  if (bytes.length > OFFICER_DOCUMENT_MAX_KB * 1024)
    throw new DomainError('upload.too_large', { maxKb: OFFICER_DOCUMENT_MAX_KB });
  const mime = sniffType(bytes);
  if (!mime || !OFFICER_DOCUMENT_TYPES.includes(mime))
    throw new DomainError('upload.type_not_allowed', { accepted: OFFICER_DOCUMENT_TYPES.join(', ') });

  const fieldKey = actionDocumentKey(action.key);
  const id = await storeAttachment(ctx, {
    agencyId: row.agency_id,
    applicationId: row.id,
    uploaderId: officer.userId,
    fieldKey,
    mime,
    bytes,
    maxFiles: MAX_DOCUMENTS_PER_ACTION,
  });
  return { id, field: fieldKey, mime, size: bytes.length };
}
