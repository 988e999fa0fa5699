import type { Grant } from '../../identity/roles.ts';
import { CsrfField, Layout, type PageContext, tr } from './layout.tsx';

export function AccountPage(props: {
  page: PageContext;
  name: string;
  grants: (Grant & { agencyName: string | null })[];
}) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'account.title')}>
      <h1>{tr(page, 'account.title')}</h1>
      <p safe>{tr(page, 'account.signed_in_as', { name: props.name })}</p>
      <h2>{tr(page, 'account.roles')}</h2>
      <ul class="g-list">
        {props.grants.length === 0 ? (
          <li>{tr(page, 'account.citizen')}</li>
        ) : (
          props.grants.map((g) => (
            <li safe>{`${tr(page, `role.${g.role}`)}${g.agencyName ? ` — ${g.agencyName}` : ''}`}</li>
          ))
        )}
      </ul>
      {page.principal?.kind === 'citizen' ? (
        <p>
          <a href="/account/privacy">{tr(page, 'privacy.title')}</a>
        </p>
      ) : (
        ''
      )}
      {props.grants.some((g) => g.role === 'agency_admin') ? (
        <p>
          <a href="/admin/privacy-requests">{tr(page, 'privacy.admin_title')}</a>
        </p>
      ) : (
        ''
      )}
      <form method="post" action="/signout" class="g-inline-form">
        <CsrfField page={page} />
        <button class="g-button g-button--secondary" type="submit">
          {tr(page, 'nav.signout')}
        </button>
      </form>
      <form method="post" action="/signout?everywhere=1" class="g-inline-form">
        <CsrfField page={page} />
        <button class="g-button g-button--secondary" type="submit">
          {tr(page, 'account.signout_everywhere')}
        </button>
      </form>
    </Layout>
  );
}
