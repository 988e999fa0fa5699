/**
 * The public open-data pages: the period form (GET, no JavaScript), the period's figures, the
 * twelve-month charts with a table of the same figures under each, the table of agencies or
 * services, the survey's element scores, downloads, licence, the suppression rule and the
 * definitions. Every number is the JSON's, written in the page's language.
 */
import { Layout, type PageContext, tr } from '../web/pages/layout.tsx';
import { type FigureKey, figureName, UNITS } from './definitions.ts';
import { figureText, local, monthName, Scroll } from './page-parts.tsx';
import type { Period } from './periods.ts';
import type { Dashboard, FigureSet } from './schemas.ts';
import type { Published } from './suppression.ts';
import { Trend } from './trend.tsx';

export interface DashboardView {
  page: PageContext;
  dashboard: Dashboard;
  choices: { year: number; periods: Period[] }[];
  /** The page's own path (the form's action and the base of the download links). */
  path: string;
  /** The API path of the same figures (the JSON); the CSV is at `${apiPath}/figures.csv`… */
  apiPath: string;
  csvPath: string;
  /** Set when the address named a period that does not exist. */
  invalidPeriod?: string;
}

function periodQuery(dashboard: Dashboard): string {
  return `?period=${encodeURIComponent(dashboard.period.key)}`;
}

