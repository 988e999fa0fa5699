/**
 * The periodic work of complaints, safe to run on every node at any interval: a report nobody
 * replied to within 10 working days of a follow-up closes itself (the system's own action, under
 * the same rules as everyone's), and deadlines due soon or past are escalated once each — to the
 * complaint admins while the report is the platform's, to the agency's supervisors once it is the
 * agency's.
 */
import { dueSoonLimit } from '../applications/sla.ts';
import { localDate } from '../calendar/calendar.ts';
import { calendarFor } from '../calendar/service.ts';
import type { AppContext } from '../context.ts';
import { PLATFORM_SCOPE } from '../crypto/keyring.ts';
import { notify } from '../notifications/service.ts';
import { DomainError } from '../web/domain-error.ts';
import type { Lang } from '../web/i18n/index.ts';
import { actAsSystem } from './handling.ts';
import { TIME_ZONE } from './service.ts';
import * as store from './store.ts';
import { AGENCY_STATES, complaintState } from './workflow.ts';

const LEVEL_TEXT: Record<Lang, Record<'due_soon' | 'overdue', string>> = {
  id: { due_soon: 'hampir jatuh tempo', overdue: 'melewati batas waktu' },
  en: { due_soon: 'due soon', overdue: 'overdue' },
};
/** States the platform's complaint admin works (with a deadline). */
const ADMIN_STATES = ['received', 'verified'] as const;

export interface ComplaintJobRun {
  closed: number;
  escalated: number;
}

/** Closes every answered report whose reply time ended by `now`. */
export async function closeUnanswered(ctx: AppContext, now: Date = new Date()): Promise<number> {
  let closed = 0;
  for (const row of await store.answeredDueForClosing(ctx.db, now.toISOString())) {
    try {
      await actAsSystem(ctx, row.id, { action: 'auto_close', rowVersion: row.row_version }, now);
      closed += 1;
    } catch (err) {
      // Someone (the complainant, another node) acted first: nothing left to do here.
      if (!(err instanceof DomainError) || !['complaint.changed', 'complaint.closed'].includes(err.code))
        throw err;
    }
  }
  return closed;
}

/** Notifies of every newly due-soon or overdue complaint deadline, once per deadline and level. */
export async function escalateComplaints(ctx: AppContext, now: Date = new Date()): Promise<number> {
  await ctx.keyring.prepare([PLATFORM_SCOPE]);
  const nowText = now.toISOString();
  // Due soon means the next working day at the latest; on the national calendar, which agencies'
  // own holidays only lengthen.
  const limit = dueSoonLimit(await calendarFor(ctx, null), now, TIME_ZONE).toISOString();
  const rows = await store.dueForEscalation(ctx.db, [...ADMIN_STATES, ...AGENCY_STATES], limit);
  const admins = await store.holdersOf(ctx.db, 'complaint_admin', null);
  let escalated = 0;
  for (const row of rows) {
    if (row.state_due_at === null) continue;
    const deadline = row.state_due_at;
    const level = deadline < nowText ? 'overdue' : 'due_soon';
    const atAgency = (AGENCY_STATES as readonly string[]).includes(row.state);
    const recipients =
      atAgency && row.agency_id ? await store.holdersOf(ctx.db, 'supervisor', row.agency_id) : admins;
    const lang: Lang = 'id';
    const sent = await ctx.db.transaction().execute(async (trx) => {
      const first = await store.markEscalated(trx, {
        complaint_id: row.id,
        deadline,
        level,
        created_at: nowText,
      });
      if (!first) return false;
      for (const userId of recipients)
        await notify(ctx, trx, {
          template: 'complaint.escalated',
          lang,
          userId,
          channels: { inApp: true },
          params: {
            number: row.number,
            state: complaintState(row.state)?.label[lang] ?? row.state,
            level: LEVEL_TEXT[lang][level],
            deadline: localDate(deadline, TIME_ZONE),
          },
        });
      return true;
    });
    if (sent) escalated += 1;
  }
  return escalated;
}

/** Both jobs, for the server's periodic runner. */
export async function runComplaintJobs(ctx: AppContext, now: Date = new Date()): Promise<ComplaintJobRun> {
  const closed = await closeUnanswered(ctx, now);
  const escalated = await escalateComplaints(ctx, now);
  return { closed, escalated };
}
