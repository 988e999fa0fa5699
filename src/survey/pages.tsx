/**
 * The survey's pages: the questionnaire (the applicant's, and the counter's kiosk page), the
 * counter's list of finished applications waiting for a survey, the agency's IKM report and the
 * population form. Plain HTML forms; no script.
 */
import type { AgencyTimeZone } from '../calendar/calendar.ts';
import type { LocalText } from '../catalog/schemas.ts';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../web/pages/layout.tsx';
import { ELEMENT_KEYS, type ElementKey, MAX_COMMENT_CHARS, SCALE } from './elements.ts';
import type { IkmFigures } from './figures.ts';
import type { SurveyPeriod } from './periods.ts';
import type { IkmReport, PopulationRow, SurveyComment } from './report.ts';
import type { CounterItem, SurveyTarget } from './service.ts';

const LOCALES = { id: 'id-ID', en: 'en-GB' } as const;
const ROMAN = ['I', 'II', 'III', 'IV'];

function local(page: PageContext, text: LocalText): string {
  return text[page.lang];
}

function dateText(page: PageContext, iso: string, timeZone: AgencyTimeZone = 'Asia/Jakarta'): string {
  return new Intl.DateTimeFormat(LOCALES[page.lang], { dateStyle: 'long', timeZone }).format(new Date(iso));
}

function decimalText(page: PageContext, value: number, min: number, max = min): string {
  return new Intl.NumberFormat(LOCALES[page.lang], {
    minimumFractionDigits: min,
    maximumFractionDigits: max,
  }).format(value);
}

function integerText(page: PageContext, value: number): string {
  return new Intl.NumberFormat(LOCALES[page.lang]).format(value);
}

export function periodLabel(page: PageContext, period: SurveyPeriod): string {
  if (period.kind === 'year') return tr(page, 'survey.period_year', { year: period.year });
  if (period.kind === 'quarter')
    return tr(page, 'survey.period_quarter', {
      roman: ROMAN[period.part - 1],
      n: period.part,
      year: period.year,
    });
  return new Intl.DateTimeFormat(LOCALES[page.lang], {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(period.year, period.part - 1, 1)));
}

function elementName(page: PageContext, key: ElementKey): string {
  return tr(page, `survey.element.${key}`);
}

/** The name of an element a figure names by its key. */
function elementLabel(page: PageContext, key: string): string {
  const known = ELEMENT_KEYS.find((k) => k === key);
  return known ? elementName(page, known) : key;
}

// The questionnaire -------------------------------------------------------------------------------

