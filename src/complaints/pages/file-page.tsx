/** GET/POST /complaints/new: the filing form (works without JavaScript), and the receipt. */

import { CITIZEN_FORM_SCRIPT } from '../../catalog/pages/citizen-form.tsx';
import { describedBy, Field, TextArea } from '../../web/pages/field.tsx';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from '../attachments.ts';
import type { ComplaintReceipt } from '../filing.ts';
import { NAME_MAX, TEXT_LIMITS } from '../filing.ts';
import { COMPLAINT_CATEGORIES, REPORT_TYPES } from '../schemas.ts';
import { categoryLabel, dayText, modeLabel, TrackingNumber, typeLabel } from './parts.tsx';

export interface FileFormValues {
  mode: string;
  /** `service:<slug>`, `agency:<slug>` or `application:<id>`. */
  subject: string;
  reportType: string;
  category: string;
  text: string;
  province: string;
  regency: string;
  district: string;
  mayPublish: boolean;
  reporterName: string;
  reporterContact: string;
}

export const EMPTY_FORM: FileFormValues = {
  mode: '',
  subject: '',
  reportType: '',
  category: '',
  text: '',
  province: '',
  regency: '',
  district: '',
  mayPublish: true,
  reporterName: '',
  reporterContact: '',
};

export interface Option {
  value: string;
  label: string;
}

export interface FileFormOptions {
  agencies: Option[];
  services: Option[];
  /** Set when the form was opened from one of the citizen's applications. */
  application?: Option | undefined;
  provinces: Option[];
  regencies: Option[];
  districts: Option[];
}

