import type { AnswerError } from '../../catalog/answer-errors.ts';
import { fieldInputId } from '../../catalog/pages/citizen-form.tsx';
import type { ServiceDefinition } from '../../catalog/schemas.ts';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import { CONSENT_VERSION, type VersionNotice } from '../service.ts';
import { local, SectionAnswers } from './answers.tsx';
import { VersionNoticeBox } from './section-page.tsx';

export interface ReviewPageView {
  page: PageContext;
  applicationId: string;
  definition: ServiceDefinition;
  agencyName: string;
  answers: Readonly<Record<string, unknown>>;
  /** Answers that did not validate when the applicant tried to submit. */
  problems?: readonly AnswerError[];
  /** The consent box was not ticked. */
  consentError?: string;
  /** Another refusal (e.g. the draft changed meanwhile). */
  formError?: string;
  /** Where the application's pages live; the citizen's `/applications/:id` unless given. */
  base?: string;
  /** Filed by an officer at the counter: the citizen's consent and the KTP-el check are the officer's ticks. */
  counter?: { identityRequired: boolean; identityChecked: boolean };
  /** The service changed since the draft was started; its problems are shown as on a refused submit. */
  versionNotice?: VersionNotice | undefined;
}

/** The section (index) that holds the field an answer path starts with; undefined for the whole form. */
export function sectionOfPath(definition: ServiceDefinition, path: string): number | undefined {
  const key = path.split(/[[.]/)[0] ?? '';
  const index = definition.form.sections.findIndex((s) => s.fields.some((f) => f.key === key));
  return index < 0 ? undefined : index;
}

/** The consent statement: why the data is processed, what is kept, for how long, who sees it. */
function ConsentStatement(props: { page: PageContext; definition: ServiceDefinition; agencyName: string }) {
  const { page, definition, agencyName } = props;
  const rules = definition.dataRules;
  const specificRoles = rules.specificFieldRoles.map((r) => tr(page, `role.${r}`)).join(', ');
  const hasSpecific = definition.form.sections.some((s) =>
    s.fields.some(
      (f) =>
        f.classification === 'specific' ||
        (f.type === 'group' && f.fields.some((g) => g.classification === 'specific')),
    ),
  );
  return (
    <div class="g-consent" id="consent-statement">
      <h3>{tr(page, 'applications.consent_purpose_title')}</h3>
      <p safe>
        {tr(page, 'applications.consent_purpose', {
          service: local(page, definition.name),
          agency: agencyName,
        })}
      </p>
      <h3>{tr(page, 'applications.consent_data_title')}</h3>
      <p>{tr(page, 'applications.consent_data')}</p>
      <h3>{tr(page, 'applications.consent_retention_title')}</h3>
      <p safe>{tr(page, 'applications.consent_retention', { years: rules.retention.years })}</p>
      <p class="g-muted" safe>
        {tr(page, 'applications.consent_basis', { basis: rules.retention.basis })}
      </p>
      <h3>{tr(page, 'applications.consent_who_title')}</h3>
      <p safe>{tr(page, 'applications.consent_who', { agency: agencyName })}</p>
      {hasSpecific && specificRoles !== '' ? (
        <p safe>{tr(page, 'applications.consent_specific', { roles: specificRoles })}</p>
      ) : (
        ''
      )}
      <p>{tr(page, 'applications.consent_rights')}</p>
      <p class="g-muted">{tr(page, 'applications.consent_version', { version: CONSENT_VERSION })}</p>
    </div>
  );
}

/** GET /applications/:id/review: every answer, a "Change" link per section, the consent, and submit. */
export function ReviewPage(props: ReviewPageView) {
  const { page, definition, applicationId } = props;
  const base = props.base ?? `/applications/${applicationId}`;
  const notice = props.versionNotice;
  const problems = props.problems ?? (notice?.kind === 'moved' ? notice.problems : []);
  const counter = props.counter;
  const messages = new Map<string, string>();
  for (const p of problems) if (!messages.has(p.path)) messages.set(p.path, p.message[page.lang]);
  const summary = [
    ...(props.formError ? [{ message: props.formError }] : []),
    ...problems.map((p) => {
      const section = sectionOfPath(definition, p.path);
      return section === undefined
        ? { message: p.message[page.lang] }
        : {
            field: `review-${fieldInputId(p.path.split(/[[.]/)[0] ?? '')}`,
            message: p.message[page.lang],
          };
    }),
    ...(props.consentError ? [{ field: 'consent', message: props.consentError }] : []),
  ];
  const title = tr(page, counter ? 'applications.counter_review_title' : 'applications.review_title');
  const total = definition.form.sections.length;
  const problemSections = new Set(
    problems.map((p) => sectionOfPath(definition, p.path)).filter((s) => s !== undefined),
  );
  return (
    <Layout
      page={page}
      title={summary.length > 0 ? `${tr(page, 'applications.error_prefix')} ${title}` : title}
    >
      <p class="g-app-back">
        <a href={`${base}/sections/${total - 1}`}>{tr(page, 'applications.back')}</a>
      </p>
      <p class="g-app-step" safe>
        {local(page, definition.name)}
      </p>
      <h1>{title}</h1>
      {counter ? (
        <p>
          <strong class="g-status">{tr(page, 'applications.counter_filled_by')}</strong>
        </p>
      ) : (
        ''
      )}
      <VersionNoticeBox page={page} notice={notice} />
      <ErrorSummary page={page} errors={summary} />
      {problemSections.size > 0 ? (
        <ul class="g-app-fix">
          {[...problemSections].map((s) => (
            <li>
              <a href={`${base}/sections/${s}`}>
                {tr(page, 'applications.fix_section', {
                  section: local(page, definition.form.sections[s]?.title ?? { id: '', en: '' }),
                })}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
      <p>{tr(page, counter ? 'applications.counter_review_lead' : 'applications.review_lead')}</p>
      <div class="g-review">
        {definition.form.sections.map((section, i) => (
          <section class="g-review__section" aria-labelledby={`review-section-${i}`}>
            <div class="g-review__head">
              <h2 id={`review-section-${i}`} safe>
                {local(page, section.title)}
              </h2>
              <a href={`${base}/sections/${i}`}>
                {tr(page, 'applications.change')}
                <span class="g-vh" safe>{` ${local(page, section.title)}`}</span>
              </a>
            </div>
            <SectionAnswers
              page={page}
              definition={definition}
              section={section}
              answers={props.answers}
              problems={messages}
            />
          </section>
        ))}
      </div>
      <h2>{tr(page, 'applications.consent_title')}</h2>
      <ConsentStatement page={page} definition={definition} agencyName={props.agencyName} />
      {counter ? <p>{tr(page, 'applications.counter_consent_lead')}</p> : ''}
      {notice?.kind === 'withdrawn' ? (
        ''
      ) : (
        <form method="post" action={`${base}/submit`} class="g-app-submit" novalidate>
          <CsrfField page={page} />
          <div class={props.consentError ? 'g-field g-field--error' : 'g-field'}>
            {props.consentError ? (
              <p class="g-field__error" id="consent-error">
                <span class="g-vh">{tr(page, 'applications.error_prefix')} </span>
                <span safe>{props.consentError}</span>
              </p>
            ) : (
              ''
            )}
            <div class="g-check">
              <input
                class="g-check__input"
                type="checkbox"
                id="consent"
                name="consent"
                value="yes"
                required
                aria-describedby={props.consentError ? 'consent-error' : undefined}
                aria-invalid={props.consentError ? 'true' : undefined}
              />
              <label class="g-check__label" for="consent">
                {tr(page, counter ? 'applications.counter_consent_label' : 'applications.consent_label')}
              </label>
            </div>
          </div>
          {counter ? (
            <div class="g-field">
              <div class="g-check">
                <input
                  class="g-check__input"
                  type="checkbox"
                  id="identity"
                  name="identity"
                  value="yes"
                  checked={counter.identityChecked}
                  aria-describedby="identity-hint"
                />
                <label class="g-check__label" for="identity">
                  {tr(page, 'applications.counter_identity_label')}
                </label>
              </div>
              <p class="g-field__hint" id="identity-hint">
                {tr(page, 'applications.counter_identity_hint')}
                {counter.identityRequired ? ` ${tr(page, 'applications.counter_identity_required')}` : ''}
              </p>
            </div>
          ) : (
            ''
          )}
          <button type="submit" class="g-button">
            {tr(page, 'applications.submit')}
          </button>
        </form>
      )}
    </Layout>
  );
}
