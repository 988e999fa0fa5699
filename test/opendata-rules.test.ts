import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barChart, lineChart, niceMax } from '../src/opendata/charts.ts';
import { dashboardCsv } from '../src/opendata/csv.ts';
import { agencySeries, CountCube, PLATFORM, serviceSeries } from '../src/opendata/cube.ts';
import { addMonths, interval, parsePeriod, trendMonths } from '../src/opendata/periods.ts';
import { addTo, emptyHistogram, median, onTimePercent, percentile } from '../src/opendata/stats.ts';
import {
  type Group,
  isSmall,
  publishCount,
  publishDerived,
  SMALL,
  suppressCells,
  WITHHELD,
} from '../src/opendata/suppression.ts';
import { publishVoices, type Voice } from '../src/opendata/voice.ts';

function histogramOf(days: number[], onTime = 0) {
  const h = emptyHistogram();
  for (const d of days) addTo(h, d, 1, 0);
  h.onTime = onTime;
  return h;
}

describe('open data: processing-time statistics', () => {
  it('takes the median as the middle value, or the mean of the two middle values', () => {
    expect(median(histogramOf([0, 1, 2, 2, 3, 3, 4, 5, 10]))).toBe(3);
    expect(median(histogramOf([0, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 4, 5, 10]))).toBe(1.5);
    expect(median(histogramOf([7]))).toBe(7);
    expect(median(emptyHistogram())).toBeNull();
  });

  it('takes the 90th percentile by nearest rank', () => {
    expect(percentile(histogramOf([0, 1, 2, 2, 3, 3, 4, 5, 10]), 90)).toBe(10);
    expect(percentile(histogramOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 90)).toBe(9);
    expect(percentile(histogramOf([4]), 90)).toBe(4);
    expect(percentile(emptyHistogram(), 90)).toBeNull();
  });

  it('agrees with a sort of the raw values for any data (histograms add up)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 200 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const n = sorted.length;
        const mid = n % 2 === 1 ? sorted[(n - 1) / 2] : ((sorted[n / 2 - 1] ?? 0) + (sorted[n / 2] ?? 0)) / 2;
        expect(median(histogramOf(values))).toBe(mid);
        expect(percentile(histogramOf(values), 90)).toBe(sorted[Math.ceil(0.9 * n) - 1]);
      }),
    );
  });

  it('gives the on-time share in percent to one decimal', () => {
    expect(onTimePercent(histogramOf([1, 2, 3], 2))).toBe(66.7);
    expect(onTimePercent(histogramOf([1, 2, 3, 4, 5, 6, 7, 8, 9], 6))).toBe(66.7);
    expect(onTimePercent(histogramOf([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 11))).toBe(78.6);
    expect(onTimePercent(emptyHistogram())).toBeNull();
  });
});

describe('open data: periods', () => {
  it('reads years, quarters and months, and nothing else', () => {
    expect(parsePeriod('2026')?.months).toHaveLength(12);
    expect(parsePeriod('2026-Q1')?.months).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(parsePeriod('2026-03')).toMatchObject({ kind: 'month', months: ['2026-03'] });
    for (const bad of ['2026-13', '2026-Q5', '26', '2026-3', '1999', "2026' OR 1=1", '2026-00', ''])
      expect(parsePeriod(bad), bad).toBeUndefined();
  });

  it('bounds local months by local midnight (WIB is UTC+7, WIT UTC+9)', () => {
    expect(interval(['2026-03'], 'Asia/Jakarta')).toEqual({
      from: '2026-02-28T17:00:00.000Z',
      to: '2026-03-31T17:00:00.000Z',
    });
    expect(interval(['2026-01', '2026-02', '2026-03'], 'Asia/Jayapura').from).toBe(
      '2025-12-31T15:00:00.000Z',
    );
    expect(addMonths('2026-01', -1)).toBe('2025-12');
  });

  it('draws twelve months ending with the period, never past the current month', () => {
    const march = parsePeriod('2026-03');
    const year = parsePeriod('2026');
    if (!march || !year) throw new Error('periods');
    expect(trendMonths(march, '2026-11')).toEqual([
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
    ]);
    expect(trendMonths(year, '2026-11').at(-1)).toBe('2026-11');
    expect(trendMonths(year, '2026-11')[0]).toBe('2025-12');
  });
});

