/**
 * The community satisfaction index (IKM) exactly as Permenpan RB 14/2017 defines it, in exact
 * arithmetic: per element the mean of its answers (NRR); IKM = Σ NRR × 1/9 on the 1–4 scale;
 * score = IKM × 25 on 25–100, rounded half-up to two decimals, and only then graded.
 *
 * Everything is computed from integer sums with one division at the end, in BigInt: IKM is
 * Σ sums / (9 × respondents), so a score such as 88.305 exactly is 88.31 (grade A) and never the
 * 88.30 (grade B) that floating point or the printed weight 0.111 would give.
 */
import { ELEMENT_KEYS, type ElementKey, perElement } from './elements.ts';

export type Grade = 'A' | 'B' | 'C' | 'D';

/** Lowest score of each grade, in hundredths (A 88.31–100, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99). */
const GRADE_FLOORS: readonly [Grade, number][] = [
  ['A', 8831],
  ['B', 7661],
  ['C', 6500],
  ['D', 2500],
];

/** The answers of a set of responses, summed per element. */
export interface AnswerSums {
  respondents: number;
  sums: Readonly<Record<ElementKey, number>>;
}

export interface IkmResult {
  respondents: number;
  /** Per element, the mean of its answers (1–4) rounded half-up to 4 decimals; null without answers. */
  elements: { key: ElementKey; nrr: number | null }[];
  /** Σ NRR × 1/9 on the 1–4 scale, rounded half-up to 4 decimals. */
  ikm: number | null;
  /** IKM × 25 on 25–100, rounded half-up to 2 decimals. */
  score: number | null;
  grade: Grade | null;
}

export const NO_ANSWERS: AnswerSums = { respondents: 0, sums: perElement(() => 0) };

/** Adds two sets of sums (an agency pools the responses of its services). */
export function addSums(a: AnswerSums, b: AnswerSums): AnswerSums {
  return { respondents: a.respondents + b.respondents, sums: perElement((k) => a.sums[k] + b.sums[k]) };
}

/**
 * numerator / denominator (both non-negative, denominator positive), rounded half-up to
 * `decimals` decimals: floor((2·n·10^d + m) / (2·m)) / 10^d, all in integers.
 */
export function quotientHalfUp(numerator: bigint, denominator: bigint, decimals: number): bigint {
  if (numerator < 0n || denominator <= 0n) throw new RangeError('quotientHalfUp needs n >= 0 and m > 0');
  const scaled = numerator * 10n ** BigInt(decimals);
  return (2n * scaled + denominator) / (2n * denominator);
}

function decimalOf(units: bigint, decimals: number): number {
  // The nearest double to the decimal units / 10^d: 8831n and 2 give exactly the literal 88.31.
  return Number(units) / 10 ** decimals;
}

/** The grade of a score given in hundredths (already rounded). */
export function gradeOfHundredths(hundredths: number): Grade {
  for (const [grade, floor] of GRADE_FLOORS) if (hundredths >= floor) return grade;
  return 'D';
}

function checkSums(input: AnswerSums): void {
  const n = input.respondents;
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`invalid respondent count ${n}`);
  for (const key of ELEMENT_KEYS) {
    const sum = input.sums[key];
    // Every answer is 1–4, so a sum lies between n and 4n.
    if (!Number.isSafeInteger(sum) || sum < n || sum > 4 * n)
      throw new RangeError(`sum ${sum} of ${key} is impossible for ${n} respondents`);
  }
}

/** NRR per element, IKM, score and grade of a set of responses; nulls when there are none. */
export function computeIkm(input: AnswerSums): IkmResult {
  checkSums(input);
  const n = BigInt(input.respondents);
  if (n === 0n)
    return {
      respondents: 0,
      elements: ELEMENT_KEYS.map((key) => ({ key, nrr: null })),
      ikm: null,
      score: null,
      grade: null,
    };
  const total = ELEMENT_KEYS.reduce((acc, key) => acc + BigInt(input.sums[key]), 0n);
  const scoreHundredths = quotientHalfUp(25n * total, 9n * n, 2);
  return {
    respondents: input.respondents,
    elements: ELEMENT_KEYS.map((key) => ({
      key,
      nrr: decimalOf(quotientHalfUp(BigInt(input.sums[key]), n, 4), 4),
    })),
    ikm: decimalOf(quotientHalfUp(total, 9n * n, 4), 4),
    score: decimalOf(scoreHundredths, 2),
    grade: gradeOfHundredths(Number(scoreHundredths)),
  };
}

/**
 * The minimum number of respondents for a population of `population` (Krejcie & Morgan, 1970):
 * s = χ²·N·P(1−P) / (d²·(N−1) + χ²·P(1−P)) with χ² = 3.841, P = 0.5, d = 0.05. With these
 * constants s = 3841·N / (10·N + 3831) exactly, rounded up to a whole respondent (a sample never
 * falls short of the formula): 100 → 80, 1,000 → 278, 1,000,000 → 384. The printed table rounds
 * to the nearest instead (2,000 → 322 where the formula gives 322.35, so 323 here; and 384 for any
 * larger population, where the formula tends to 384.1, so 385 here above 1,471,104).
 */
export function krejcieMorgan(population: number): number {
  if (!Number.isSafeInteger(population) || population < 0)
    throw new RangeError(`invalid population ${population}`);
  const n = BigInt(population);
  const numerator = 3841n * n;
  const denominator = 10n * n + 3831n;
  return Number((numerator + denominator - 1n) / denominator);
}
