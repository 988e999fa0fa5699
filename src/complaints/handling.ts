/**
 * Moving a complaint through its workflow: the complaint admin, the agency's complaint handler and
 * supervisor, the complainant and the system act through one function, under the workflow engine's
 * rules (the same as applications'). Every move is a conditional UPDATE on `row_version` — of two
 * people acting on the same version one wins, the other gets `complaint.changed` — and commits
 * with its event, its audit leaf and its notifications.
 */
import { stateDeadline } from '../applications/sla.ts';
import { appendAuditLeaf } from '../audit/log.ts';
import { type AgencyTimeZone, isAgencyTimeZone, localDate } from '../calendar/calendar.ts';
import { calendarFor } from '../calendar/service.ts';
import type { AppContext } from '../context.ts';
import { PLATFORM_SCOPE } from '../crypto/keyring.ts';
import type { Db } from '../db/database.ts';
import { newId } from '../db/ids.ts';
import { hasRole, type Principal } from '../identity/roles.ts';
import { notify } from '../notifications/service.ts';
import { DomainError, FieldErrors, type FieldProblem } from '../web/domain-error.ts';
import { actionsFrom, isTerminal, planMove } from '../workflow/engine.ts';
import { TEXT_LIMITS } from './filing.ts';
import type { ComplaintAction, ComplaintRole, ComplaintState } from './schemas.ts';
import {
  isComplaintAdmin,
  notifyComplainant,
  ownerOf,
  ownRow,
  type Recipient,
  recipientOfRow,
  staffRow,
  TIME_ZONE,
  trackedRow,
} from './service.ts';
import type { ComplaintRow } from './store.ts';
import * as store from './store.ts';
import {
  AGENCY_STATES,
  ANSWER_ACTIONS,
  AUTO_CLOSE_DAYS,
  COMPLAINT_WORKFLOW,
  DEFAULT_FOLLOW_UP_DAYS,
  stateForAgency,
} from './workflow.ts';

export const MAX_COMMENT_CHARS = 5000;

/** Who acts: staff (by their roles), the complainant (account or number and secret), or the system. */
export type ComplaintActor =
  | { kind: 'staff'; principal: Principal }
  | { kind: 'complainant'; principal: Principal | null }
  | { kind: 'system' };

export interface ComplaintActionInput {
  action: string;
  /** The version the actor saw; another current version means someone acted first. */
  rowVersion: number;
  comment?: string | undefined;
  /** For a disposition: the slug of the agency it goes to. */
  agency?: string | undefined;
  /** For a verification or disposition: the text as published (only when the complainant allows it). */
  publicText?: string | undefined;
}

export interface ActResult {
  id: string;
  number: string;
  state: string;
  rowVersion: number;
}

/** The role by which the actor takes an action on this complaint, if any. */
function roleFor(
  actor: ComplaintActor,
  row: ComplaintRow,
  action: ComplaintAction,
): ComplaintRole | undefined {
  return action.roles.find((role) => {
    switch (role) {
      case 'complainant':
        return actor.kind === 'complainant';
      case 'system':
        return actor.kind === 'system';
      case 'complaint_admin':
        return actor.kind === 'staff' && isComplaintAdmin(actor.principal);
      default:
        return (
          actor.kind === 'staff' &&
          row.agency_id !== null &&
          row.disposed_at !== null &&
          hasRole(actor.principal, role, row.agency_id)
        );
    }
  });
}

/** The actions the actor may take on the complaint now (an appeal only once). */
export function actionsFor(actor: ComplaintActor, row: ComplaintRow): ComplaintAction[] {
  return actionsFrom(COMPLAINT_WORKFLOW, row.state, (a) => roleFor(actor, row, a) !== undefined).filter(
    (a) => a.key !== 'appeal' || row.appeals === 0,
  );
}

function fieldProblem(field: string, code: string, id: string, en: string): FieldProblem {
  return { field, code, message: { id, en } };
}

interface CheckedInput {
  comment: string | null;
  agency: { id: string; timezone: string } | null;
  publicText: string | null;
}

