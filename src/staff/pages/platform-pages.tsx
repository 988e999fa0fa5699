import type { Agency } from '../../agencies/schemas.ts';
import type { PublicKeyInfo } from '../../audit/signing.ts';
import type { Holiday } from '../../calendar/service.ts';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import { AdminNav, Notice, SelectField, TextField, when } from './parts.tsx';
import type { PageErrors } from './staff-pages.tsx';

function summaryOf(errors: PageErrors) {
  return [
    ...(errors.form ? [{ message: errors.form }] : []),
    ...Object.entries(errors.fields).map(([field, message]) => ({ field, message })),
  ];
}

export type FormValues = Record<string, string>;

const TIMEZONES = [
  { value: 'Asia/Jakarta', label: 'WIB (Asia/Jakarta)' },
  { value: 'Asia/Makassar', label: 'WITA (Asia/Makassar)' },
  { value: 'Asia/Jayapura', label: 'WIT (Asia/Jayapura)' },
];

export function AgenciesPage(props: {
  page: PageContext;
  agencies: Agency[];
  values?: FormValues;
  errors?: PageErrors;
  notice?: string;
}) {
  const { page } = props;
  const v = props.values ?? {};
  const errors = props.errors ?? { fields: {} };
  const f = errors.fields;
  return (
    <Layout page={page} title={tr(page, 'platform.agencies_title')}>
      <AdminNav page={page} />
      <h1>{tr(page, 'platform.agencies_title')}</h1>
      <ErrorSummary page={page} errors={summaryOf(errors)} />
      <Notice text={props.notice} />
      <p class="g-lead">{tr(page, 'platform.agencies_lead')}</p>
      <ul class="g-staff__list">
        {props.agencies.map((a) => (
          <li class="g-card g-staff__item">
            <h2 class="g-staff__name" safe>
              {a.name[page.lang]}
            </h2>
            <p class="g-muted" safe>
              {`${a.slug} · ${a.code} · ${a.timezone}`}
            </p>
            <h3>{tr(page, 'platform.units')}</h3>
            {a.units.length === 0 ? (
              <p>{tr(page, 'platform.no_units')}</p>
            ) : (
              <ul class="g-list">
                {a.units.map((u) => (
                  <li safe>{`${u.name[page.lang]} (${u.slug})`}</li>
                ))}
              </ul>
            )}
            <h3>{tr(page, 'platform.dpo')}</h3>
            <p safe>
              {a.dpo
                ? [a.dpo.name, a.dpo.email, a.dpo.phone].filter(Boolean).join(' · ')
                : tr(page, 'platform.no_dpo')}
            </p>
            <p>
              <a href={`/admin/staff?agency=${encodeURIComponent(a.slug)}`}>
                {tr(page, 'platform.manage_staff')}
                <span class="g-vh" safe>
                  {` — ${a.name[page.lang]}`}
                </span>
              </a>
            </p>
          </li>
        ))}
      </ul>

      <h2 id="dpo-heading">{tr(page, 'platform.set_dpo')}</h2>
      <p>{tr(page, 'platform.dpo_lead')}</p>
      <form
        method="post"
        action="/admin/platform/dpo"
        class="g-form"
        novalidate
        aria-labelledby="dpo-heading"
      >
        <CsrfField page={page} />
        <SelectField
          name="dpoagency"
          label={tr(page, 'staff.choose_agency')}
          value={v.dpoagency ?? ''}
          options={props.agencies.map((a) => ({ value: a.slug, label: a.name[page.lang] }))}
          error={f.dpoagency}
        />
        <TextField name="dponame" label={tr(page, 'platform.dpo_name')} value={v.dponame} error={f.dponame} />
        <TextField
          name="dpoemail"
          type="email"
          label={tr(page, 'platform.dpo_email')}
          value={v.dpoemail}
          error={f.dpoemail}
        />
        <TextField
          name="dpophone"
          type="tel"
          label={tr(page, 'platform.dpo_phone')}
          hint={tr(page, 'platform.optional')}
          value={v.dpophone}
          error={f.dpophone}
        />
        <button class="g-button" type="submit">
          {tr(page, 'platform.set_dpo_submit')}
        </button>
      </form>

      <h2 id="add-unit-heading">{tr(page, 'platform.add_unit')}</h2>
      <form
        method="post"
        action="/admin/platform/units"
        class="g-form"
        novalidate
        aria-labelledby="add-unit-heading"
      >
        <CsrfField page={page} />
        <SelectField
          name="addagency"
          label={tr(page, 'staff.choose_agency')}
          value={v.addagency ?? ''}
          options={props.agencies.map((a) => ({ value: a.slug, label: a.name[page.lang] }))}
          error={f.addagency}
        />
        <TextField
          name="addslug"
          label={tr(page, 'platform.unit_slug')}
          hint={tr(page, 'platform.slug_hint')}
          value={v.addslug}
          error={f.addslug}
        />
        <TextField
          name="addnameId"
          label={tr(page, 'platform.unit_name_id')}
          value={v.addnameId}
          error={f.addnameId}
        />
        <TextField
          name="addnameEn"
          label={tr(page, 'platform.unit_name_en')}
          value={v.addnameEn}
          error={f.addnameEn}
        />
        <button class="g-button" type="submit">
          {tr(page, 'platform.add_unit_submit')}
        </button>
      </form>

      <h2 id="create-agency-heading">{tr(page, 'platform.create_agency')}</h2>
      <form
        method="post"
        action="/admin/platform/agencies"
        class="g-form"
        novalidate
        aria-labelledby="create-agency-heading"
      >
        <CsrfField page={page} />
        <TextField
          name="slug"
          label={tr(page, 'platform.slug')}
          hint={tr(page, 'platform.slug_hint')}
          value={v.slug}
          error={f.slug}
        />
        <TextField
          name="code"
          label={tr(page, 'platform.code')}
          hint={tr(page, 'platform.code_hint')}
          value={v.code}
          error={f.code}
        />
        <TextField name="nameId" label={tr(page, 'platform.name_id')} value={v.nameId} error={f.nameId} />
        <TextField name="nameEn" label={tr(page, 'platform.name_en')} value={v.nameEn} error={f.nameEn} />
        <SelectField
          name="timezone"
          label={tr(page, 'platform.timezone')}
          value={v.timezone ?? 'Asia/Jakarta'}
          options={TIMEZONES}
          error={f.timezone}
        />
        <fieldset class="g-fieldset g-field">
          <legend class="g-field__label">{tr(page, 'platform.first_unit')}</legend>
          <TextField
            name="unitslug"
            label={tr(page, 'platform.unit_slug')}
            value={v.unitslug}
            error={f.unitslug}
          />
          <TextField
            name="unitnameId"
            label={tr(page, 'platform.unit_name_id')}
            value={v.unitnameId}
            error={f.unitnameId}
          />
          <TextField
            name="unitnameEn"
            label={tr(page, 'platform.unit_name_en')}
            value={v.unitnameEn}
            error={f.unitnameEn}
          />
        </fieldset>
        <button class="g-button" type="submit">
          {tr(page, 'platform.create_submit')}
        </button>
      </form>
    </Layout>
  );
}

