import { Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import { CATEGORIES, type Category, type LocalText } from '../schemas.ts';
import type { CatalogueEntry, CataloguePage as ResultPage } from '../service.ts';
import { categoryLabel, daysText, feeText, local } from './catalogue-format.ts';

/** The search as the visitor asked for it, after unusable filters were dropped. */
export interface CatalogueSearch {
  /** The words as typed (kept in the box even when nothing matches). */
  q: string;
  agency: string | undefined;
  category: Category | undefined;
  page: number;
  perPage: number;
  /** Whether `perPage` was given in the address, so page links keep it. */
  perPageGiven: boolean;
}

export interface CatalogueView {
  page: PageContext;
  search: CatalogueSearch;
  result: ResultPage;
  agencies: readonly { slug: string; name: LocalText }[];
  /** Why part of the request was ignored (an unknown agency or category). */
  notices: readonly string[];
}

/** Descriptions are cut to about two lines on a card; the service page has them whole. */
const DESCRIPTION_CHARS = 160;

function shortDescription(text: string): string {
  if (text.length <= DESCRIPTION_CHARS) return text;
  const cut = text.slice(0, DESCRIPTION_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > 80 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, '')}…`;
}

/** The address of the catalogue with this search, on page `page`. */
export function catalogueHref(search: CatalogueSearch, page: number): string {
  const params = new URLSearchParams();
  if (search.q !== '') params.set('q', search.q);
  if (search.agency) params.set('agency', search.agency);
  if (search.category) params.set('category', search.category);
  if (search.perPageGiven) params.set('perPage', String(search.perPage));
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query === '' ? '/services' : `/services?${query}`;
}

function countText(page: PageContext, total: number, q: string): string {
  if (q === '')
    return total === 1 ? tr(page, 'catalogue.count_one') : tr(page, 'catalogue.count', { count: total });
  return total === 1
    ? tr(page, 'catalogue.count_for_one', { q })
    : tr(page, 'catalogue.count_for', { count: total, q });
}

function SearchForm(props: CatalogueView) {
  const { page, search } = props;
  const filtered = search.q !== '' || search.agency !== undefined || search.category !== undefined;
  return (
    <search>
      <form method="get" action="/services" class="g-catalogue__search">
        <div class="g-field g-catalogue__words">
          <label class="g-field__label" for="q">
            {tr(page, 'catalogue.search_label')}
          </label>
          <p class="g-field__hint" id="q-hint">
            {tr(page, 'catalogue.search_hint')}
          </p>
          <input
            class="g-input"
            id="q"
            name="q"
            type="search"
            value={search.q}
            maxlength="200"
            autocomplete="off"
            aria-describedby="q-hint"
          />
        </div>
        <div class="g-catalogue__filters">
          <div class="g-field">
            <label class="g-field__label" for="agency">
              {tr(page, 'catalogue.filter_agency')}
            </label>
            <select class="g-input" id="agency" name="agency">
              <option value="">{tr(page, 'catalogue.all_agencies')}</option>
              {props.agencies.map((a) => (
                <option value={a.slug} selected={a.slug === search.agency} safe>
                  {local(page, a.name)}
                </option>
              ))}
            </select>
          </div>
          <div class="g-field">
            <label class="g-field__label" for="category">
              {tr(page, 'catalogue.filter_category')}
            </label>
            <select class="g-input" id="category" name="category">
              <option value="">{tr(page, 'catalogue.all_categories')}</option>
              {CATEGORIES.map((c) => (
                <option value={c} selected={c === search.category}>
                  {categoryLabel(page, c)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="g-catalogue__actions">
          <button class="g-button" type="submit">
            {tr(page, 'catalogue.search_submit')}
          </button>
          {filtered ? <a href="/services">{tr(page, 'catalogue.clear_filters')}</a> : ''}
        </div>
      </form>
    </search>
  );
}

function ResultCard(props: { page: PageContext; entry: CatalogueEntry }) {
  const { page, entry } = props;
  return (
    <li class="g-card g-catalogue__card">
      <h3 class="g-card__title">
        <a href={`/services/${encodeURIComponent(entry.slug)}`} safe>
          {local(page, entry.name)}
        </a>
      </h3>
      <p class="g-card__meta">
        <span safe>{local(page, entry.agency.name)}</span> ·{' '}
        <span>{categoryLabel(page, entry.category)}</span>
      </p>
      <p class="g-catalogue__description" safe>
        {shortDescription(local(page, entry.description))}
      </p>
      <dl class="g-catalogue__facts">
        <div>
          <dt>{tr(page, 'catalogue.fee')}</dt>
          <dd>{feeText(page, entry.feeRupiah)}</dd>
        </div>
        <div>
          <dt>{tr(page, 'catalogue.time')}</dt>
          <dd>{daysText(page, entry.completionDays)}</dd>
        </div>
      </dl>
    </li>
  );
}

function Pagination(props: { page: PageContext; search: CatalogueSearch; total: number }) {
  const { page, search, total } = props;
  const pages = Math.ceil(total / search.perPage);
  if (pages <= 1 || search.page > pages) return '';
  return (
    <nav class="g-pagination" aria-label={tr(page, 'catalogue.pagination')}>
      {search.page > 1 ? (
        <a href={catalogueHref(search, search.page - 1)} rel="prev">
          {tr(page, 'catalogue.previous')}
        </a>
      ) : (
        ''
      )}
      <span aria-current="page">{tr(page, 'catalogue.page_of', { page: search.page, pages })}</span>
      {search.page < pages ? (
        <a href={catalogueHref(search, search.page + 1)} rel="next">
          {tr(page, 'catalogue.next')}
        </a>
      ) : (
        ''
      )}
    </nav>
  );
}

function Results(props: CatalogueView) {
  const { page, search, result } = props;
  if (result.total === 0) {
    return (
      <div class="g-catalogue__empty">
        <p role="status" class="g-catalogue__count">
          <strong>{tr(page, 'catalogue.no_results')}</strong>
        </p>
        <p>{tr(page, 'catalogue.no_results_hint')}</p>
        <ul class="g-links">
          {search.q !== '' && (search.agency !== undefined || search.category !== undefined) ? (
            <li>
              <a href={catalogueHref({ ...search, agency: undefined, category: undefined }, 1)} safe>
                {tr(page, 'catalogue.search_everywhere', { q: search.q })}
              </a>
            </li>
          ) : (
            ''
          )}
          <li>
            <a href="/services">{tr(page, 'catalogue.see_all')}</a>
          </li>
        </ul>
      </div>
    );
  }
  if (result.items.length === 0) {
    return (
      <div class="g-catalogue__empty">
        <p role="status" class="g-catalogue__count" safe>
          {countText(page, result.total, search.q)}
        </p>
        <p>
          {tr(page, 'catalogue.page_empty')}{' '}
          <a href={catalogueHref(search, 1)}>{tr(page, 'catalogue.first_page')}</a>
        </p>
      </div>
    );
  }
  return (
    <>
      <p role="status" class="g-catalogue__count" safe>
        {countText(page, result.total, search.q)}
      </p>
      <ul class="g-cards g-catalogue__results">
        {result.items.map((entry) => (
          <ResultCard page={page} entry={entry} />
        ))}
      </ul>
      <Pagination page={page} search={search} total={result.total} />
    </>
  );
}

/** GET /services: the search form, then the matching services as cards. */
export function CataloguePage(props: CatalogueView) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'catalogue.title')}>
      <h1>{tr(page, 'catalogue.title')}</h1>
      <p class="g-lead">{tr(page, 'catalogue.lead')}</p>
      <SearchForm {...props} />
      {props.notices.length > 0 ? (
        <div class="g-catalogue__notices">
          {props.notices.map((notice) => (
            <p class="g-catalogue__notice" safe>
              {notice}
            </p>
          ))}
        </div>
      ) : (
        ''
      )}
      <h2 class="g-catalogue__heading">{tr(page, 'catalogue.results_heading')}</h2>
      <Results {...props} />
    </Layout>
  );
}
