import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';

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
      <form method="post" action="/applications/link" class="g-form" novalidate>
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
          {tr(page, 'applications.link_submit')}
        </button>
      </form>
    </Layout>
  );
}