describe('open data: small-count suppression', () => {
  const cells = (entries: Record<string, number>) => new Map(Object.entries(entries));

  it('hides 1–4 but never 0 or 5', () => {
    expect([0, 1, 4, 5].map(isSmall)).toEqual([false, true, true, false]);
    expect(publishDerived(2.5, 3, false)).toBe(SMALL);
    expect(publishDerived(2.5, 5, false)).toBe(2.5);
    expect(publishDerived(null, 0, false)).toBeNull();
  });

  it('marks a small figure "< 5" and one hidden only as a complement "suppressed"', () => {
    expect(SMALL).toBe('< 5');
    expect(WITHHELD).toBe('suppressed');
    expect(publishCount(3, false)).toBe(SMALL);
    expect(publishCount(3, true)).toBe(SMALL);
    // 25 hidden to protect a neighbour is not "< 5".
    expect(publishCount(25, true)).toBe(WITHHELD);
    expect(publishCount(25, false)).toBe(25);
    expect(publishCount(0, false)).toBe(0);
    // A figure from few records is small whatever its count; from a complement's records, withheld.
    expect(publishDerived(2.5, 4, true)).toBe(SMALL);
    expect(publishDerived(2.5, 5, true)).toBe(WITHHELD);
    expect(publishDerived(null, 5, true)).toBeNull();
  });

  it('hides the next smallest cell when one cell of a row with a published total is hidden', () => {
    const group: Group = { total: 'T', members: ['a', 'b', 'c', 'd'] };
    const hidden = suppressCells(cells({ T: 29, a: 3, b: 0, c: 6, d: 20 }), [group]);
    // b is zero (shown as 0, protects nothing); c is the next smallest.
    expect([...hidden].sort()).toEqual(['a', 'c']);
  });

  it('leaves a row alone when two cells are already hidden, or its total is hidden too', () => {
    expect(
      [
        ...suppressCells(cells({ T: 17, a: 3, b: 4, c: 10 }), [{ total: 'T', members: ['a', 'b', 'c'] }]),
      ].sort(),
    ).toEqual(['a', 'b']);
    expect(
      [...suppressCells(cells({ T: 3, a: 3, b: 0 }), [{ total: 'T', members: ['a', 'b'] }])].sort(),
    ).toEqual(['T', 'a']);
  });

  it('hides a total that would equal its only hidden cell, and a cell of a hidden total', () => {
    // A cell hidden for another row's sake (c in the column) is alone in its row with zeros:
    // the row's total would give it away, so the total goes.
    const groups: Group[] = [
      { total: 'col', members: ['a', 'c'] },
      { total: 'row', members: ['c', 'z'] },
    ];
    expect([...suppressCells(cells({ col: 9, a: 2, c: 7, row: 7, z: 0 }), groups)].sort()).toEqual([
      'a',
      'c',
      'row',
    ]);
    // A total hidden elsewhere with every cell shown would be their sum: one cell goes.
    const nested: Group[] = [
      { total: 'P', members: ['A', 'B'] },
      { total: 'A', members: ['a1', 'a2'] },
    ];
    expect([...suppressCells(cells({ P: 14, A: 12, B: 2, a1: 5, a2: 7 }), nested)].sort()).toEqual([
      'A',
      'B',
      'a1',
    ]);
  });

  it('keeps cells settled earlier as they were', () => {
    const hidden = suppressCells(cells({ A: 10, s1: 3, s2: 0 }), [{ total: 'A', members: ['s1', 's2'] }], {
      cells: ['A'],
      hidden: new Set(),
    });
    expect([...hidden]).toEqual(['s1']);
  });

  it('never leaves exactly one hidden cell under a shown total, whatever the table (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat({ max: 12 }), { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 5,
        }),
        (table) => {
          // Rows × 3 columns, with row totals, column totals and the grand total.
          const values = new Map<string, number>();
          const groups: Group[] = [];
          table.forEach((row, r) => {
            row.forEach((v, c) => {
              values.set(`${r}.${c}`, v);
            });
            values.set(
              `${r}.T`,
              row.reduce((a, b) => a + b, 0),
            );
            groups.push({ total: `${r}.T`, members: row.map((_, c) => `${r}.${c}`) });
          });
          for (const c of ['0', '1', '2', 'T']) {
            const members = table.map((_, r) => `${r}.${c}`);
            values.set(
              `T.${c}`,
              members.reduce((a, k) => a + (values.get(k) ?? 0), 0),
            );
            groups.push({ total: `T.${c}`, members });
          }
          groups.push({ total: 'T.T', members: ['T.0', 'T.1', 'T.2'] });
          const hidden = suppressCells(values, groups);
          for (const [key, v] of values) if (isSmall(v)) expect(hidden.has(key)).toBe(true);
          for (const key of hidden) expect(values.get(key)).toBeGreaterThan(0);
          for (const g of groups) {
            const members = g.members.filter((k) => hidden.has(k)).length;
            if (!hidden.has(g.total)) expect(members).not.toBe(1);
            else if (g.members.some((k) => (values.get(k) ?? 0) > 0)) expect(members).toBeGreaterThan(0);
          }
        },
      ),
    );
  });
});

