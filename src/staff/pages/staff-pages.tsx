import type { Agency } from '../../agencies/schemas.ts';
import { AGENCY_ROLES } from '../../identity/roles.ts';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { StaffMember } from '../schemas.ts';
import { AdminNav, agencyQuery, CheckboxField, Notice, SelectField, TextField, when } from './parts.tsx';

export interface PageErrors {
  fields: Record<string, string>;
  form?: string;
}

const NO_ERRORS: PageErrors = { fields: {} };

function summaryOf(errors: PageErrors) {
  return [
    ...(errors.form ? [{ message: errors.form }] : []),
    ...Object.entries(errors.fields).map(([field, message]) => ({ field, message })),
  ];
}

function roleOptions(page: PageContext) {
  return AGENCY_ROLES.map((r) => ({ value: r, label: tr(page, `role.${r}`) }));
}

function unitOptions(page: PageContext, agency: Agency) {
  return [
    { value: '', label: tr(page, 'staff.unit_none') },
    ...agency.units.map((u) => ({ value: u.id, label: u.name[page.lang] })),
  ];
}

function statusText(page: PageContext, status: StaffMember['status']): string {
  return tr(page, `staff.status_${status}`);
}

/** For a platform admin with no agency chosen yet, and for admins of several agencies. */
export function AgencyChooser(props: {
  page: PageContext;
  action: string;
  agencies: Agency[];
  current?: string;
}) {
  const { page } = props;
  return (
    <form method="get" action={props.action} class="g-staff__chooser">
      <SelectField
        name="agency"
        label={tr(page, 'staff.choose_agency')}
        value={props.current ?? ''}
        options={props.agencies.map((a) => ({ value: a.slug, label: a.name[page.lang] }))}
      />
      <button class="g-button g-button--secondary" type="submit">
        {tr(page, 'staff.show')}
      </button>
    </form>
  );
}

export function ChooseAgencyPage(props: { page: PageContext; action: string; agencies: Agency[] }) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'staff.choose_agency_title')}>
      <AdminNav page={page} />
      <h1>{tr(page, 'staff.choose_agency_title')}</h1>
      <p>{tr(page, 'staff.choose_agency_lead')}</p>
      <AgencyChooser page={page} action={props.action} agencies={props.agencies} />
    </Layout>
  );
}

