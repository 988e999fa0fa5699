/**
 * What the applicant may do with a filed application and what they are told: their own workflow
 * actions (resubmit after a revision, withdraw) found in the definition rather than by name, the
 * documents issued to them, and the reason a rejection gave.
 */
import { APPLICANT_ROLE, type ServiceDefinition, type WorkflowAction } from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';
import { type DocumentSummary, documentsOfApplication } from '../documents/service.ts';
import type { Principal } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import { fromStates, isApplicant, visibleRow } from './processing.ts';

/** The applicant's kinds of move: `normal` is the resubmit after a revision, `withdraw` ends it. */
export type ApplicantMove = 'normal' | 'withdraw';

/**
 * The applicant's action of that kind from `state`, or undefined. A workflow names its actions as
 * it likes (`ajukan_ulang`, `kirim_ulang`); what makes one the resubmit is that the applicant may
 * take it and it is an ordinary move, not a withdrawal.
 */
export function applicantActionOf(
  definition: ServiceDefinition,
  state: string | null,
  move: ApplicantMove,
): WorkflowAction | undefined {
  if (state === null) return undefined;
  return definition.workflow.actions.find(
    (a) => fromStates(a).includes(state) && a.roles.includes(APPLICANT_ROLE) && (a.kind ?? 'normal') === move,
  );
}

/** The applicant's own application row; anybody else's (agency staff included) is not found. */
async function ownRow(ctx: AppContext, applicant: Principal, id: string) {
  const row = await visibleRow(ctx, applicant, id);
  if (!isApplicant(applicant, row)) throw new DomainError('not_found');
  return row;
}

/** The reason the agency gave with the rejection (the reject action's comment), or null. */
export async function rejectionReason(
  ctx: AppContext,
  applicant: Principal,
  id: string,
): Promise<string | null> {
  const row = await ownRow(ctx, applicant, id);
  if (row.outcome !== 'rejected' || row.state === null) return null;
  const event = await ctx.db
    .selectFrom('application_events')
    .select(['id', 'comment_enc'])
    .where('application_id', '=', id)
    .where('kind', '=', 'action')
    .where('to_state', '=', row.state)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!event?.comment_enc) return null;
  return ctx.keyring.decrypt(event.comment_enc, `application_events.comment:${event.id}`);
}

/** The documents issued for the applicant's own application. */
export async function applicantDocuments(
  ctx: AppContext,
  applicant: Principal,
  id: string,
): Promise<DocumentSummary[]> {
  await ownRow(ctx, applicant, id);
  return documentsOfApplication(ctx, id);
}

/** One document of the applicant's own application, or not found (also for another application's). */
export async function applicantDocument(
  ctx: AppContext,
  applicant: Principal,
  id: string,
  documentId: string,
): Promise<DocumentSummary> {
  const found = (await applicantDocuments(ctx, applicant, id)).find((d) => d.id === documentId);
  if (!found) throw new DomainError('not_found');
  return found;
}
