/** Each agency's follow-up time for complaints, set by the platform's complaint admin. */
import { appendAuditLeaf } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import type { Principal } from '../identity/roles.ts';
import { DomainError, FieldErrors, type FieldProblem } from '../web/domain-error.ts';
import { isComplaintAdmin } from './service.ts';
import * as store from './store.ts';
import { DEFAULT_FOLLOW_UP_DAYS, FOLLOW_UP_DAYS_RANGE } from './workflow.ts';

function fieldProblem(field: string, code: string, id: string, en: string): FieldProblem {
  return { field, code, message: { id, en } };
}

/** The follow-up time of every agency (its own, or the workflow's default). */
export async function followUpSettings(ctx: AppContext) {
  const [agencies, settings] = await Promise.all([
    store.listAgencies(ctx.db),
    store.listFollowUpSettings(ctx.db),
  ]);
  return agencies.map((a) => {
    const own = settings.find((s) => s.agency_id === a.id);
    return {
      slug: a.slug,
      name: { id: a.name_id, en: a.name_en },
      followUpDays: own?.follow_up_days ?? DEFAULT_FOLLOW_UP_DAYS,
      isDefault: own === undefined,
    };
  });
}

/** The complaint admin sets an agency's follow-up time (working days); later dispositions use it. */
export async function setFollowUpDays(
  ctx: AppContext,
  admin: Principal,
  agencySlug: string,
  days: number,
): Promise<void> {
  if (!isComplaintAdmin(admin)) throw new DomainError('auth.forbidden');
  const agency = agencySlug.length <= 100 ? await store.findAgencyBySlug(ctx.db, agencySlug) : undefined;
  const problems: FieldProblem[] = [];
  if (!agency) problems.push(fieldProblem('agency', 'unknown', 'Instansi tidak dikenal.', 'Unknown agency.'));
  if (!Number.isInteger(days) || days < FOLLOW_UP_DAYS_RANGE.min || days > FOLLOW_UP_DAYS_RANGE.max)
    problems.push(
      fieldProblem(
        'days',
        'range',
        `Isikan ${FOLLOW_UP_DAYS_RANGE.min} sampai ${FOLLOW_UP_DAYS_RANGE.max} hari kerja.`,
        `Enter ${FOLLOW_UP_DAYS_RANGE.min} to ${FOLLOW_UP_DAYS_RANGE.max} working days.`,
      ),
    );
  if (!agency || problems.length > 0) throw new FieldErrors(problems);
  await ctx.db.transaction().execute(async (trx) => {
    await store.upsertFollowUpDays(trx, {
      agency_id: agency.id,
      follow_up_days: days,
      updated_by: admin.userId,
      updated_at: new Date().toISOString(),
    });
    await appendAuditLeaf(trx, {
      type: 'complaint.follow_up_days_set',
      actorId: admin.userId,
      agencyId: agency.id,
      subjectId: agency.id,
      facts: { days },
    });
  });
}
