/**
 * The officer side of an application: workflow actions, claims and assignment, the identity check
 * at the counter, and the applicant's revision of the fields an officer flagged.
 *
 * Every action is a conditional UPDATE on `row_version`: of several officers acting on the same
 * version exactly one changes the row, the others get `application.changed` and write nothing. The
 * row, its history event, the audit leaf and the applicant's notification commit together.
 */
import { appendAuditLeaf } from '../audit/log.ts';
import { calendarFor } from '../calendar/service.ts';
import type { ServiceDefinition, WorkflowAction } from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';
import { PLATFORM_SCOPE } from '../crypto/keyring.ts';
import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { issueDocument } from '../documents/service.ts';
import { type AgencyRole, hasRole, INBOX_ROLES, isAgencyRole, type Principal } from '../identity/roles.ts';
import { contactChannels } from '../identity/service.ts';
import { activeGrants } from '../identity/store.ts';
import { notify } from '../notifications/service.ts';
import { recordSubjects } from '../privacy/subjects.ts';
import { inviteToSurvey } from '../survey/invite.ts';
import { DomainError, FieldErrors, type FieldProblem } from '../web/domain-error.ts';
import type { Lang } from '../web/i18n/index.ts';
import { actionsFrom, fromStates, planMove } from '../workflow/engine.ts';
import { recordEvent } from './events.ts';
import { printedFields } from './printed.ts';
import {
  AnswerProblems,
  type Answers,
  type ApplicationRow,
  agencyOf,
  answersOf,
  definitionOf,
  findRow,
  scopeOf,
  validatorOf,
} from './service.ts';
import { clockRuns, overallDeadline, stateDeadline, stateOf, type Transition } from './sla.ts';

/** Agency roles that work an inbox. */
/** Roles that may mark the applicant's identity as seen at the counter (KTP-el checked). */
export const IDENTITY_ROLES: readonly AgencyRole[] = ['counter_officer', 'verifier'];
export const MAX_COMMENT_CHARS = 2000;

export interface ActionInput {
  action: string;
  comment?: string | undefined;
  /** The version the actor saw; a different current version means someone else acted first. */
  rowVersion: number;
  /** Field keys the applicant must fix (return for revision). */
  flaggedFields?: readonly string[] | undefined;
  /** The document the action requires (an upload id). */
  attachmentId?: string | undefined;
  /** The applicant's language, for the notification. */
  lang: Lang;
}