function Radios(props: {
  page: PageContext;
  name: string;
  legend: string;
  hint?: string;
  options: { value: string; label: string; hint?: string }[];
  value: string;
  error?: string | undefined;
  dataField?: boolean;
}) {
  const { name } = props;
  return (
    <fieldset
      class={props.error ? 'g-fieldset g-field g-field--error' : 'g-fieldset g-field'}
      id={name}
      data-field={props.dataField ? name : undefined}
      data-type={props.dataField ? 'choice' : undefined}
      aria-describedby={
        [props.hint ? `${name}-hint` : '', props.error ? `${name}-error` : ''].filter(Boolean).join(' ') ||
        undefined
      }
    >
      <legend class="g-field__label" safe>
        {props.legend}
      </legend>
      {props.hint ? (
        <p class="g-field__hint" id={`${name}-hint`} safe>
          {props.hint}
        </p>
      ) : (
        ''
      )}
      {props.error ? (
        <p class="g-field__error" id={`${name}-error`} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
      {props.options.map((o, i) => {
        const id = `${name}-${i}`;
        return (
          <div class="g-check g-complaint__option">
            <input
              class="g-check__input"
              type="radio"
              id={id}
              name={name}
              value={o.value}
              checked={o.value === props.value}
              aria-describedby={o.hint ? `${id}-hint` : undefined}
            />
            <label class="g-check__label" for={id} safe>
              {o.label}
            </label>
            {o.hint ? (
              <p class="g-field__hint g-complaint__option-hint" id={`${id}-hint`} safe>
                {o.hint}
              </p>
            ) : (
              ''
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

function Select(props: {
  id: string;
  name: string;
  label: string;
  value: string;
  placeholder: string;
  options: Option[];
  error?: string | undefined;
  hint?: string | undefined;
  groups?: { label: string; options: Option[] }[];
}) {
  return (
    <Field id={props.id} label={props.label} hint={props.hint} error={props.error}>
      <select
        class="g-select g-input"
        id={props.id}
        name={props.name}
        aria-describedby={describedBy(props.id, props.hint, props.error)}
        aria-invalid={props.error ? 'true' : undefined}
      >
        <option value="" safe>
          {props.placeholder}
        </option>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value} safe>
            {o.label}
          </option>
        ))}
        {(props.groups ?? []).map((g) => (
          <optgroup label={g.label}>
            {g.options.map((o) => (
              <option value={o.value} selected={o.value === props.value} safe>
                {o.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </Field>
  );
}

/** Province → regency/city → district, each level filled by the one above (a button without JS). */
function LocationPicker(props: {
  page: PageContext;
  values: FileFormValues;
  options: FileFormOptions;
  error?: string | undefined;
}) {
  const { page, values, options } = props;
  const levels = [
    {
      level: 'province',
      label: tr(page, 'complaints.province'),
      value: values.province,
      options: options.provinces,
      next: 'location-regency',
    },
    {
      level: 'regency',
      label: tr(page, 'complaints.regency'),
      value: values.regency,
      options: options.regencies,
      next: 'location-district',
    },
    {
      level: 'district',
      label: tr(page, 'complaints.district'),
      value: values.district,
      options: options.districts,
      next: undefined,
    },
  ] as const;
  const ready = tr(page, 'complaints.location_choose');
  const waiting = tr(page, 'complaints.location_waiting');
  return (
    <fieldset
      class={props.error ? 'g-fieldset g-field g-region g-field--error' : 'g-fieldset g-field g-region'}
      id="regionCode"
      aria-describedby={props.error ? 'location-hint location-error' : 'location-hint'}
    >
      <legend class="g-field__label">{tr(page, 'complaints.location')}</legend>
      <p class="g-field__hint" id="location-hint">
        {tr(page, 'complaints.location_hint')}
      </p>
      {props.error ? (
        <p class="g-field__error" id="location-error" safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
      {levels.map((l, i) => (
        <div class="g-region__level">
          <label class="g-region__label" for={`location-${l.level}`} safe>
            {l.label}
          </label>
          <select
            class="g-input g-select"
            id={`location-${l.level}`}
            name={`location.${l.level}`}
            data-region={l.level}
            data-region-next={l.next}
            data-placeholder-ready={ready}
            data-placeholder-waiting={waiting}
            disabled={l.options.length === 0}
          >
            <option value="" safe>
              {i === 0 || l.options.length > 0 ? ready : waiting}
            </option>
            {l.options.map((o) => (
              <option value={o.value} selected={o.value === l.value} safe>
                {o.label}
              </option>
            ))}
          </select>
          {l.next ? (
            <button
              type="submit"
              class="g-button g-button--secondary g-region__refresh"
              name="_region_refresh"
              value="location"
              data-region-refresh
              formnovalidate
            >
              {tr(page, 'complaints.location_refresh')}
              <span class="g-vh" safe>{` ${l.label}`}</span>
            </button>
          ) : (
            ''
          )}
        </div>
      ))}
    </fieldset>
  );
}

export function FilePage(props: {
  page: PageContext;
  values: FileFormValues;
  options: FileFormOptions;
  errors?: Record<string, string>;
  formError?: string | undefined;
}) {
  const { page, values, options } = props;
  const errors = props.errors ?? {};
  const signedInCitizen = page.principal?.kind === 'citizen';
  const title = tr(page, 'complaints.file_title');
  const order = [
    'mode',
    'reporterName',
    'reporterContact',
    'subject',
    'reportType',
    'category',
    'text',
    'regionCode',
    'attachments',
  ];
  const summary = [
    ...(props.formError ? [{ message: props.formError }] : []),
    ...order.flatMap((field) => (errors[field] ? [{ field, message: errors[field] ?? '' }] : [])),
  ];
  const modes = [
    ...(signedInCitizen
      ? [{ value: 'named', label: modeLabel(page, 'named'), hint: tr(page, 'complaints.mode_named_hint') }]
      : []),
    {
      value: 'confidential',
      label: modeLabel(page, 'confidential'),
      hint: tr(page, 'complaints.mode_confidential_hint'),
    },
    ...(options.application
      ? []
      : [
          {
            value: 'anonymous',
            label: modeLabel(page, 'anonymous'),
            hint: tr(page, 'complaints.mode_anonymous_hint'),
          },
        ]),
  ];
  const maxMb = MAX_ATTACHMENT_BYTES / (1024 * 1024);
  return (
    <Layout
      page={page}
      title={summary.length > 0 ? `${tr(page, 'complaints.error_prefix')} ${title}` : title}
      scripts={[CITIZEN_FORM_SCRIPT]}
    >
      <h1>{title}</h1>
      <p class="g-lead">{tr(page, 'complaints.file_lead')}</p>
      <ErrorSummary page={page} errors={summary} />
      <form
        method="post"
        action="/complaints/new"
        class="g-form g-complaint-form"
        enctype="multipart/form-data"
        novalidate
        data-g-form
      >
        <CsrfField page={page} />
        <Radios
          page={page}
          name="mode"
          legend={tr(page, 'complaints.mode_legend')}
          hint={signedInCitizen ? undefined : tr(page, 'complaints.mode_signin_hint')}
          options={modes}
          value={values.mode}
          error={errors.mode}
          dataField
        />
        {signedInCitizen ? (
          ''
        ) : (
          <div
            class="g-complaint__reporter"
            data-field="reporter"
            data-visible-when={JSON.stringify({ field: 'mode', op: 'eq', value: 'confidential' })}
          >
            <p class="g-muted">{tr(page, 'complaints.reporter_lead')}</p>
            <Field id="reporterName" label={tr(page, 'complaints.reporter_name')} error={errors.reporterName}>
              <input
                class="g-input"
                id="reporterName"
                name="reporterName"
                value={values.reporterName}
                maxlength={String(NAME_MAX)}
                autocomplete="name"
                aria-describedby={describedBy('reporterName', undefined, errors.reporterName)}
                aria-invalid={errors.reporterName ? 'true' : undefined}
              />
            </Field>
            <Field
              id="reporterContact"
              label={tr(page, 'complaints.reporter_contact')}
              hint={tr(page, 'complaints.reporter_contact_hint')}
              error={errors.reporterContact}
            >
              <input
                class="g-input"
                id="reporterContact"
                name="reporterContact"
                value={values.reporterContact}
                maxlength="254"
                autocomplete="email"
                spellcheck="false"
                aria-describedby={describedBy(
                  'reporterContact',
                  tr(page, 'complaints.reporter_contact_hint'),
                  errors.reporterContact,
                )}
                aria-invalid={errors.reporterContact ? 'true' : undefined}
              />
            </Field>
          </div>
        )}
        {options.application ? (
          <div class="g-field" id="subject">
            <input type="hidden" name="subject" value={options.application.value} />
            <p class="g-field__label">{tr(page, 'complaints.subject')}</p>
            <p safe>{tr(page, 'complaints.about_application', { application: options.application.label })}</p>
          </div>
        ) : (
          <Select
            id="subject"
            name="subject"
            label={tr(page, 'complaints.subject')}
            hint={tr(page, 'complaints.subject_hint')}
            placeholder={tr(page, 'complaints.subject_choose')}
            value={values.subject}
            options={[]}
            groups={[
              { label: tr(page, 'complaints.subject_services'), options: options.services },
              { label: tr(page, 'complaints.subject_agencies'), options: options.agencies },
            ]}
            error={errors.subject}
          />
        )}
        <Radios
          page={page}
          name="reportType"
          legend={tr(page, 'complaints.report_type')}
          options={REPORT_TYPES.map((type) => ({
            value: type,
            label: typeLabel(page, type),
            hint: tr(page, `complaints.type_hint.${type}`),
          }))}
          value={values.reportType}
          error={errors.reportType}
        />
        <Select
          id="category"
          name="category"
          label={tr(page, 'complaints.category')}
          placeholder={tr(page, 'complaints.category_choose')}
          value={values.category}
          options={COMPLAINT_CATEGORIES.map((c) => ({ value: c, label: categoryLabel(page, c) }))}
          error={errors.category}
        />
        <TextArea
          id="text"
          name="text"
          label={tr(page, 'complaints.text')}
          hint={tr(page, 'complaints.text_hint', { min: TEXT_LIMITS.min, max: TEXT_LIMITS.max })}
          value={values.text}
          error={errors.text}
          rows={8}
          maxlength={TEXT_LIMITS.max}
        />
        <LocationPicker page={page} values={values} options={options} error={errors.regionCode} />
        <div class={errors.attachments ? 'g-field g-field--error' : 'g-field'}>
          <label class="g-field__label" for="attachments">
            {tr(page, 'complaints.attachments')}
          </label>
          <p class="g-field__hint" id="attachments-hint">
            {tr(page, 'complaints.attachments_hint', { count: MAX_ATTACHMENTS, mb: maxMb })}
          </p>
          {errors.attachments ? (
            <p class="g-field__error" id="attachments-error" safe>
              {errors.attachments}
            </p>
          ) : (
            ''
          )}
          <input
            class="g-input--file"
            type="file"
            id="attachments"
            name="attachments"
            multiple
            accept={`${ATTACHMENT_TYPES.join(',')},.pdf,.jpg,.jpeg,.png`}
            aria-describedby={errors.attachments ? 'attachments-hint attachments-error' : 'attachments-hint'}
          />
        </div>
        <div class="g-field">
          <div class="g-check g-complaint__option">
            <input
              class="g-check__input"
              type="checkbox"
              id="mayPublish"
              name="mayPublish"
              value="yes"
              checked={values.mayPublish}
              aria-describedby="mayPublish-hint"
            />
            <label class="g-check__label" for="mayPublish">
              {tr(page, 'complaints.may_publish')}
            </label>
            <p class="g-field__hint g-complaint__option-hint" id="mayPublish-hint">
              {tr(page, 'complaints.may_publish_hint')}
            </p>
          </div>
        </div>
        <button type="submit" class="g-button">
          {tr(page, 'complaints.file_submit')}
        </button>
      </form>
    </Layout>
  );
}

/** After filing: the number and secret, once, with what they are for. */
export function ReceiptPage(props: { page: PageContext; receipt: ComplaintReceipt }) {
  const { page, receipt } = props;
  return (
    <Layout page={page} title={tr(page, 'complaints.receipt_title')}>
      <div class="g-notice g-receipt__done" role="status">
        <h1>{tr(page, 'complaints.receipt_title')}</h1>
        <p>{tr(page, 'complaints.receipt_lead')}</p>
      </div>
      <h2 class="g-receipt__label">{tr(page, 'complaints.number')}</h2>
      <p class="g-receipt__big">
        <TrackingNumber number={receipt.number} />
      </p>
      <h2 class="g-receipt__label">{tr(page, 'complaints.secret')}</h2>
      <p class="g-receipt__big">
        <span class="g-receipt__number g-receipt__secret" safe>
          {receipt.secret}
        </span>
      </p>
      <p class="g-receipt__explain">
        {tr(
          page,
          receipt.mode === 'anonymous' ? 'complaints.secret_explain_anonymous' : 'complaints.secret_explain',
        )}
      </p>
      {receipt.verifyBy ? (
        <p safe>{tr(page, 'complaints.verify_by', { date: dayText(page, receipt.verifyBy) })}</p>
      ) : (
        ''
      )}
      <ul class="g-links">
        <li>
          <a href={`/complaints/track?number=${encodeURIComponent(receipt.number)}`}>
            {tr(page, 'complaints.track_link')}
          </a>
        </li>
        {page.principal?.kind === 'citizen' && receipt.mode !== 'anonymous' ? (
          <li>
            <a href="/complaints/mine">{tr(page, 'complaints.mine_title')}</a>
          </li>
        ) : (
          ''
        )}
      </ul>
    </Layout>
  );
}
