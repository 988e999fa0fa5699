import { FormPage } from './form-page.tsx';
import { Layout, type PageContext, tr } from './layout.tsx';

/** `/path` plus `?next=…` when the visitor should come back somewhere after signing in. */
export function withNext(path: string, next: string | undefined): string {
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}

export function SignInPage(props: {
  page: PageContext;
  contact?: string;
  error?: string;
  notice?: string;
  next?: string;
}) {
  const { page } = props;
  return (
    <FormPage
      page={page}
      title={tr(page, 'signin.title')}
      notice={props.notice}
      action={withNext('/signin', props.next)}
      submit={tr(page, 'signin.submit')}
      formError={props.error}
      fields={[
        {
          name: 'contact',
          label: tr(page, 'signin.contact'),
          autocomplete: 'username',
          value: props.contact ?? '',
        },
        {
          name: 'password',
          label: tr(page, 'signin.password'),
          type: 'password',
          autocomplete: 'current-password',
        },
      ]}
      links={[
        { href: '/register', text: tr(page, 'signin.no_account') },
        { href: '/recover', text: tr(page, 'signin.forgot') },
      ]}
    />
  );
}

export function SecondFactorPage(props: {
  page: PageContext;
  error?: string;
  enrolment?: { qrSvg: string; secret: string } | undefined;
  next?: string;
}) {
  const { page, enrolment } = props;
  const intro = enrolment ? (
    <div class="g-enrol">
      <p>{tr(page, 'enrol.lead')}</p>
      <div class="g-enrol__qr" role="img" aria-label={tr(page, 'enrol.qr_label')}>
        {enrolment.qrSvg as 'safe'}
      </div>
      <p>
        {tr(page, 'enrol.secret')}{' '}
        <code class="g-code" safe>
          {enrolment.secret}
        </code>
      </p>
    </div>
  ) : (
    ''
  );
  return (
    <FormPage
      page={page}
      title={tr(page, enrolment ? 'enrol.title' : 'signin.totp_title')}
      lead={enrolment ? undefined : tr(page, 'signin.totp_lead')}
      intro={intro}
      action={withNext('/signin/code', props.next)}
      submit={tr(page, 'signin.totp_submit')}
      fields={[
        {
          name: 'code',
          label: tr(page, 'signin.totp_code'),
          hint: enrolment ? undefined : tr(page, 'signin.recovery_hint'),
          inputmode: enrolment ? 'numeric' : 'text',
          autocomplete: 'one-time-code',
          short: true,
          error: props.error,
        },
      ]}
    />
  );
}

/** Shown once, right after enrolment. */
export function RecoveryCodesPage(props: { page: PageContext; codes: string[] }) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'recovery.title')}>
      <h1>{tr(page, 'recovery.title')}</h1>
      <p>{tr(page, 'recovery.lead')}</p>
      <ul class="g-codes">
        {props.codes.map((c) => (
          <li>
            <code class="g-code" safe>
              {c}
            </code>
          </li>
        ))}
      </ul>
      <p>
        <a class="g-button" href="/account">
          {tr(page, 'recovery.continue')}
        </a>
      </p>
    </Layout>
  );
}