export interface RegionalHoliday {
  id: string;
  date: string;
  name: { id: string; en: string };
  agencyName: string;
}

export function HolidaysPage(props: {
  page: PageContext;
  year: number;
  holidays: Holiday[];
  regional: RegionalHoliday[];
  agencies: Agency[];
  values?: FormValues;
  errors?: PageErrors;
  notice?: string;
}) {
  const { page, year } = props;
  const v = props.values ?? {};
  const errors = props.errors ?? { fields: {} };
  const title = tr(page, 'platform.holidays_title', { year });
  const RemoveButton = (h: { id: string; name: { id: string; en: string } }) => (
    <form method="post" action={`/admin/platform/holidays/${h.id}/remove?year=${year}`} class="g-inline-form">
      <CsrfField page={page} />
      <button class="g-button g-button--secondary" type="submit">
        {tr(page, 'platform.remove_holiday')}
        <span class="g-vh" safe>
          {` ${h.name[page.lang]}`}
        </span>
      </button>
    </form>
  );
  return (
    <Layout page={page} title={title}>
      <AdminNav page={page} />
      <h1 safe>{title}</h1>
      <ErrorSummary page={page} errors={summaryOf(errors)} />
      <Notice text={props.notice} />
      <p class="g-lead">{tr(page, 'platform.holidays_lead')}</p>
      <ul class="g-links g-staff__years">
        <li>
          <a href={`/admin/platform/holidays?year=${year - 1}`}>{`← ${tr(page, 'platform.prev_year')}`}</a>
        </li>
        <li>
          <a href={`/admin/platform/holidays?year=${year + 1}`}>{`${tr(page, 'platform.next_year')} →`}</a>
        </li>
      </ul>
      <ul class="g-staff__holidays">
        {props.holidays.map((h) => (
          <li class={h.source === 'added' ? 'g-staff__holiday g-staff__holiday--added' : 'g-staff__holiday'}>
            <span class="g-staff__date" safe>
              {h.date}
            </span>{' '}
            <span safe>{h.name[page.lang]}</span>{' '}
            <span class="g-muted" safe>
              {`(${tr(page, `platform.kind.${h.kind}`)}, ${tr(page, h.source === 'added' ? 'platform.source_added' : 'platform.source_shipped')})`}
            </span>
            {h.source === 'added' && h.id ? RemoveButton({ id: h.id, name: h.name }) : ''}
          </li>
        ))}
      </ul>
      <h2>{tr(page, 'platform.regional_heading')}</h2>
      {props.regional.length === 0 ? (
        <p>{tr(page, 'platform.no_regional')}</p>
      ) : (
        <ul class="g-staff__holidays">
          {props.regional.map((h) => (
            <li class="g-staff__holiday g-staff__holiday--added">
              <span class="g-staff__date" safe>
                {h.date}
              </span>{' '}
              <span safe>{`${h.name[page.lang]} — ${h.agencyName}`}</span>
              {RemoveButton(h)}
            </li>
          ))}
        </ul>
      )}
      <h2>{tr(page, 'platform.add_holiday')}</h2>
      <form method="post" action={`/admin/platform/holidays?year=${year}`} class="g-form" novalidate>
        <CsrfField page={page} />
        <TextField
          name="date"
          label={tr(page, 'platform.date')}
          hint={tr(page, 'platform.date_hint')}
          value={v.date}
          error={errors.fields.date}
        />
        <SelectField
          name="kind"
          label={tr(page, 'platform.kind')}
          value={v.kind ?? 'national'}
          options={(['national', 'cuti_bersama', 'regional'] as const).map((k) => ({
            value: k,
            label: tr(page, `platform.kind.${k}`),
          }))}
          error={errors.fields.kind}
        />
        <TextField
          name="nameId"
          label={tr(page, 'platform.name_id')}
          value={v.nameId}
          error={errors.fields.nameId}
        />
        <TextField
          name="nameEn"
          label={tr(page, 'platform.name_en')}
          value={v.nameEn}
          error={errors.fields.nameEn}
        />
        <SelectField
          name="agency"
          label={tr(page, 'platform.holiday_agency')}
          value={v.agency ?? ''}
          options={[
            { value: '', label: tr(page, 'platform.no_agency') },
            ...props.agencies.map((a) => ({ value: a.slug, label: a.name[page.lang] })),
          ]}
          error={errors.fields.agency}
        />
        <button class="g-button" type="submit">
          {tr(page, 'platform.add_holiday_submit')}
        </button>
      </form>
    </Layout>
  );
}

