import type { Agency } from '../../agencies/schemas.ts';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { ApiTokenItem } from '../schemas.ts';
import { SCOPE_NAMES } from '../tokens.ts';
import { AdminNav, agencyQuery, CheckboxField, Notice, SelectField, TextField, when } from './parts.tsx';
import type { PageErrors } from './staff-pages.tsx';

export const EXPIRY_CHOICES = [30, 90, 180, 365] as const;

export interface TokenFormValues {
  name: string;
  scopes: string[];
  expiresInDays: string;
}

function scopeLabel(page: PageContext, scope: string): string {
  return SCOPE_NAMES.includes(scope as (typeof SCOPE_NAMES)[number])
    ? tr(page, `tokens.scope.${scope as (typeof SCOPE_NAMES)[number]}`)
    : scope;
}

export function TokensPage(props: {
  page: PageContext;
  agency: Agency;
  named: boolean;
  tokens: ApiTokenItem[];
  values?: TokenFormValues;
  errors?: PageErrors;
  notice?: string;
}) {
  const { page, agency } = props;
  const q = agencyQuery(props.named ? agency.slug : undefined);
  const errors = props.errors ?? { fields: {} };
  const values = props.values ?? { name: '', scopes: [], expiresInDays: '90' };
  const title = tr(page, 'tokens.title', { agency: agency.name[page.lang] });
  const summary = [
    ...(errors.form ? [{ message: errors.form }] : []),
    ...Object.entries(errors.fields).map(([field, message]) => ({ field, message })),
  ];
  return (
    <Layout page={page} title={title}>
      <AdminNav page={page} agencySlug={props.named ? agency.slug : undefined} />
      <h1 safe>{title}</h1>
      <ErrorSummary page={page} errors={summary} />
      <Notice text={props.notice} />
      <p class="g-lead">{tr(page, 'tokens.lead')}</p>
      {props.tokens.length === 0 ? (
        <p>{tr(page, 'tokens.none')}</p>
      ) : (
        <ul class="g-staff__list">
          {props.tokens.map((token) => (
            <li class={`g-card g-staff__item g-staff__item--${token.status}`}>
              <h2 class="g-staff__name" safe>
                {token.name}
              </h2>
              <dl class="g-staff__facts">
                <div>
                  <dt>{tr(page, 'tokens.scopes')}</dt>
                  <dd safe>{token.scopes.map((s) => scopeLabel(page, s)).join('; ')}</dd>
                </div>
                <div>
                  <dt>{tr(page, 'staff.status')}</dt>
                  <dd>
                    <strong class="g-staff__status">{tr(page, `tokens.status_${token.status}`)}</strong>
                  </dd>
                </div>
                <div>
                  <dt>{tr(page, 'tokens.created_at')}</dt>
                  <dd safe>{when(page, token.createdAt)}</dd>
                </div>
                <div>
                  <dt>{tr(page, 'tokens.expires_at')}</dt>
                  <dd safe>{when(page, token.expiresAt)}</dd>
                </div>
                <div>
                  <dt>{tr(page, 'tokens.last_used')}</dt>
                  <dd safe>{when(page, token.lastUsedAt)}</dd>
                </div>
              </dl>
              {token.status === 'active' ? (
                <form method="post" action={`/admin/tokens/${token.id}/revoke${q}`} class="g-staff__action">
                  <CsrfField page={page} />
                  <button class="g-button g-button--warning" type="submit">
                    {tr(page, 'tokens.revoke')}
                    <span class="g-vh" safe>
                      {` ${token.name}`}
                    </span>
                  </button>
                </form>
              ) : (
                ''
              )}
            </li>
          ))}
        </ul>
      )}
      <h2>{tr(page, 'tokens.create_heading')}</h2>
      <form method="post" action={`/admin/tokens${q}`} class="g-form" novalidate>
        <CsrfField page={page} />
        <TextField
          name="name"
          label={tr(page, 'tokens.name')}
          hint={tr(page, 'tokens.name_hint')}
          value={values.name}
          error={errors.fields.name}
        />
        <CheckboxField
          name="scopes"
          legend={tr(page, 'tokens.scopes')}
          options={SCOPE_NAMES.map((s) => ({ value: s, label: `${scopeLabel(page, s)} (${s})` }))}
          checked={values.scopes}
          error={errors.fields.scopes}
        />
        <SelectField
          name="expiresInDays"
          label={tr(page, 'tokens.expiry')}
          value={values.expiresInDays}
          options={EXPIRY_CHOICES.map((d) => ({
            value: String(d),
            label: tr(page, 'tokens.days', { days: d }),
          }))}
          error={errors.fields.expiresInDays}
        />
        <button class="g-button" type="submit">
          {tr(page, 'tokens.create_submit')}
        </button>
      </form>
    </Layout>
  );
}

export function TokenCreatedPage(props: {
  page: PageContext;
  item: ApiTokenItem;
  token: string;
  backHref: string;
}) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'tokens.created_title')}>
      <AdminNav page={page} />
      <h1>{tr(page, 'tokens.created_title')}</h1>
      <p>{tr(page, 'tokens.created_lead')}</p>
      <dl class="g-staff__secret">
        <dt safe>{props.item.name}</dt>
        <dd>
          <code class="g-code g-staff__token" safe>
            {props.token}
          </code>
        </dd>
      </dl>
      <p>
        <a href={props.backHref}>{tr(page, 'staff.nav_tokens')}</a>
      </p>
    </Layout>
  );
}
