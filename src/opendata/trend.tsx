/** The twelve-month trend: three charts, each with a table of the figures it draws under it. */
import type { MessageKey } from '../web/i18n/index.ts';
import { type PageContext, tr } from '../web/pages/layout.tsx';
import { barChart, type ChartInput, lineChart } from './charts.ts';
import { figureText, LOCALES, monthName, Scroll } from './page-parts.tsx';
import type { Dashboard, TrendPoint } from './schemas.ts';
import type { Published } from './suppression.ts';

type TrendColumn = keyof Omit<TrendPoint, 'month'>;

/** Short column headings under the charts (the caption says what the table is about). */
const TREND_HEADINGS: Record<TrendColumn, { label: MessageKey; unit?: 'days' | 'percent' }> = {
  received: { label: 'opendata.legend_received' },
  completed: { label: 'opendata.legend_completed' },
  pending: { label: 'opendata.legend_pending' },
  processingDaysMedian: { label: 'opendata.legend_median', unit: 'days' },
  processingDaysP90: { label: 'opendata.legend_p90', unit: 'days' },
  slaCompliance: { label: 'opendata.legend_sla', unit: 'percent' },
};

function trendHeading(page: PageContext, column: TrendColumn): string {
  const heading = TREND_HEADINGS[column];
  const label = tr(page, heading.label);
  if (heading.unit === 'percent') return `${label} (%)`;
  return heading.unit === 'days' ? `${label} (${tr(page, 'opendata.unit.working_days')})` : label;
}

function TrendTable(props: {
  page: PageContext;
  caption: string;
  trend: TrendPoint[];
  columns: TrendColumn[];
}) {
  const { page } = props;
  return (
    <Scroll label={props.caption}>
      <table class="g-od-table">
        <caption safe>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{tr(page, 'opendata.month')}</th>
            {props.columns.map((c) => (
              <th scope="col" safe>
                {trendHeading(page, c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.trend.map((point) => (
            <tr>
              <th scope="row" safe>
                {monthName(page, point.month, 'long')}
              </th>
              {props.columns.map((c) => (
                <td safe>{figureText(page, point[c])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function chartInput(
  page: PageContext,
  dashboard: Dashboard,
  id: string,
  text: { title: string; description: string },
  series: ChartInput['series'],
  max?: number,
): ChartInput {
  const months = dashboard.trend.map((p) => p.month);
  const format = new Intl.NumberFormat(LOCALES[page.lang], { maximumFractionDigits: 1 });
  return {
    id,
    ...text,
    months: months.map((m) => monthName(page, m, 'short').slice(0, 3)),
    years: months.map((m, i) => (i === 0 || m.endsWith('-01') ? m.slice(0, 4) : null)),
    series,
    ...(max === undefined ? {} : { max }),
    format: (v) => format.format(v),
  };
}

function largest(values: readonly Published[]): string {
  const numbers = values.filter((v): v is number => typeof v === 'number');
  return numbers.length === 0 ? '0' : String(Math.max(...numbers));
}

export function Trend(props: { page: PageContext; dashboard: Dashboard }) {
  const { page, dashboard } = props;
  const trend = dashboard.trend;
  const first = trend[0]?.month ?? '';
  const last = trend.at(-1)?.month ?? '';
  const range = { from: monthName(page, first, 'long'), to: monthName(page, last, 'long') };
  const pick = (c: TrendColumn) => trend.map((p) => p[c]);
  const volumeTitle = tr(page, 'opendata.chart_volume_title');
  const timeTitle = tr(page, 'opendata.chart_time_title');
  const slaTitle = tr(page, 'opendata.chart_sla_title');
  const volume = barChart(
    chartInput(
      page,
      dashboard,
      'od-volume',
      {
        title: volumeTitle,
        description: tr(page, 'opendata.chart_volume_desc', {
          ...range,
          max: largest([...pick('received'), ...pick('completed')]),
        }),
      },
      [
        { label: tr(page, 'opendata.legend_received'), values: pick('received') },
        { label: tr(page, 'opendata.legend_completed'), values: pick('completed') },
      ],
    ),
  );
  const time = lineChart(
    chartInput(
      page,
      dashboard,
      'od-time',
      {
        title: timeTitle,
        description: tr(page, 'opendata.chart_time_desc', {
          ...range,
          max: largest(pick('processingDaysP90')),
        }),
      },
      [
        { label: tr(page, 'opendata.legend_median'), values: pick('processingDaysMedian') },
        { label: tr(page, 'opendata.legend_p90'), values: pick('processingDaysP90') },
      ],
    ),
  );
  const sla = lineChart(
    chartInput(
      page,
      dashboard,
      'od-sla',
      { title: slaTitle, description: tr(page, 'opendata.chart_sla_desc', range) },
      [{ label: tr(page, 'opendata.legend_sla'), values: pick('slaCompliance') }],
      100,
    ),
  );
  return (
    <>
      <h2 id="tren">{tr(page, 'opendata.trend')}</h2>
      <p>{tr(page, 'opendata.trend_lead', range)}</p>
      <figure class="g-od-figure">
        {volume as 'safe'}
        <TrendTable
          page={page}
          caption={volumeTitle}
          trend={trend}
          columns={['received', 'completed', 'pending']}
        />
      </figure>
      <figure class="g-od-figure">
        {time as 'safe'}
        <TrendTable
          page={page}
          caption={timeTitle}
          trend={trend}
          columns={['processingDaysMedian', 'processingDaysP90']}
        />
      </figure>
      <figure class="g-od-figure">
        {sla as 'safe'}
        <TrendTable page={page} caption={slaTitle} trend={trend} columns={['slaCompliance']} />
      </figure>
    </>
  );
}
