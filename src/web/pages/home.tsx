import type { Agency } from '../../agencies/schemas.ts';
import { Layout, type PageContext, tr } from './layout.tsx';

export function HomePage(props: { page: PageContext; agencies: Agency[] }) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'home.title')}>
      <h1>{tr(page, 'home.title')}</h1>
      <p class="g-lead">{tr(page, 'home.lead')}</p>
      <search>
        <form method="get" action="/services" class="g-home-search">
          <label class="g-field__label" for="home-q">
            {tr(page, 'catalogue.home_search_heading')}
          </label>
          <p class="g-field__hint" id="home-q-hint">
            {tr(page, 'catalogue.search_hint')}
          </p>
          <div class="g-catalogue__row">
            <input
              class="g-input"
              id="home-q"
              name="q"
              type="search"
              maxlength="200"
              aria-describedby="home-q-hint"
            />
            <button class="g-button" type="submit">
              {tr(page, 'catalogue.search_submit')}
            </button>
          </div>
        </form>
      </search>
      <p>
        <a href="/services">{tr(page, 'catalogue.home_all_services')}</a>
      </p>
      <h2>{tr(page, 'home.agencies')}</h2>
      {props.agencies.length === 0 ? (
        <p>{tr(page, 'home.no_agencies')}</p>
      ) : (
        <ul class="g-cards">
          {props.agencies.map((a) => (
            <li class="g-card">
              <h3 class="g-card__title" safe>
                {page.lang === 'id' ? a.name.id : a.name.en}
              </h3>
              <p class="g-card__meta">{tr(page, 'home.units', { count: a.units.length })}</p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