async function checkInput(
  ctx: AppContext,
  row: ComplaintRow,
  action: ComplaintAction,
  input: ComplaintActionInput,
): Promise<CheckedInput> {
  const problems: FieldProblem[] = [];
  const comment = input.comment?.trim() ?? '';
  if (action.requiresComment && comment === '')
    problems.push(
      fieldProblem(
        'comment',
        'required',
        ANSWER_ACTIONS.includes(action.key)
          ? 'Tuliskan tindak lanjut instansi.'
          : 'Tuliskan alasan untuk tindakan ini.',
        ANSWER_ACTIONS.includes(action.key)
          ? "Write the agency's follow-up."
          : 'Write the reason for this action.',
      ),
    );
  if (comment.length > MAX_COMMENT_CHARS)
    problems.push(
      fieldProblem(
        'comment',
        'too_long',
        `Paling banyak ${MAX_COMMENT_CHARS} karakter.`,
        `At most ${MAX_COMMENT_CHARS} characters.`,
      ),
    );
  let agency: CheckedInput['agency'] = null;
  if (action.key === 'dispose') {
    const slug = input.agency?.trim() ?? '';
    agency = slug === '' || slug.length > 100 ? null : ((await store.findAgencyBySlug(ctx.db, slug)) ?? null);
    if (!agency)
      problems.push(
        fieldProblem(
          'agency',
          'required',
          'Pilih instansi yang berwenang menindaklanjuti laporan ini.',
          'Choose the agency responsible for following this report up.',
        ),
      );
  }
  const publicText = input.publicText?.trim() ?? '';
  if (publicText !== '' && row.may_publish !== 1)
    problems.push(
      fieldProblem(
        'publicText',
        'not_publishable',
        'Pelapor tidak mengizinkan laporan ini dipublikasikan.',
        'The complainant did not allow this report to be published.',
      ),
    );
  if (publicText.length > TEXT_LIMITS.max)
    problems.push(
      fieldProblem(
        'publicText',
        'too_long',
        `Paling banyak ${TEXT_LIMITS.max} karakter.`,
        `At most ${TEXT_LIMITS.max} characters.`,
      ),
    );
  if (problems.length > 0) throw new FieldErrors(problems);
  const publishes = publicText !== '' && ['verify', 'dispose'].includes(action.key);
  return { comment: comment === '' ? null : comment, agency, publicText: publishes ? publicText : null };
}

async function followUpDays(ctx: AppContext, agencyId: string | null): Promise<number> {
  return (agencyId ? await store.followUpDaysOf(ctx.db, agencyId) : undefined) ?? DEFAULT_FOLLOW_UP_DAYS;
}

function zoneOf(timezone: string | undefined): AgencyTimeZone {
  return timezone && isAgencyTimeZone(timezone) ? timezone : TIME_ZONE;
}

/** The deadlines of the state entered: the agency's calendar in its states, the platform's otherwise. */
async function deadlinesOf(ctx: AppContext, target: ComplaintState, agencyId: string | null, now: Date) {
  const agencyRow = agencyId ? await store.findAgencyById(ctx.db, agencyId) : undefined;
  const atAgency = (AGENCY_STATES as readonly string[]).includes(target.key) || target.key === 'answered';
  const tz = atAgency ? zoneOf(agencyRow?.timezone) : TIME_ZONE;
  const calendar = await calendarFor(ctx, atAgency ? agencyId : null);
  const days = await followUpDays(ctx, agencyId);
  return {
    tz,
    stateDueAt: stateDeadline(calendar, stateForAgency(target, days), now, tz),
    autoCloseAt: target.key === 'answered' ? calendar.deadline(now, AUTO_CLOSE_DAYS, tz) : null,
    agency: agencyRow,
  };
}

