import { appendAuditLeaf } from '../audit/log.ts';
import type { Db } from '../db/database.ts';
import * as store from './store.ts';

/**
 * Hands every active application assigned to someone (in one agency, or everywhere) back to the
 * queue, in the caller's transaction, one audit leaf per application.
 */
export async function returnToQueue(
  trx: Db,
  userId: string,
  agencyId: string | null,
  actorId: string,
  reason: 'suspended' | 'removed' | 'roles_changed' | 'token_revoked',
): Promise<number> {
  let returned = 0;
  for (const app of await store.assignedApplications(trx, userId, agencyId)) {
    if (!(await store.unassign(trx, app.id, userId))) continue;
    returned++;
    await appendAuditLeaf(trx, {
      type: 'application.unassigned',
      actorId,
      agencyId: app.agency_id,
      subjectId: app.id,
      facts: { previous: userId, reason },
    });
  }
  return returned;
}