function PeriodForm(props: DashboardView) {
  const { page, dashboard } = props;
  return (
    <form method="get" action={props.path} class="g-od-period">
      <label class="g-field__label" for="od-period">
        {tr(page, 'opendata.period')}
      </label>
      <p class="g-field__hint" id="od-period-hint">
        {tr(page, 'opendata.period_hint')}
      </p>
      <div class="g-catalogue__row">
        <select class="g-select" id="od-period" name="period" aria-describedby="od-period-hint">
          {props.choices.map((year) => (
            <optgroup label={String(year.year)}>
              {year.periods.map((p) => (
                <option value={p.key} selected={p.key === dashboard.period.key}>
                  {periodName(page, p)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <button type="submit" class="g-button">
          {tr(page, 'opendata.show')}
        </button>
      </div>
    </form>
  );
}

function periodName(page: PageContext, period: Period): string {
  if (period.kind === 'year') return tr(page, 'opendata.year_label', { year: period.year });
  if (period.kind === 'quarter') {
    const number = Number(period.key.slice(-1));
    return tr(page, 'opendata.quarter_label', {
      year: period.year,
      number,
      roman: ['I', 'II', 'III', 'IV'][number - 1],
    });
  }
  return monthName(page, period.key, 'long');
}

/** A figure with its unit when it has a value (a hidden one is only "< 5", never "< 5 days"). */
function withUnit(page: PageContext, figure: FigureKey, value: Published<number | string>): string {
  const text = figureText(page, value);
  if (typeof value !== 'number') return text;
  if (UNITS[figure] === 'working_days') return tr(page, 'opendata.days', { value: text });
  if (UNITS[figure] === 'percent') return tr(page, 'opendata.percent', { value: text });
  return text;
}

/** A column heading: the figure's name, with its unit for days and percentages. */
function heading(page: PageContext, figure: FigureKey): string {
  const unit = UNITS[figure];
  const name = tr(page, figureName(figure));
  if (unit === 'percent') return `${name} (%)`;
  return unit === 'working_days' ? `${name} (${tr(page, 'opendata.unit.working_days')})` : name;
}

function Figure(props: { page: PageContext; figure: FigureKey; value: Published<number | string> }) {
  return (
    <div>
      <dt>{tr(props.page, figureName(props.figure))}</dt>
      <dd safe>{withUnit(props.page, props.figure, props.value)}</dd>
    </div>
  );
}

function Headline(props: { page: PageContext; figures: FigureSet }) {
  const { page } = props;
  const a = props.figures.applications;
  const s = props.figures.satisfaction;
  const c = props.figures.complaints;
  return (
    <>
      <h3>{tr(page, 'opendata.applications')}</h3>
      <dl class="g-od-figures">
        <Figure page={page} figure="applications.received" value={a.received} />
        <Figure page={page} figure="applications.completed" value={a.completed} />
        <Figure page={page} figure="applications.pending" value={a.pending} />
        <Figure page={page} figure="applications.processingDaysMedian" value={a.processingDaysMedian} />
        <Figure page={page} figure="applications.processingDaysP90" value={a.processingDaysP90} />
        <Figure page={page} figure="applications.slaCompliance" value={a.slaCompliance} />
      </dl>
      <h3>{tr(page, 'opendata.satisfaction')}</h3>
      <dl class="g-od-figures">
        <Figure page={page} figure="satisfaction.score" value={s.score} />
        <Figure page={page} figure="satisfaction.grade" value={s.grade} />
        <Figure page={page} figure="satisfaction.ikm" value={s.ikm} />
        <Figure page={page} figure="satisfaction.respondents" value={s.respondents} />
        <Figure page={page} figure="satisfaction.population" value={s.population} />
        <Figure page={page} figure="satisfaction.minimumSample" value={s.minimumSample} />
      </dl>
      <h3>{tr(page, 'opendata.complaints')}</h3>
      <dl class="g-od-figures">
        <Figure page={page} figure="complaints.received" value={c.received} />
        <Figure page={page} figure="complaints.resolved" value={c.resolved} />
        <Figure page={page} figure="complaints.medianResolutionDays" value={c.medianResolutionDays} />
      </dl>
    </>
  );
}

/** The columns of the table of agencies or services, and where each figure is read from. */
const BREAKDOWN_COLUMNS: { key: FigureKey; value(set: FigureSet): Published<number | string> }[] = [
  { key: 'applications.received', value: (f) => f.applications.received },
  { key: 'applications.completed', value: (f) => f.applications.completed },
  { key: 'applications.pending', value: (f) => f.applications.pending },
  { key: 'applications.processingDaysMedian', value: (f) => f.applications.processingDaysMedian },
  { key: 'applications.processingDaysP90', value: (f) => f.applications.processingDaysP90 },
  { key: 'applications.slaCompliance', value: (f) => f.applications.slaCompliance },
  { key: 'satisfaction.score', value: (f) => f.satisfaction.score },
  { key: 'satisfaction.grade', value: (f) => f.satisfaction.grade },
  { key: 'complaints.received', value: (f) => f.complaints.received },
  { key: 'complaints.resolved', value: (f) => f.complaints.resolved },
];

function BreakdownRow(props: { page: PageContext; name: string; href?: string; figures: FigureSet }) {
  return (
    <tr>
      <th scope="row">
        {props.href ? (
          <a href={props.href} safe>
            {props.name}
          </a>
        ) : (
          <span safe>{props.name}</span>
        )}
      </th>
      {BREAKDOWN_COLUMNS.map((column) => (
        <td safe>{figureText(props.page, column.value(props.figures))}</td>
      ))}
    </tr>
  );
}

function Breakdown(props: { page: PageContext; dashboard: Dashboard }) {
  const { page, dashboard } = props;
  const level = dashboard.breakdown.level;
  if (level === null) return '';
  const title = tr(page, level === 'agency' ? 'opendata.by_agency' : 'opendata.by_service');
  const query = periodQuery(dashboard);
  return (
    <>
      <h2 id="rincian">{title}</h2>
      {dashboard.breakdown.rows.length === 0 ? (
        <p>{tr(page, 'opendata.no_services')}</p>
      ) : (
        <Scroll label={title}>
          <table class="g-od-table">
            <caption>{`${title} — ${local(page, dashboard.period.label)}`}</caption>
            <thead>
              <tr>
                <th scope="col">{tr(page, 'opendata.name')}</th>
                {BREAKDOWN_COLUMNS.map((column) => (
                  <th scope="col" safe>
                    {heading(page, column.key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {dashboard.breakdown.rows.map((row) => (
                <BreakdownRow
                  page={page}
                  name={local(page, row.name)}
                  href={`/open-data/${level === 'agency' ? 'agencies' : 'services'}/${encodeURIComponent(row.slug)}${query}`}
                  figures={row.figures}
                />
              ))}
            </tbody>
            <tfoot>
              <BreakdownRow page={page} name={tr(page, 'opendata.total')} figures={dashboard.figures} />
            </tfoot>
          </table>
        </Scroll>
      )}
    </>
  );
}

function Elements(props: { page: PageContext; figures: FigureSet }) {
  const { page } = props;
  const elements = props.figures.satisfaction.elements;
  if (elements.length === 0) return '';
  const caption = tr(page, 'opendata.elements_caption');
  return (
    <table class="g-od-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{tr(page, 'opendata.element')}</th>
          <th scope="col">NRR</th>
        </tr>
      </thead>
      <tbody>
        {elements.map((e) => (
          <tr>
            <th scope="row" safe>
              {local(page, e.name)}
            </th>
            <td safe>{figureText(page, e.nrr)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function About(props: DashboardView) {
  const { page, dashboard } = props;
  const query = periodQuery(dashboard);
  const file = `gapura-${[dashboard.subject.agency?.slug, dashboard.subject.service?.slug].filter(Boolean).join('-') || 'platform'}-${dashboard.period.key}`;
  return (
    <>
      <h2 id="unduh">{tr(page, 'opendata.downloads')}</h2>
      <ul class="g-links">
        <li>
          <a href={`${props.csvPath}${query}`} download={`${file}.csv`}>
            {tr(page, 'opendata.download_csv')}
          </a>
        </li>
        <li>
          <a href={`${props.apiPath}${query}`} download={`${file}.json`}>
            {tr(page, 'opendata.download_json')}
          </a>
        </li>
      </ul>
      <p class="g-muted">
        {tr(page, 'opendata.api_hint', { url: `${props.apiPath}${query}`, openapi: '/api/openapi.json' })}
      </p>
      <h2 id="lisensi">{tr(page, 'opendata.licence_title')}</h2>
      <p>
        {tr(page, 'opendata.licence', { attribution: local(page, dashboard.licence.attribution) })}{' '}
        <a href={dashboard.licence.url} rel="license">
          CC BY 4.0
        </a>
      </p>
      <h2 id="angka-kecil">{tr(page, 'opendata.suppression_title')}</h2>
      <p safe>{tr(page, 'opendata.suppression')}</p>
      <h2 id="definisi">{tr(page, 'opendata.definitions')}</h2>
      <dl class="g-od-definitions">
        {dashboard.definitions.map((d) => (
          <>
            <dt safe>{local(page, d.name)}</dt>
            <dd safe>{local(page, d.definition)}</dd>
          </>
        ))}
      </dl>
    </>
  );
}

function titleOf(page: PageContext, dashboard: Dashboard): string {
  if (dashboard.subject.service) return local(page, dashboard.subject.service.name);
  if (dashboard.subject.agency) return local(page, dashboard.subject.agency.name);
  return tr(page, 'opendata.title');
}

function leadOf(page: PageContext, dashboard: Dashboard): string {
  const agency = dashboard.subject.agency ? local(page, dashboard.subject.agency.name) : '';
  if (dashboard.subject.service)
    return tr(page, 'opendata.service_lead', {
      service: local(page, dashboard.subject.service.name),
      agency,
    });
  if (dashboard.subject.agency) return tr(page, 'opendata.agency_lead', { agency });
  return tr(page, 'opendata.lead');
}

function Breadcrumb(props: { page: PageContext; dashboard: Dashboard }) {
  const { page, dashboard } = props;
  if (dashboard.subject.level === 'platform') return '';
  const query = periodQuery(dashboard);
  const agency = dashboard.subject.agency;
  return (
    <nav aria-label={tr(page, 'opendata.breadcrumb')} class="g-od-crumbs">
      <a href={`/open-data${query}`}>{tr(page, 'opendata.all_agencies')}</a>
      {dashboard.subject.level === 'service' && agency ? (
        <>
          {' › '}
          <a href={`/open-data/agencies/${encodeURIComponent(agency.slug)}${query}`} safe>
            {local(page, agency.name)}
          </a>
        </>
      ) : (
        ''
      )}
    </nav>
  );
}

/** GET /open-data, /open-data/agencies/:agency, /open-data/services/:service. */
export function DashboardPage(props: DashboardView) {
  const { page, dashboard } = props;
  const title = titleOf(page, dashboard);
  const periodText = `${local(page, dashboard.period.label)}${dashboard.period.complete ? '' : ` ${tr(page, 'opendata.running')}`}`;
  return (
    <Layout page={page} title={`${title} — ${tr(page, 'opendata.nav')}`}>
      <Breadcrumb page={page} dashboard={dashboard} />
      <h1 safe>{title}</h1>
      <p class="g-lead" safe>
        {leadOf(page, dashboard)}
      </p>
      {props.invalidPeriod !== undefined ? (
        <p class="g-notice" role="status" safe>
          {tr(page, 'opendata.period_invalid', {
            given: props.invalidPeriod,
            shown: local(page, dashboard.period.label),
          })}
        </p>
      ) : (
        ''
      )}
      <PeriodForm {...props} />
      <h2 id="ringkasan" safe>
        {tr(page, 'opendata.headline', { period: periodText })}
      </h2>
      <Headline page={page} figures={dashboard.figures} />
      <Elements page={page} figures={dashboard.figures} />
      <Breakdown page={page} dashboard={dashboard} />
      <Trend page={page} dashboard={dashboard} />
      <About {...props} />
    </Layout>
  );
}

/** An agency or service that does not exist (or was never published). */
export function NotFoundPage(props: { page: PageContext }) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'opendata.not_found_title')}>
      <h1>{tr(page, 'opendata.not_found_title')}</h1>
      <p>
        {tr(page, 'opendata.not_found')} <a href="/open-data">{tr(page, 'opendata.all_agencies')}</a>
      </p>
    </Layout>
  );
}