/** Takes an action on a complaint the caller has already found for this actor. */
async function actOnRow(
  ctx: AppContext,
  actor: ComplaintActor,
  row: ComplaintRow,
  input: ComplaintActionInput,
  now: Date,
): Promise<ActResult> {
  if (row.row_version !== input.rowVersion) throw new DomainError('complaint.changed');
  if (isTerminal(COMPLAINT_WORKFLOW.states.find((s) => s.key === row.state)))
    throw new DomainError('complaint.closed');
  const move = planMove(
    COMPLAINT_WORKFLOW,
    row.state,
    input.action,
    (a) => roleFor(actor, row, a) !== undefined,
  );
  if (!move.ok && move.refusal === 'forbidden') throw new DomainError('auth.forbidden');
  if (!move.ok) throw new DomainError('complaint.action_unavailable', { state: row.state });
  const { action, to: target } = move;
  if (action.key === 'appeal' && row.appeals > 0) throw new DomainError('complaint.appeal_used');
  const checked = await checkInput(ctx, row, action, input);
  const agencyId = checked.agency?.id ?? row.agency_id;
  const deadlines = await deadlinesOf(ctx, target, agencyId, now);
  await ctx.keyring.prepare([PLATFORM_SCOPE]);
  const recipient = await recipientOfRow(ctx, row);
  const ownerId = await ownerOf(ctx, row);
  const at = now.toISOString();
  const role = roleFor(actor, row, action) ?? 'system';
  const terminal = isTerminal(target);
  const answers = ANSWER_ACTIONS.includes(action.key);

  await ctx.db.transaction().execute(async (trx) => {
    const changed = await store.updateIfVersion(trx, row.id, row.row_version, {
      state: target.key,
      row_version: row.row_version + 1,
      updated_at: at,
      state_entered_at: at,
      state_due_at: deadlines.stateDueAt?.toISOString() ?? null,
      auto_close_at: deadlines.autoCloseAt?.toISOString() ?? null,
      agency_id: agencyId,
      disposed_at: action.key === 'dispose' ? at : action.key === 'return_to_admin' ? null : row.disposed_at,
      closed_at: terminal ? at : null,
      appeals: row.appeals + (action.key === 'appeal' ? 1 : 0),
      follow_ups: row.follow_ups + (answers ? 1 : 0),
      ...(checked.publicText === null
        ? {}
        : {
            public_text_enc: ctx.keyring.encrypt(
              PLATFORM_SCOPE,
              checked.publicText,
              `complaints.public_text:${row.id}`,
            ),
            published_at: row.published_at ?? at,
          }),
    });
    if (!changed) throw new DomainError('complaint.changed');
    const eventId = newId(now.getTime());
    await store.insertEvent(trx, {
      id: eventId,
      complaint_id: row.id,
      kind: 'action',
      action: action.key,
      from_state: row.state,
      to_state: target.key,
      actor_id: actor.kind === 'staff' ? actor.principal.userId : null,
      actor_role: role,
      agency_id: action.key === 'dispose' ? agencyId : null,
      comment_enc:
        checked.comment === null
          ? null
          : ctx.keyring.encrypt(PLATFORM_SCOPE, checked.comment, `complaint_events.comment:${eventId}`),
      created_at: at,
    });
    await appendAuditLeaf(
      trx,
      {
        type: 'complaint.action',
        actorId: actor.kind === 'staff' ? actor.principal.userId : row.mode === 'named' ? ownerId : null,
        agencyId: agencyId ?? row.target_agency_id,
        subjectId: row.id,
        facts: {
          action: action.key,
          from: row.state,
          to: target.key,
          published: checked.publicText !== null,
        },
      },
      now.getTime(),
    );
    await tellComplainant(ctx, trx, recipient, row, action, target, checked.comment, deadlines);
    await tellStaff(ctx, trx, row, action, agencyId, checked.comment, deadlines);
  });
  return { id: row.id, number: row.number, state: target.key, rowVersion: row.row_version + 1 };
}

