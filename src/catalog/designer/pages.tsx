/** The designer's pages around the editor: the list, creating, the overview, preview, retire, compare. */
import type { MessageKey } from '../../web/i18n/index.ts';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { Problem } from '../problems.ts';
import { CATEGORIES } from '../schemas.ts';
import type { ManagedService, VersionSummary } from '../service.ts';
import { DESIGNER_CSS, PartTabs, serviceName } from './editor-page.tsx';
import { partOfPath } from './mapping.ts';
import { idOf } from './names.ts';

function statusText(page: PageContext, status: string): string {
  return tr(page, `designer.status.${status}` as MessageKey);
}

function when(page: PageContext, iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(page.lang === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  }).format(date);
}

function Crumbs(props: { page: PageContext; slug?: string; name?: string }) {
  return (
    <p class="d-crumbs">
      <a href="/admin/services">{tr(props.page, 'designer.my_services')}</a>
      {props.slug ? (
        <>
          {' › '}
          <a href={`/admin/services/${props.slug}`} safe>
            {props.name ?? props.slug}
          </a>
        </>
      ) : (
        ''
      )}
    </p>
  );
}

export function ServicesListPage(props: { page: PageContext; services: readonly ManagedService[] }) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'designer.my_services')} stylesheets={DESIGNER_CSS}>
      <h1>{tr(page, 'designer.my_services')}</h1>
      <p class="g-lead">{tr(page, 'designer.list_lead')}</p>
      <p>
        <a class="g-button" href="/admin/services/new">
          {tr(page, 'designer.create')}
        </a>
      </p>
      {props.services.length === 0 ? (
        <p>{tr(page, 'designer.no_services')}</p>
      ) : (
        <ul class="d-services">
          {props.services.map((s) => (
            <li class="g-card">
              <h2 class="d-services__name">
                <a href={`/admin/services/${s.slug}`} safe>
                  {s.name[page.lang] || s.slug}
                </a>
              </h2>
              <p class="g-card__meta">
                {s.versions
                  .map(
                    (v) =>
                      `${tr(page, 'designer.version', { version: v.version })}: ${statusText(page, v.status)}`,
                  )
                  .join(' · ')}
              </p>
              <p class="d-links">
                <a href={`/admin/services/${s.slug}/edit/identity`}>
                  {tr(page, 'designer.edit_draft')}
                  <span class="d-vh" safe>{` (${s.name[page.lang] || s.slug})`}</span>
                </a>
                {s.versions.some((v) => v.status === 'published') ? (
                  <a href={`/services/${s.slug}`}>
                    {tr(page, 'designer.view_in_catalogue')}
                    <span class="d-vh" safe>{` (${s.name[page.lang] || s.slug})`}</span>
                  </a>
                ) : (
                  ''
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export interface NewServiceValues {
  nameId: string;
  nameEn: string;
  slug: string;
  category: string;
  agencyId: string;
}

export function NewServicePage(props: {
  page: PageContext;
  agencies: ReadonlyArray<{ id: string; name: string }>;
  values: NewServiceValues;
  errors: Partial<Record<keyof NewServiceValues, string>>;
  formError?: string;
}) {
  const { page, values, errors } = props;
  const summary = [
    ...(props.formError ? [{ message: props.formError }] : []),
    ...(Object.entries(errors) as [keyof NewServiceValues, string][]).map(([k, m]) => ({
      field: `new-${k}`,
      message: m,
    })),
  ];
  const input = (
    key: keyof NewServiceValues,
    label: string,
    hint?: string,
    extra: Record<string, string> = {},
  ) => {
    const id = `new-${key}`;
    const error = errors[key];
    return (
      <div class={error ? 'g-field g-field--error' : 'g-field'}>
        <label class="g-field__label" for={id} safe>
          {label}
        </label>
        {hint ? (
          <p class="g-field__hint" id={`${id}-hint`} safe>
            {hint}
          </p>
        ) : (
          ''
        )}
        {error ? (
          <p class="g-field__error" id={`${id}-error`} safe>
            {error}
          </p>
        ) : (
          ''
        )}
        <input
          class="g-input"
          id={id}
          name={key}
          value={values[key]}
          aria-describedby={
            [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
          }
          aria-invalid={error ? 'true' : undefined}
          {...extra}
        />
      </div>
    );
  };
  const select = (
    key: 'category' | 'agencyId',
    label: string,
    choices: { value: string; label: string }[],
  ) => {
    const id = `new-${key}`;
    const error = errors[key];
    return (
      <div class={error ? 'g-field g-field--error' : 'g-field'}>
        <label class="g-field__label" for={id} safe>
          {label}
        </label>
        {error ? (
          <p class="g-field__error" id={`${id}-error`} safe>
            {error}
          </p>
        ) : (
          ''
        )}
        <select class="g-input" id={id} name={key} aria-describedby={error ? `${id}-error` : undefined}>
          <option value="">{tr(page, 'designer.choose')}</option>
          {choices.map((c) => (
            <option value={c.value} selected={c.value === values[key]} safe>
              {c.label}
            </option>
          ))}
        </select>
      </div>
    );
  };
  return (
    <Layout
      page={page}
      title={tr(page, 'designer.create_title')}
      stylesheets={DESIGNER_CSS}
      scripts={['/static/designer.js']}
    >
      <Crumbs page={page} />
      <h1>{tr(page, 'designer.create_title')}</h1>
      <ErrorSummary page={page} errors={summary} />
      <p>{tr(page, 'designer.create_lead')}</p>
      <form method="post" action="/admin/services/new" class="g-form" novalidate>
        <CsrfField page={page} />
        {input('nameId', tr(page, 'designer.new_name_id'), tr(page, 'designer.new_name_hint'), {
          'data-slug-source': '',
        })}
        {input('nameEn', tr(page, 'designer.new_name_en'))}
        {input('slug', tr(page, 'designer.new_slug'), tr(page, 'designer.new_slug_hint'), {
          'data-slug-target': '',
          autocomplete: 'off',
        })}
        {select(
          'category',
          tr(page, 'designer.category'),
          CATEGORIES.map((c) => ({ value: c, label: tr(page, `designer.category.${c}` as MessageKey) })),
        )}
        {props.agencies.length > 1
          ? select(
              'agencyId',
              tr(page, 'designer.agency'),
              props.agencies.map((a) => ({ value: a.id, label: a.name })),
            )
          : ''}
        <button type="submit" class="g-button">
          {tr(page, 'designer.create_submit')}
        </button>
      </form>
    </Layout>
  );
}

/** Every problem of a definition, grouped by part, each linking to its input in the editor. */
export function ProblemList(props: { page: PageContext; slug: string; problems: readonly Problem[] }) {
  const { page, slug } = props;
  return (
    <div class="g-error-summary d-publish-problems" role="alert" tabindex="-1" id="problems">
      <h2 class="g-error-summary__title">
        {tr(page, 'designer.cannot_publish', { count: props.problems.length })}
      </h2>
      <ul>
        {props.problems.map((p) => (
          <li>
            <a href={`/admin/services/${slug}/edit/${partOfPath(p.path)}#${idOf(p.path)}`} safe>
              {p.message[page.lang]}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function OverviewPage(props: {
  page: PageContext;
  slug: string;
  doc: unknown;
  versions: readonly VersionSummary[];
  people: ReadonlyMap<string, string>;
  problems: readonly Problem[];
  publishProblems?: readonly Problem[];
  notice?: string;
}) {
  const { page, slug, versions } = props;
  const name = serviceName(page, props.doc, slug);
  const draft = versions.find((v) => v.status === 'draft');
  const published = versions.find((v) => v.status === 'published');
  const person = (id: string | null) => (id ? (props.people.get(id) ?? '—') : '—');
  const newest = versions[0]?.version;
  const older = versions[1]?.version;
  return (
    <Layout page={page} title={name} stylesheets={DESIGNER_CSS}>
      <Crumbs page={page} />
      <h1 safe>{name}</h1>
      {props.publishProblems ? <ProblemList page={page} slug={slug} problems={props.publishProblems} /> : ''}
      {props.notice ? (
        <p class="g-notice" role="status" safe>
          {props.notice}
        </p>
      ) : (
        ''
      )}
      <PartTabs page={page} slug={slug} problems={draft ? props.problems : []} />
      <h2>{tr(page, 'designer.versions')}</h2>
      <div class="d-table-wrap">
        <table class="d-table">
          <caption class="d-vh">{tr(page, 'designer.versions')}</caption>
          <thead>
            <tr>
              <th scope="col">{tr(page, 'designer.col_version')}</th>
              <th scope="col">{tr(page, 'designer.col_status')}</th>
              <th scope="col">{tr(page, 'designer.col_created')}</th>
              <th scope="col">{tr(page, 'designer.col_published')}</th>
              <th scope="col">{tr(page, 'designer.col_retired')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr>
                <td>{String(v.version)}</td>
                <td>
                  <span class={`d-status d-status--${v.status}`}>{statusText(page, v.status)}</span>
                </td>
                <td safe>{when(page, v.createdAt)}</td>
                <td safe>{v.publishedAt ? `${person(v.publishedBy)}, ${when(page, v.publishedAt)}` : '—'}</td>
                <td safe>{v.retiredAt ? `${person(v.retiredBy)}, ${when(page, v.retiredAt)}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{tr(page, 'designer.what_next')}</h2>
      <div class="d-actions d-actions--wide">
        <a class="g-button" href={`/admin/services/${slug}/edit/identity`}>
          {tr(page, draft ? 'designer.edit_draft' : 'designer.edit_new_version')}
        </a>
        {draft ? (
          <form method="post" action={`/admin/services/${slug}/publish`} class="d-inline">
            <CsrfField page={page} />
            <button type="submit" class="g-button">
              {tr(page, 'designer.publish', { version: draft.version })}
            </button>
          </form>
        ) : (
          ''
        )}
        {published ? (
          <a class="g-button d-button--warning" href={`/admin/services/${slug}/retire`}>
            {tr(page, 'designer.retire')}
          </a>
        ) : (
          ''
        )}
        {draft ? <a href={`/admin/services/${slug}/preview`}>{tr(page, 'designer.preview')}</a> : ''}
        {published ? <a href={`/services/${slug}`}>{tr(page, 'designer.view_in_catalogue')}</a> : ''}
        {newest !== undefined ? (
          <a href={`/api/v1/admin/services/${slug}/versions/${newest}?format=yaml`}>
            {tr(page, 'designer.export_yaml', { version: newest })}
          </a>
        ) : (
          ''
        )}
      </div>
      {versions.length > 1 ? (
        <form method="get" action={`/admin/services/${slug}/compare`} class="d-compare">
          <h2>{tr(page, 'designer.compare_title')}</h2>
          <div class="d-row">
            <VersionSelect
              page={page}
              name="from"
              label={tr(page, 'designer.compare_from')}
              versions={versions}
              value={older}
            />
            <VersionSelect
              page={page}
              name="to"
              label={tr(page, 'designer.compare_to')}
              versions={versions}
              value={newest}
            />
          </div>
          <button type="submit" class="g-button d-button--secondary">
            {tr(page, 'designer.compare_submit')}
          </button>
        </form>
      ) : (
        ''
      )}
    </Layout>
  );
}

function VersionSelect(props: {
  page: PageContext;
  name: string;
  label: string;
  versions: readonly VersionSummary[];
  value: number | undefined;
}) {
  const id = `compare-${props.name}`;
  return (
    <div class="g-field">
      <label class="g-field__label" for={id} safe>
        {props.label}
      </label>
      <select class="g-input d-select" id={id} name={props.name}>
        {props.versions.map((v) => (
          <option value={String(v.version)} selected={v.version === props.value} safe>
            {`${tr(props.page, 'designer.version', { version: v.version })} (${statusText(props.page, v.status)})`}
          </option>
        ))}
      </select>
    </div>
  );
}

export function RetirePage(props: { page: PageContext; slug: string; doc: unknown; version: number }) {
  const { page, slug } = props;
  const name = serviceName(page, props.doc, slug);
  return (
    <Layout page={page} title={tr(page, 'designer.retire_title')} stylesheets={DESIGNER_CSS}>
      <Crumbs page={page} slug={slug} name={name} />
      <h1>{tr(page, 'designer.retire_title')}</h1>
      <p safe>{tr(page, 'designer.retire_lead', { name, version: props.version })}</p>
      <form method="post" action={`/admin/services/${slug}/retire`} class="d-actions">
        <CsrfField page={page} />
        <button type="submit" class="g-button d-button--warning">
          {tr(page, 'designer.retire_confirm')}
        </button>
        <a href={`/admin/services/${slug}`}>{tr(page, 'designer.cancel')}</a>
      </form>
    </Layout>
  );
}

export interface ChangeRow {
  path: string;
  kind: string;
  before: string;
  after: string;
}

export function ComparePage(props: {
  page: PageContext;
  slug: string;
  doc: unknown;
  versions: readonly VersionSummary[];
  from: number;
  to: number;
  summary: readonly string[];
  rows: readonly ChangeRow[];
}) {
  const { page, slug } = props;
  const name = serviceName(page, props.doc, slug);
  return (
    <Layout page={page} title={tr(page, 'designer.compare_title')} stylesheets={DESIGNER_CSS}>
      <Crumbs page={page} slug={slug} name={name} />
      <h1>{tr(page, 'designer.compare_heading', { from: props.from, to: props.to })}</h1>
      <form method="get" action={`/admin/services/${slug}/compare`} class="d-compare">
        <div class="d-row">
          <VersionSelect
            page={page}
            name="from"
            label={tr(page, 'designer.compare_from')}
            versions={props.versions}
            value={props.from}
          />
          <VersionSelect
            page={page}
            name="to"
            label={tr(page, 'designer.compare_to')}
            versions={props.versions}
            value={props.to}
          />
        </div>
        <button type="submit" class="g-button d-button--secondary">
          {tr(page, 'designer.compare_submit')}
        </button>
      </form>
      {props.summary.length === 0 ? (
        <p>{tr(page, 'designer.no_changes')}</p>
      ) : (
        <>
          <h2>{tr(page, 'designer.changes_in_words', { count: props.summary.length })}</h2>
          <ul class="d-changes">
            {props.summary.map((line) => (
              <li safe>{line}</li>
            ))}
          </ul>
          <h2>{tr(page, 'designer.changes_table')}</h2>
          <div class="d-table-wrap">
            <table class="d-table d-table--changes">
              <caption class="d-vh">{tr(page, 'designer.changes_table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{tr(page, 'designer.col_where')}</th>
                  <th scope="col">{tr(page, 'designer.col_change')}</th>
                  <th scope="col">{tr(page, 'designer.col_before')}</th>
                  <th scope="col">{tr(page, 'designer.col_after')}</th>
                </tr>
              </thead>
              <tbody>
                {props.rows.map((r) => (
                  <tr>
                    <td class="d-path" safe>
                      {r.path || '—'}
                    </td>
                    <td safe>{tr(page, `designer.change.${r.kind}` as MessageKey)}</td>
                    <td safe>{r.before}</td>
                    <td safe>{r.after}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Layout>
  );
}
