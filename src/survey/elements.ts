/**
 * The nine elements (*unsur*) of the satisfaction survey, in the order of Permenpan RB 14/2017,
 * each answered on the scale 1–4. Their wording (element names, questions and the four answers of
 * each) lives in the message catalogues under `survey.element.*`, `survey.question.*` and
 * `survey.option.*`, in Indonesian and English.
 */

export const ELEMENT_KEYS = [
  'requirements',
  'procedure',
  'time',
  'cost',
  'product',
  'competence',
  'behaviour',
  'complaints',
  'facilities',
] as const;

export type ElementKey = (typeof ELEMENT_KEYS)[number];

/** The columns of `survey_responses` holding each element's answer (U1–U9 of the regulation). */
export const ANSWER_COLUMNS = {
  requirements: 'u1',
  procedure: 'u2',
  time: 'u3',
  cost: 'u4',
  product: 'u5',
  competence: 'u6',
  behaviour: 'u7',
  complaints: 'u8',
  facilities: 'u9',
} as const satisfies Record<ElementKey, string>;

export type AnswerColumn = (typeof ANSWER_COLUMNS)[ElementKey];

export const SCALE = [1, 2, 3, 4] as const;
export type ScaleValue = (typeof SCALE)[number];

/** One respondent's answers, one per element. */
export type SurveyAnswers = Record<ElementKey, ScaleValue>;

export function isScaleValue(value: unknown): value is ScaleValue {
  return value === 1 || value === 2 || value === 3 || value === 4;
}

/** The longest comment accepted, in characters. */
export const MAX_COMMENT_CHARS = 1000;

/** A record with one value per element, built without a cast. */
export function perElement<T>(value: (key: ElementKey, index: number) => T): Record<ElementKey, T> {
  return {
    requirements: value('requirements', 0),
    procedure: value('procedure', 1),
    time: value('time', 2),
    cost: value('cost', 3),
    product: value('product', 4),
    competence: value('competence', 5),
    behaviour: value('behaviour', 6),
    complaints: value('complaints', 7),
    facilities: value('facilities', 8),
  };
}
