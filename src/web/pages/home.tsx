import type { Agency } from '../../agencies/schemas.ts';
import { Layout, type PageContext, tr } from './layout.tsx';

export function HomePage(props: { page: PageContext; agencies: Agency[] }) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'home.title')}>
      <h1>{tr(page, 'home.title')}</h1>
      <p class="g-lead">{tr(page, 'home.lead')}</p>
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
