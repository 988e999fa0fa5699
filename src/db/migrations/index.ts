import type { Kysely } from 'kysely';
import type { Engine } from '../database.ts';
import { m001Foundation } from './001-foundation.ts';
import { m002Audit } from './002-audit.ts';
import { m003Notifications } from './003-notifications.ts';
import { m004CitizenAccounts } from './004-citizen-accounts.ts';
import { m005Holidays } from './005-holidays.ts';
import { m006TotpEnrolment } from './006-totp-enrolment.ts';
import { m007Services } from './007-services.ts';
import { m008Applications } from './008-applications.ts';
import { m009Documents } from './009-documents.ts';
import { m010Attachments } from './010-attachments.ts';
import { m011Privacy } from './011-privacy.ts';
import { m012Staff } from './012-staff.ts';
import { m013SubjectsAndDpo } from './013-subjects-and-dpo.ts';
import { m014Complaints } from './014-complaints.ts';
import { m015Survey } from './015-survey.ts';
import { m016OpenData } from './016-open-data.ts';

/** A forward-only schema change. `up` runs inside a transaction together with its record. */
export interface Migration {
  id: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations build tables that the typed schema does not know yet
  up(db: Kysely<any>, engine: Engine): Promise<void>;
}

/** Every migration, in the order they apply. Append only; never edit one that has shipped. */
export const migrations: readonly Migration[] = [
  m001Foundation,
  m002Audit,
  m003Notifications,
  m004CitizenAccounts,
  m005Holidays,
  m006TotpEnrolment,
  m007Services,
  m008Applications,
  m009Documents,
  m010Attachments,
  m011Privacy,
  m012Staff,
  m013SubjectsAndDpo,
  m014Complaints,
  m015Survey,
  m016OpenData,
];
