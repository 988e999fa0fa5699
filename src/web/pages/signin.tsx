import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from './layout.tsx';

export function SignInPage(props: { page: PageContext; email?: string; error?: string }) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'signin.title')}>
      <h1>{tr(page, 'signin.title')}</h1>
      <ErrorSummary page={page} errors={props.error ? [{ field: 'email', message: props.error }] : []} />
      <form method="post" action="/signin" class="g-form" novalidate>
        <CsrfField page={page} />
        <div class="g-field">
          <label class="g-field__label" for="email">
            {tr(page, 'signin.email')}
          </label>
          <input
            class="g-input"
            id="email"
            name="email"
            type="email"
            autocomplete="username"
            required
            value={props.email ?? ''}
          />
        </div>
        <div class="g-field">
          <label class="g-field__label" for="password">
            {tr(page, 'signin.password')}
          </label>
          <input
            class="g-input"
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
          />
        </div>
        <button class="g-button" type="submit">
          {tr(page, 'signin.submit')}
        </button>
      </form>
    </Layout>
  );
}

export function SecondFactorPage(props: { page: PageContext; error?: string }) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'signin.totp_title')}>
      <h1>{tr(page, 'signin.totp_title')}</h1>
      <ErrorSummary page={page} errors={props.error ? [{ field: 'code', message: props.error }] : []} />
      <p>{tr(page, 'signin.totp_lead')}</p>
      <form method="post" action="/signin/code" class="g-form" novalidate>
        <CsrfField page={page} />
        <div class="g-field">
          <label class="g-field__label" for="code">
            {tr(page, 'signin.totp_code')}
          </label>
          <input
            class="g-input g-input--short"
            id="code"
            name="code"
            inputmode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            maxlength="6"
            required
          />
        </div>
        <button class="g-button" type="submit">
          {tr(page, 'signin.totp_submit')}
        </button>
      </form>
    </Layout>
  );
}
