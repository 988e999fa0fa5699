/** TypeBox schemas of the survey's JSON API and forms: the type, the validator and the OpenAPI entry. */
import { Type } from '@sinclair/typebox';
import { perElement } from './elements.ts';

const ELEMENT_DESCRIPTIONS = {
  requirements: 'U1 requirements (1 not suitable … 4 very suitable)',
  procedure: 'U2 system, mechanism and procedure (1 not easy … 4 very easy)',
  time: 'U3 completion time (1 not fast … 4 very fast)',
  cost: 'U4 cost/tariff (1 very expensive … 4 free)',
  product: 'U5 product specification (1 not as stated … 4 fully as stated)',
  competence: 'U6 staff competence (1 not competent … 4 very competent)',
  behaviour: 'U7 staff behaviour (1 neither polite nor friendly … 4 very polite and friendly)',
  complaints: 'U8 handling of complaints, suggestions and feedback (1 none … 4 well managed)',
  facilities: 'U9 facilities (1 poor … 4 very good)',
} as const;

export const SurveyAnswerBody = Type.Object(
  {
    answers: Type.Object(
      perElement((key) => Type.Integer({ minimum: 1, maximum: 4, description: ELEMENT_DESCRIPTIONS[key] })),
      { additionalProperties: false, description: 'One answer per element on the scale 1–4' },
    ),
    comment: Type.Optional(
      Type.String({
        maxLength: 2000,
        description: 'An optional suggestion, at most 1000 characters once trimmed; stored encrypted',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SurveyAnswered = Type.Object({
  applicationId: Type.String(),
  answeredAt: Type.String({ description: 'ISO 8601 UTC' }),
});

const Grade = Type.Union([
  Type.Literal('A'),
  Type.Literal('B'),
  Type.Literal('C'),
  Type.Literal('D'),
  Type.Null(),
]);
const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);
const PopulationSource = Type.Union([
  Type.Literal('entered'),
  Type.Literal('closed'),
  Type.Literal('mixed'),
  Type.Null(),
]);

export const IkmFiguresSchema = Type.Object({
  respondents: Type.Integer(),
  elements: Type.Array(
    Type.Object({
      key: Type.String(),
      nrr: Type.Union([Type.Number(), Type.Null()], {
        description: 'Mean of the answers, 4 decimals half-up',
      }),
    }),
  ),
  ikm: Type.Union([Type.Number(), Type.Null()], { description: 'Σ NRR × 1/9 on 1–4, 4 decimals half-up' }),
  score: Type.Union([Type.Number(), Type.Null()], { description: 'IKM × 25 on 25–100, 2 decimals half-up' }),
  grade: Grade,
  population: NullableInteger,
  minimumSample: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Krejcie–Morgan minimum respondents',
  }),
});

const ScopedFigures = Type.Object({
  figures: IkmFiguresSchema,
  populationSource: PopulationSource,
  belowMinimumSample: Type.Boolean(),
});

export const IkmQuery = Type.Object({
  agency: Type.Optional(
    Type.String({ maxLength: 60, description: "Agency slug; the caller's own by default" }),
  ),
  service: Type.Optional(
    Type.String({ maxLength: 200, description: 'Service slug; all services pooled by default' }),
  ),
  period: Type.Optional(
    Type.String({
      maxLength: 10,
      description: '`2026`, `2026-Q1` or `2026-03`; the current year by default',
    }),
  ),
});

export const IkmAnswer = Type.Object({
  agency: Type.String(),
  service: Type.Union([Type.String(), Type.Null()]),
  period: Type.Object({ key: Type.String(), from: Type.String(), to: Type.String() }),
  ...ScopedFigures.properties,
  services: Type.Array(Type.Object({ slug: Type.String(), ...ScopedFigures.properties })),
});
