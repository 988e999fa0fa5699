/**
 * The shapes of complaints: how a report is filed (mode, type, category, subject), and the
 * complaint workflow in the service definitions' own workflow format — the same states, the same
 * action fields — with the roles of complaint handling instead of the application roles.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Key, WorkflowAction, WorkflowState } from '../catalog/schemas.ts';

/** Signed in and named; confidential (only complaint staff know who); anonymous (nobody does). */
export const COMPLAINT_MODES = ['named', 'confidential', 'anonymous'] as const;
/** SP4N-LAPOR! report types: a suggestion, a complaint, a request for information. */
export const REPORT_TYPES = ['aspirasi', 'pengaduan', 'permintaan_informasi'] as const;
export const COMPLAINT_CATEGORIES = [
  'service_quality',
  'staff_conduct',
  'fees',
  'completion_time',
  'requirements',
  'facilities',
  'information',
  'other',
] as const;
/** What a report is about: a service, an agency, or one of the complainant's applications. */
export const SUBJECT_KINDS = ['service', 'agency', 'application'] as const;
/**
 * Who acts on a complaint: the platform's complaint admin, the agency's complaint handler and
 * supervisor (appeals), the complainant, and the system (closing an unanswered report).
 */
export const COMPLAINT_ROLES = [
  'complaint_admin',
  'complaint_handler',
  'supervisor',
  'complainant',
  'system',
] as const;

export type ComplaintMode = (typeof COMPLAINT_MODES)[number];
export type ReportType = (typeof REPORT_TYPES)[number];
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export type ComplaintRole = (typeof COMPLAINT_ROLES)[number];

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

/** A string enum whose static type is the union of its values. */
export function stringEnum<T extends string>(values: readonly T[], options: { description?: string } = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

/** A workflow action of the service definitions, its roles being complaint roles. */
export const ComplaintAction = Type.Object(
  {
    ...WorkflowAction.properties,
    roles: Type.Array(stringEnum(COMPLAINT_ROLES), { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type ComplaintAction = Static<typeof ComplaintAction>;

export const ComplaintWorkflow = Type.Object(
  {
    startState: Key,
    states: Type.Array(WorkflowState, { minItems: 2, maxItems: 40 }),
    actions: Type.Array(ComplaintAction, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type ComplaintWorkflow = Static<typeof ComplaintWorkflow>;
export type ComplaintState = ComplaintWorkflow['states'][number];
