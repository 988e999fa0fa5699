import { describedBy, Field } from './field.tsx';
import { CsrfField, ErrorSummary, Layout, type PageContext } from './layout.tsx';

export interface FormField {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'tel';
  autocomplete?: string;
  inputmode?: 'numeric' | 'text';
  hint?: string;
  value?: string;
  error?: string;
  short?: boolean;
}

/**
 * A simple one-step form page following the error-summary pattern: the summary at the top links
 * to each field, each field shows its own message, and every value typed (except passwords) is kept.
 */
export function FormPage(props: {
  page: PageContext;
  title: string;
  lead?: string;
  notice?: string;
  action: string;
  submit: string;
  fields: FormField[];
  formError?: string;
  links?: { href: string; text: string }[];
  /** Trusted markup shown between the lead and the form (e.g. an enrolment QR code). */
  intro?: JSX.Element | string;
}) {
  const errors = [
    ...(props.formError ? [{ message: props.formError }] : []),
    ...props.fields.flatMap((f) => (f.error ? [{ field: f.name, message: f.error }] : [])),
  ];
  return (
    <Layout page={props.page} title={props.title}>
      <h1 safe>{props.title}</h1>
      <ErrorSummary page={props.page} errors={errors} />
      {props.notice ? (
        <p class="g-notice" role="status" safe>
          {props.notice}
        </p>
      ) : (
        ''
      )}
      {props.lead ? <p safe>{props.lead}</p> : ''}
      {(props.intro ?? '') as 'safe'}
      <form method="post" action={props.action} class="g-form" novalidate>
        <CsrfField page={props.page} />
        {props.fields.map((f) => (
          <Field id={f.name} label={f.label} hint={f.hint} error={f.error}>
            <input
              class={f.short ? 'g-input g-input--short' : 'g-input'}
              id={f.name}
              name={f.name}
              type={f.type ?? 'text'}
              autocomplete={f.autocomplete}
              inputmode={f.inputmode}
              value={f.type === 'password' ? undefined : f.value}
              aria-describedby={describedBy(f.name, f.hint, f.error)}
              aria-invalid={f.error ? 'true' : undefined}
            />
          </Field>
        ))}
        <button class="g-button" type="submit" safe>
          {props.submit}
        </button>
      </form>
      {props.links && props.links.length > 0 ? (
        <ul class="g-links">
          {props.links.map((l) => (
            <li>
              <a href={l.href} safe>
                {l.text}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
    </Layout>
  );
}
