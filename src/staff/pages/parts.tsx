import { hasRole } from '../../identity/roles.ts';
import { describedBy, Field, HintAndError } from '../../web/pages/field.tsx';
import { type PageContext, tr } from '../../web/pages/layout.tsx';

/** A date and time as people here read it, in WIB. */
export function when(page: PageContext, iso: string | null): string {
  if (iso === null) return tr(page, 'staff.never');
  return new Intl.DateTimeFormat(page.lang === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  }).format(new Date(iso));
}

/** `?agency=slug` when the page acts in a named agency (a platform admin always names one). */
export function agencyQuery(slug: string | undefined): string {
  return slug ? `?agency=${encodeURIComponent(slug)}` : '';
}

/** Links between the admin pages the visitor may use. */
export function AdminNav(props: { page: PageContext; agencySlug?: string }) {
  const { page } = props;
  const links: { href: string; text: string }[] = [];
  const isPlatform = hasRole(page.principal, 'platform_admin');
  if (hasRole(page.principal, 'agency_admin') || isPlatform)
    links.push({ href: `/admin/staff${agencyQuery(props.agencySlug)}`, text: tr(page, 'staff.nav_staff') });
  if (hasRole(page.principal, 'agency_admin'))
    links.push({ href: `/admin/tokens${agencyQuery(props.agencySlug)}`, text: tr(page, 'staff.nav_tokens') });
  if (hasRole(page.principal, 'agency_admin') || hasRole(page.principal, 'supervisor'))
    links.push({ href: '/admin/survey', text: tr(page, 'survey.nav') });
  if (isPlatform) {
    links.push({ href: '/admin/platform/agencies', text: tr(page, 'staff.nav_agencies') });
    links.push({ href: '/admin/platform/holidays', text: tr(page, 'staff.nav_holidays') });
    links.push({ href: '/admin/platform/keys', text: tr(page, 'staff.nav_keys') });
  }
  return (
    <nav class="g-admin-nav" aria-label={tr(page, 'staff.nav')}>
      <ul>
        {links.map((l) => (
          <li>
            <a href={l.href} aria-current={page.path === l.href.split('?')[0] ? 'page' : undefined} safe>
              {l.text}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Notice(props: { text: string | undefined }) {
  return props.text ? (
    <p class="g-notice" role="status" safe>
      {props.text}
    </p>
  ) : (
    ''
  );
}

export function TextField(props: {
  name: string;
  label: string;
  value?: string;
  hint?: string;
  error?: string;
  type?: 'text' | 'email' | 'tel' | 'date';
  autocomplete?: string;
}) {
  return (
    <Field id={props.name} label={props.label} hint={props.hint} error={props.error}>
      <input
        class="g-input"
        id={props.name}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        autocomplete={props.autocomplete ?? 'off'}
        spellcheck={props.type === 'email' ? 'false' : undefined}
        aria-describedby={describedBy(props.name, props.hint, props.error)}
        aria-invalid={props.error ? 'true' : undefined}
      />
    </Field>
  );
}

export function SelectField(props: {
  name: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  hint?: string;
  error?: string;
}) {
  return (
    <Field id={props.name} label={props.label} hint={props.hint} error={props.error}>
      <select
        class="g-select g-input"
        id={props.name}
        name={props.name}
        aria-describedby={describedBy(props.name, props.hint, props.error)}
        aria-invalid={props.error ? 'true' : undefined}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value} safe>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** Check boxes in a fieldset; the error summary links to the first box (`#name`). */
export function CheckboxField(props: {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  checked: readonly string[];
  hint?: string;
  error?: string;
}) {
  return (
    <fieldset
      class={props.error ? 'g-fieldset g-field g-field--error' : 'g-fieldset g-field'}
      aria-describedby={describedBy(props.name, props.hint, props.error)}
    >
      <legend class="g-field__label" safe>
        {props.legend}
      </legend>
      <HintAndError id={props.name} hint={props.hint} error={props.error} />
      {props.options.map((o, i) => {
        const id = i === 0 ? props.name : `${props.name}-${i}`;
        return (
          <div class="g-check">
            <input
              class="g-check__input"
              type="checkbox"
              id={id}
              name={props.name}
              value={o.value}
              checked={props.checked.includes(o.value)}
            />
            <label class="g-check__label" for={id} safe>
              {o.label}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}