export interface ActionResult {
  id: string;
  state: string;
  stage: 'active' | 'closed';
  outcome: 'approved' | 'rejected' | 'withdrawn' | null;
  rowVersion: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where an officer's document for an action is filed among the application's attachments. */
export function actionDocumentKey(actionKey: string): string {
  return `_action:${actionKey}`;
}

/** The states an action starts from: the workflow engine's rule, re-exported for the inbox's modules. */
export { fromStates };

export function isApplicant(principal: Principal, row: Pick<ApplicationRow, 'applicant_id'>): boolean {
  return row.applicant_id !== null && row.applicant_id === principal.userId;
}

/** Staff who work the inbox of the application's agency. */
export function isAgencyStaff(principal: Principal, agencyId: string): boolean {
  return INBOX_ROLES.some((role) => hasRole(principal, role, agencyId));
}

/** Whether the principal may take this action on this application (role in its agency, or its applicant). */
export function mayTake(
  action: WorkflowAction,
  principal: Principal,
  application: Pick<ApplicationRow, 'agency_id' | 'applicant_id'>,
): boolean {
  return action.roles.some((role) =>
    role === 'applicant'
      ? isApplicant(principal, application)
      : isAgencyRole(role) && hasRole(principal, role, application.agency_id),
  );
}

/** The actions the principal may take from `state` (none once the application is closed). */
export function availableActions(
  definition: ServiceDefinition,
  state: string | null,
  principal: Principal,
  application: Pick<ApplicationRow, 'agency_id' | 'applicant_id' | 'stage'>,
): WorkflowAction[] {
  if (state === null || application.stage !== 'active') return [];
  return actionsFrom(definition.workflow, state, (a) => mayTake(a, principal, application));
}

/** Top-level field keys of the form (a group is one key): what an officer can flag. */
export function fieldKeys(definition: ServiceDefinition): string[] {
  return definition.form.sections.flatMap((s) => s.fields.map((f) => f.key));
}

/**
 * The application as the principal may see it: its applicant or staff of its agency. Anyone else
 * — staff of another agency included — is told it does not exist.
 */
export async function visibleRow(ctx: AppContext, principal: Principal, id: string): Promise<ApplicationRow> {
  const row = UUID.test(id) ? await findRow(ctx.db, id) : undefined;
  if (!row || !(isApplicant(principal, row) || isAgencyStaff(principal, row.agency_id)))
    throw new DomainError('not_found');
  return row;
}

/** Submission and workflow moves, oldest first: the path the application took. */
export async function transitionsOf(db: Db, id: string): Promise<Transition[]> {
  const events = await db
    .selectFrom('application_events')
    .select(['kind', 'to_state', 'created_at'])
    .where('application_id', '=', id)
    .where('kind', 'in', ['submitted', 'action'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return events.flatMap((e) => (e.to_state ? [{ toState: e.to_state, at: e.created_at }] : []));
}

function problem(field: string, code: string, message: { id: string; en: string }): FieldProblem {
  return { field, code, message };
}

function checkInput(definition: ServiceDefinition, action: WorkflowAction, input: ActionInput) {
  const problems: FieldProblem[] = [];
  const comment = input.comment?.trim() ?? '';
  if (action.requiresComment && comment === '')
    problems.push(
      problem('comment', 'required', {
        id: 'Tuliskan alasan atau catatan untuk tindakan ini.',
        en: 'Write the reason or a note for this action.',
      }),
    );
  if (comment.length > MAX_COMMENT_CHARS)
    problems.push(
      problem('comment', 'too_long', {
        id: `Catatan paling banyak ${MAX_COMMENT_CHARS} karakter.`,
        en: `The note may have at most ${MAX_COMMENT_CHARS} characters.`,
      }),
    );
  const flagged = [...new Set(input.flaggedFields ?? [])];
  if (action.kind === 'return_for_revision') {
    const known = new Set(fieldKeys(definition));
    if (flagged.length === 0)
      problems.push(
        problem('flaggedFields', 'required', {
          id: 'Pilih paling sedikit satu isian yang harus diperbaiki pemohon.',
          en: 'Choose at least one field the applicant must fix.',
        }),
      );
    else if (flagged.some((key) => !known.has(key)))
      problems.push(
        problem('flaggedFields', 'unknown', {
          id: 'Ada isian yang dipilih yang tidak ada pada formulir ini.',
          en: 'A chosen field does not exist on this form.',
        }),
      );
  }
  const attachmentId = input.attachmentId?.trim() ?? '';
  if (action.requiresDocument && attachmentId === '')
    problems.push(
      problem('attachmentId', 'required', {
        id: 'Tindakan ini memerlukan dokumen. Lampirkan dokumennya.',
        en: 'This action needs a document. Attach it.',
      }),
    );
  if (attachmentId.length > 200)
    problems.push(
      problem('attachmentId', 'invalid', { id: 'Dokumen tidak dikenal.', en: 'Unknown document.' }),
    );
  if (problems.length > 0) throw new FieldErrors(problems);
  return {
    comment: comment === '' ? null : comment,
    flagged: action.kind === 'return_for_revision' ? flagged : [],
    attachmentId: attachmentId === '' ? null : attachmentId,
  };
}

/**
 * The document an action cites must be one an officer of the agency uploaded to this application
 * for this action: an id from another application, an applicant's file or a stranger's upload is
 * refused as unknown, saying nothing about what it is.
 */
async function checkActionDocument(
  ctx: AppContext,
  row: ApplicationRow,
  action: WorkflowAction,
  attachmentId: string,
): Promise<void> {
  const document = await ctx.db
    .selectFrom('attachments')
    .select(['uploader_id', 'field_key'])
    .where('id', '=', attachmentId)
    .where('application_id', '=', row.id)
    .executeTakeFirst();
  const byAgencyStaff =
    document !== undefined &&
    (await activeGrants(ctx.db, document.uploader_id)).some(
      (g) => g.agencyId === row.agency_id && (INBOX_ROLES as readonly string[]).includes(g.role),
    );
  if (!document || document.field_key !== actionDocumentKey(action.key) || !byAgencyStaff)
    throw new FieldErrors([
      problem('attachmentId', 'invalid', { id: 'Dokumen tidak dikenal.', en: 'Unknown document.' }),
    ]);
}

/**
 * Takes a workflow action. Refusals, in order: not visible (`not_found`), a version other than the
 * current one (`application.changed`), closed (`application.closed`), not an action from this state
 * (`application.action_unavailable`), not the actor's role (`auth.forbidden`), missing comment,
 * flagged fields or document, or a document that is not an officer's upload for this action on this
 * application (`request.fields`), identity not yet verified for an approval
 * (`application.identity_unverified`).
 */
export async function takeAction(
  ctx: AppContext,
  actor: Principal,
  id: string,
  input: ActionInput,
): Promise<ActionResult> {
  const row = await visibleRow(ctx, actor, id);
  if (row.row_version !== input.rowVersion) throw new DomainError('application.changed');
  if (row.stage === 'closed') throw new DomainError('application.closed');
  if (row.stage !== 'active' || row.state === null || row.submitted_at === null)
    throw new DomainError('application.not_submitted');
  const { definition } = await definitionOf(ctx.db, row.service_version_id);
  const move = planMove(definition.workflow, row.state, input.action, (a) => mayTake(a, actor, row));
  if (!move.ok && move.refusal === 'forbidden') throw new DomainError('auth.forbidden');
  if (!move.ok) throw new DomainError('application.action_unavailable', { state: row.state });
  const { action, to: target } = move;
  const checked = checkInput(definition, action, input);
  if (checked.attachmentId !== null) await checkActionDocument(ctx, row, action, checked.attachmentId);
  if (
    action.kind === 'approve' &&
    definition.dataRules.identityAssurance === 'counter_verified' &&
    row.identity_verified_at === null
  )
    throw new DomainError('application.identity_unverified');

  const agency = await agencyOf(ctx.db, row.agency_id);
  const calendar = await calendarFor(ctx, agency.id);
  const now = new Date();
  const at = now.toISOString();
  const transitions = [...(await transitionsOf(ctx.db, id)), { toState: target.key, at }];
  const dueAt = overallDeadline(calendar, definition, row.submitted_at, transitions, agency.timezone, now);
  const stateDueAt = stateDeadline(calendar, target, now, agency.timezone);
  const outcome = target.terminal ?? null;
  const scope = scopeOf(agency.id);
  // Approval issues the output document in the same transaction: no approval without its document.
  const document =
    action.kind === 'approve'
      ? {
          agencyId: agency.id,
          applicationId: id,
          serviceSlug: definition.slug,
          serviceName: definition.name,
          documentName: definition.output.documentName,
          fields: printedFields(definition, await answersOf(ctx, row)),
          issuedBy: actor.userId,
        }
      : undefined;
  await ctx.keyring.prepare([scope, PLATFORM_SCOPE]);
  // The applicant hears of every change by e-mail or SMS too (the outbox delivers; a failed
  // delivery never undoes the change). Read before the transaction: decrypting may load keys.
  const channels = row.applicant_id ? await contactChannels(ctx, row.applicant_id) : {};

  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('applications')
      .set({
        state: target.key,
        stage: outcome ? 'closed' : 'active',
        outcome,
        closed_at: outcome ? at : null,
        row_version: input.rowVersion + 1,
        updated_at: at,
        state_entered_at: at,
        state_due_at: stateDueAt?.toISOString() ?? null,
        due_at: dueAt.toISOString(),
        sla_paused: clockRuns(target) || outcome ? 0 : 1,
      })
      .where('id', '=', id)
      .where('row_version', '=', input.rowVersion)
      .where('stage', '=', 'active')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new DomainError('application.changed');
    const eventId = newId();
    await recordEvent(trx, {
      id: eventId,
      application_id: id,
      kind: 'action',
      action: action.key,
      from_state: row.state,
      to_state: target.key,
      actor_id: actor.userId,
      comment_enc:
        checked.comment === null
          ? null
          : ctx.keyring.encrypt(scope, checked.comment, `application_events.comment:${eventId}`),
      flagged_fields: checked.flagged.length > 0 ? JSON.stringify(checked.flagged) : null,
      attachment_id: checked.attachmentId,
      created_at: at,
    });
    await appendAuditLeaf(trx, {
      type: 'application.action',
      actorId: actor.userId,
      agencyId: agency.id,
      subjectId: id,
      facts: { action: action.key, from: row.state, to: target.key },
    });
    if (row.applicant_id !== null)
      await notifyApplicant(
        ctx,
        trx,
        row,
        definition,
        action,
        target.label[input.lang],
        checked.comment,
        input.lang,
        channels,
      );
    // An application ended with a decision: its applicant is invited to the satisfaction survey.
    await inviteToSurvey(ctx, trx, {
      application: row,
      outcome,
      serviceName: definition.name,
      lang: input.lang,
      channels,
    });
    if (document) await issueDocument(trx, ctx, document);
  });
  return {
    id,
    state: target.key,
    stage: outcome ? 'closed' : 'active',
    outcome,
    rowVersion: input.rowVersion + 1,
  };
}

async function notifyApplicant(
  ctx: AppContext,
  trx: Db,
  row: ApplicationRow,
  definition: ServiceDefinition,
  action: WorkflowAction,
  stateLabel: string,
  comment: string | null,
  lang: Lang,
  channels: { email?: string; sms?: string },
): Promise<void> {
  const params = {
    trackingNumber: row.tracking_number ?? '',
    service: definition.name[lang],
    state: stateLabel,
    comment: comment ?? '-',
  };
  const template =
    action.kind === 'return_for_revision'
      ? 'application.returned'
      : action.kind === 'reject'
        ? 'application.rejected'
        : 'application.state_changed';
  await notify(ctx, trx, {
    template,
    lang,
    userId: row.applicant_id,
    channels: { inApp: true, ...channels },
    params,
  });
}

/** Marks that an officer saw the applicant's identity card (needed before approval where required). */
export async function markIdentityVerified(
  ctx: AppContext,
  actor: Principal,
  id: string,
): Promise<{ rowVersion: number; verifiedAt: string }> {
  const row = await visibleRow(ctx, actor, id);
  if (!IDENTITY_ROLES.some((role) => hasRole(actor, role, row.agency_id)))
    throw new DomainError('auth.forbidden');
  if (row.identity_verified_at !== null)
    return { rowVersion: row.row_version, verifiedAt: row.identity_verified_at };
  if (row.stage === 'closed') throw new DomainError('application.closed');
  if (row.stage !== 'active') throw new DomainError('application.not_submitted');
  const at = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('applications')
      .set({
        identity_verified_by: actor.userId,
        identity_verified_at: at,
        row_version: row.row_version + 1,
        updated_at: at,
      })
      .where('id', '=', id)
      .where('row_version', '=', row.row_version)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new DomainError('application.changed');
    await recordEvent(trx, {
      application_id: id,
      kind: 'identity_verified',
      from_state: row.state,
      to_state: row.state,
      actor_id: actor.userId,
      created_at: at,
    });
    await appendAuditLeaf(trx, {
      type: 'application.identity_verified',
      actorId: actor.userId,
      agencyId: row.agency_id,
      subjectId: id,
      facts: { state: row.state },
    });
  });
  return { rowVersion: row.row_version + 1, verifiedAt: at };
}

