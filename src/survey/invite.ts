/**
 * The survey invitation sent when an application ends with a decision. Withdrawn applications are
 * not surveyed (the citizen stopped before being served), and a walk-in citizen without an account
 * answers at the counter's kiosk instead.
 */
import type { LocalText } from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { notify } from '../notifications/service.ts';
import type { Lang } from '../web/i18n/index.ts';

export interface SurveyInvitation {
  application: { id: string; applicant_id: string | null; tracking_number: string | null };
  /** The outcome the action just gave the application (null while it stays open). */
  outcome: 'approved' | 'rejected' | 'withdrawn' | null;
  serviceName: LocalText;
  lang: Lang;
  /** The applicant's addresses outside the app, read before the transaction. */
  channels: { email?: string; sms?: string };
}

/** Whether an application with this outcome is surveyed. */
export function isSurveyed(outcome: string | null): outcome is 'approved' | 'rejected' {
  return outcome === 'approved' || outcome === 'rejected';
}

/** The survey page of an application, as an absolute address for messages. */
export function surveyUrl(ctx: AppContext, applicationId: string): string {
  return `${ctx.config.publicUrl.replace(/\/+$/, '')}/applications/${applicationId}/survey`;
}

/**
 * Invites the applicant in the caller's transaction, in the app and by e-mail (by SMS only for an
 * account without e-mail), so the invitation commits with the decision that ends the application.
 */
export async function inviteToSurvey(ctx: AppContext, trx: Db, invitation: SurveyInvitation): Promise<void> {
  const { application, channels } = invitation;
  if (!isSurveyed(invitation.outcome) || application.applicant_id === null) return;
  const outside = channels.email ? { email: channels.email } : channels.sms ? { sms: channels.sms } : {};
  await notify(ctx, trx, {
    template: 'survey.invitation',
    lang: invitation.lang,
    userId: application.applicant_id,
    channels: { inApp: true, ...outside },
    params: {
      service: invitation.serviceName[invitation.lang],
      trackingNumber: application.tracking_number ?? '',
      url: surveyUrl(ctx, application.id),
    },
  });
}
