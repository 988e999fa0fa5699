/**
 * SLA escalation: a periodic check that tells the agency's supervisors (in-app) about active
 * applications whose state deadline or overall deadline is due soon or past. A marker row per
 * application, deadline and level makes the check idempotent — running it again, or on two nodes
 * at once, notifies nobody twice; a new deadline (the application moved on) escalates afresh.
 * The cluster runs it once per period (`CLUSTER_JOBS` in app.ts claims each run for one node), so
 * the nodes do not all repeat the same reads; the markers still guard a run that outlasts its lease.
 */
import { localDate } from '../calendar/calendar.ts';
import { calendarFor } from '../calendar/service.ts';
import type { AppContext } from '../context.ts';
import { PLATFORM_SCOPE } from '../crypto/keyring.ts';
import { nowIso } from '../db/ids.ts';
import { notify } from '../notifications/service.ts';
import type { Lang } from '../web/i18n/index.ts';
import { agencyOf, definitionOf } from './service.ts';
import { dueSoonLimit } from './sla.ts';

/** Applications looked at per agency and run; the next run picks up the rest. */
const BATCH = 500;

const LEVEL_TEXT: Record<Lang, Record<'due_soon' | 'overdue', string>> = {
  id: { due_soon: 'hampir jatuh tempo', overdue: 'melewati batas waktu' },
  en: { due_soon: 'due soon', overdue: 'overdue' },
};
const KIND_TEXT: Record<Lang, Record<'state' | 'overall', string>> = {
  id: { state: 'batas waktu tahap', overall: 'batas waktu penyelesaian' },
  en: { state: 'state deadline', overall: 'overall deadline' },
};

export interface EscalationRun {
  /** Escalations sent in this run (one per application, deadline and level). */
  escalated: number;
}

/** Notifies supervisors of every newly due-soon or overdue deadline; safe to run at any interval. */
export async function checkEscalations(ctx: AppContext, now: Date = new Date()): Promise<EscalationRun> {
  const nowText = now.toISOString();
  const agencies = await ctx.db.selectFrom('agencies').select('id').limit(10_000).execute();
  await ctx.keyring.prepare([PLATFORM_SCOPE]);
  let escalated = 0;
  for (const { id: agencyId } of agencies) {
    const agency = await agencyOf(ctx.db, agencyId);
    const calendar = await calendarFor(ctx, agencyId);
    const limit = dueSoonLimit(calendar, now, agency.timezone).toISOString();
    const rows = await ctx.db
      .selectFrom('applications')
      .select(['id', 'service_version_id', 'state', 'tracking_number', 'state_due_at', 'due_at'])
      .where('agency_id', '=', agencyId)
      .where('stage', '=', 'active')
      .where('sla_paused', '=', 0)
      .where((eb) => eb.or([eb('state_due_at', '<=', limit), eb('due_at', '<=', limit)]))
      .orderBy('due_at')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) continue;
    const supervisors = await ctx.db
      .selectFrom('role_grants')
      .select('user_id')
      .distinct()
      .where('agency_id', '=', agencyId)
      .where('role', '=', 'supervisor')
      .where('revoked_at', 'is', null)
      .limit(100)
      .execute();
    for (const row of rows) {
      const { definition } = await definitionOf(ctx.db, row.service_version_id);
      const state = definition.workflow.states.find((s) => s.key === row.state);
      const deadlines = [
        { kind: 'state' as const, at: row.state_due_at },
        { kind: 'overall' as const, at: row.due_at },
      ];
      for (const deadline of deadlines) {
        if (deadline.at === null || deadline.at > limit) continue;
        const level = deadline.at < nowText ? 'overdue' : 'due_soon';
        const dueAt = deadline.at;
        const sent = await ctx.db.transaction().execute(async (trx) => {
          const inserted = await trx
            .insertInto('application_escalations')
            .values({
              application_id: row.id,
              deadline_kind: deadline.kind,
              deadline: dueAt,
              level,
              created_at: nowIso(),
            })
            .onConflict((oc) => oc.doNothing())
            .executeTakeFirst();
          if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
          const lang: Lang = 'id';
          for (const supervisor of supervisors) {
            await notify(ctx, trx, {
              template: 'application.escalated',
              lang,
              userId: supervisor.user_id,
              channels: { inApp: true },
              params: {
                trackingNumber: row.tracking_number ?? '',
                service: definition.name[lang],
                state: state?.label[lang] ?? row.state ?? '',
                level: LEVEL_TEXT[lang][level],
                deadline: localDate(dueAt, agency.timezone),
                deadlineKind: KIND_TEXT[lang][deadline.kind],
              },
            });
          }
          return true;
        });
        if (sent) escalated += 1;
      }
    }
  }
  return { escalated };
}