function KeyList(props: { page: PageContext; keys: PublicKeyInfo[] }) {
  const { page } = props;
  if (props.keys.length === 0) return <p>{tr(page, 'platform.no_keys')}</p>;
  const now = new Date().toISOString();
  return (
    <ul class="g-staff__keys">
      {[...props.keys].reverse().map((k) => {
        const current = k.retiredAt === null && k.notAfter > now;
        return (
          <li class={current ? 'g-staff__key g-staff__key--current' : 'g-staff__key'}>
            <span class="g-code g-staff__key-id" safe>
              {k.keyId}
            </span>{' '}
            {current ? <strong>{tr(page, 'platform.key_current')}</strong> : ''}
            <br />
            <span safe>{`${tr(page, 'platform.key_created')}: ${when(page, k.createdAt)}`}</span>
            {' · '}
            <span safe>{`${tr(page, 'platform.key_valid_until')}: ${when(page, k.notAfter)}`}</span>
            {k.retiredAt ? (
              <>
                {' · '}
                <span safe>{`${tr(page, 'platform.key_retired')}: ${when(page, k.retiredAt)}`}</span>
              </>
            ) : (
              ''
            )}
          </li>
        );
      })}
    </ul>
  );
}

export function KeysPage(props: {
  page: PageContext;
  audit: PublicKeyInfo[];
  agencies: { agency: Agency; keys: PublicKeyInfo[] }[];
  notice?: string;
}) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'platform.keys_title')}>
      <AdminNav page={page} />
      <h1>{tr(page, 'platform.keys_title')}</h1>
      <Notice text={props.notice} />
      <p class="g-lead">{tr(page, 'platform.keys_lead')}</p>
      <section class="g-card g-staff__item">
        <h2>{tr(page, 'platform.audit_keys')}</h2>
        <KeyList page={page} keys={props.audit} />
        <form method="post" action="/admin/platform/keys/audit/rotate" class="g-staff__action">
          <CsrfField page={page} />
          <button class="g-button g-button--secondary" type="submit">
            {tr(page, 'platform.rotate_audit')}
          </button>
        </form>
      </section>
      <div class="g-staff__keysets">
        {props.agencies.map(({ agency, keys }) => (
          <section class="g-card g-staff__item">
            <h2 safe>{tr(page, 'platform.document_keys', { agency: agency.name[page.lang] })}</h2>
            <KeyList page={page} keys={keys} />
            <form
              method="post"
              action={`/admin/platform/keys/documents/${encodeURIComponent(agency.slug)}/rotate`}
              class="g-staff__action"
            >
              <CsrfField page={page} />
              <button class="g-button g-button--secondary" type="submit">
                {tr(page, 'platform.rotate_document')}
                <span class="g-vh" safe>
                  {` — ${agency.name[page.lang]}`}
                </span>
              </button>
            </form>
          </section>
        ))}
      </div>
    </Layout>
  );
}
