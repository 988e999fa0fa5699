import type { LocalText } from '../../catalog/schemas.ts';
import type { CatalogueEntry } from '../../catalog/service.ts';
import { CsrfField, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import { dateTimeText, local } from './answers.tsx';

export interface CounterAgencyServices {
  agency: LocalText;
  services: readonly CatalogueEntry[];
}

export interface CounterDraft {
  id: string;
  service: LocalText;
  updatedAt: string;
}

/**
 * GET /counter: the counter officer's start page — the drafts left half-way (a busy counter gets
 * interrupted), a search box, and one "Start for a citizen" button per published service of the
 * officer's agency.
 */
export function CounterHomePage(props: {
  page: PageContext;
  q: string;
  agencies: readonly CounterAgencyServices[];
  drafts: readonly CounterDraft[];
}) {
  const { page } = props;
  const title = tr(page, 'applications.counter_title');
  return (
    <Layout page={page} title={title}>
      <h1>{title}</h1>
      <p class="g-lead">{tr(page, 'applications.counter_lead')}</p>
      <p>
        <a href="/counter/survey">{tr(page, 'survey.counter_link')}</a>
      </p>
      {props.drafts.length > 0 ? (
        <section aria-labelledby="counter-drafts">
          <h2 id="counter-drafts">
            {tr(page, 'applications.counter_drafts', { count: props.drafts.length })}
          </h2>
          <p>{tr(page, 'applications.counter_drafts_lead')}</p>
          <ul class="g-links">
            {props.drafts.map((d) => (
              <li>
                <a href={`/counter/applications/${d.id}/sections/0`}>
                  {tr(page, 'applications.counter_continue')}: <span safe>{local(page, d.service)}</span>
                </a>{' '}
                <span class="g-muted">
                  ({tr(page, 'applications.last_change')} {dateTimeText(page.lang, d.updatedAt)})
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        ''
      )}
      <search>
        <form method="get" action="/counter" class="g-catalogue__search g-catalogue__search--inline">
          <label class="g-field__label" for="q">
            {tr(page, 'applications.counter_search_label')}
          </label>
          <div class="g-catalogue__row">
            <input class="g-input" id="q" name="q" type="search" maxlength="200" value={props.q} />
            <button class="g-button" type="submit">
              {tr(page, 'applications.counter_search_button')}
            </button>
          </div>
        </form>
      </search>
      <div>
        {props.agencies.map((group, i) => (
          <section aria-labelledby={`counter-agency-${i}`}>
            <h2 id={`counter-agency-${i}`} safe>
              {tr(page, 'applications.counter_services', { agency: local(page, group.agency) })}
            </h2>
            {group.services.length === 0 ? (
              <p>{tr(page, 'applications.counter_none')}</p>
            ) : (
              <ul class="g-cards">
                {group.services.map((s) => (
                  <li class="g-card">
                    <h3 safe>{local(page, s.name)}</h3>
                    <form method="post" action={`/counter/${encodeURIComponent(s.slug)}/start`}>
                      <CsrfField page={page} />
                      <button type="submit" class="g-button">
                        {tr(page, 'applications.counter_start')}
                        <span class="g-vh" safe>{`: ${local(page, s.name)}`}</span>
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ))}
      </div>
    </Layout>
  );
}
