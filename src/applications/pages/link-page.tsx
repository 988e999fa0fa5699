import { ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import { TrackingForm } from './track-page.tsx';

/**
 * GET/POST /applications/link: a citizen links an application filed for them at a counter to their
 * account with the tracking number and the secret printed on the receipt.
 */
export function LinkPage(props: { page: PageContext; number: string; error?: string }) {
  const { page } = props;
  const title = tr(page, 'applications.link_title');
  const errors = props.error ? [{ field: 'number', message: props.error }] : [];
  return (
    <Layout page={page} title={props.error ? `${tr(page, 'applications.error_prefix')} ${title}` : title}>
      <p class="g-app-back">
        <a href="/applications">{tr(page, 'applications.my_title')}</a>
      </p>
      <h1>{title}</h1>
      <ErrorSummary page={page} errors={errors} />
      <p class="g-lead">{tr(page, 'applications.link_lead')}</p>
      <TrackingForm
        page={page}
        action="/applications/link"
        number={props.number}
        error={props.error}
        submit={tr(page, 'applications.link_submit')}
      />
    </Layout>
  );
}