export function StaffListPage(props: {
  page: PageContext;
  agency: Agency;
  agencies: Agency[];
  named: boolean;
  members: StaffMember[];
  notice?: string;
}) {
  const { page, agency } = props;
  const q = agencyQuery(props.named ? agency.slug : undefined);
  const unitName = (id: string | null) => agency.units.find((u) => u.id === id)?.name[page.lang];
  const title = tr(page, 'staff.list_title', { agency: agency.name[page.lang] });
  return (
    <Layout page={page} title={title}>
      <AdminNav page={page} agencySlug={props.named ? agency.slug : undefined} />
      <h1 safe>{title}</h1>
      <p class="g-lead">{tr(page, 'staff.list_lead')}</p>
      <Notice text={props.notice} />
      {props.agencies.length > 1 ? (
        <AgencyChooser page={page} action="/admin/staff" agencies={props.agencies} current={agency.slug} />
      ) : (
        ''
      )}
      <p>
        <a class="g-button" href={`/admin/staff/new${q}`}>
          {tr(page, 'staff.add')}
        </a>
      </p>
      {props.members.length === 0 ? (
        <p>{tr(page, 'staff.none')}</p>
      ) : (
        <ul class="g-staff__list">
          {props.members.map((m) => (
            <li class={`g-card g-staff__item g-staff__item--${m.status}`}>
              <h2 class="g-staff__name">
                <a href={`/admin/staff/${m.id}${q}`} safe>
                  {m.name}
                </a>
              </h2>
              <dl class="g-staff__facts">
                <div>
                  <dt>{tr(page, 'staff.email')}</dt>
                  <dd safe>{m.email ?? '—'}</dd>
                </div>
                <div>
                  <dt>{tr(page, 'staff.roles')}</dt>
                  <dd safe>
                    {m.roles.length > 0 ? m.roles.map((r) => tr(page, `role.${r}`)).join(', ') : '—'}
                    {unitName(m.unitId) ? ` (${unitName(m.unitId)})` : ''}
                  </dd>
                </div>
                <div>
                  <dt>{tr(page, 'staff.status')}</dt>
                  <dd>
                    <strong class="g-staff__status">{statusText(page, m.status)}</strong>
                    {m.status === 'active' && !m.totpEnrolled ? ` · ${tr(page, 'staff.totp_pending')}` : ''}
                  </dd>
                </div>
                <div>
                  <dt>{tr(page, 'staff.last_sign_in')}</dt>
                  <dd safe>{when(page, m.lastSignInAt)}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export interface StaffFormValues {
  name: string;
  email: string;
  roles: string[];
  unitId: string;
}

export function NewStaffPage(props: {
  page: PageContext;
  agency: Agency;
  named: boolean;
  values?: StaffFormValues;
  errors?: PageErrors;
}) {
  const { page, agency } = props;
  const values = props.values ?? { name: '', email: '', roles: [], unitId: '' };
  const errors = props.errors ?? NO_ERRORS;
  const q = agencyQuery(props.named ? agency.slug : undefined);
  return (
    <Layout page={page} title={tr(page, 'staff.new_title')}>
      <AdminNav page={page} agencySlug={props.named ? agency.slug : undefined} />
      <h1>{tr(page, 'staff.new_title')}</h1>
      <p class="g-muted" safe>
        {agency.name[page.lang]}
      </p>
      <ErrorSummary page={page} errors={summaryOf(errors)} />
      <p>{tr(page, 'staff.new_lead')}</p>
      <form method="post" action={`/admin/staff/new${q}`} class="g-form" novalidate>
        <CsrfField page={page} />
        <TextField
          name="name"
          label={tr(page, 'staff.name')}
          value={values.name}
          error={errors.fields.name}
          autocomplete="off"
        />
        <TextField
          name="email"
          type="email"
          label={tr(page, 'staff.email')}
          hint={tr(page, 'staff.email_hint')}
          value={values.email}
          error={errors.fields.email}
        />
        <CheckboxField
          name="roles"
          legend={tr(page, 'staff.roles')}
          hint={tr(page, 'staff.roles_hint')}
          options={roleOptions(page)}
          checked={values.roles}
          error={errors.fields.roles}
        />
        {agency.units.length > 0 ? (
          <SelectField
            name="unit"
            label={tr(page, 'staff.unit')}
            value={values.unitId}
            options={unitOptions(page, agency)}
            error={errors.fields.unit}
          />
        ) : (
          ''
        )}
        <button class="g-button" type="submit">
          {tr(page, 'staff.new_submit')}
        </button>
      </form>
      <p>
        <a href={`/admin/staff${q}`}>{tr(page, 'staff.back_to_list')}</a>
      </p>
    </Layout>
  );
}

export function StaffCreatedPage(props: {
  page: PageContext;
  member: StaffMember;
  password: string;
  signInUrl: string;
  listHref: string;
}) {
  const { page, member } = props;
  return (
    <Layout page={page} title={tr(page, 'staff.created_title')}>
      <AdminNav page={page} />
      <h1>{tr(page, 'staff.created_title')}</h1>
      <p safe>{tr(page, 'staff.created_lead', { name: member.name })}</p>
      <dl class="g-staff__secret">
        <dt>{tr(page, 'staff.created_password')}</dt>
        <dd>
          <code class="g-code" safe>
            {props.password}
          </code>
        </dd>
      </dl>
      <p safe>{tr(page, 'staff.created_next', { name: member.name, url: props.signInUrl })}</p>
      <p>
        <a href={props.listHref}>{tr(page, 'staff.back_to_list')}</a>
      </p>
    </Layout>
  );
}

export function StaffDetailPage(props: {
  page: PageContext;
  agency: Agency;
  named: boolean;
  member: StaffMember;
  /** Agencies a platform admin may grant roles in, for the cross-agency form. */
  otherAgencies: Agency[];
  values?: { roles: string[]; unitId: string };
  errors?: PageErrors;
  notice?: string;
}) {
  const { page, agency, member } = props;
  const errors = props.errors ?? NO_ERRORS;
  const values = props.values ?? { roles: member.roles, unitId: member.unitId ?? '' };
  const q = agencyQuery(props.named ? agency.slug : undefined);
  const base = `/admin/staff/${member.id}`;
  const isSelf = page.principal?.userId === member.id;
  return (
    <Layout page={page} title={member.name}>
      <AdminNav page={page} agencySlug={props.named ? agency.slug : undefined} />
      <p>
        <a href={`/admin/staff${q}`}>{tr(page, 'staff.back_to_list')}</a>
      </p>
      <h1 safe>{member.name}</h1>
      <ErrorSummary page={page} errors={summaryOf(errors)} />
      <Notice text={props.notice} />
      <dl class="g-staff__facts">
        <div>
          <dt>{tr(page, 'staff.email')}</dt>
          <dd safe>{member.email ?? '—'}</dd>
        </div>
        <div>
          <dt>{tr(page, 'staff.status')}</dt>
          <dd>
            <strong class="g-staff__status">{statusText(page, member.status)}</strong>
          </dd>
        </div>
        <div>
          <dt>{tr(page, 'staff.totp')}</dt>
          <dd>{tr(page, member.totpEnrolled ? 'staff.totp_enrolled' : 'staff.totp_pending')}</dd>
        </div>
        <div>
          <dt>{tr(page, 'staff.last_sign_in')}</dt>
          <dd safe>{when(page, member.lastSignInAt)}</dd>
        </div>
      </dl>

      <h2 safe>{tr(page, 'staff.roles_heading', { agency: agency.name[page.lang] })}</h2>
      {member.status === 'removed' ? <p>{tr(page, 'staff.removed_note')}</p> : ''}
      <form method="post" action={`${base}/roles${q}`} class="g-form" novalidate>
        <CsrfField page={page} />
        <CheckboxField
          name="roles"
          legend={tr(page, 'staff.roles')}
          hint={tr(page, 'staff.roles_hint')}
          options={roleOptions(page)}
          checked={values.roles}
          error={errors.fields.roles}
        />
        {agency.units.length > 0 ? (
          <SelectField
            name="unit"
            label={tr(page, 'staff.unit')}
            value={values.unitId}
            options={unitOptions(page, agency)}
            error={errors.fields.unit}
          />
        ) : (
          ''
        )}
        <button class="g-button" type="submit">
          {tr(page, 'staff.roles_submit')}
        </button>
      </form>

      {isSelf ? (
        ''
      ) : (
        <>
          <h2>{tr(page, 'staff.account_heading')}</h2>
          {member.status === 'active' ? (
            <form method="post" action={`${base}/suspend${q}`} class="g-staff__action">
              <CsrfField page={page} />
              <p class="g-field__hint">{tr(page, 'staff.suspend_hint')}</p>
              <button class="g-button g-button--warning" type="submit">
                {tr(page, 'staff.suspend')}
              </button>
            </form>
          ) : (
            <form method="post" action={`${base}/reactivate${q}`} class="g-staff__action">
              <CsrfField page={page} />
              <button class="g-button g-button--secondary" type="submit">
                {tr(page, 'staff.reactivate')}
              </button>
            </form>
          )}
          {member.status !== 'removed' ? (
            <p>
              <a href={`${base}/remove${q}`}>{tr(page, 'staff.remove')}</a>
            </p>
          ) : (
            ''
          )}
        </>
      )}

      {props.otherAgencies.length > 0 ? (
        <section class="g-staff__other" aria-labelledby="other-agency">
          <h2 id="other-agency">{tr(page, 'staff.other_agency_heading')}</h2>
          <p>{tr(page, 'staff.other_agency_lead')}</p>
          <AgencyChooser page={page} action={base} agencies={props.otherAgencies} current={agency.slug} />
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}

export function RemoveStaffPage(props: {
  page: PageContext;
  agency: Agency;
  named: boolean;
  member: StaffMember;
  error?: string;
}) {
  const { page, agency, member } = props;
  const q = agencyQuery(props.named ? agency.slug : undefined);
  const title = tr(page, 'staff.remove_title', { name: member.name });
  return (
    <Layout page={page} title={title}>
      <AdminNav page={page} agencySlug={props.named ? agency.slug : undefined} />
      <h1 safe>{title}</h1>
      <ErrorSummary page={page} errors={props.error ? [{ message: props.error }] : []} />
      <p safe>{tr(page, 'staff.remove_lead', { agency: agency.name[page.lang] })}</p>
      <form method="post" action={`/admin/staff/${member.id}/remove${q}`} class="g-staff__action">
        <CsrfField page={page} />
        <button class="g-button g-button--warning" type="submit">
          {tr(page, 'staff.remove_confirm')}
        </button>{' '}
        <a class="g-button g-button--secondary" href={`/admin/staff/${member.id}${q}`}>
          {tr(page, 'staff.remove_cancel')}
        </a>
      </form>
    </Layout>
  );
}