async function tellComplainant(
  ctx: AppContext,
  trx: Db,
  recipient: Recipient | null,
  row: ComplaintRow,
  action: ComplaintAction,
  target: ComplaintState,
  comment: string | null,
  deadlines: Awaited<ReturnType<typeof deadlinesOf>>,
): Promise<void> {
  if (!recipient) return;
  const lang = recipient.lang;
  if (ANSWER_ACTIONS.includes(action.key) && deadlines.autoCloseAt) {
    const agencyName = deadlines.agency
      ? lang === 'id'
        ? deadlines.agency.name_id
        : deadlines.agency.name_en
      : '';
    await notifyComplainant(ctx, trx, recipient, 'complaint.followed_up', {
      number: row.number,
      agency: agencyName,
      note: comment ?? '-',
      closeDate: localDate(deadlines.autoCloseAt, deadlines.tz),
    });
    return;
  }
  // Between the agency and the admin: the complainant hears of the move, not the staff's note.
  const note = action.key === 'return_to_admin' ? null : comment;
  await notifyComplainant(ctx, trx, recipient, 'complaint.state_changed', {
    number: row.number,
    state: target.label[lang],
    note: note ?? '-',
  });
}

async function tellStaff(
  ctx: AppContext,
  trx: Db,
  row: ComplaintRow,
  action: ComplaintAction,
  agencyId: string | null,
  comment: string | null,
  deadlines: Awaited<ReturnType<typeof deadlinesOf>>,
): Promise<void> {
  const deadline = deadlines.stateDueAt ? localDate(deadlines.stateDueAt, deadlines.tz) : '-';
  const send = async (
    userIds: string[],
    template: 'complaint.assigned' | 'complaint.appealed' | 'complaint.returned',
  ) => {
    for (const userId of userIds)
      await notify(ctx, trx, {
        template,
        lang: 'id',
        userId,
        channels: { inApp: true },
        params: { number: row.number, deadline, note: comment ?? '-' },
      });
  };
  if (action.key === 'dispose' && agencyId)
    await send(await store.holdersOf(trx, 'complaint_handler', agencyId), 'complaint.assigned');
  if (action.key === 'appeal' && agencyId)
    await send(await store.holdersOf(trx, 'supervisor', agencyId), 'complaint.appealed');
  if (action.key === 'return_to_admin')
    await send(await store.holdersOf(trx, 'complaint_admin', null), 'complaint.returned');
}

/**
 * Staff act on a complaint they may see. Refusals, in order: not visible (`not_found`), a version
 * other than the current one (`complaint.changed`), closed (`complaint.closed`), no such action now
 * (`complaint.action_unavailable`), not the actor's role (`auth.forbidden`), a second appeal
 * (`complaint.appeal_used`), missing reason, answer or agency (`request.fields`).
 */
export async function actAsStaff(
  ctx: AppContext,
  principal: Principal,
  id: string,
  input: ComplaintActionInput,
  now: Date = new Date(),
): Promise<ActResult> {
  return actOnRow(ctx, { kind: 'staff', principal }, await staffRow(ctx, principal, id), input, now);
}

/** The complainant acts on a complaint filed under their account. */
export async function actAsOwner(
  ctx: AppContext,
  citizen: Principal,
  id: string,
  input: ComplaintActionInput,
  now: Date = new Date(),
): Promise<ActResult> {
  return actOnRow(
    ctx,
    { kind: 'complainant', principal: citizen },
    await ownRow(ctx, citizen, id),
    input,
    now,
  );
}

/** The complainant acts with the number and secret of the receipt (any mode, anonymous included). */
export async function actWithSecret(
  ctx: AppContext,
  credentials: { number: string; secret: string; client: string },
  input: ComplaintActionInput,
  now: Date = new Date(),
): Promise<ActResult> {
  return actOnRow(
    ctx,
    { kind: 'complainant', principal: null },
    await trackedRow(ctx, credentials),
    input,
    now,
  );
}

/** The system's own move (closing an unanswered report); `complaint.changed` when someone was first. */
export async function actAsSystem(
  ctx: AppContext,
  id: string,
  input: ComplaintActionInput,
  now: Date = new Date(),
): Promise<ActResult> {
  const row = await store.findById(ctx.db, id);
  if (!row) throw new DomainError('not_found');
  return actOnRow(ctx, { kind: 'system' }, row, input, now);
}
