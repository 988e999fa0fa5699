import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { PublicStatus } from '../service.ts';
import { dateText, dateTimeText, local } from './answers.tsx';
import { TrackingNumber } from './receipt-page.tsx';

function outcomeText(page: PageContext, status: PublicStatus): string {
  if (status.state) return local(page, status.state);
  return status.outcome ? tr(page, `applications.outcome.${status.outcome}`) : tr(page, 'applications.filed');
}

/**
 * The tracking number and secret form, posted to public tracking and to linking a counter filing;
 * a refusal is shown on the number, where the citizen starts checking.
 */
export function TrackingForm(props: {
  page: PageContext;
  action: string;
  number: string;
  error?: string | undefined;
  submit: string;
}) {
  const { page } = props;
  return (
    <form method="post" action={props.action} class="g-form" novalidate>
      <CsrfField page={page} />
      <div class={props.error ? 'g-field g-field--error' : 'g-field'}>
        <label class="g-field__label" for="number">
          {tr(page, 'applications.tracking_number')}
        </label>
        <p class="g-field__hint" id="number-hint">
          {tr(page, 'applications.track_number_hint')}
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
          {tr(page, 'applications.tracking_secret')}
        </label>
        <p class="g-field__hint" id="secret-hint">
          {tr(page, 'applications.track_secret_hint')}
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
