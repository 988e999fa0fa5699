import { FormPage } from './form-page.tsx';
import type { PageContext } from './layout.tsx';
import { tr } from './layout.tsx';

export function SignInPage(props: { page: PageContext; contact?: string; error?: string; notice?: string }) {
  const { page } = props;
  return (
    <FormPage
      page={page}
      title={tr(page, 'signin.title')}
      notice={props.notice}
      action="/signin"
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

export function SecondFactorPage(props: { page: PageContext; error?: string }) {
  const { page } = props;
  return (
    <FormPage
      page={page}
      title={tr(page, 'signin.totp_title')}
      lead={tr(page, 'signin.totp_lead')}
      action="/signin/code"
      submit={tr(page, 'signin.totp_submit')}
      fields={[
        {
          name: 'code',
          label: tr(page, 'signin.totp_code'),
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          short: true,
          error: props.error,
        },
      ]}
    />
  );
}
