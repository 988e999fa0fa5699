/**
 * Consent records (UU 27/2022 art. 22–24): the statement accepted when an application is filed,
 * and optional uses a citizen may give and withdraw at any time. A record is never rewritten:
 * withdrawing stamps it, giving again adds a new one, so the history shows what held when.
 */
import { appendAuditLeaf } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import type { Principal } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import * as store from './store.ts';

/** The purpose of the statement accepted at submission (its version is the application's). */
export const SUBMISSION_PURPOSE = 'application_submission';
/** Uses beyond the service itself, each off until the citizen turns it on. */
export const OPTIONAL_PURPOSES = ['sms_notifications', 'satisfaction_survey'] as const;
export type OptionalPurpose = (typeof OPTIONAL_PURPOSES)[number];
/** The version of the optional-use texts; the texts live with the pages and change with this number. */
export const OPTIONAL_CONSENT_VERSION = '2026-1';

export function isOptionalPurpose(value: string): value is OptionalPurpose {
  return (OPTIONAL_PURPOSES as readonly string[]).includes(value);
}

/**
 * Records the consent given when an application is filed, in the filing transaction. `userId` is
 * null for a walk-in citizen filed at a counter (the application itself names who consented).
 */
export async function recordSubmissionConsent(
  trx: Db,
  input: { applicationId: string; userId: string | null; version: string; at?: string },
): Promise<void> {
  await store.insertConsent(trx, {
    id: newId(),
    user_id: input.userId,
    purpose: SUBMISSION_PURPOSE,
    version: input.version,
    application_id: input.applicationId,
    given_at: input.at ?? nowIso(),
    withdrawn_at: null,
  });
}

export interface ConsentRecord {
  purpose: string;
  version: string;
  applicationId: string | null;
  givenAt: string;
  withdrawnAt: string | null;
}

/** Every consent record of the account, newest first. */
export async function listConsents(ctx: AppContext, userId: string): Promise<ConsentRecord[]> {
  const rows = await store.consentsOf(ctx.db, userId);
  return rows.map((r) => ({
    purpose: r.purpose,
    version: r.version,
    applicationId: r.application_id,
    givenAt: r.given_at,
    withdrawnAt: r.withdrawn_at,
  }));
}

export interface OptionalConsent {
  purpose: OptionalPurpose;
  given: boolean;
  /** When the consent in force was given, or when it was last withdrawn. */
  since: string | null;
}

/** Where each optional use stands for the account. */
export async function optionalConsents(ctx: AppContext, userId: string): Promise<OptionalConsent[]> {
  const rows = await store.consentsOf(ctx.db, userId);
  return OPTIONAL_PURPOSES.map((purpose) => {
    const latest = rows.find((r) => r.purpose === purpose);
    if (!latest) return { purpose, given: false, since: null };
    return latest.withdrawn_at === null
      ? { purpose, given: true, since: latest.given_at }
      : { purpose, given: false, since: latest.withdrawn_at };
  });
}

/** Whether the account currently consents to an optional use (for the modules that would use it). */
export async function hasConsent(
  ctx: AppContext,
  userId: string,
  purpose: OptionalPurpose,
): Promise<boolean> {
  return (await optionalConsents(ctx, userId)).some((c) => c.purpose === purpose && c.given);
}

/** Gives or withdraws an optional use; doing what already holds changes nothing. */
export async function setOptionalConsent(
  ctx: AppContext,
  citizen: Principal,
  purpose: string,
  give: boolean,
): Promise<OptionalConsent> {
  if (!isOptionalPurpose(purpose)) throw new DomainError('request.invalid', { reason: 'unknown purpose' });
  const current = (await optionalConsents(ctx, citizen.userId)).find((c) => c.purpose === purpose);
  if (current && current.given === give) return current;
  const at = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    if (give) {
      await store.insertConsent(trx, {
        id: newId(),
        user_id: citizen.userId,
        purpose,
        version: OPTIONAL_CONSENT_VERSION,
        application_id: null,
        given_at: at,
        withdrawn_at: null,
      });
    } else {
      await store.withdrawConsents(trx, citizen.userId, purpose, at);
    }
    await appendAuditLeaf(trx, {
      type: give ? 'privacy.consent_given' : 'privacy.consent_withdrawn',
      actorId: citizen.userId,
      agencyId: null,
      subjectId: citizen.userId,
      facts: { purpose, version: OPTIONAL_CONSENT_VERSION },
    });
  });
  return { purpose, given: give, since: at };
}
