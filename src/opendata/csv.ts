/**
 * A dashboard as CSV (RFC 4180), one figure per line: the period's figures of the subject and of
 * each row below it, then the trend's months. The values are the JSON's: a number, "< 5" (computed
 * from 1–4 records), "suppressed" (hidden only so that a "< 5" figure cannot be worked out from a
 * total; it holds 5 or more), or empty when there is nothing to compute the figure from.
 */
import { type FigureKey, UNITS, type Unit } from './definitions.ts';
import type { Dashboard, FigureSet } from './schemas.ts';
import type { Published } from './suppression.ts';

const TREND_FIGURES = [
  'received',
  'completed',
  'pending',
  'processingDaysMedian',
  'processingDaysP90',
  'slaCompliance',
] as const;

export const CSV_HEADER = ['level', 'agency', 'service', 'period', 'figure', 'value', 'unit'] as const;

interface Line {
  level: string;
  agency: string;
  service: string;
  period: string;
  figure: string;
  value: Published<number | string>;
  unit: Unit;
}

function cell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function valueText(value: Published<number | string>): string {
  return value === null ? '' : String(value);
}

function figureLines(set: FigureSet): { figure: string; value: Published<number | string>; unit: Unit }[] {
  const line = (figure: FigureKey, value: Published<number | string>) => ({
    figure,
    value,
    unit: UNITS[figure],
  });
  const a = set.applications;
  const s = set.satisfaction;
  const c = set.complaints;
  return [
    line('applications.received', a.received),
    line('applications.completed', a.completed),
    line('applications.pending', a.pending),
    line('applications.processingDaysMedian', a.processingDaysMedian),
    line('applications.processingDaysP90', a.processingDaysP90),
    line('applications.slaCompliance', a.slaCompliance),
    line('satisfaction.respondents', s.respondents),
    line('satisfaction.population', s.population),
    line('satisfaction.minimumSample', s.minimumSample),
    line('satisfaction.ikm', s.ikm),
    line('satisfaction.score', s.score),
    line('satisfaction.grade', s.grade),
    ...s.elements.map((e) => ({
      figure: `satisfaction.elements.${e.key}`,
      value: e.nrr,
      unit: UNITS['satisfaction.elements'],
    })),
    line('complaints.received', c.received),
    line('complaints.resolved', c.resolved),
    line('complaints.medianResolutionDays', c.medianResolutionDays),
  ];
}

export function dashboardLines(dashboard: Dashboard): Line[] {
  const agency = dashboard.subject.agency?.slug ?? '';
  const service = dashboard.subject.service?.slug ?? '';
  const lines: Line[] = [];
  const subject = { level: dashboard.subject.level, agency, service, period: dashboard.period.key };
  for (const f of figureLines(dashboard.figures)) lines.push({ ...subject, ...f });
  for (const row of dashboard.breakdown.rows) {
    const place =
      dashboard.breakdown.level === 'agency'
        ? { level: 'agency', agency: row.slug, service: '' }
        : { level: 'service', agency, service: row.slug };
    for (const f of figureLines(row.figures)) lines.push({ ...place, period: dashboard.period.key, ...f });
  }
  for (const point of dashboard.trend)
    for (const name of TREND_FIGURES) {
      const figure = `applications.${name}` as const;
      lines.push({ ...subject, period: point.month, figure, value: point[name], unit: UNITS[figure] });
    }
  return lines;
}

export function dashboardCsv(dashboard: Dashboard): string {
  const rows = [
    CSV_HEADER.join(','),
    ...dashboardLines(dashboard).map((l) =>
      [l.level, l.agency, l.service, l.period, l.figure, valueText(l.value), l.unit].map(cell).join(','),
    ),
  ];
  return `${rows.join('\r\n')}\r\n`;
}