/**
 * Claims an application for the caller. Claiming one's own again is fine; one held by someone else
 * is refused (`application.claimed`) — a supervisor reassigns instead. Claims do not change the
 * application's version: they say who works on it, not what it is.
 */
export async function claimApplication(
  ctx: AppContext,
  actor: Principal,
  id: string,
): Promise<{ assignedTo: string }> {
  const row = await visibleRow(ctx, actor, id);
  if (!isAgencyStaff(actor, row.agency_id)) throw new DomainError('auth.forbidden');
  if (row.stage === 'closed') throw new DomainError('application.closed');
  if (row.stage !== 'active') throw new DomainError('application.not_submitted');
  if (row.assigned_to === actor.userId) return { assignedTo: actor.userId };
  const claimed = await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('applications')
      .set({ assigned_to: actor.userId })
      .where('id', '=', id)
      .where('stage', '=', 'active')
      .where('assigned_to', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return false;
    await appendAuditLeaf(trx, {
      type: 'application.assigned',
      actorId: actor.userId,
      agencyId: row.agency_id,
      subjectId: id,
      facts: { assignee: actor.userId, claimed: true },
    });
    return true;
  });
  if (!claimed) throw new DomainError('application.claimed');
  return { assignedTo: actor.userId };
}

/** A supervisor gives an application to a member of the agency's inbox staff (or to nobody). */
export async function assignApplication(
  ctx: AppContext,
  supervisor: Principal,
  id: string,
  userId: string | null,
): Promise<{ assignedTo: string | null }> {
  const row = await visibleRow(ctx, supervisor, id);
  if (!hasRole(supervisor, 'supervisor', row.agency_id)) throw new DomainError('auth.forbidden');
  if (row.stage === 'closed') throw new DomainError('application.closed');
  if (row.stage !== 'active') throw new DomainError('application.not_submitted');
  if (userId !== null) {
    const grants = UUID.test(userId) ? await activeGrants(ctx.db, userId) : [];
    if (
      !grants.some((g) => g.agencyId === row.agency_id && (INBOX_ROLES as readonly string[]).includes(g.role))
    )
      throw new FieldErrors([
        problem('userId', 'not_staff', {
          id: 'Pegawai ini tidak bertugas menangani permohonan di instansi ini.',
          en: 'This person does not handle applications in this agency.',
        }),
      ]);
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('applications').set({ assigned_to: userId }).where('id', '=', id).execute();
    await appendAuditLeaf(trx, {
      type: 'application.assigned',
      actorId: supervisor.userId,
      agencyId: row.agency_id,
      subjectId: id,
      facts: { assignee: userId, claimed: false },
    });
  });
  return { assignedTo: userId };
}

