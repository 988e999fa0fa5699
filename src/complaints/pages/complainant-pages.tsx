/** The complainant's pages: following a report by number and secret, their own list, one report. */
import { TrackingForm, type TrackingLabels } from '../../applications/pages/track-page.tsx';
import { ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { ComplainantView, ComplaintSummary } from '../views.ts';
import {
  ComplainantActions,
  dayText,
  dueText,
  Facts,
  type HeldForm,
  local,
  ReportText,
  StateBadge,
  Timeline,
  TrackingNumber,
  typeLabel,
} from './parts.tsx';

const COMPLAINT_TRACKING: TrackingLabels = {
  number: 'complaints.number',
  numberHint: 'complaints.number_hint',
  secret: 'complaints.secret',
  secretHint: 'complaints.secret_hint',
};

/** GET/POST /complaints/track: the number and secret from the receipt. */
export function TrackFormPage(props: { page: PageContext; number: string; error?: string | undefined }) {
  const { page } = props;
  const title = tr(page, 'complaints.track_title');
  return (
    <Layout page={page} title={props.error ? `${tr(page, 'complaints.error_prefix')} ${title}` : title}>
      <h1>{title}</h1>
      <p class="g-lead">{tr(page, 'complaints.track_lead')}</p>
      <ErrorSummary page={page} errors={props.error ? [{ field: 'number', message: props.error }] : []} />
      <TrackingForm
        page={page}
        action="/complaints/track"
        number={props.number}
        error={props.error}
        submit={tr(page, 'complaints.track_submit')}
        labels={COMPLAINT_TRACKING}
      />
    </Layout>
  );
}

/** One report as its complainant sees it, with the follow-up and the forms to reply. */
export function ComplaintStatusPage(props: {
  page: PageContext;
  view: ComplainantView;
  /** Where the reply forms post, and what they carry besides the action. */
  target: string;
  hidden?: Record<string, string>;
  held?: HeldForm | undefined;
  notice?: string | undefined;
}) {
  const { page, view } = props;
  const title = tr(page, 'complaints.status_title', { number: view.number });
  const errors = props.held
    ? [
        ...(props.held.formError ? [{ message: props.held.formError }] : []),
        ...Object.entries(props.held.fieldErrors).map(([field, message]) => ({
          field: `c-${props.held?.action ?? ''}-${field}`,
          message,
        })),
      ]
    : [];
  return (
    <Layout page={page} title={title}>
      <h1 safe>{title}</h1>
      <ErrorSummary page={page} errors={errors} />
      {props.notice ? (
        <p class="g-notice" role="status" safe>
          {props.notice}
        </p>
      ) : (
        ''
      )}
      <Facts page={page} summary={view} showMode />
      {view.state.terminal ? '' : <p safe>{dueText(page, view.stateDueAt)}</p>}
      {view.autoCloseAt ? (
        <p class="g-notice" safe>
          {tr(page, 'complaints.auto_close_notice', { date: dayText(page, view.autoCloseAt) })}
        </p>
      ) : (
        ''
      )}
      {view.state.key === 'answered' && view.appealUsed ? (
        <p>{tr(page, 'complaints.appeal_used_notice')}</p>
      ) : (
        ''
      )}
      <ComplainantActions
        page={page}
        actions={view.actions}
        rowVersion={view.rowVersion}
        target={props.target}
        hidden={props.hidden}
        held={props.held}
      />
      <h2>{tr(page, 'complaints.history_title')}</h2>
      <Timeline page={page} entries={view.timeline} />
      <h2>{tr(page, 'complaints.your_text')}</h2>
      <ReportText text={view.text} />
      <p class="g-muted">
        {tr(
          page,
          view.mayPublish
            ? view.published
              ? 'complaints.published_yes'
              : 'complaints.published_later'
            : 'complaints.published_no',
        )}
      </p>
    </Layout>
  );
}

function SummaryList(props: {
  page: PageContext;
  items: readonly ComplaintSummary[];
  href: (item: ComplaintSummary) => string;
}) {
  const { page } = props;
  return (
    <ul class="g-cards g-complaint-list">
      {props.items.map((item) => (
        <li class="g-card">
          <h2 class="g-complaint-list__title">
            <a href={props.href(item)}>
              <TrackingNumber number={item.number} class="g-app-number" />
            </a>
          </h2>
          <dl class="g-app-card__facts">
            <div>
              <dt>{tr(page, 'complaints.status')}</dt>
              <dd>
                <StateBadge page={page} state={item.state} />
              </dd>
            </div>
            <div>
              <dt>{tr(page, 'complaints.report_type')}</dt>
              <dd safe>{typeLabel(page, item.reportType)}</dd>
            </div>
            <div>
              <dt>{tr(page, 'complaints.agency')}</dt>
              <dd safe>{local(page, item.agency) || '—'}</dd>
            </div>
            <div>
              <dt>{tr(page, 'complaints.filed_at')}</dt>
              <dd safe>{dayText(page, item.filedAt)}</dd>
            </div>
          </dl>
        </li>
      ))}
    </ul>
  );
}

export { SummaryList };

/** GET /complaints/mine: the citizen's named and confidential reports. */
export function MyComplaintsPage(props: { page: PageContext; items: readonly ComplaintSummary[] }) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'complaints.mine_title')}>
      <h1>{tr(page, 'complaints.mine_title')}</h1>
      <p>
        <a class="g-button" href="/complaints/new">
          {tr(page, 'complaints.file_title')}
        </a>
      </p>
      {props.items.length === 0 ? <p>{tr(page, 'complaints.mine_none')}</p> : ''}
      <SummaryList page={page} items={props.items} href={(item) => `/complaints/mine/${item.id}`} />
      <p class="g-muted">{tr(page, 'complaints.mine_anonymous_note')}</p>
    </Layout>
  );
}