describe('open data: the count table of a year', () => {
  it('suppresses months against quarters, and agencies against the platform, alike on every page', () => {
    const cube = new CountCube(
      [2026],
      [
        {
          agencyId: 'a',
          serviceIds: ['s1', 's2'],
          received: [
            { serviceId: 's1', month: '2026-02', n: 2 },
            { serviceId: 's1', month: '2026-03', n: 10 },
            { serviceId: 's2', month: '2026-03', n: 30 },
          ],
          closed: [],
          openAtEnd: new Map([['s1', 12]]),
        },
        { agencyId: 'b', serviceIds: [], received: [], closed: [], openAtEnd: new Map() },
      ],
    );
    // s1: February (2) is small, so March (10) goes too — else Q1 − March would show February. March
    // holds 10, so it is withheld, not "< 5".
    expect(cube.published('received', serviceSeries('s1'), '2026-02')).toBe(SMALL);
    expect(cube.published('received', serviceSeries('s1'), '2026-03')).toBe(WITHHELD);
    expect(cube.published('received', serviceSeries('s1'), '2026-Q1')).toBe(12);
    // The agency's February is 2 as well; its March (40) goes with it. s2's March may stay: the
    // agency's March it would add up to is hidden, and so is s1's.
    expect(cube.published('received', agencySeries('a'), '2026-02')).toBe(SMALL);
    expect(cube.published('received', agencySeries('a'), '2026-03')).toBe(WITHHELD);
    expect(cube.published('received', serviceSeries('s2'), '2026-03')).toBe(30);
    expect(cube.published('received', PLATFORM, '2026-03')).toBe(WITHHELD);
    expect(cube.published('received', PLATFORM, '2026-Q1')).toBe(42);
    expect(cube.published('received', agencySeries('b'), '2026-03')).toBe(0);
    // Pending is carried back from the end of the year: nothing closed, so 12 open since March.
    expect(cube.value('pending', serviceSeries('s1'), '2026-01')).toBe(0);
    expect(cube.value('pending', serviceSeries('s1'), '2026-02')).toBe(2);
    expect(cube.value('pending', serviceSeries('s1'), '2026-Q4')).toBe(12);
  });
});

describe('open data: survey and complaint figures as published', () => {
  const voice = (respondents: number, received: number): Voice => ({
    ikm: {
      respondents,
      elements: [{ key: 'requirements', nrr: respondents > 0 ? 3.14321 : null }],
      ikm: respondents > 0 ? 3.14321 : null,
      score: respondents > 0 ? 78.54 : null,
      grade: respondents > 0 ? 'B' : null,
      population: 100,
      minimumSample: 80,
    },
    complaints: { received, resolved: received, medianResolutionDays: received > 0 ? 2.25 : null },
  });

  it('hides an index from 1–4 respondents, its complement, and rounds what is shown', () => {
    const voices = new Map<string, Voice>([
      [PLATFORM, voice(20, 9)],
      [agencySeries('a'), voice(20, 9)],
      [serviceSeries('s1'), voice(3, 0)],
      [serviceSeries('s2'), voice(8, 9)],
      [serviceSeries('s3'), voice(9, 0)],
    ]);
    const services = ['s1', 's2', 's3'].map((id) => ({ id, agencyId: 'a' }));
    const out = publishVoices(voices, [{ id: 'a' }], services);
    const s1 = out.get(serviceSeries('s1'));
    const s2 = out.get(serviceSeries('s2'));
    const s3 = out.get(serviceSeries('s3'));
    expect(s1?.satisfaction).toMatchObject({ respondents: SMALL, score: SMALL, grade: SMALL });
    expect(s1?.satisfaction.elements[0]?.nrr).toBe(SMALL);
    // s2's 8 respondents are hidden only so that s1's 3 cannot be had from the agency's 20.
    expect(s2?.satisfaction).toMatchObject({
      respondents: WITHHELD,
      ikm: WITHHELD,
      score: WITHHELD,
      grade: WITHHELD,
    });
    expect(s2?.satisfaction.elements[0]?.nrr).toBe(WITHHELD);
    expect(s3?.satisfaction).toMatchObject({ respondents: 9, ikm: 3.14, score: 78.54, grade: 'B' });
    expect(s3?.satisfaction.elements[0]).toMatchObject({ key: 'requirements', nrr: 3.14 });
    // Zero complaints are 0, and nothing to compute a median from is null.
    expect(s1?.complaints).toEqual({ received: 0, resolved: 0, medianResolutionDays: null });
    expect(s2?.complaints).toEqual({ received: 9, resolved: 9, medianResolutionDays: 2.3 });
  });
});

