import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ELEMENT_KEYS, type ElementKey, perElement, type ScaleValue } from '../src/survey/elements.ts';
import {
  type AnswerSums,
  addSums,
  computeIkm,
  gradeOfHundredths,
  krejcieMorgan,
  NO_ANSWERS,
  quotientHalfUp,
} from '../src/survey/ikm.ts';
import {
  parsePeriod,
  periodContaining,
  periodKeyOf,
  periodRange,
  recentPeriods,
} from '../src/survey/periods.ts';

/** Sums of a list of responses, each the nine answers U1–U9 in order. */
function sumsOf(responses: readonly (readonly number[])[]): AnswerSums {
  return {
    respondents: responses.length,
    sums: perElement((_, i) => responses.reduce((acc, r) => acc + (r[i] ?? 0), 0)),
  };
}

/** n respondents whose answers add up to `perElement[i]` for each element. */
function sumsWith(n: number, values: readonly number[]): AnswerSums {
  return { respondents: n, sums: perElement((_, i) => values[i] ?? 0) };
}

describe('IKM per Permenpan RB 14/2017, in exact arithmetic', () => {
  it('reproduces a worked example of ten respondents by hand', () => {
    // Ten respondents, U1–U9. By hand, the column sums are
    //   U1 32, U2 30, U3 27, U4 39, U5 32, U6 32, U7 36, U8 28, U9 30 (total 286),
    // so NRR = sum / 10: 3.2, 3.0, 2.7, 3.9, 3.2, 3.2, 3.6, 2.8, 3.0;
    // IKM = Σ NRR × 1/9 = 28.6 / 9 = 3.17777… → 3.1778;
    // score = IKM × 25 = 7150 / 90 = 79.4444… → 79.44, which is B (Baik, 76.61–88.30).
    // (The printed weight 0.111 would give 28.6 × 0.111 × 25 = 79.365 → 79.37.)
    const responses = [
      [3, 3, 3, 4, 3, 3, 4, 3, 3],
      [4, 3, 3, 4, 4, 3, 4, 3, 3],
      [3, 2, 2, 4, 3, 3, 3, 2, 3],
      [3, 3, 3, 4, 3, 4, 4, 3, 3],
      [4, 4, 3, 4, 4, 4, 4, 3, 4],
      [3, 3, 2, 4, 3, 3, 3, 3, 2],
      [3, 3, 3, 4, 3, 3, 4, 3, 3],
      [2, 3, 2, 3, 3, 3, 3, 2, 3],
      [4, 3, 3, 4, 3, 3, 4, 3, 3],
      [3, 3, 3, 4, 3, 3, 3, 3, 3],
    ];
    const sums = sumsOf(responses);
    expect(ELEMENT_KEYS.map((k) => sums.sums[k])).toEqual([32, 30, 27, 39, 32, 32, 36, 28, 30]);
    const result = computeIkm(sums);
    expect(result.respondents).toBe(10);
    expect(result.elements.map((e) => e.nrr)).toEqual([3.2, 3, 2.7, 3.9, 3.2, 3.2, 3.6, 2.8, 3]);
    expect(result.elements.map((e) => e.key)).toEqual([...ELEMENT_KEYS]);
    expect(result.ikm).toBe(3.1778);
    expect(result.score).toBe(79.44);
    expect(result.grade).toBe('B');
  });

  it('rounds half-up exactly at the band boundaries (88.31 / 88.30 / 76.61 / 76.60 / 65.00 / 64.99)', () => {
    // 5,000 respondents. NRR 3.5322 on every element: IKM 3.5322, score 88.305 exactly → 88.31, A.
    // One answer less in one element: 158,948 / 45,000 × 25 = 88.3044… → 88.30, B.
    const cases: [number[], number, string][] = [
      [Array(9).fill(17661), 88.31, 'A'],
      [[...Array(8).fill(17661), 17660], 88.3, 'B'],
      // NRR 3.0642 everywhere: 76.605 → 76.61, B; one less: 76.6044… → 76.60, C.
      [Array(9).fill(15321), 76.61, 'B'],
      [[...Array(8).fill(15321), 15320], 76.6, 'C'],
      // NRR 2.5998 everywhere: 64.995 → 65.00, C; one less: 64.9944… → 64.99, D.
      [Array(9).fill(12999), 65, 'C'],
      [[...Array(8).fill(12999), 12998], 64.99, 'D'],
    ];
    for (const [values, score, grade] of cases) {
      const result = computeIkm(sumsWith(5000, values));
      expect(result.score, `${values[0]}`).toBe(score);
      expect(result.grade, `${values[0]}`).toBe(grade);
    }
    expect(computeIkm(sumsWith(5000, Array(9).fill(17661))).elements[0]?.nrr).toBe(3.5322);
    expect(computeIkm(sumsWith(5000, Array(9).fill(17661))).ikm).toBe(3.5322);
  });

  it('gives exactly 100 for all 4s and 25 for all 1s (no 0.111 weight)', () => {
    const best = computeIkm(sumsWith(7, Array(9).fill(28)));
    expect(best.score).toBe(100);
    expect(best.ikm).toBe(4);
    expect(best.grade).toBe('A');
    const worst = computeIkm(sumsWith(7, Array(9).fill(7)));
    expect(worst.score).toBe(25);
    expect(worst.grade).toBe('D');
  });

  it('grades rounded scores on the regulation bands', () => {
    expect(gradeOfHundredths(10000)).toBe('A');
    expect(gradeOfHundredths(8831)).toBe('A');
    expect(gradeOfHundredths(8830)).toBe('B');
    expect(gradeOfHundredths(7661)).toBe('B');
    expect(gradeOfHundredths(7660)).toBe('C');
    expect(gradeOfHundredths(6500)).toBe('C');
    expect(gradeOfHundredths(6499)).toBe('D');
    expect(gradeOfHundredths(2500)).toBe('D');
  });

  it('has nothing to compute without respondents, and refuses impossible sums', () => {
    const none = computeIkm(NO_ANSWERS);
    expect(none).toMatchObject({ respondents: 0, ikm: null, score: null, grade: null });
    expect(none.elements.every((e) => e.nrr === null)).toBe(true);
    expect(() => computeIkm(sumsWith(2, [9, 2, 2, 2, 2, 2, 2, 2, 2]))).toThrow(RangeError);
    expect(() => computeIkm(sumsWith(2, [1, 2, 2, 2, 2, 2, 2, 2, 2]))).toThrow(RangeError);
  });

  it('rounds quotients half-up in integers', () => {
    expect(quotientHalfUp(1n, 8n, 2)).toBe(13n); // 0.125 → 0.13
    expect(quotientHalfUp(1n, 3n, 2)).toBe(33n);
    expect(quotientHalfUp(2n, 3n, 2)).toBe(67n);
    expect(quotientHalfUp(5n, 2n, 0)).toBe(3n);
    expect(() => quotientHalfUp(1n, 0n, 2)).toThrow(RangeError);
  });

  const answer = fc.constantFrom<ScaleValue>(1, 2, 3, 4);
  const response = fc.array(answer, { minLength: 9, maxLength: 9 });
  const responses = fc.array(response, { minLength: 1, maxLength: 80 });

  it('keeps the score within 25–100 and rounds it half-up from the exact value, for any answers', () => {
    fc.assert(
      fc.property(responses, (list) => {
        const sums = sumsOf(list);
        const result = computeIkm(sums);
        if (result.score === null || result.ikm === null || result.grade === null) return false;
        expect(result.score).toBeGreaterThanOrEqual(25);
        expect(result.score).toBeLessThanOrEqual(100);
        expect(result.ikm).toBeGreaterThanOrEqual(1);
        expect(result.ikm).toBeLessThanOrEqual(4);
        for (const e of result.elements) {
          expect(e.nrr).toBeGreaterThanOrEqual(1);
          expect(e.nrr).toBeLessThanOrEqual(4);
        }
        // h hundredths is the half-up rounding of 2500·total / (9n): (2h−1)·9n ≤ 5000·total < (2h+1)·9n.
        const total = BigInt(list.flat().reduce((a, b) => a + b, 0));
        const n9 = 9n * BigInt(list.length);
        const h = BigInt(Math.round(result.score * 100));
        expect((2n * h - 1n) * n9 <= 5000n * total).toBe(true);
        expect(5000n * total < (2n * h + 1n) * n9).toBe(true);
        expect(result.grade).toBe(gradeOfHundredths(Number(h)));
        return true;
      }),
      { seed: 20260414, numRuns: 500 },
    );
  });

  it('pools two sets of responses exactly as if they were one (an agency and its services)', () => {
    fc.assert(
      fc.property(responses, responses, (a, b) => {
        expect(computeIkm(addSums(sumsOf(a), sumsOf(b)))).toEqual(computeIkm(sumsOf([...a, ...b])));
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('Krejcie–Morgan minimum sample (χ² = 3.841, P = 0.5, d = 0.05)', () => {
  it('is the formula rounded up: the examples of the product rules, and where the printed table rounds down', () => {
    const table: [number, number][] = [
      [0, 0],
      [1, 1],
      [10, 10],
      [15, 15],
      [50, 45],
      [100, 80],
      [200, 132],
      // The printed table says 217 and 322 (nearest): 217.47 and 322.35 round up to 218 and 323.
      [500, 218],
      [1_000, 278],
      [2_000, 323],
      [5_000, 357],
      [10_000, 370],
      [20_000, 377],
      [50_000, 382],
      [1_000_000, 384],
      // Above 1,471,104 the formula exceeds 384 (it tends to 384.1), so rounding up gives 385.
      [1_471_104, 384],
      [1_471_105, 385],
    ];
    for (const [population, sample] of table) expect(krejcieMorgan(population), `${population}`).toBe(sample);
  });

  it('never asks for more than the population or 385 (the formula tends to 384.1), never decreases, and is the formula rounded up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50_000_000 }), (n) => {
        const s = krejcieMorgan(n);
        expect(s).toBeLessThanOrEqual(n);
        expect(s).toBeLessThanOrEqual(385);
        expect(krejcieMorgan(n + 1)).toBeGreaterThanOrEqual(s);
        const exact = (3.841 * n * 0.25) / (0.0025 * (n - 1) + 3.841 * 0.25);
        expect(s).toBeGreaterThanOrEqual(exact - 1e-9);
        expect(s - exact).toBeLessThan(1);
      }),
      { seed: 42, numRuns: 500 },
    );
    expect(() => krejcieMorgan(-1)).toThrow(RangeError);
    expect(() => krejcieMorgan(1.5)).toThrow(RangeError);
  });
});

describe('survey periods', () => {
  it('reads months, quarters and years and nothing else', () => {
    expect(parsePeriod('2026')).toEqual({ key: '2026', kind: 'year', year: 2026, part: 0 });
    expect(parsePeriod('2026-Q2')).toEqual({ key: '2026-Q2', kind: 'quarter', year: 2026, part: 2 });
    expect(parsePeriod('2026-03')).toEqual({ key: '2026-03', kind: 'month', year: 2026, part: 3 });
    for (const bad of ['2026-13', '2026-Q5', '26', '2026-3', '1999', 'x', '2026-00', ''])
      expect(parsePeriod(bad), bad).toBeUndefined();
  });

  it('covers local midnight to local midnight in the agency time zone', () => {
    const q1 = parsePeriod('2026-Q1');
    const december = parsePeriod('2025-12');
    if (!q1 || !december) throw new Error('periods');
    expect(periodRange(q1, 'Asia/Jakarta')).toEqual({
      from: '2025-12-31T17:00:00.000Z',
      to: '2026-03-31T17:00:00.000Z',
    });
    expect(periodRange(december, 'Asia/Jayapura')).toEqual({
      from: '2025-11-30T15:00:00.000Z',
      to: '2025-12-31T15:00:00.000Z',
    });
    // The range names its period again (without milliseconds too); anything else names none.
    expect(periodKeyOf({ from: '2025-12-31T17:00:00Z', to: '2026-03-31T17:00:00Z' }, 'Asia/Jakarta')).toBe(
      '2026-Q1',
    );
    expect(periodKeyOf(periodRange(december, 'Asia/Makassar'), 'Asia/Makassar')).toBe('2025-12');
    expect(periodKeyOf(periodRange(q1, 'Asia/Jakarta'), 'Asia/Makassar')).toBeUndefined();
    expect(
      periodKeyOf({ from: '2026-01-01T00:00:00Z', to: '2026-01-08T00:00:00Z' }, 'Asia/Jakarta'),
    ).toBeUndefined();
  });

  it('finds the period of an instant by local time, and offers recent periods newest first', () => {
    // 31 Dec 2025 18:00 UTC is already 1 January 2026 in Jakarta.
    const instant = new Date('2025-12-31T18:00:00Z');
    expect(periodContaining(instant, 'month', 'Asia/Jakarta').key).toBe('2026-01');
    expect(periodContaining(instant, 'quarter', 'Asia/Jakarta').key).toBe('2026-Q1');
    expect(periodContaining(new Date('2025-12-31T16:00:00Z'), 'year', 'Asia/Jakarta').key).toBe('2025');
    const offered = recentPeriods(new Date('2026-05-10T00:00:00Z'), 'Asia/Jakarta').map((p) => p.key);
    expect(offered.slice(0, 3)).toEqual(['2026', '2025', '2024']);
    expect(offered).toContain('2026-Q2');
    expect(offered).not.toContain('2026-Q3');
    expect(offered).toContain('2026-05');
    expect(offered).toContain('2024-06');
    expect(offered).not.toContain('2026-06');
  });
});

/** Every element key has a column, a question and four options in both languages (checked by type too). */
describe('the nine elements', () => {
  it('are the regulation elements in order', () => {
    const keys: ElementKey[] = [...ELEMENT_KEYS];
    expect(keys).toEqual([
      'requirements',
      'procedure',
      'time',
      'cost',
      'product',
      'competence',
      'behaviour',
      'complaints',
      'facilities',
    ]);
  });
});