function ElementQuestion(props: {
  page: PageContext;
  element: ElementKey;
  index: number;
  value: string | undefined;
  error: string | undefined;
}) {
  const { page, element, error } = props;
  const describedBy = [`${element}-hint`, error ? `${element}-error` : ''].filter(Boolean).join(' ');
  return (
    <fieldset
      class={
        error
          ? 'g-fieldset g-field g-field--error g-survey__question'
          : 'g-fieldset g-field g-survey__question'
      }
      aria-describedby={describedBy}
    >
      <legend class="g-field__label">
        <span class="g-survey__number">{`${props.index + 1}.`}</span> {tr(page, `survey.question.${element}`)}
      </legend>
      <p class="g-field__hint" id={`${element}-hint`}>
        {tr(page, 'survey.element_hint', { element: elementName(page, element) })}
      </p>
      {error ? (
        <p class="g-field__error" id={`${element}-error`} safe>
          {error}
        </p>
      ) : (
        ''
      )}
      <div class="g-survey__scale">
        {SCALE.map((n) => {
          const id = n === 1 ? element : `${element}-${n}`;
          return (
            <div class="g-check">
              <input
                class="g-check__input"
                type="radio"
                id={id}
                name={element}
                value={String(n)}
                checked={props.value === String(n)}
              />
              <label class="g-check__label" for={id}>
                {tr(page, `survey.option.${element}.${n}`)}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

export interface SurveyFormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  formError?: string | undefined;
}

function SurveyForm(props: { page: PageContext; action: string } & SurveyFormState) {
  const { page, values, errors } = props;
  const summary = [
    ...(props.formError ? [{ message: props.formError }] : []),
    ...[...ELEMENT_KEYS, 'comment'].flatMap((field) => {
      const message = errors[field];
      return message ? [{ field, message }] : [];
    }),
  ];
  const commentError = errors.comment;
  return (
    <form method="post" action={props.action} class="g-form g-survey" novalidate autocomplete="off">
      <ErrorSummary page={page} errors={summary} />
      <CsrfField page={page} />
      <p class="g-muted">{tr(page, 'survey.required')}</p>
      {ELEMENT_KEYS.map((element, index) => (
        <ElementQuestion
          page={page}
          element={element}
          index={index}
          value={values[element]}
          error={errors[element]}
        />
      ))}
      <div class={commentError ? 'g-field g-field--error' : 'g-field'}>
        <label class="g-field__label" for="comment">
          {tr(page, 'survey.comment_label')}
        </label>
        <p class="g-field__hint" id="comment-hint">
          {tr(page, 'survey.comment_hint', { max: MAX_COMMENT_CHARS })}
        </p>
        {commentError ? (
          <p class="g-field__error" id="comment-error" safe>
            {commentError}
          </p>
        ) : (
          ''
        )}
        <textarea
          class="g-textarea"
          id="comment"
          name="comment"
          rows="4"
          maxlength={String(MAX_COMMENT_CHARS)}
          aria-describedby={commentError ? 'comment-hint comment-error' : 'comment-hint'}
          aria-invalid={commentError ? 'true' : undefined}
          safe
        >
          {values.comment ?? ''}
        </textarea>
      </div>
      <button class="g-button" type="submit">
        {tr(page, 'survey.submit')}
      </button>
    </form>
  );
}

/**
 * The survey of one application: the questionnaire while it is open, a thank-you once answered
 * (never the answers), or why it is not open. `counter` is the kiosk page a counter officer opens.
 */
export function SurveyPage(
  props: {
    page: PageContext;
    target: SurveyTarget;
    counter: boolean;
    action: string;
    back: { href: string; text: string };
  } & SurveyFormState,
) {
  const { page, target } = props;
  const service = local(page, target.serviceName);
  const number = target.trackingNumber ?? '';
  const title = props.counter ? tr(page, 'survey.kiosk_title', { service }) : tr(page, 'survey.title');
  const state = target.state;
  return (
    <Layout page={page} title={title}>
      <h1 safe>{title}</h1>
      {props.formError && state.kind !== 'open' ? (
        <div class="g-error-summary" role="alert">
          <p safe>{props.formError}</p>
        </div>
      ) : (
        ''
      )}
      {state.kind === 'answered' ? (
        <div class="g-notice" role="status">
          <h2>{tr(page, 'survey.thanks_title')}</h2>
          <p safe>{tr(page, 'survey.thanks', { number, date: dateText(page, state.answeredAt) })}</p>
        </div>
      ) : state.kind === 'not_open' ? (
        <>
          <h2>{tr(page, 'survey.not_open_title')}</h2>
          <p>{tr(page, 'errors.survey.not_open')}</p>
        </>
      ) : (
        <>
          <p class="g-lead" safe>
            {props.counter
              ? tr(page, 'survey.kiosk_lead', { service, number })
              : tr(page, 'survey.lead', { service, number })}
          </p>
          <p>{tr(page, 'survey.privacy_note')}</p>
          <SurveyForm
            page={page}
            action={props.action}
            values={props.values}
            errors={props.errors}
            formError={props.formError}
          />
        </>
      )}
      <p class="g-app-back">
        <a href={props.back.href} safe>
          {props.back.text}
        </a>
      </p>
    </Layout>
  );
}

// The counter's list -------------------------------------------------------------------------------

export function CounterSurveysPage(props: {
  page: PageContext;
  items: readonly CounterItem[];
  number: string;
  done: string | undefined;
}) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'survey.counter_title')}>
      <h1>{tr(page, 'survey.counter_title')}</h1>
      {props.done !== undefined ? (
        <p class="g-notice" role="status" safe>
          {tr(page, 'survey.counter_done', { number: props.done })}
        </p>
      ) : (
        ''
      )}
      <p>{tr(page, 'survey.counter_lead')}</p>
      <form method="get" action="/counter/survey" class="g-inline-form">
        <div class="g-field">
          <label class="g-field__label" for="number">
            {tr(page, 'survey.counter_search_label')}
          </label>
          <input
            class="g-input g-input--tracking"
            id="number"
            name="number"
            type="text"
            value={props.number}
            autocomplete="off"
            spellcheck="false"
          />
        </div>
        <button class="g-button g-button--secondary" type="submit">
          {tr(page, 'survey.counter_search')}
        </button>
      </form>
      <h2>{tr(page, 'survey.counter_list_title')}</h2>
      {props.items.length === 0 ? (
        <p>{tr(page, props.number ? 'survey.counter_none_found' : 'survey.counter_none')}</p>
      ) : (
        <ul class="g-list g-survey__counter">
          {props.items.map((item) => (
            <li>
              <strong class="g-app-number" safe>
                {item.trackingNumber ?? ''}
              </strong>{' '}
              <span safe>{local(page, item.serviceName)}</span>{' '}
              <span class="g-muted" safe>
                {`${tr(page, `survey.outcome_${item.outcome}`)}, ${tr(page, 'survey.counter_closed_on', {
                  date: dateText(page, item.closedAt),
                })}`}
              </span>{' '}
              <a class="g-button g-button--secondary" href={`/counter/survey/${item.applicationId}`}>
                {tr(page, 'survey.counter_open')}
                <span class="g-vh" safe>{`: ${item.trackingNumber ?? ''}`}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

// The agency's IKM ---------------------------------------------------------------------------------

function PeriodChooser(props: {
  page: PageContext;
  action: string;
  agencySlug: string;
  chosen: SurveyPeriod;
  periods: readonly SurveyPeriod[];
}) {
  const { page } = props;
  const periods = props.periods.some((p) => p.key === props.chosen.key)
    ? props.periods
    : [props.chosen, ...props.periods];
  return (
    <form method="get" action={props.action} class="g-inline-form">
      <input type="hidden" name="agency" value={props.agencySlug} />
      <div class="g-field">
        <label class="g-field__label" for="period">
          {tr(page, 'survey.period_label')}
        </label>
        <select class="g-select" id="period" name="period">
          {periods.map((p) => (
            <option value={p.key} selected={p.key === props.chosen.key} safe>
              {periodLabel(page, p)}
            </option>
          ))}
        </select>
      </div>
      <button class="g-button g-button--secondary" type="submit">
        {tr(page, 'survey.show')}
      </button>
    </form>
  );
}

function gradeText(page: PageContext, figures: IkmFigures): string {
  return figures.grade === null
    ? '—'
    : tr(page, 'survey.grade_text', {
        grade: figures.grade,
        label: tr(page, `survey.grade.${figures.grade}`),
      });
}

function sourceText(page: PageContext, source: IkmReport['overallSource']): string {
  if (source === 'entered') return tr(page, 'survey.population_entered');
  if (source === 'mixed') return tr(page, 'survey.population_mixed');
  return tr(page, 'survey.population_closed');
}

function ElementTable(props: { page: PageContext; figures: IkmFigures; caption: string }) {
  const { page, figures } = props;
  return (
    <table class="g-survey-table">
      <caption safe>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{tr(page, 'survey.col_element')}</th>
          <th scope="col" class="g-survey-table__number">
            {tr(page, 'survey.col_nrr')}
          </th>
        </tr>
      </thead>
      <tbody>
        {figures.elements.map((e, i) => (
          <tr>
            <th scope="row" safe>
              {`U${i + 1} ${elementLabel(page, e.key)}`}
            </th>
            <td class="g-survey-table__number">{e.nrr === null ? '—' : decimalText(page, e.nrr, 2, 4)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Summary(props: { page: PageContext; report: IkmReport }) {
  const { page, report } = props;
  const o = report.overall;
  return (
    <>
      <dl class="g-app-facts g-survey__facts">
        <div>
          <dt>{tr(page, 'survey.col_score')}</dt>
          <dd>
            <strong class="g-survey__score">{o.score === null ? '—' : decimalText(page, o.score, 2)}</strong>
          </dd>
        </div>
        <div>
          <dt>{tr(page, 'survey.col_grade')}</dt>
          <dd safe>{gradeText(page, o)}</dd>
        </div>
        <div>
          <dt>{tr(page, 'survey.col_ikm')}</dt>
          <dd>{o.ikm === null ? '—' : decimalText(page, o.ikm, 2, 4)}</dd>
        </div>
        <div>
          <dt>{tr(page, 'survey.col_respondents')}</dt>
          <dd>{integerText(page, o.respondents)}</dd>
        </div>
        <div>
          <dt>{tr(page, 'survey.col_population')}</dt>
          <dd>
            {o.population === null ? '—' : integerText(page, o.population)}{' '}
            <span class="g-muted" safe>
              {tr(page, 'survey.population_source', { source: sourceText(page, report.overallSource) })}
            </span>
          </dd>
        </div>
        <div>
          <dt>{tr(page, 'survey.col_minimum')}</dt>
          <dd>{o.minimumSample === null ? '—' : integerText(page, o.minimumSample)}</dd>
        </div>
      </dl>
      {report.overallBelowMinimum ? (
        <p class="g-app-warning" safe>
          {tr(page, 'survey.below_minimum', {
            respondents: integerText(page, o.respondents),
            minimum: integerText(page, o.minimumSample ?? 0),
            population: integerText(page, o.population ?? 0),
          })}
        </p>
      ) : (
        ''
      )}
    </>
  );
}

function ServicesTable(props: { page: PageContext; report: IkmReport }) {
  const { page } = props;
  return (
    <section class="g-survey__scroll" aria-labelledby="services-title" tabindex="0">
      <table class="g-survey-table">
        <thead>
          <tr>
            <th scope="col">{tr(page, 'survey.col_service')}</th>
            <th scope="col" class="g-survey-table__number">
              {tr(page, 'survey.col_respondents')}
            </th>
            <th scope="col" class="g-survey-table__number">
              {tr(page, 'survey.col_score')}
            </th>
            <th scope="col">{tr(page, 'survey.col_grade')}</th>
            <th scope="col" class="g-survey-table__number">
              {tr(page, 'survey.col_population')}
            </th>
            <th scope="col" class="g-survey-table__number">
              {tr(page, 'survey.col_minimum')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.report.services.map((s) => (
            <tr>
              <th scope="row" safe>
                {local(page, s.name)}
              </th>
              <td class="g-survey-table__number">
                {integerText(page, s.figures.respondents)}
                {s.belowMinimum ? (
                  <span class="g-survey__low">{` (${tr(page, 'survey.below_minimum_short')})`}</span>
                ) : (
                  ''
                )}
              </td>
              <td class="g-survey-table__number">
                {s.figures.score === null ? '—' : decimalText(page, s.figures.score, 2)}
              </td>
              <td safe>
                {s.figures.grade === null ? tr(page, 'survey.no_answers') : gradeText(page, s.figures)}
              </td>
              <td class="g-survey-table__number">
                {integerText(page, s.figures.population ?? 0)}
                <span class="g-muted g-survey__source" safe>
                  {sourceText(page, s.source)}
                </span>
              </td>
              <td class="g-survey-table__number">{integerText(page, s.figures.minimumSample ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function IkmPage(props: {
  page: PageContext;
  report: IkmReport;
  periods: readonly SurveyPeriod[];
  comments: readonly SurveyComment[];
  canEnterPopulation: boolean;
  done: boolean;
}) {
  const { page, report } = props;
  const agencyQuery = `agency=${encodeURIComponent(report.agency.slug)}`;
  const label = periodLabel(page, report.period);
  return (
    <Layout page={page} title={tr(page, 'survey.ikm_title')}>
      <p class="g-app-step" safe>
        {local(page, report.agency.name)}
      </p>
      <h1>{tr(page, 'survey.ikm_title')}</h1>
      {props.done ? (
        <p class="g-notice" role="status">
          {tr(page, 'survey.done_population')}
        </p>
      ) : (
        ''
      )}
      <p>{tr(page, 'survey.ikm_lead')}</p>
      <PeriodChooser
        page={page}
        action="/admin/survey"
        agencySlug={report.agency.slug}
        chosen={report.period}
        periods={props.periods}
      />
      <h2 safe>{`${tr(page, 'survey.agency_summary')} — ${label}`}</h2>
      <Summary page={page} report={report} />
      {report.overall.respondents > 0 ? (
        <ElementTable
          page={page}
          figures={report.overall}
          caption={tr(page, 'survey.elements_title', { scope: tr(page, 'survey.agency_summary') })}
        />
      ) : (
        ''
      )}
      <h2 id="services-title">{tr(page, 'survey.services_title')}</h2>
      <ServicesTable page={page} report={report} />
      <div>
        {report.services
          .filter((s) => s.figures.respondents > 0)
          .map((s) => (
            <details class="g-app-details">
              <summary safe>{tr(page, 'survey.elements_title', { scope: local(page, s.name) })}</summary>
              <ElementTable
                page={page}
                figures={s.figures}
                caption={tr(page, 'survey.elements_title', { scope: local(page, s.name) })}
              />
            </details>
          ))}
      </div>
      <p class="g-muted">{tr(page, 'survey.population_note')}</p>
      {props.canEnterPopulation ? (
        <p>
          <a href={`/admin/survey/population?${agencyQuery}&period=${encodeURIComponent(report.period.key)}`}>
            {tr(page, 'survey.population_link')}
          </a>
        </p>
      ) : (
        ''
      )}
      <h2>{tr(page, 'survey.comments_title')}</h2>
      {props.comments.length === 0 ? (
        <p>{tr(page, 'survey.comments_none')}</p>
      ) : (
        <>
          <p class="g-muted">{tr(page, 'survey.comments_lead')}</p>
          <ul class="g-survey__comments">
            {props.comments.map((c) => (
              <li>
                <blockquote class="g-app-request__comment" safe>
                  {c.text}
                </blockquote>
                <p class="g-muted" safe>
                  {`${local(page, c.service)}, ${dateText(page, c.answeredAt, report.agency.timezone)}`}
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}

// The population form ------------------------------------------------------------------------------

export function PopulationPage(props: {
  page: PageContext;
  agency: { slug: string; name: LocalText };
  period: SurveyPeriod;
  periods: readonly SurveyPeriod[];
  rows: readonly PopulationRow[];
  values: Record<string, string>;
  errors: Record<string, string>;
  formError?: string | undefined;
}) {
  const { page, agency, period } = props;
  const agencyQuery = `agency=${encodeURIComponent(agency.slug)}`;
  const summary = [
    ...(props.formError ? [{ message: props.formError }] : []),
    ...props.rows.flatMap((r) => {
      const message = props.errors[`p_${r.serviceId}`];
      return message ? [{ field: `p_${r.serviceId}`, message }] : [];
    }),
    ...(props.errors.period ? [{ field: 'period', message: props.errors.period }] : []),
  ];
  return (
    <Layout page={page} title={tr(page, 'survey.population_title')}>
      <p class="g-app-step" safe>
        {local(page, agency.name)}
      </p>
      <h1>{tr(page, 'survey.population_title')}</h1>
      <PeriodChooser
        page={page}
        action="/admin/survey/population"
        agencySlug={agency.slug}
        chosen={period}
        periods={props.periods}
      />
      <form method="post" action={`/admin/survey/population?${agencyQuery}`} class="g-form" novalidate>
        <ErrorSummary page={page} errors={summary} />
        <CsrfField page={page} />
        <input type="hidden" name="period" value={period.key} />
        <p safe>{tr(page, 'survey.population_lead', { period: periodLabel(page, period) })}</p>
        {props.rows.map((row) => {
          const name = `p_${row.serviceId}`;
          const error = props.errors[name];
          return (
            <div class={error ? 'g-field g-field--error' : 'g-field'}>
              <label class="g-field__label" for={name} safe>
                {local(page, row.name)}
              </label>
              <p class="g-field__hint" id={`${name}-hint`}>
                {tr(page, 'survey.population_hint', { closed: integerText(page, row.closed) })}
              </p>
              {error ? (
                <p class="g-field__error" id={`${name}-error`} safe>
                  {error}
                </p>
              ) : (
                ''
              )}
              <input
                class="g-input g-input--number"
                id={name}
                name={name}
                type="text"
                inputmode="numeric"
                autocomplete="off"
                value={props.values[name] ?? (row.entered === null ? '' : String(row.entered))}
                aria-describedby={error ? `${name}-hint ${name}-error` : `${name}-hint`}
                aria-invalid={error ? 'true' : undefined}
              />
            </div>
          );
        })}
        <button class="g-button" type="submit">
          {tr(page, 'survey.population_save')}
        </button>
      </form>
      <p class="g-app-back">
        <a href={`/admin/survey?${agencyQuery}&period=${encodeURIComponent(period.key)}`}>
          {tr(page, 'survey.back_to_ikm')}
        </a>
      </p>
    </Layout>
  );
}
