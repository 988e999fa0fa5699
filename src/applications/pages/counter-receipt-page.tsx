import { Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import { dateTimeText } from './answers.tsx';
import { DueFact, type ReceiptFacts, ReceiptQr, ReceiptSecrets } from './receipt-page.tsx';

/** The script that turns the print hint into a "Print" button (no inline script under the CSP). */
export const PRINT_SCRIPT = '/static/print.js';

export interface CounterReceiptFacts extends ReceiptFacts {
  /** Whether the officer marked the original KTP-el as checked. */
  identityVerified: boolean;
  /** Public addresses printed for the citizen: tracking, and linking to an account. */
  trackPage: string;
  linkPage: string;
}

/**
 * GET /counter/applications/:id/receipt: the paper the walk-in citizen takes home. Laid out to be
 * printed (the site's print styles drop the header, footer and the actions): the tracking number,
 * the secret in large type, the QR code to public tracking, the due date, and how to check the
 * status or link the application to an account later.
 */
export function CounterReceiptPage(props: {
  page: PageContext;
  receipt: CounterReceiptFacts;
  qrSvg: string;
  /** Marking the KTP-el as checked failed after filing; the officer can still do it from the inbox. */
  identityFailed?: boolean;
}) {
  const { page, receipt } = props;
  const base = `/counter/applications/${receipt.applicationId}`;
  return (
    <Layout page={page} title={tr(page, 'applications.counter_receipt_title')} scripts={[PRINT_SCRIPT]}>
      <div class="g-receipt">
        {props.identityFailed ? (
          <p class="g-app-warning g-receipt__actions" role="alert">
            {tr(page, 'applications.counter_identity_failed')}
          </p>
        ) : (
          ''
        )}
        <div class="g-notice g-receipt__done">
          <h1>{tr(page, 'applications.counter_receipt_title')}</h1>
          <p class="g-receipt__actions">{tr(page, 'applications.counter_receipt_lead')}</p>
        </div>
        <ul class="g-links g-receipt__actions">
          <li>
            <button type="button" class="g-button" data-print hidden>
              {tr(page, 'applications.counter_print')}
            </button>
            <span class="g-muted" data-print-hint>
              {tr(page, 'applications.counter_print_hint')}
            </span>
          </li>
        </ul>
        <dl class="g-app-facts">
          <div>
            <dt>{tr(page, 'applications.agency')}</dt>
            <dd safe>{receipt.agency}</dd>
          </div>
          <div>
            <dt>{tr(page, 'applications.service')}</dt>
            <dd safe>{receipt.service}</dd>
          </div>
        </dl>
        <ReceiptSecrets
          page={page}
          receipt={receipt}
          explain={tr(page, 'applications.counter_secret_keep')}
        />
        <dl class="g-app-facts">
          <div>
            <dt>{tr(page, 'applications.submitted')}</dt>
            <dd>
              {dateTimeText(page.lang, receipt.submittedAt)}
              <br />
              {tr(page, 'applications.counter_assisted')}
              {receipt.identityVerified ? (
                <>
                  <br />
                  {tr(page, 'applications.counter_identity_done')}
                </>
              ) : (
                ''
              )}
            </dd>
          </div>
          <DueFact page={page} dueAt={receipt.dueAt} />
        </dl>
        <ReceiptQr page={page} qrSvg={props.qrSvg} />
        <h2>{tr(page, 'applications.counter_status_title')}</h2>
        <p safe>{tr(page, 'applications.counter_status', { url: receipt.trackPage })}</p>
        <h2>{tr(page, 'applications.counter_link_title')}</h2>
        <p safe>{tr(page, 'applications.counter_link', { url: receipt.linkPage })}</p>
        <ul class="g-links g-receipt__actions">
          <li>
            <a href={`${base}/receipt.pdf`} download="">
              {tr(page, 'applications.download_pdf')}
            </a>
          </li>
          <li>
            <a href="/counter">{tr(page, 'applications.counter_next')}</a>
          </li>
        </ul>
      </div>
    </Layout>
  );
}
