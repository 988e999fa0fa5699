import { Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import { dateText, dateTimeText } from './answers.tsx';

export interface ReceiptFacts {
  applicationId: string;
  trackingNumber: string;
  trackingSecret: string;
  service: string;
  agency: string;
  submittedAt: string;
  dueAt: string;
  /** Where the QR code points: the public tracking page with the number (never the secret). */
  trackUrl: string;
}

/** "DKP-26-7KQ4-M9X3" in groups, so it can be read aloud one group at a time. */
export function TrackingNumber(props: { number: string; class?: string }) {
  const groups = props.number.split('-');
  return (
    <span class={props.class ?? 'g-receipt__number'}>
      {groups.map((g, i) => (
        <>
          {i > 0 ? <span aria-hidden="true">-</span> : ''}
          <span class="g-receipt__group" safe>
            {g}
          </span>
        </>
      ))}
    </span>
  );
}

/** The tracking number and the secret in large type, and what to do with the secret. */
export function ReceiptSecrets(props: { page: PageContext; receipt: ReceiptFacts; explain: string }) {
  const { page, receipt } = props;
  return (
    <>
      <h2 class="g-receipt__label">{tr(page, 'applications.tracking_number')}</h2>
      <p class="g-receipt__big">
        <TrackingNumber number={receipt.trackingNumber} />
      </p>
      <h2 class="g-receipt__label">{tr(page, 'applications.tracking_secret')}</h2>
      <p class="g-receipt__big">
        <span class="g-receipt__number g-receipt__secret" safe>
          {receipt.trackingSecret}
        </span>
      </p>
      <p class="g-receipt__explain">{props.explain}</p>
    </>
  );
}

/** The due date, as a row of a receipt's facts list. */
export function DueFact(props: { page: PageContext; dueAt: string }) {
  const { page } = props;
  return (
    <div>
      <dt>{tr(page, 'applications.due')}</dt>
      <dd>
        <strong>
          {tr(page, 'applications.due_at_latest', { date: dateText(page.lang, props.dueAt, 'full') })}
        </strong>
      </dd>
    </div>
  );
}

/** The QR code to public tracking (an SVG made by the server from the tracking address only). */
export function ReceiptQr(props: { page: PageContext; qrSvg: string }) {
  const { page } = props;
  return (
    <figure class="g-receipt__qr">
      <div role="img" aria-label={tr(page, 'applications.qr_label')}>
        {props.qrSvg as 'safe'}
      </div>
      <figcaption>{tr(page, 'applications.qr_caption')}</figcaption>
    </figure>
  );
}

/** GET /applications/:id/receipt: the tracking number and secret, dates, a QR code, the PDF link. */
export function ReceiptPage(props: { page: PageContext; receipt: ReceiptFacts; qrSvg: string }) {
  const { page, receipt } = props;
  const base = `/applications/${receipt.applicationId}`;
  return (
    <Layout page={page} title={tr(page, 'applications.receipt_title')}>
      <div class="g-receipt">
        <div class="g-notice g-receipt__done" role="status">
          <h1>{tr(page, 'applications.receipt_title')}</h1>
          <p>{tr(page, 'applications.receipt_lead')}</p>
        </div>
        <ReceiptSecrets page={page} receipt={receipt} explain={tr(page, 'applications.secret_explain')} />
        <dl class="g-app-facts">
          <div>
            <dt>{tr(page, 'applications.service')}</dt>
            <dd safe>{receipt.service}</dd>
          </div>
          <div>
            <dt>{tr(page, 'applications.agency')}</dt>
            <dd safe>{receipt.agency}</dd>
          </div>
          <div>
            <dt>{tr(page, 'applications.submitted')}</dt>
            <dd>{dateTimeText(page.lang, receipt.submittedAt)}</dd>
          </div>
          <DueFact page={page} dueAt={receipt.dueAt} />
        </dl>
        <ReceiptQr page={page} qrSvg={props.qrSvg} />
        <ul class="g-links g-receipt__actions">
          <li>
            <a href={`${base}/receipt.pdf`} download="">
              {tr(page, 'applications.download_pdf')}
            </a>
          </li>
          <li>
            <a href={base}>{tr(page, 'applications.see_status')}</a>
          </li>
          <li>
            <a href="/applications">{tr(page, 'applications.my_title')}</a>
          </li>
        </ul>
      </div>
    </Layout>
  );
}
