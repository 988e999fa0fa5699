/** The privacy pages: the citizen's privacy page, the deletion result, the readable export, and the agency admin's list. */
import { SectionAnswers } from '../applications/pages/answers.tsx';
import { describedBy, Field, TextArea } from '../web/pages/field.tsx';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../web/pages/layout.tsx';
import type { AccessEntry, DataOfficer } from './access.ts';
import type { OptionalConsent } from './consent.ts';
import type { ExportedApplication, MyDataExport } from './export.ts';
import type { AgencyRequest, CorrectableApplication, DeletionResult, MyRequest } from './requests.ts';
import { accessSentence, dateOnlyText, whenText } from './text.ts';

/** Entries shown on the page; the export has them all. */
export const ACCESS_ON_PAGE = 50;

function titleWithError(page: PageContext, title: string, hasErrors: boolean): string {
  return hasErrors ? `${tr(page, 'privacy.error_prefix')} ${title}` : title;
}

function numberOf(page: PageContext, trackingNumber: string | null): string {
  return trackingNumber ?? tr(page, 'privacy.no_number');
}

export function AccessList(props: { page: PageContext; entries: readonly AccessEntry[]; limit?: number }) {
  const { page } = props;
  if (props.entries.length === 0) return <p class="g-muted">{tr(page, 'privacy.access_none')}</p>;
  const shown = props.limit === undefined ? props.entries : props.entries.slice(0, props.limit);
  return (
    <>
      <ul class="g-privacy-log">
        {shown.map((e) => (
          <li class="g-privacy-log__item">
            <span safe>{accessSentence(page.lang, e)}</span>
            {e.relation === 'subject' ? (
              <span class="g-privacy-log__note" safe>
                {tr(page, 'privacy.access_as_subject')}
              </span>
            ) : (
              ''
            )}
          </li>
        ))}
      </ul>
      {shown.length < props.entries.length ? (
        <p class="g-muted" safe>
          {tr(page, 'privacy.access_more', { shown: shown.length, total: props.entries.length })}
        </p>
      ) : (
        ''
      )}
    </>
  );
}

function ConsentItem(props: { page: PageContext; consent: OptionalConsent }) {
  const { page, consent } = props;
  const status = consent.since
    ? tr(page, consent.given ? 'privacy.consent_given' : 'privacy.consent_withdrawn', {
        when: whenText(page.lang, consent.since),
      })
    : tr(page, 'privacy.consent_never');
  const hintId = `consent-${consent.purpose}-hint`;
  return (
    <li class="g-privacy-consent">
      <h3 class="g-privacy-consent__title">{tr(page, `privacy.purpose.${consent.purpose}`)}</h3>
      <p class="g-muted" id={hintId}>
        {tr(page, `privacy.purpose.${consent.purpose}_hint`)}
      </p>
      <p class="g-privacy-consent__status" safe>
        {status}
      </p>
      <form method="post" action="/account/privacy/consent" class="g-inline-form">
        <CsrfField page={page} />
        <input type="hidden" name="purpose" value={consent.purpose} />
        <input type="hidden" name="give" value={consent.given ? '0' : '1'} />
        <button
          type="submit"
          class={`g-button${consent.given ? ' g-button--secondary' : ''}`}
          aria-describedby={hintId}
        >
          {tr(page, consent.given ? 'privacy.consent_withdraw' : 'privacy.consent_give')}
        </button>
      </form>
    </li>
  );
}