export interface RevisionRequest {
  /** Field keys the officer asked to fix. */
  flaggedFields: string[];
  comment: string | null;
  requestedAt: string;
}

/** The officer's request the application is waiting on, or undefined when it is not in revision. */
export async function revisionRequestOf(
  ctx: AppContext,
  row: ApplicationRow,
): Promise<RevisionRequest | undefined> {
  const { definition } = await definitionOf(ctx.db, row.service_version_id);
  if (row.stage !== 'active' || !stateOf(definition, row.state)?.applicantCanEdit) return undefined;
  const event = await ctx.db
    .selectFrom('application_events')
    .select(['id', 'flagged_fields', 'comment_enc', 'created_at'])
    .where('application_id', '=', row.id)
    .where('kind', '=', 'action')
    .where('to_state', '=', row.state)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!event) return undefined;
  const parsed: unknown = event.flagged_fields ? JSON.parse(event.flagged_fields) : [];
  return {
    flaggedFields: Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : [],
    comment: event.comment_enc
      ? await ctx.keyring.decrypt(event.comment_enc, `application_events.comment:${event.id}`)
      : null,
    requestedAt: event.created_at,
  };
}

/** The revision request for the applicant's own application (for the citizen's pages). */
export async function getRevisionRequest(
  ctx: AppContext,
  applicant: Principal,
  id: string,
): Promise<RevisionRequest | undefined> {
  const row = await visibleRow(ctx, applicant, id);
  if (!isApplicant(applicant, row)) throw new DomainError('not_found');
  return revisionRequestOf(ctx, row);
}

