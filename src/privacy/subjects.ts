/**
 * The people an application is about. Every NIK an application carries (the child, the parents,
 * the witnesses, the reporter) names a data subject whose rights reach the application: they see
 * who opened it and are counted in breach reports. Subjects are recorded at filing time by the
 * blind index of their NIK, so finding "applications about me" never decrypts anybody's answers.
 */
import type { ServiceDefinition } from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import { validateNik } from '../identity/identifiers/nik.ts';
import { nikIndex } from '../identity/service.ts';

export interface NikAnswer {
  /** `ibu_nik`, or `saksi.saksi_nik` inside a repeating group. */
  fieldKey: string;
  nik: string;
  /** Whether the field's section says it describes a subject (the child, a parent). */
  describesSubject: boolean;
}

function normalisedNik(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const result = validateNik(value);
  return result.ok ? result.value : undefined;
}

/** Every NIK in the accepted answers, with the field it was given in. */
export function nikAnswers(
  definition: ServiceDefinition,
  answers: Readonly<Record<string, unknown>>,
): NikAnswer[] {
  const found: NikAnswer[] = [];
  for (const section of definition.form.sections) {
    const describesSubject = section.describesSubject === true;
    for (const field of section.fields) {
      if (field.type === 'nik') {
        const nik = normalisedNik(answers[field.key]);
        if (nik) found.push({ fieldKey: field.key, nik, describesSubject });
      } else if (field.type === 'group') {
        const items = answers[field.key];
        if (!Array.isArray(items)) continue;
        for (const inner of field.fields) {
          if (inner.type !== 'nik') continue;
          for (const item of items) {
            if (typeof item !== 'object' || item === null) continue;
            const nik = normalisedNik((item as Record<string, unknown>)[inner.key]);
            if (nik) found.push({ fieldKey: `${field.key}.${inner.key}`, nik, describesSubject });
          }
        }
      }
    }
  }
  return found;
}

/**
 * Records the subjects of an application in the caller's transaction (the filing, or a revision
 * that changed the answers): the set is replaced, so a corrected NIK stops pointing at the wrong
 * person. Needs the platform blind-index key, which the application context prepares at start.
 */
export async function recordSubjects(
  trx: Db,
  ctx: AppContext,
  applicationId: string,
  definition: ServiceDefinition,
  acceptedAnswers: Readonly<Record<string, unknown>>,
): Promise<void> {
  const byIndex = new Map<string, string>();
  for (const answer of nikAnswers(definition, acceptedAnswers)) {
    const index = nikIndex(ctx, answer.nik);
    if (!byIndex.has(index)) byIndex.set(index, answer.fieldKey);
  }
  await trx.deleteFrom('application_subjects').where('application_id', '=', applicationId).execute();
  const now = nowIso();
  const rows = [...byIndex].map(([nik_bidx, field_key]) => ({
    application_id: applicationId,
    nik_bidx,
    field_key,
    created_at: now,
  }));
  if (rows.length > 0) await trx.insertInto('application_subjects').values(rows).execute();
}