function RequestList(props: { page: PageContext; requests: readonly MyRequest[] }) {
  const { page } = props;
  if (props.requests.length === 0) return <p class="g-muted">{tr(page, 'privacy.requests_none')}</p>;
  return (
    <ul class="g-list">
      {props.requests.map((r) => {
        const status =
          r.kind === 'deletion' && (r.outcome === 'erased' || r.outcome === 'restricted')
            ? tr(page, `privacy.request_outcome.${r.outcome}`)
            : tr(page, `privacy.request_status.${r.status}`);
        return (
          <li>
            <span safe>
              {tr(page, 'privacy.request_line', {
                kind: tr(page, `privacy.request_kind.${r.kind}`),
                service: r.service[page.lang],
                number: numberOf(page, r.trackingNumber),
                when: whenText(page.lang, r.createdAt),
                status,
              })}
            </span>
            {r.note ? (
              <span class="g-privacy-log__note" safe>
                {tr(page, 'privacy.request_note', { note: r.note })}
              </span>
            ) : (
              ''
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** The "I understand" checkbox a destructive form asks for, with its error above it. */
function ConfirmCheck(props: { id: string; label: string; error: string | undefined }) {
  const errorId = `${props.id}-error`;
  return (
    <div class={`g-field${props.error ? ' g-field--error' : ''}`}>
      {props.error ? (
        <p class="g-field__error" id={errorId} safe>
          {props.error}
        </p>
      ) : (
        ''
      )}
      <div class="g-check">
        <input
          class="g-check__input"
          type="checkbox"
          id={props.id}
          name="confirm"
          value="1"
          aria-describedby={props.error ? errorId : undefined}
        />
        <label class="g-check__label" for={props.id} safe>
          {props.label}
        </label>
      </div>
    </div>
  );
}

export interface PrivacyPageView {
  page: PageContext;
  access: readonly AccessEntry[];
  consents: readonly OptionalConsent[];
  correctable: readonly CorrectableApplication[];
  requests: readonly MyRequest[];
  officers: readonly DataOfficer[];
  notice?: string | undefined;
  correction?: { applicationId: string; details: string } | undefined;
  fieldErrors?: Record<string, string> | undefined;
  formError?: string | undefined;
}

/** GET /account/privacy: everything the citizen can see and ask about their data. */
export function PrivacyPage(props: PrivacyPageView) {
  const { page } = props;
  const fieldErrors = props.fieldErrors ?? {};
  const errors = [
    ...(fieldErrors.applicationId
      ? [{ field: 'correction-application', message: fieldErrors.applicationId }]
      : []),
    ...(fieldErrors.details ? [{ field: 'correction-details', message: fieldErrors.details }] : []),
    ...(fieldErrors.confirm ? [{ field: 'deletion-confirm', message: fieldErrors.confirm }] : []),
    ...(props.formError ? [{ message: props.formError }] : []),
  ];
  const title = tr(page, 'privacy.title');
  const chosen = props.correction?.applicationId ?? '';
  return (
    <Layout page={page} title={titleWithError(page, title, errors.length > 0)}>
      <h1>{title}</h1>
      <ErrorSummary page={page} errors={errors} />
      {props.notice ? (
        <p class="g-notice" role="status" safe>
          {props.notice}
        </p>
      ) : (
        ''
      )}
      <p class="g-lead">{tr(page, 'privacy.lead')}</p>
      <nav aria-label={tr(page, 'privacy.contents')}>
        <ul class="g-privacy-toc">
          <li>
            <a href="#access">{tr(page, 'privacy.access_title')}</a>
          </li>
          <li>
            <a href="#export">{tr(page, 'privacy.export_title')}</a>
          </li>
          <li>
            <a href="#consent">{tr(page, 'privacy.consents_title')}</a>
          </li>
          <li>
            <a href="#correction">{tr(page, 'privacy.correction_title')}</a>
          </li>
          <li>
            <a href="#deletion">{tr(page, 'privacy.deletion_title')}</a>
          </li>
          <li>
            <a href="#requests">{tr(page, 'privacy.requests_title')}</a>
          </li>
        </ul>
      </nav>

      <section class="g-privacy-section" aria-labelledby="access">
        <h2 id="access">{tr(page, 'privacy.access_title')}</h2>
        <p>{tr(page, 'privacy.access_lead')}</p>
        <AccessList page={page} entries={props.access} limit={ACCESS_ON_PAGE} />
      </section>

      <section class="g-privacy-section" aria-labelledby="export">
        <h2 id="export">{tr(page, 'privacy.export_title')}</h2>
        <p>{tr(page, 'privacy.export_lead')}</p>
        <ul class="g-links">
          <li>
            <a href="/account/privacy/export">{tr(page, 'privacy.export_view')}</a>
          </li>
          <li>
            <a href="/api/v1/me/export" download="data-saya-gapura.json">
              {tr(page, 'privacy.export_download')}
            </a>
          </li>
        </ul>
      </section>

      <section class="g-privacy-section" aria-labelledby="consent">
        <h2 id="consent">{tr(page, 'privacy.consents_title')}</h2>
        <p>{tr(page, 'privacy.consents_lead')}</p>
        <ul class="g-privacy-consents">
          {props.consents.map((c) => (
            <ConsentItem page={page} consent={c} />
          ))}
        </ul>
      </section>

      <section class="g-privacy-section" aria-labelledby="correction">
        <h2 id="correction">{tr(page, 'privacy.correction_title')}</h2>
        <p>{tr(page, 'privacy.correction_lead')}</p>
        {props.correctable.length === 0 ? (
          <p class="g-muted">{tr(page, 'privacy.correction_none')}</p>
        ) : (
          <form method="post" action="/account/privacy/correction" class="g-form" novalidate>
            <CsrfField page={page} />
            <Field
              id="correction-application"
              label={tr(page, 'privacy.correction_application')}
              error={fieldErrors.applicationId}
            >
              <select
                class="g-input g-select"
                id="correction-application"
                name="applicationId"
                aria-describedby={describedBy('correction-application', undefined, fieldErrors.applicationId)}
              >
                <option value="">{tr(page, 'privacy.correction_choose')}</option>
                {props.correctable.map((a) => (
                  <option value={a.id} selected={a.id === chosen} safe>
                    {`${a.service[page.lang]} ${numberOf(page, a.trackingNumber)}${
                      a.relation === 'subject' ? ` ${tr(page, 'privacy.correction_subject_mark')}` : ''
                    }`}
                  </option>
                ))}
              </select>
            </Field>
            <TextArea
              id="correction-details"
              name="details"
              label={tr(page, 'privacy.correction_details')}
              hint={tr(page, 'privacy.correction_details_hint')}
              error={fieldErrors.details}
              value={props.correction?.details ?? ''}
              rows={4}
              maxlength={2000}
            />
            <button type="submit" class="g-button">
              {tr(page, 'privacy.correction_submit')}
            </button>
          </form>
        )}
      </section>

      <section class="g-privacy-section" aria-labelledby="deletion">
        <h2 id="deletion">{tr(page, 'privacy.deletion_title')}</h2>
        <p>{tr(page, 'privacy.deletion_lead')}</p>
        <form method="post" action="/account/privacy/deletion" class="g-form" novalidate>
          <CsrfField page={page} />
          <ConfirmCheck
            id="deletion-confirm"
            label={tr(page, 'privacy.deletion_confirm')}
            error={fieldErrors.confirm}
          />
          <button type="submit" class="g-button g-button--warning">
            {tr(page, 'privacy.deletion_submit')}
          </button>
        </form>
      </section>

      <section class="g-privacy-section" aria-labelledby="requests">
        <h2 id="requests">{tr(page, 'privacy.requests_title')}</h2>
        <RequestList page={page} requests={props.requests} />
      </section>

      <section class="g-privacy-section" aria-labelledby="officers">
        <h2 id="officers">{tr(page, 'privacy.officers_title')}</h2>
        <p>{tr(page, 'privacy.officers_lead')}</p>
        {props.officers.length === 0 ? (
          <p class="g-muted">{tr(page, 'privacy.officers_none')}</p>
        ) : (
          <ul class="g-list">
            {props.officers.map((o) => (
              <li>
                <strong safe>{o.agency[page.lang]}</strong>
                {': '}
                {o.dpo ? (
                  <>
                    <span safe>{o.dpo.name}</span>
                    {' · '}
                    <a href={`mailto:${o.dpo.email}`} safe>
                      {o.dpo.email}
                    </a>
                    {o.dpo.phone ? <span safe>{` · ${o.dpo.phone}`}</span> : ''}
                  </>
                ) : (
                  tr(page, 'privacy.officer_missing')
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="g-privacy-section" aria-labelledby="close">
        <h2 id="close">{tr(page, 'privacy.close_title')}</h2>
        <p>{tr(page, 'privacy.close_lead')}</p>
        <form method="post" action="/account/privacy/close" class="g-form" novalidate>
          <CsrfField page={page} />
          <Field id="close-password" label={tr(page, 'privacy.close_password')} error={fieldErrors.password}>
            <input
              class="g-input"
              type="password"
              id="close-password"
              name="password"
              autocomplete="current-password"
              aria-describedby={describedBy('close-password', undefined, fieldErrors.password)}
              aria-invalid={fieldErrors.password ? 'true' : undefined}
            />
          </Field>
          <ConfirmCheck
            id="close-confirm"
            label={tr(page, 'privacy.close_confirm')}
            error={fieldErrors['close-confirm']}
          />
          <button type="submit" class="g-button g-button--warning">
            {tr(page, 'privacy.close_submit')}
          </button>
        </form>
      </section>
    </Layout>
  );
}

/** POST /account/privacy/deletion: what happened to each application. */
export function DeletionResultPage(props: {
  page: PageContext;
  results: readonly DeletionResult[];
  /** The account was closed too: the reader is signed out now. */
  closed?: boolean;
}) {
  const { page } = props;
  const title = tr(page, props.closed ? 'privacy.closed_title' : 'privacy.deletion_result_title');
  return (
    <Layout page={page} title={title}>
      {props.closed ? (
        ''
      ) : (
        <p class="g-app-back">
          <a href="/account/privacy">{tr(page, 'privacy.back')}</a>
        </p>
      )}
      <h1>{title}</h1>
      {props.closed ? <p class="g-lead">{tr(page, 'privacy.closed_lead')}</p> : ''}
      {props.results.length === 0 ? (
        <p>{tr(page, 'privacy.deletion_none')}</p>
      ) : (
        <ul class="g-privacy-results">
          {props.results.map((r) => {
            const o = r.outcome;
            let text: string;
            if (o.kind === 'restricted')
              text = o.until
                ? tr(page, 'privacy.outcome_restricted_until', {
                    years: o.years,
                    until: dateOnlyText(page.lang, o.until),
                  })
                : tr(page, 'privacy.outcome_restricted_open', { years: o.years });
            else text = tr(page, `privacy.outcome_${o.kind}`);
            return (
              <li class={`g-privacy-result g-privacy-result--${o.kind}`}>
                <h2 class="g-privacy-result__title" safe>
                  {`${r.service[page.lang]} ${numberOf(page, r.trackingNumber)}`}
                </h2>
                <p safe>{text}</p>
                {o.kind === 'restricted' ? (
                  <p class="g-muted" safe>
                    {tr(page, 'privacy.retention_basis', { basis: o.basis })}
                  </p>
                ) : (
                  ''
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Layout>
  );
}

function Fact(props: { label: string; value: string | null }) {
  return (
    <div class="g-answers__row">
      <dt safe>{props.label}</dt>
      <dd safe>{props.value ?? '—'}</dd>
    </div>
  );
}

function ExportedApplicationView(props: { page: PageContext; app: ExportedApplication }) {
  const { page, app } = props;
  const status =
    app.stage === 'draft' ? tr(page, 'privacy.export_draft') : (app.state?.label[page.lang] ?? '');
  const hasAnswers = Object.keys(app.answers).length > 0;
  return (
    <article class="g-privacy-app">
      <h3 safe>{`${app.service.name[page.lang]} ${app.trackingNumber ?? ''}`}</h3>
      <dl class="g-answers">
        <Fact label={tr(page, 'privacy.export_agency')} value={app.agency[page.lang]} />
        <Fact label={tr(page, 'privacy.export_status')} value={status} />
        <Fact
          label={tr(page, 'privacy.export_submitted')}
          value={app.submittedAt ? whenText(page.lang, app.submittedAt) : null}
        />
        <Fact
          label={tr(page, 'privacy.export_closed')}
          value={app.closedAt ? whenText(page.lang, app.closedAt) : null}
        />
      </dl>
      {app.erasedAt ? (
        <p class="g-notice" safe>
          {tr(page, 'privacy.export_erased', { when: whenText(page.lang, app.erasedAt) })}
        </p>
      ) : app.restricted ? (
        <p class="g-notice" safe>
          {app.restrictedUntil
            ? tr(page, 'privacy.export_restricted_until', {
                until: dateOnlyText(page.lang, app.restrictedUntil),
              })
            : tr(page, 'privacy.export_restricted_open')}
        </p>
      ) : (
        ''
      )}
      <h4>{tr(page, 'privacy.export_answers')}</h4>
      {hasAnswers && app.definition ? (
        <div class="g-privacy-answers">
          {app.definition.form.sections.map((section) => (
            <>
              <h5 safe>{section.title[page.lang]}</h5>
              <SectionAnswers
                page={page}
                definition={app.definition!}
                section={section}
                answers={app.answers}
              />
            </>
          ))}
        </div>
      ) : (
        <p class="g-muted">{tr(page, 'privacy.export_no_answers')}</p>
      )}
      <h4>{tr(page, 'privacy.export_history')}</h4>
      <ul class="g-list">
        {app.history.map((h) => (
          <li>
            <span safe>{`${whenText(page.lang, h.at)}: ${tr(page, `privacy.history.${h.kind}`)}${
              h.action ? ` (${h.action})` : ''
            }`}</span>
            {h.comment ? (
              <span class="g-privacy-log__note" safe>
                {tr(page, 'privacy.history_comment', { comment: h.comment })}
              </span>
            ) : (
              ''
            )}
          </li>
        ))}
      </ul>
      <h4>{tr(page, 'privacy.export_attachments')}</h4>
      {app.attachments.length === 0 ? (
        <p class="g-muted">{tr(page, 'privacy.export_no_attachments')}</p>
      ) : (
        <ul class="g-list">
          {app.attachments.map((a) => (
            <li safe>
              {tr(page, 'privacy.export_attachment_line', {
                field: a.field,
                mime: a.mime,
                size: Math.max(1, Math.round(a.size / 1024)),
                when: whenText(page.lang, a.createdAt),
              })}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** GET /account/privacy/export: the same data as the JSON download, for reading. */
export function ExportPage(props: { page: PageContext; data: MyDataExport }) {
  const { page, data } = props;
  const title = tr(page, 'privacy.export_title');
  const purposeText = (purpose: string) => {
    const key = `privacy.purpose.${purpose}`;
    return key === 'privacy.purpose.sms_notifications' ||
      key === 'privacy.purpose.satisfaction_survey' ||
      key === 'privacy.purpose.application_submission'
      ? tr(page, key)
      : purpose;
  };
  return (
    <Layout page={page} title={title}>
      <p class="g-app-back">
        <a href="/account/privacy">{tr(page, 'privacy.back')}</a>
      </p>
      <h1>{title}</h1>
      <p class="g-muted" safe>
        {tr(page, 'privacy.export_generated', { when: whenText(page.lang, data.generatedAt) })}
      </p>
      <p>
        <a class="g-button g-button--secondary" href="/api/v1/me/export" download="data-saya-gapura.json">
          {tr(page, 'privacy.export_download')}
        </a>
      </p>

      <h2>{tr(page, 'privacy.export_account')}</h2>
      <dl class="g-answers">
        <Fact label={tr(page, 'privacy.export_name')} value={data.account.name} />
        <Fact label={tr(page, 'privacy.export_email')} value={data.account.email} />
        <Fact label={tr(page, 'privacy.export_phone')} value={data.account.phone} />
        <Fact label={tr(page, 'privacy.export_nik')} value={data.account.nik} />
        <Fact
          label={tr(page, 'privacy.export_created')}
          value={whenText(page.lang, data.account.createdAt)}
        />
      </dl>

      <h2>{tr(page, 'privacy.export_applications')}</h2>
      {data.applications.length === 0 ? (
        <p class="g-muted">{tr(page, 'privacy.export_no_applications')}</p>
      ) : (
        <div class="g-privacy-apps">
          {data.applications.map((app) => (
            <ExportedApplicationView page={page} app={app} />
          ))}
        </div>
      )}

      {data.subjectOf.length > 0 ? (
        <>
          <h2>{tr(page, 'privacy.export_subject_of')}</h2>
          <p>{tr(page, 'privacy.export_subject_of_lead')}</p>
          <ul class="g-list">
            {data.subjectOf.map((s) => (
              <li
                safe
              >{`${s.service[page.lang]} ${numberOf(page, s.trackingNumber)} — ${s.agency[page.lang]}`}</li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}

      <h2>{tr(page, 'privacy.export_notifications')}</h2>
      {data.notifications.length === 0 ? (
        <p class="g-muted">{tr(page, 'privacy.export_no_notifications')}</p>
      ) : (
        <ul class="g-list">
          {data.notifications.map((n) => (
            <li>
              <strong safe>{n.subject}</strong>{' '}
              <span class="g-muted" safe>{`(${n.channel}, ${whenText(page.lang, n.createdAt)})`}</span>
              <span class="g-privacy-log__note" safe>
                {n.body}
              </span>
            </li>
          ))}
        </ul>
      )}

      <h2>{tr(page, 'privacy.export_consents')}</h2>
      {data.consents.length === 0 ? (
        <p class="g-muted">{tr(page, 'privacy.export_no_consents')}</p>
      ) : (
        <ul class="g-list">
          {data.consents.map((c) => (
            <li safe>
              {c.withdrawnAt
                ? tr(page, 'privacy.consent_record_withdrawn', {
                    purpose: purposeText(c.purpose),
                    version: c.version,
                    when: whenText(page.lang, c.givenAt),
                    withdrawn: whenText(page.lang, c.withdrawnAt),
                  })
                : tr(page, 'privacy.consent_record', {
                    purpose: purposeText(c.purpose),
                    version: c.version,
                    when: whenText(page.lang, c.givenAt),
                  })}
            </li>
          ))}
        </ul>
      )}

      <h2>{tr(page, 'privacy.export_requests')}</h2>
      <RequestList page={page} requests={data.requests} />

      <h2>{tr(page, 'privacy.export_access')}</h2>
      <AccessList page={page} entries={data.accessLog} />
    </Layout>
  );
}

/** GET /admin/privacy-requests: the agency admin's correction requests, open first. */
export function AdminRequestsPage(props: {
  page: PageContext;
  requests: readonly AgencyRequest[];
  notice?: string | undefined;
  failed?: { id: string; note: string; error: string } | undefined;
}) {
  const { page } = props;
  const title = tr(page, 'privacy.admin_title');
  const errors = props.failed ? [{ field: `note-${props.failed.id}`, message: props.failed.error }] : [];
  return (
    <Layout page={page} title={titleWithError(page, title, errors.length > 0)}>
      <h1>{title}</h1>
      <ErrorSummary page={page} errors={errors} />
      {props.notice ? (
        <p class="g-notice" role="status" safe>
          {props.notice}
        </p>
      ) : (
        ''
      )}
      <p class="g-lead">{tr(page, 'privacy.admin_lead')}</p>
      {props.requests.length === 0 ? (
        <p class="g-muted">{tr(page, 'privacy.admin_none')}</p>
      ) : (
        <ul class="g-privacy-requests">
          {props.requests.map((r) => {
            const failed = props.failed?.id === r.id ? props.failed : undefined;
            const noteId = `note-${r.id}`;
            return (
              <li class={`g-privacy-request g-privacy-request--${r.status}`}>
                <h2 class="g-privacy-result__title" safe>
                  {`${r.service[page.lang]} ${numberOf(page, r.trackingNumber)}`}
                </h2>
                <dl class="g-answers">
                  <Fact label={tr(page, 'privacy.admin_requester')} value={r.requester} />
                  <Fact label={tr(page, 'privacy.admin_received')} value={whenText(page.lang, r.createdAt)} />
                  <Fact
                    label={tr(page, 'privacy.admin_details')}
                    value={r.details === '' ? tr(page, 'privacy.admin_erased') : r.details}
                  />
                  <Fact
                    label={tr(page, 'privacy.export_status')}
                    value={tr(page, `privacy.request_status.${r.status}`)}
                  />
                </dl>
                {r.status === 'handled' ? (
                  <p class="g-muted" safe>
                    {`${tr(page, 'privacy.admin_handled_by', {
                      name: r.handledBy ?? '—',
                      when: r.handledAt ? whenText(page.lang, r.handledAt) : '',
                    })}${r.note ? ` — ${r.note}` : ''}`}
                  </p>
                ) : (
                  <form method="post" action={`/admin/privacy-requests/${r.id}`} class="g-form" novalidate>
                    <CsrfField page={page} />
                    <div class={`g-field${failed ? ' g-field--error' : ''}`}>
                      <label class="g-field__label" for={noteId}>
                        {tr(page, 'privacy.admin_note_label')}
                      </label>
                      {failed ? (
                        <p class="g-field__error" id={`${noteId}-error`} safe>
                          {failed.error}
                        </p>
                      ) : (
                        ''
                      )}
                      <textarea
                        class="g-input g-textarea"
                        id={noteId}
                        name="note"
                        rows="2"
                        maxlength="2000"
                        aria-describedby={failed ? `${noteId}-error` : undefined}
                        safe
                      >
                        {failed?.note ?? ''}
                      </textarea>
                    </div>
                    <button type="submit" class="g-button">
                      {tr(page, 'privacy.admin_mark')}
                    </button>
                  </form>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Layout>
  );
}
