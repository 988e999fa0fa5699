/**
 * What the public reads of a complaint: staff set its text with personal data taken out (the
 * original stays as filed), or take it off the public list; only when the complainant allowed it.
 */
import { appendAuditLeaf } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import { PLATFORM_SCOPE } from '../crypto/keyring.ts';
import { newId } from '../db/ids.ts';
import { hasRole, type Principal } from '../identity/roles.ts';
import { DomainError, FieldErrors } from '../web/domain-error.ts';
import { TEXT_LIMITS } from './filing.ts';
import { isComplaintAdmin, staffRow } from './service.ts';
import * as store from './store.ts';

const tooLong = {
  field: 'publicText',
  code: 'too_long',
  message: { id: `Paling banyak ${TEXT_LIMITS.max} karakter.`, en: `At most ${TEXT_LIMITS.max} characters.` },
};

/**
 * Sets the text the public reads, with personal data taken out (the original stays as filed);
 * an empty text takes the complaint off the public list. Complaint admin, or the agency it was
 * disposed to; only for a complainant who allowed publishing (`complaint.not_publishable`).
 */
export async function redactComplaint(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: { publicText: string; rowVersion: number },
  now: Date = new Date(),
): Promise<{ rowVersion: number; published: boolean }> {
  const row = await staffRow(ctx, principal, id);
  if (row.row_version !== input.rowVersion) throw new DomainError('complaint.changed');
  if (row.may_publish !== 1) throw new DomainError('complaint.not_publishable');
  const text = input.publicText.trim();
  if (text.length > TEXT_LIMITS.max) throw new FieldErrors([tooLong]);
  await ctx.keyring.prepare([PLATFORM_SCOPE]);
  const at = now.toISOString();
  const published = text !== '';
  await ctx.db.transaction().execute(async (trx) => {
    const changed = await store.updateIfVersion(trx, row.id, row.row_version, {
      row_version: row.row_version + 1,
      updated_at: at,
      public_text_enc: published
        ? ctx.keyring.encrypt(PLATFORM_SCOPE, text, `complaints.public_text:${row.id}`)
        : null,
      published_at: published ? (row.published_at ?? at) : null,
    });
    if (!changed) throw new DomainError('complaint.changed');
    await store.insertEvent(trx, {
      id: newId(now.getTime()),
      complaint_id: row.id,
      kind: 'redacted',
      action: null,
      from_state: row.state,
      to_state: row.state,
      actor_id: principal.userId,
      actor_role: isComplaintAdmin(principal)
        ? 'complaint_admin'
        : hasRole(principal, 'supervisor', row.agency_id ?? '')
          ? 'supervisor'
          : 'complaint_handler',
      agency_id: null,
      comment_enc: null,
      created_at: at,
    });
    await appendAuditLeaf(
      trx,
      {
        type: 'complaint.redacted',
        actorId: principal.userId,
        agencyId: row.agency_id ?? row.target_agency_id,
        subjectId: row.id,
        facts: { published },
      },
      now.getTime(),
    );
  });
  return { rowVersion: row.row_version + 1, published };
}
