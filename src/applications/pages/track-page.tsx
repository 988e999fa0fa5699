import type { MessageKey } from '../../web/i18n/index.ts';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { PublicStatus } from '../service.ts';
import { dateText, dateTimeText, local } from './answers.tsx';
import { TrackingNumber } from './receipt-page.tsx';

function outcomeText(page: PageContext, status: PublicStatus): string {
  if (status.state) return local(page, status.state);
  return status.outcome ? tr(page, `applications.outcome.${status.outcome}`) : tr(page, 'applications.filed');
}

/** Message keys of the tracking form's labels and hints: an application's receipt, or a complaint's. */
export interface TrackingLabels {
  number: MessageKey;
  numberHint: MessageKey;
  secret: MessageKey;
  secretHint: MessageKey;
}

const APPLICATION_TRACKING: TrackingLabels = {
  number: 'applications.tracking_number',
  numberHint: 'applications.track_number_hint',
  secret: 'applications.tracking_secret',
  secretHint: 'applications.track_secret_hint',
};

/**
 * The tracking number and secret form, posted to public tracking, to linking a counter filing and
 * to following a complaint; a refusal is shown on the number, where the citizen starts checking.
 */
export function TrackingForm(props: {
  page: PageContext;
  action: string;
  number: string;
  error?: string | undefined;
  submit: string;
  labels?: TrackingLabels;
}) {
  const { page } = props;
  const labels = props.labels ?? APPLICATION_TRACKING;
  return (
    <form method="post" action={props.action} class="g-form" novalidate>
      <CsrfField page={page} />
      <div class={props.error ? 'g-field g-field--error' : 'g-field'}>
        <label class="g-field__label" for="number">
          {tr(page, labels.number)}
        </label>
        <p class="g-field__hint" id="number-hint">
          {tr(page, labels.numberHint)}
        </p>
        {props.error ? (
          <p class="g-field__error" id="number-error">
            <span class="g-vh">{tr(page, 'applications.error_prefix')} </span>
            <span safe>{props.error}</span>
          </p>
        ) : (
          ''
        )}
        <input
          class="g-input g-input--tracking"
          id="number"
          name="number"
          value={props.number}
          autocomplete="off"
          autocapitalize="characters"
          spellcheck="false"
          maxlength="40"
          aria-describedby={props.error ? 'number-hint number-error' : 'number-hint'}
          aria-invalid={props.error ? 'true' : undefined}
        />
      </div>
      <div class="g-field">
        <label class="g-field__label" for="secret">
          {tr(page, labels.secret)}
        </label>
        <p class="g-field__hint" id="secret-hint">
          {tr(page, labels.secretHint)}
        </p>
        <input
          class="g-input g-input--tracking"
          id="secret"
          name="secret"
          autocomplete="off"
          autocapitalize="characters"
          spellcheck="false"
          maxlength="40"
          aria-describedby="secret-hint"
        />
      </div>
      <button type="submit" class="g-button">
        {props.submit}
      </button>
    </form>
  );
}

/** GET/POST /track: tracking number and secret in, where the application stands out; no account needed. */
export function TrackPage(props: {
  page: PageContext;
  number: string;
  error?: string;
  status?: PublicStatus;
}) {
  const { page, status } = props;
  const title = tr(page, 'applications.track_title');
  const errors = props.error ? [{ field: 'number', message: props.error }] : [];
  return (
    <Layout page={page} title={props.error ? `${tr(page, 'applications.error_prefix')} ${title}` : title}>
      <h1>{title}</h1>
      <ErrorSummary page={page} errors={errors} />
      {status ? (
        <section class="g-notice g-track__result" aria-labelledby="track-result" role="status">
          <h2 id="track-result">{tr(page, 'applications.track_result')}</h2>
          <dl class="g-app-facts">
            <div>
              <dt>{tr(page, 'applications.tracking_number')}</dt>
              <dd>
                <TrackingNumber number={status.trackingNumber} class="g-app-number" />
              </dd>
            </div>
            <div>
              <dt>{tr(page, 'applications.service')}</dt>
              <dd safe>{local(page, status.service)}</dd>
            </div>
            <div>
              <dt>{tr(page, 'applications.agency')}</dt>
              <dd safe>{local(page, status.agency)}</dd>
            </div>
            <div>
              <dt>{tr(page, 'applications.status')}</dt>
              <dd>
                <strong class="g-status" safe>
                  {outcomeText(page, status)}
                </strong>
              </dd>
            </div>
            {status.submittedAt ? (
              <div>
                <dt>{tr(page, 'applications.submitted')}</dt>
                <dd>{dateTimeText(page.lang, status.submittedAt)}</dd>
              </div>
            ) : (
              ''
            )}
            {status.dueAt && status.outcome === null ? (
              <div>
                <dt>{tr(page, 'applications.due')}</dt>
                <dd>
                  {tr(page, 'applications.due_at_latest', {
                    date: dateText(page.lang, status.dueAt, 'full'),
                  })}
                </dd>
              </div>
            ) : (
              ''
            )}
          </dl>
        </section>
      ) : (
        <p class="g-lead">{tr(page, 'applications.track_lead')}</p>
      )}
      <TrackingForm
        page={page}
        action="/track"
        number={props.number}
        error={props.error}
        submit={tr(page, 'applications.track_submit')}
      />
    </Layout>
  );
}