describe('open data: charts and CSV', () => {
  const input = {
    id: 'c',
    title: 'T <&>',
    description: 'D',
    months: ['Jan', 'Feb', 'Mar'],
    years: ['2026', null, null],
    format: (v: number) => String(v),
  };

  it('draws accessible SVG, marks hidden bars and leaves gaps in lines', () => {
    const bars = barChart({
      ...input,
      series: [
        { label: 'R', values: [10, SMALL, 0] },
        { label: 'C', values: [8, null, WITHHELD] },
      ],
    });
    expect(bars).toMatch(/^<svg [^>]*role="img" aria-labelledby="c-t" aria-describedby="c-d"/);
    expect(bars).toContain('<title id="c-t">T &lt;&amp;&gt;</title>');
    expect(bars.match(/>&lt;5<\/text>/g)).toHaveLength(1);
    expect(bars.match(/>×<\/text>/g)).toHaveLength(1);
    expect(bars.match(/V\d+h\d+V\d+z/g)).toHaveLength(2); // two bars: the zero draws nothing
    const lines = lineChart({ ...input, series: [{ label: 'M', values: [2, WITHHELD, 3] }] });
    expect(lines).not.toMatch(/<path d="M[\d. ]+L/); // no two neighbouring points: no segment
    expect(lines.match(/<circle /g)).toHaveLength(2);
    const joined = lineChart({ ...input, series: [{ label: 'M', values: [2, 3, null] }] });
    expect(joined.match(/<path d="M[\d. ]+L[\d. ]+"/g)).toHaveLength(1);
    expect(niceMax(17)).toBe(20);
    expect(niceMax(0)).toBe(4);
  });

  it('quotes CSV fields only when needed and writes hidden figures as "< 5" or "suppressed"', () => {
    const csv = dashboardCsv({
      licence: { id: 'CC-BY-4.0', name: 'x', url: 'u', attribution: { id: 'a', en: 'a' } },
      generatedAt: '2026-01-01T00:00:00.000Z',
      period: {
        key: '2026-03',
        kind: 'month',
        months: ['2026-03'],
        label: { id: 'M', en: 'M' },
        complete: true,
      },
      subject: {
        level: 'agency',
        agency: { slug: 'dkp', name: { id: 'A', en: 'A' } },
        service: null,
        timeZone: 'Asia/Jakarta',
      },
      figures: {
        applications: {
          received: 12,
          completed: SMALL,
          pending: WITHHELD,
          processingDaysMedian: 1.5,
          processingDaysP90: null,
          slaCompliance: 66.7,
        },
        satisfaction: {
          respondents: 0,
          population: null,
          minimumSample: null,
          ikm: null,
          score: null,
          grade: null,
          elements: [],
        },
        complaints: { received: 0, resolved: 0, medianResolutionDays: null },
      },
      breakdown: { level: 'service', rows: [] },
      trend: [],
      definitions: [],
      suppression: { id: '', en: '' },
    });
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('level,agency,service,period,figure,value,unit');
    expect(lines).toContain('agency,dkp,,2026-03,applications.received,12,applications');
    expect(lines).toContain('agency,dkp,,2026-03,applications.completed,< 5,applications');
    expect(lines).toContain('agency,dkp,,2026-03,applications.pending,suppressed,applications');
    expect(lines).toContain('agency,dkp,,2026-03,applications.processingDaysP90,,working_days');
    expect(lines).toContain('agency,dkp,,2026-03,applications.slaCompliance,66.7,percent');
  });
});