/**
 * The applicant corrects the fields an officer flagged, while the state lets the applicant edit.
 * Other fields are refused; the whole application must still validate, and nothing is stored
 * otherwise (the page keeps what was typed). The resubmit action then moves it on.
 */
export async function saveRevision(
  ctx: AppContext,
  applicant: Principal,
  id: string,
  answers: Answers,
  rowVersion?: number,
): Promise<{ rowVersion: number }> {
  const row = await visibleRow(ctx, applicant, id);
  if (!isApplicant(applicant, row)) throw new DomainError('not_found');
  if (rowVersion !== undefined && rowVersion !== row.row_version)
    throw new DomainError('application.changed');
  const request = await revisionRequestOf(ctx, row);
  if (!request) throw new DomainError('application.not_editable');
  const flagged = new Set(request.flaggedFields);
  const outside = Object.keys(answers).filter((key) => !flagged.has(key));
  if (outside.length > 0)
    throw new FieldErrors(
      outside.map((key) =>
        problem(key, 'not_flagged', {
          id: 'Isian ini tidak diminta untuk diperbaiki dan tidak dapat diubah.',
          en: 'This field was not flagged for revision and cannot be changed.',
        }),
      ),
    );
  const agency = await agencyOf(ctx.db, row.agency_id);
  const { definition } = await definitionOf(ctx.db, row.service_version_id);
  const merged = { ...(await answersOf(ctx, row)), ...answers };
  const result = validatorOf(definition, row.service_version_id, agency.timezone).validate(merged);
  if (!result.ok) throw new AnswerProblems(result.errors);
  const scope = scopeOf(agency.id);
  await ctx.keyring.prepare([scope, PLATFORM_SCOPE]);
  const at = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('applications')
      .set({
        answers_enc: ctx.keyring.encrypt(scope, JSON.stringify(result.values), `applications.answers:${id}`),
        row_version: row.row_version + 1,
        updated_at: at,
      })
      .where('id', '=', id)
      .where('row_version', '=', row.row_version)
      .where('stage', '=', 'active')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new DomainError('application.changed');
    // A corrected NIK must stop pointing at the wrong person.
    await recordSubjects(trx, ctx, id, definition, result.values);
    await recordEvent(trx, {
      application_id: id,
      kind: 'revised',
      from_state: row.state,
      to_state: row.state,
      actor_id: applicant.userId,
      flagged_fields: JSON.stringify(Object.keys(answers)),
      created_at: at,
    });
    await appendAuditLeaf(trx, {
      type: 'application.revised',
      actorId: applicant.userId,
      agencyId: agency.id,
      subjectId: id,
      facts: { state: row.state, fields: Object.keys(answers).length },
    });
  });
  return { rowVersion: row.row_version + 1 };
}
