/**
 * The frame every form control sits in (GOV.UK's pattern): a `g-field` block with the label, an
 * optional hint and the field's error, which the control names in `aria-describedby`. The error
 * summary links to the control by its id.
 */

/** The ids a control with this id should name in `aria-describedby`, if any. */
export function describedBy(id: string, hint?: string, error?: string): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** The hint and the error of the control `id`, in that order. */
export function HintAndError(props: { id: string; hint?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {props.hint ? (
        <p class="g-field__hint" id={`${props.id}-hint`} safe>
          {props.hint}
        </p>
      ) : (
        ''
      )}
      {props.error ? (
        <p class="g-field__error" id={`${props.id}-error`} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
    </>
  );
}

/** Label, hint and error around one control (the children), whose id is `id`. */
export function Field(props: {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: JSX.Element;
}) {
  return (
    <div class={props.error ? 'g-field g-field--error' : 'g-field'}>
      <label class="g-field__label" for={props.id} safe>
        {props.label}
      </label>
      <HintAndError id={props.id} hint={props.hint} error={props.error} />
      {props.children as 'safe'}
    </div>
  );
}

/** A textarea with its label, hint and error, in the house pattern. */
export function TextArea(props: {
  id: string;
  name: string;
  label: string;
  value: string;
  hint?: string | undefined;
  error?: string | undefined;
  rows?: number;
  maxlength: number;
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      <textarea
        class="g-input g-textarea"
        id={props.id}
        name={props.name}
        rows={String(props.rows ?? 5)}
        maxlength={String(props.maxlength)}
        aria-describedby={describedBy(props.id, props.hint, props.error)}
        aria-invalid={props.error ? 'true' : undefined}
        safe
      >
        {props.value}
      </textarea>
    </Field>
  );
}
