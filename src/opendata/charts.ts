/**
 * Monthly trend charts as server-drawn SVG: paired bars (received and completed) and lines (median
 * and 90th percentile of processing days; SLA compliance). Sized for a 360 px phone (the drawing is
 * about as wide as the page's column there, so 11-unit text is 11 px) and scaled up with the page;
 * each has a <title> and <desc>, and the page puts a table of the same figures under it. Hidden
 * figures are marked ("<5" when small, "×" when hidden to protect another), missing ones left
 * blank; the two series differ by position (bars) or dash (lines), never by colour alone.
 */
import { type Published, WITHHELD } from './suppression.ts';

const WIDTH = 320;
const HEIGHT = 200;
const LEFT = 32;
const RIGHT = 4;
const TOP = 26;
const BOTTOM = 34;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const COLOURS = ['#0b5c7a', '#a04a00'] as const;
const TEXT = '#1b1f24';
const GRID = '#c5ccd3';

export interface ChartSeries {
  label: string;
  values: readonly Published[];
}

export interface ChartInput {
  /** Unique on the page: prefixes the ids of <title> and <desc>. */
  id: string;
  title: string;
  description: string;
  /** Short month names, one per value. */
  months: readonly string[];
  /** Under the first month and every January. */
  years: readonly (string | null)[];
  series: readonly [ChartSeries] | readonly [ChartSeries, ChartSeries];
  /** Fixed top of the scale (100 for percentages); otherwise from the data. */
  max?: number;
  /** Formats the axis numbers in the page's language. */
  format(value: number): string;
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Whole units: finer does not show on a screen and costs bytes. */
function n(value: number): string {
  return String(Math.round(value));
}

/** A round top for the scale: 1, 2, 2.5 or 5 times a power of ten, at least the largest value. */
export function niceMax(largest: number): number {
  if (largest <= 0) return 4;
  const power = 10 ** Math.floor(Math.log10(largest));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= largest) return Math.max(4, step * power);
  return 10 * power;
}

function numbers(values: readonly Published[]): number[] {
  return values.filter((v): v is number => typeof v === 'number');
}

function scaleOf(input: ChartInput): number {
  return input.max ?? niceMax(Math.max(0, ...input.series.flatMap((s) => numbers(s.values))));
}

function frame(input: ChartInput, top: number): string[] {
  const id = escapeXml(input.id);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" class="g-od-chart"`,
    ` role="img" aria-labelledby="${id}-t" aria-describedby="${id}-d" font-family="system-ui,sans-serif" font-size="11">`,
    `<title id="${id}-t">${escapeXml(input.title)}</title><desc id="${id}-d">${escapeXml(input.description)}</desc>`,
  ];
  const grid: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const y = TOP + PLOT_H - (PLOT_H * i) / 4;
    grid.push(`M${LEFT} ${n(y)}H${WIDTH - RIGHT}`);
    labels.push(`<text x="${LEFT - 3}" y="${n(y + 4)}">${escapeXml(input.format((top * i) / 4))}</text>`);
  }
  out.push(
    `<path d="${grid.join('')}" stroke="${GRID}"/>`,
    `<g fill="${TEXT}" text-anchor="end">${labels.join('')}</g>`,
  );
  const slot = PLOT_W / input.months.length;
  const monthLabels = input.months.map((m, i) => {
    const x = n(LEFT + slot * (i + 0.5));
    const year = input.years[i];
    return `<text x="${x}" y="${TOP + PLOT_H + 14}">${escapeXml(m)}</text>${year ? `<text x="${x}" y="${TOP + PLOT_H + 27}">${escapeXml(year)}</text>` : ''}`;
  });
  out.push(`<g fill="${TEXT}" text-anchor="middle">${monthLabels.join('')}</g>`);
  return out;
}

function legend(input: ChartInput, kind: 'bar' | 'line'): string {
  return input.series
    .map((s, i) => {
      const x = LEFT + i * 140;
      const colour = COLOURS[i] ?? TEXT;
      const mark =
        kind === 'bar'
          ? `<path d="M${x} 6h12v11h-12z" fill="${colour}"/>`
          : `<path d="M${x} 12h16" stroke="${colour}" stroke-width="2"${i === 1 ? ' stroke-dasharray="4 3"' : ''}/>`;
      return `${mark}<text x="${x + (kind === 'bar' ? 16 : 20)}" y="16" fill="${TEXT}">${escapeXml(s.label)}</text>`;
    })
    .join('');
}

/**
 * Paired bars per month; a hidden figure is a mark where its bar would stand: "<5" when small, "×"
 * when hidden to protect another (its value is 5 or more, so "<5" would be false).
 */
export function barChart(input: ChartInput): string {
  const top = scaleOf(input);
  const out = frame(input, top);
  const slot = PLOT_W / input.months.length;
  const barWidth = Math.min(12, Math.floor((slot - 3) / input.series.length));
  const base = TOP + PLOT_H;
  input.series.forEach((s, k) => {
    const bars: string[] = [];
    const marks: string[] = [];
    s.values.forEach((value, i) => {
      const x = LEFT + slot * i + (slot - barWidth * input.series.length) / 2 + barWidth * k;
      if (typeof value === 'number') {
        const h = (PLOT_H * Math.min(value, top)) / top;
        if (h > 0) bars.push(`M${n(x)} ${n(base)}V${n(base - h)}h${n(barWidth - 1)}V${n(base)}z`);
      } else if (value !== null) {
        const mark = value === WITHHELD ? '×' : '&lt;5';
        marks.push(`<text x="${n(x + barWidth / 2)}" y="${base - 3}">${mark}</text>`);
      }
    });
    if (bars.length > 0) out.push(`<path d="${bars.join('')}" fill="${COLOURS[k] ?? TEXT}"/>`);
    if (marks.length > 0)
      out.push(`<g fill="${TEXT}" font-size="8" text-anchor="middle">${marks.join('')}</g>`);
  });
  out.push(legend(input, 'bar'), '</svg>');
  return out.join('');
}

/** Lines through the months that have a figure, broken where one is missing or hidden. */
export function lineChart(input: ChartInput): string {
  const top = scaleOf(input);
  const out = frame(input, top);
  const slot = PLOT_W / input.months.length;
  input.series.forEach((s, k) => {
    const colour = COLOURS[k] ?? TEXT;
    const runs: string[][] = [];
    let run: string[] = [];
    const dots: string[] = [];
    s.values.forEach((value, i) => {
      if (typeof value !== 'number') {
        if (run.length > 0) runs.push(run);
        run = [];
        return;
      }
      const x = n(LEFT + slot * (i + 0.5));
      const y = n(TOP + PLOT_H - (PLOT_H * Math.min(value, top)) / top);
      run.push(`${x} ${y}`);
      dots.push(`<circle cx="${x}" cy="${y}" r="2.5"/>`);
    });
    if (run.length > 0) runs.push(run);
    const line = runs
      .filter((r) => r.length > 1)
      .map((r) => `M${r.join('L')}`)
      .join('');
    if (line !== '')
      out.push(
        `<path d="${line}" fill="none" stroke="${colour}" stroke-width="2"${k === 1 ? ' stroke-dasharray="4 3"' : ''}/>`,
      );
    out.push(`<g fill="${colour}">${dots.join('')}</g>`);
  });
  out.push(legend(input, 'line'), '</svg>');
  return out.join('');
}
