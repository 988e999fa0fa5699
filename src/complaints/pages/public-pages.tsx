/**
 * The public's pages: published reports, their redacted text, where they stand and the agencies'
 * answers. Never the identity of a confidential or anonymous complainant: the view these render
 * has none to give.
 */
import { Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { ComplaintSummary, PublicView } from '../views.ts';
import { SummaryList } from './complainant-pages.tsx';
import {
  categoryLabel,
  local,
  momentText,
  ReportText,
  StateBadge,
  TrackingNumber,
  typeLabel,
} from './parts.tsx';

export interface PublicListProps {
  page: PageContext;
  items: readonly ComplaintSummary[];
  total: number;
  pageNumber: number;
  perPage: number;
  agencies: { slug: string; label: string }[];
  agency: string;
}

function pageHref(agency: string, n: number): string {
  const params = new URLSearchParams();
  if (agency) params.set('agency', agency);
  if (n > 1) params.set('page', String(n));
  const query = params.toString();
  return query ? `/complaints?${query}` : '/complaints';
}

/** GET /complaints: published reports, newest first, optionally of one agency. */
export function PublicListPage(props: PublicListProps) {
  const { page } = props;
  const pages = Math.max(1, Math.ceil(props.total / props.perPage));
  return (
    <Layout page={page} title={tr(page, 'complaints.public_title')}>
      <h1>{tr(page, 'complaints.public_title')}</h1>
      <p class="g-lead">{tr(page, 'complaints.public_lead')}</p>
      <ul class="g-links">
        <li>
          <a class="g-button" href="/complaints/new">
            {tr(page, 'complaints.file_title')}
          </a>
        </li>
        <li>
          <a href="/complaints/track">{tr(page, 'complaints.track_title')}</a>
        </li>
        {page.principal?.kind === 'citizen' ? (
          <li>
            <a href="/complaints/mine">{tr(page, 'complaints.mine_title')}</a>
          </li>
        ) : (
          ''
        )}
      </ul>
      <form method="get" action="/complaints" class="g-form g-complaint-filter">
        <div class="g-field">
          <label class="g-field__label" for="agency">
            {tr(page, 'complaints.agency')}
          </label>
          <select class="g-select g-input" id="agency" name="agency">
            <option value="">{tr(page, 'complaints.any_agency')}</option>
            {props.agencies.map((a) => (
              <option value={a.slug} selected={a.slug === props.agency} safe>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="g-button g-button--secondary">
          {tr(page, 'complaints.filter')}
        </button>
      </form>
      <p role="status">{tr(page, 'complaints.public_count', { count: props.total })}</p>
      <SummaryList page={page} items={props.items} href={(item) => `/complaints/${item.number}`} />
      {pages > 1 ? (
        <nav class="g-pagination" aria-label={tr(page, 'complaints.pages')}>
          {props.pageNumber > 1 ? (
            <a href={pageHref(props.agency, props.pageNumber - 1)} rel="prev">
              {tr(page, 'complaints.previous')}
            </a>
          ) : (
            ''
          )}
          <span>{tr(page, 'complaints.page_of', { page: props.pageNumber, pages })}</span>
          {props.pageNumber < pages ? (
            <a href={pageHref(props.agency, props.pageNumber + 1)} rel="next">
              {tr(page, 'complaints.next')}
            </a>
          ) : (
            ''
          )}
        </nav>
      ) : (
        ''
      )}
    </Layout>
  );
}

/** GET /complaints/:number: one published report. */
export function PublicComplaintPage(props: { page: PageContext; view: PublicView }) {
  const { page, view } = props;
  const title = tr(page, 'complaints.status_title', { number: view.number });
  return (
    <Layout page={page} title={title}>
      <p>
        <a href="/complaints">{tr(page, 'complaints.back_to_list')}</a>
      </p>
      <h1 safe>{title}</h1>
      <dl class="g-app-facts">
        <div>
          <dt>{tr(page, 'complaints.number')}</dt>
          <dd>
            <TrackingNumber number={view.number} class="g-app-number" />
          </dd>
        </div>
        <div>
          <dt>{tr(page, 'complaints.status')}</dt>
          <dd>
            <StateBadge page={page} state={view.state} />
          </dd>
        </div>
        <div>
          <dt>{tr(page, 'complaints.report_type')}</dt>
          <dd safe>{typeLabel(page, view.reportType)}</dd>
        </div>
        <div>
          <dt>{tr(page, 'complaints.category')}</dt>
          <dd safe>{categoryLabel(page, view.category)}</dd>
        </div>
        {view.agency ? (
          <div>
            <dt>{tr(page, 'complaints.agency')}</dt>
            <dd safe>{local(page, view.agency)}</dd>
          </div>
        ) : (
          ''
        )}
        {view.service ? (
          <div>
            <dt>{tr(page, 'complaints.service')}</dt>
            <dd safe>{local(page, view.service)}</dd>
          </div>
        ) : (
          ''
        )}
        {view.region ? (
          <div>
            <dt>{tr(page, 'complaints.location_fact')}</dt>
            <dd safe>{view.region}</dd>
          </div>
        ) : (
          ''
        )}
        <div>
          <dt>{tr(page, 'complaints.reporter')}</dt>
          <dd safe>{view.reporterName ?? tr(page, 'complaints.reporter_withheld')}</dd>
        </div>
        <div>
          <dt>{tr(page, 'complaints.filed_at')}</dt>
          <dd safe>{momentText(page, view.filedAt)}</dd>
        </div>
        {view.closedAt ? (
          <div>
            <dt>{tr(page, 'complaints.closed_at')}</dt>
            <dd safe>{momentText(page, view.closedAt)}</dd>
          </div>
        ) : (
          ''
        )}
      </dl>
      <h2>{tr(page, 'complaints.report_title')}</h2>
      <ReportText text={view.text} />
      <p class="g-muted">{tr(page, 'complaints.redaction_note')}</p>
      <h2>{tr(page, 'complaints.answers_title')}</h2>
      {view.answers.length === 0 ? <p>{tr(page, 'complaints.answers_none')}</p> : ''}
      <div class="g-complaint__answers">
        {view.answers.map((a) => (
          <section class="g-card g-complaint__answer">
            <h3 safe>
              {`${tr(page, a.appeal ? 'complaints.answer_appeal' : 'complaints.answer')} — ${momentText(page, a.at)}`}
            </h3>
            <ReportText text={a.text} />
          </section>
        ))}
      </div>
    </Layout>
  );
}
