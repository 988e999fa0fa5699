/** Creating a service from the short form (name, address, category, agency), and the compare table. */
import type { AppContext } from '../../context.ts';
import type { Principal } from '../../identity/roles.ts';
import { DomainError } from '../../web/domain-error.ts';
import type { Lang } from '../../web/i18n/index.ts';
import { t } from '../../web/i18n/index.ts';
import type { PageContext } from '../../web/pages/layout.tsx';
import type { Change } from '../diff.ts';
import { CATEGORIES, SLUG_PATTERN } from '../schemas.ts';
import { createService } from '../service.ts';
import { starterDefinition } from '../starter.ts';
import { suggestSlug } from './coerce.ts';
import { type ChangeRow, NewServicePage, type NewServiceValues } from './pages.tsx';

export interface AdminAgency {
  id: string;
  slug: string;
  name: string;
}

type Errors = Partial<Record<keyof NewServiceValues, string>>;

const EMPTY: NewServiceValues = { nameId: '', nameEn: '', slug: '', category: '', agencyId: '' };

export function newServiceForm(
  page: PageContext,
  agencies: readonly AdminAgency[],
  values: NewServiceValues = EMPTY,
  errors: Errors = {},
): JSX.Element {
  return <NewServicePage page={page} agencies={agencies} values={values} errors={errors} />;
}

function field(body: unknown, name: string): string {
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** Addresses the designer's own pages use, which a service can therefore not have. */
const RESERVED_SLUGS = new Set(['new']);

export type NewServiceForm =
  | { ok: true; values: NewServiceValues; agency: AdminAgency }
  | { ok: false; values: NewServiceValues; errors: Errors };

export function readNewServiceForm(
  body: unknown,
  agencies: readonly AdminAgency[],
  lang: Lang,
): NewServiceForm {
  const values: NewServiceValues = {
    nameId: field(body, 'nameId'),
    nameEn: field(body, 'nameEn'),
    slug: field(body, 'slug').toLowerCase(),
    category: field(body, 'category'),
    agencyId: field(body, 'agencyId'),
  };
  if (values.slug === '' && values.nameId !== '') values.slug = suggestSlug(values.nameId);
  const errors: Errors = {};
  if (values.nameId === '') errors.nameId = t(lang, 'designer.error.name_required');
  else if (values.nameId.length > 300) errors.nameId = t(lang, 'designer.error.too_long', { max: 300 });
  if (values.nameEn.length > 300) errors.nameEn = t(lang, 'designer.error.too_long', { max: 300 });
  if (values.slug === '') errors.slug = t(lang, 'designer.error.slug_required');
  else if (!new RegExp(SLUG_PATTERN).test(values.slug) || values.slug.length > 60)
    errors.slug = t(lang, 'designer.error.slug_pattern');
  else if (RESERVED_SLUGS.has(values.slug)) errors.slug = t(lang, 'designer.error.slug_taken');
  if (!(CATEGORIES as readonly string[]).includes(values.category))
    errors.category = t(lang, 'designer.error.category_required');
  const agency = agencies.length === 1 ? agencies[0] : agencies.find((a) => a.id === values.agencyId);
  if (!agency) errors.agencyId = t(lang, 'designer.error.agency_required');
  if (Object.keys(errors).length > 0 || !agency) return { ok: false, values, errors };
  return { ok: true, values, agency };
}

export async function createFromForm(
  ctx: AppContext,
  actor: Principal,
  form: Extract<NewServiceForm, { ok: true }>,
  _agencies: readonly AdminAgency[],
  lang: Lang,
): Promise<{ ok: true; slug: string } | { ok: false; errors: Errors; status: number }> {
  const { values, agency } = form;
  const definition = starterDefinition({
    agency: agency.slug,
    slug: values.slug,
    name: { id: values.nameId, en: values.nameEn },
    category: values.category,
  });
  try {
    await createService(ctx, actor, agency.id, definition);
    return { ok: true, slug: values.slug };
  } catch (err) {
    if (err instanceof DomainError && err.code === 'service.exists')
      return { ok: false, errors: { slug: t(lang, 'designer.error.slug_taken') }, status: 409 };
    throw err;
  }
}

/** A value in a changes table, as words: texts in the page's language, lists joined, never JSON. */
export function plainValue(value: unknown, lang: Lang): string {
  if (value === undefined) return '—';
  if (value === null) return '—';
  if (typeof value === 'boolean') return t(lang, value ? 'designer.rule.yes' : 'designer.rule.no');
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map((v) => plainValue(v, lang)).join(', ');
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const name of ['label', 'title', 'name']) {
      const text = record[name];
      if (typeof text === 'object' && text !== null) {
        const local = (text as Record<string, unknown>)[lang];
        if (typeof local === 'string') return local;
      }
    }
    const local = record[lang];
    if (typeof local === 'string') return local;
    return Object.entries(record)
      .filter(([, v]) => typeof v !== 'object' || v === null)
      .map(([k, v]) => `${k}: ${plainValue(v, lang)}`)
      .join('; ');
  }
  return '';
}

export function changeRows(changes: readonly Change[], lang: Lang): ChangeRow[] {
  return changes.map((c) => ({
    path: c.path,
    kind: c.kind,
    before: c.kind === 'added' ? '—' : plainValue(c.before, lang),
    after: c.kind === 'removed' ? '—' : plainValue(c.after, lang),
  }));
}
