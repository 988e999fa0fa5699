import { Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { ApplicationView } from '../service.ts';
import { dateText, local } from './answers.tsx';
import { TrackingNumber } from './receipt-page.tsx';
import { statusLabel } from './status-page.tsx';

function Item(props: { page: PageContext; view: ApplicationView }) {
  const { page, view } = props;
  const base = `/applications/${view.id}`;
  const name = local(page, view.service.name);
  return (
    <li class="g-card g-app-card">
      <h3>
        <a href={view.stage === 'draft' ? `${base}/sections/0` : base} safe>
          {name}
        </a>
      </h3>
      <p class="g-card__meta" safe>
        {local(page, view.agency.name)}
      </p>
      <dl class="g-app-card__facts">
        <div>
          <dt>{tr(page, 'applications.status')}</dt>
          <dd>
            <strong safe>{statusLabel(page, view)}</strong>
          </dd>
        </div>
        {view.trackingNumber ? (
          <div>
            <dt>{tr(page, 'applications.tracking_number')}</dt>
            <dd>
              <TrackingNumber number={view.trackingNumber} class="g-app-number" />
            </dd>
          </div>
        ) : (
          ''
        )}
        {view.dueAt && view.stage === 'active' ? (
          <div>
            <dt>{tr(page, 'applications.due')}</dt>
            <dd>{dateText(page.lang, view.dueAt)}</dd>
          </div>
        ) : (
          ''
        )}
        <div>
          <dt>{tr(page, 'applications.last_change')}</dt>
          <dd>{dateText(page.lang, view.updatedAt)}</dd>
        </div>
      </dl>
      {view.stage === 'draft' ? (
        <p class="g-app-card__links">
          <a href={`${base}/sections/0`}>
            {tr(page, 'applications.continue')}
            <span class="g-vh" safe>{`: ${name}`}</span>
          </a>
        </p>
      ) : (
        <p class="g-app-card__links">
          <a href={`${base}/receipt`}>
            {tr(page, 'applications.see_receipt')}
            <span class="g-vh" safe>{`: ${name}`}</span>
          </a>
        </p>
      )}
    </li>
  );
}

/** GET /applications: the citizen's drafts and filed applications. */
export function MyApplicationsPage(props: { page: PageContext; views: readonly ApplicationView[] }) {
  const { page, views } = props;
  const drafts = views.filter((v) => v.stage === 'draft');
  const filed = views.filter((v) => v.stage !== 'draft');
  return (
    <Layout page={page} title={tr(page, 'applications.my_title')}>
      <h1>{tr(page, 'applications.my_title')}</h1>
      {views.length === 0 ? (
        <>
          <p class="g-lead">{tr(page, 'applications.my_empty')}</p>
          <p>
            <a class="g-button" href="/services">
              {tr(page, 'applications.my_find')}
            </a>
          </p>
        </>
      ) : (
        <>
          {drafts.length > 0 ? (
            <section aria-labelledby="drafts">
              <h2 id="drafts">{tr(page, 'applications.my_drafts', { count: drafts.length })}</h2>
              <p class="g-muted">{tr(page, 'applications.my_drafts_lead')}</p>
              <ul class="g-cards g-app-cards">
                {drafts.map((view) => (
                  <Item page={page} view={view} />
                ))}
              </ul>
            </section>
          ) : (
            ''
          )}
          {filed.length > 0 ? (
            <section aria-labelledby="filed">
              <h2 id="filed">{tr(page, 'applications.my_filed', { count: filed.length })}</h2>
              <ul class="g-cards g-app-cards">
                {filed.map((view) => (
                  <Item page={page} view={view} />
                ))}
              </ul>
            </section>
          ) : (
            ''
          )}
          <p>
            <a href="/services">{tr(page, 'applications.my_find')}</a>
          </p>
        </>
      )}
      <p class="g-muted">
        <a href="/applications/link">{tr(page, 'applications.link_title')}</a>
      </p>
    </Layout>
  );
}
