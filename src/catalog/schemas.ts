/**
 * The service definition: what an agency publishes about one service (its *standar pelayanan*), the
 * application form, the workflow, the output document and the data rules. Each TypeBox schema here
 * is both the TypeScript type (`Static`) and the published JSON Schema
 * ({@link serviceDefinitionJsonSchema}); the rules that JSON Schema cannot express (keys that must be
 * unique, rules that refer to earlier fields, reachable states, SLA sums…) live in `validate.ts`.
 *
 * Two places are written as plain JSON Schema wrapped in `Type.Unsafe` so that a validator reports
 * precise errors instead of "must match one of the alternatives":
 *  - a form field is a `oneOf` with the OpenAPI `discriminator` on `type` (Ajv's `discriminator`
 *    option), so only the branch named by `type` is checked and an unknown type is one error;
 *  - a rule is an `if`/`then`/`else` chain on its key (`all`, `any`, `not`, else a field condition),
 *    referenced recursively as `#/$defs/Rule`.
 * Their TypeScript types still come from TypeBox unions built from the same branch schemas.
 */
import { type Static, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';
import { AGENCY_ROLES } from '../identity/roles.ts';

/** `$id` of the published JSON Schema; bump the number with {@link DEFINITION_SCHEMA_VERSION}. */
export const DEFINITION_SCHEMA_ID = 'urn:gapura:schema:service-definition:1';
/** Version of the definition format itself (not of a service); definitions say `schemaVersion: 1`. */
export const DEFINITION_SCHEMA_VERSION = 1;

export const CATEGORIES = [
  'civil_registration',
  'population',
  'licensing',
  'building',
  'social_assistance',
  'health',
  'education',
  'other',
] as const;
export const CLASSIFICATIONS = ['public', 'personal', 'specific'] as const;
export const LEAF_FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'date',
  'choice',
  'multichoice',
  'yesno',
  'email',
  'phone',
  'nik',
  'npwp',
  'nib',
  'region',
  'file',
] as const;
export const FIELD_TYPES = [...LEAF_FIELD_TYPES, 'group'] as const;
export const RULE_OPS = ['eq', 'neq', 'in', 'gt', 'lt', 'gte', 'lte'] as const;
export const REGION_LEVELS = ['province', 'regency', 'district', 'village'] as const;
export const FILE_MIME_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const TERMINAL_OUTCOMES = ['approved', 'rejected', 'withdrawn'] as const;
export const ACTION_KINDS = ['normal', 'return_for_revision', 'approve', 'reject', 'withdraw'] as const;
/** The applicant (the account that filed) acts on their own application, e.g. to resubmit or withdraw. */
export const APPLICANT_ROLE = 'applicant';
export const ACTION_ROLES = [...AGENCY_ROLES, APPLICANT_ROLE] as const;
export const IDENTITY_ASSURANCE_LEVELS = ['self_declared', 'counter_verified', 'external_idp'] as const;

export type Category = (typeof CATEGORIES)[number];
export type Classification = (typeof CLASSIFICATIONS)[number];
export type FieldType = (typeof FIELD_TYPES)[number];
export type LeafFieldType = (typeof LEAF_FIELD_TYPES)[number];
export type RuleOp = (typeof RULE_OPS)[number];
export type RegionLevel = (typeof REGION_LEVELS)[number];
export type TerminalOutcome = (typeof TERMINAL_OUTCOMES)[number];
export type ActionKind = (typeof ACTION_KINDS)[number];
export type ActionRole = (typeof ACTION_ROLES)[number];

/** A JSON Schema `enum` of strings whose static type is the union of the values. */
function stringEnum<T extends string>(values: readonly T[], options: { description?: string } = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

const closed = { additionalProperties: false } as const;

/**
 * Named sub-schemas, published under `$defs` and referenced by `$ref`: the schema stays readable, and
 * a validator compiles each once (inlining them everywhere made Ajv compile 0.7 MB of code).
 */
const definitions: Record<string, unknown> = {};

function define<T extends TSchema>(name: string, schema: T): TUnsafe<Static<T>> {
  definitions[name] = schema;
  return Type.Unsafe<Static<T>>({ $ref: `#/$defs/${name}` });
}

export const KEY_PATTERN = '^[a-z][a-z0-9_]{0,49}$';
export const SLUG_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$';
export const ISO_DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
export const URL_PATTERN = '^https?://[^\\s]+$';

/** Machine name of a field, section, state or action: `nama_lengkap`. */
export const Key = Type.String({ pattern: KEY_PATTERN });
export const Slug = Type.String({ pattern: SLUG_PATTERN, maxLength: 60 });

/** Text in Indonesian (`id`, the default language) and English (`en`). */
function localText(maxLength: number) {
  return Type.Object(
    {
      id: Type.String({ minLength: 1, maxLength }),
      en: Type.String({ minLength: 1, maxLength }),
    },
    closed,
  );
}
export const Label = define('Label', localText(300));
export const LongText = define('LongText', localText(5000));
export type LocalText = Static<typeof Label>;

// ---------------------------------------------------------------------------------------------
// Service standard (UU 25/2009 art. 21; Permenpan RB 15/2014)

const RegulationSchema = Type.Object(
  {
    type: Type.String({
      minLength: 1,
      maxLength: 60,
      description: 'Kind of regulation as cited: UU, PP, Perpres, Permendagri, Perda, Perwali…',
    }),
    number: Type.String({
      minLength: 1,
      maxLength: 60,
      description: 'Number as cited, e.g. "24" or "6/2021"',
    }),
    year: Type.Integer({ minimum: 1945, maximum: 2100 }),
    title: Label,
    link: Type.Optional(Type.String({ pattern: URL_PATTERN, maxLength: 500 })),
  },
  closed,
);
export const Regulation = define('Regulation', RegulationSchema);
export type Regulation = Static<typeof Regulation>;

const FreeFee = Type.Object(
  { kind: Type.Literal('free'), legalBasis: Type.Optional(Regulation), note: Type.Optional(LongText) },
  closed,
);
const PaidFee = Type.Object(
  {
    kind: Type.Literal('paid'),
    amountRupiah: Type.Integer({ minimum: 1, maximum: 10_000_000_000 }),
    legalBasis: Regulation,
    note: Type.Optional(LongText),
  },
  closed,
);
const FeeTyping = Type.Union([FreeFee, PaidFee]);
export type Fee = Static<typeof FeeTyping>;
export const Fee = Type.Unsafe<Fee>({
  type: 'object',
  properties: { kind: { type: 'string' } },
  required: ['kind'],
  discriminator: { propertyName: 'kind' },
  oneOf: [FreeFee, PaidFee],
});

/**
 * The 14 components, in the order of UU 25/2009 art. 21, with the Permenpan RB 15/2014 group of each.
 * The six `delivery` components are required to publish; the eight `management` ones may be absent
 * ("not yet declared").
 */
export const STANDARD_COMPONENTS = [
  { key: 'legalBasis', group: 'management', label: { id: 'Dasar hukum', en: 'Legal basis' } },
  { key: 'requirements', group: 'delivery', label: { id: 'Persyaratan', en: 'Requirements' } },
  {
    key: 'procedure',
    group: 'delivery',
    label: { id: 'Sistem, mekanisme, dan prosedur', en: 'System, mechanism and procedure' },
  },
  {
    key: 'completionDays',
    group: 'delivery',
    label: { id: 'Jangka waktu penyelesaian', en: 'Completion time' },
  },
  { key: 'fee', group: 'delivery', label: { id: 'Biaya/tarif', en: 'Cost/tariff' } },
  { key: 'product', group: 'delivery', label: { id: 'Produk pelayanan', en: 'Service product' } },
  {
    key: 'facilities',
    group: 'management',
    label: { id: 'Sarana, prasarana, dan/atau fasilitas', en: 'Facilities and infrastructure' },
  },
  {
    key: 'staffCompetence',
    group: 'management',
    label: { id: 'Kompetensi pelaksana', en: 'Staff competence' },
  },
  {
    key: 'internalSupervision',
    group: 'management',
    label: { id: 'Pengawasan internal', en: 'Internal supervision' },
  },
  {
    key: 'complaintHandling',
    group: 'delivery',
    label: {
      id: 'Penanganan pengaduan, saran, dan masukan',
      en: 'Handling of complaints, suggestions and feedback',
    },
  },
  { key: 'numberOfStaff', group: 'management', label: { id: 'Jumlah pelaksana', en: 'Number of staff' } },
  {
    key: 'serviceGuarantee',
    group: 'management',
    label: { id: 'Jaminan pelayanan', en: 'Service guarantee' },
  },
  {
    key: 'safetyGuarantee',
    group: 'management',
    label: { id: 'Jaminan keamanan dan keselamatan pelayanan', en: 'Security and safety guarantee' },
  },
  {
    key: 'performanceEvaluation',
    group: 'management',
    label: { id: 'Evaluasi kinerja pelaksana', en: 'Staff performance evaluation' },
  },
] as const;
export type StandardComponentKey = (typeof STANDARD_COMPONENTS)[number]['key'];

export const ServiceStandard = Type.Object(
  {
    legalBasis: Type.Optional(Type.Array(Regulation, { minItems: 1, maxItems: 30 })),
    requirements: Type.Array(Label, { minItems: 1, maxItems: 40 }),
    procedure: LongText,
    completionDays: Type.Integer({
      minimum: 1,
      maximum: 365,
      description: 'Completion time in working days; also the overall SLA of the workflow',
    }),
    fee: Fee,
    product: Label,
    facilities: Type.Optional(LongText),
    staffCompetence: Type.Optional(LongText),
    internalSupervision: Type.Optional(LongText),
    complaintHandling: LongText,
    numberOfStaff: Type.Optional(LongText),
    serviceGuarantee: Type.Optional(LongText),
    safetyGuarantee: Type.Optional(LongText),
    performanceEvaluation: Type.Optional(LongText),
  },
  closed,
);
export type ServiceStandard = Static<typeof ServiceStandard>;

// ---------------------------------------------------------------------------------------------
// Rules: when a field is shown or required

const RULE_REF = '#/$defs/Rule';

const RuleValue = Type.Union([
  Type.String({ maxLength: 200 }),
  Type.Number(),
  Type.Boolean(),
  Type.Array(Type.Union([Type.String({ maxLength: 200 }), Type.Number()]), { minItems: 1, maxItems: 100 }),
]);
export type RuleValue = Static<typeof RuleValue>;

export const FieldCondition = Type.Object(
  { field: Key, op: stringEnum(RULE_OPS), value: RuleValue },
  { ...closed, description: 'Compares the answer of an earlier field with a value' },
);
export type FieldCondition = Static<typeof FieldCondition>;

function ruleBranches<S extends TSchema>(self: S) {
  const list = Type.Array(self, { minItems: 1, maxItems: 20 });
  return {
    all: Type.Object({ all: list }, closed),
    any: Type.Object({ any: list }, closed),
    not: Type.Object({ not: self }, closed),
  };
}

const RuleTyping = Type.Recursive((This) => {
  const branch = ruleBranches(This);
  return Type.Union([FieldCondition, branch.all, branch.any, branch.not]);
});
export type Rule = Static<typeof RuleTyping>;

/** A reference to the rule definition in `$defs` (the only way a rule appears in other schemas). */
export const RuleRef = Type.Unsafe<Rule>({ $ref: RULE_REF });

/** A JSON Schema `if`/`then`/`else`. */
function conditional(
  condition: unknown,
  consequence: unknown,
  alternative: unknown,
): Record<string, unknown> {
  // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword here, not a promise.
  return { if: condition, then: consequence, else: alternative };
}

/** The rule schema placed in `$defs.Rule`: dispatches on its key so errors point at the right branch. */
function ruleDefinitionSchema(): Record<string, unknown> {
  const branch = ruleBranches(RuleRef);
  const has = (key: string) => ({ properties: { [key]: {} }, required: [key] });
  return {
    description: '{field, op, value} | {all: Rule[]} | {any: Rule[]} | {not: Rule}',
    type: 'object',
    ...conditional(
      has('all'),
      branch.all,
      conditional(has('any'), branch.any, conditional(has('not'), branch.not, FieldCondition)),
    ),
  };
}
definitions.Rule = ruleDefinitionSchema();

// ---------------------------------------------------------------------------------------------
// Form fields

export const ChoiceOption = Type.Object(
  { value: Type.String({ minLength: 1, maxLength: 100 }), label: Label },
  closed,
);
export type ChoiceOption = Static<typeof ChoiceOption>;

const Options = Type.Array(ChoiceOption, { minItems: 1, maxItems: 200 });

const commonFieldProperties = {
  key: Key,
  label: Label,
  help: Type.Optional(LongText),
  required: Type.Optional(Type.Boolean()),
  requiredWhen: Type.Optional(RuleRef),
  visibleWhen: Type.Optional(RuleRef),
  classification: stringEnum(CLASSIFICATIONS, {
    description:
      'public; personal (encrypted); specific (UU 27/2022 specific data: encrypted, named roles only)',
  }),
};

function fieldOf<T extends string, P extends Record<string, TSchema>>(type: T, properties: P) {
  return Type.Object({ type: Type.Literal(type), ...commonFieldProperties, ...properties }, closed);
}

const IsoDate = Type.String({ pattern: ISO_DATE_PATTERN });
const Unit = Type.Optional(Label);

export const TextField = fieldOf('text', {
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
export const TextareaField = fieldOf('textarea', {
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000 })),
});
export const NumberField = fieldOf('number', {
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  integer: Type.Optional(Type.Boolean()),
  unit: Unit,
});
export const DateField = fieldOf('date', {
  min: Type.Optional(IsoDate),
  max: Type.Optional(IsoDate),
  notInFuture: Type.Optional(Type.Boolean()),
});
export const ChoiceField = fieldOf('choice', { options: Options });
export const MultichoiceField = fieldOf('multichoice', {
  options: Options,
  minItems: Type.Optional(Type.Integer({ minimum: 0, maximum: 200 })),
  maxItems: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
export const YesnoField = fieldOf('yesno', {});
export const EmailField = fieldOf('email', {});
export const PhoneField = fieldOf('phone', {});
export const NikField = fieldOf('nik', {});
export const NpwpField = fieldOf('npwp', {});
export const NibField = fieldOf('nib', {});
export const RegionField = fieldOf('region', { level: stringEnum(REGION_LEVELS) });
export const FileField = fieldOf('file', {
  accept: Type.Array(stringEnum(FILE_MIME_TYPES), { minItems: 1, uniqueItems: true }),
  maxSizeKb: Type.Integer({ minimum: 1, maximum: 20_480 }),
  maxFiles: Type.Integer({ minimum: 1, maximum: 20 }),
});

const LEAF_FIELD_SCHEMAS = [
  define('TextField', TextField),
  define('TextareaField', TextareaField),
  define('NumberField', NumberField),
  define('DateField', DateField),
  define('ChoiceField', ChoiceField),
  define('MultichoiceField', MultichoiceField),
  define('YesnoField', YesnoField),
  define('EmailField', EmailField),
  define('PhoneField', PhoneField),
  define('NikField', NikField),
  define('NpwpField', NpwpField),
  define('NibField', NibField),
  define('RegionField', RegionField),
  define('FileField', FileField),
];

/** `oneOf` with Ajv's `discriminator`: only the branch named by `type` is validated. */
function discriminated<T>(branches: TSchema[]) {
  return Type.Unsafe<T>({
    type: 'object',
    properties: { type: { type: 'string' } },
    required: ['type'],
    discriminator: { propertyName: 'type' },
    oneOf: branches,
  });
}

const LeafFieldTyping = Type.Union([
  TextField,
  TextareaField,
  NumberField,
  DateField,
  ChoiceField,
  MultichoiceField,
  YesnoField,
  EmailField,
  PhoneField,
  NikField,
  NpwpField,
  NibField,
  RegionField,
  FileField,
]);
export type LeafField = Static<typeof LeafFieldTyping>;
export const LeafField = define('LeafField', discriminated<LeafField>(LEAF_FIELD_SCHEMAS));

export const GroupField = fieldOf('group', {
  fields: Type.Array(LeafField, { minItems: 1, maxItems: 40 }),
  minItems: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  maxItems: Type.Integer({ minimum: 1, maximum: 100 }),
  itemLabel: Type.Optional(Label),
});
export type GroupField = Static<typeof GroupField>;

export type FormField = LeafField | GroupField;
export const FormField = define(
  'FormField',
  discriminated<FormField>([...LEAF_FIELD_SCHEMAS, define('GroupField', GroupField)]),
);

export type TextField = Static<typeof TextField>;
export type TextareaField = Static<typeof TextareaField>;
export type NumberField = Static<typeof NumberField>;
export type DateField = Static<typeof DateField>;
export type ChoiceField = Static<typeof ChoiceField>;
export type MultichoiceField = Static<typeof MultichoiceField>;
export type RegionField = Static<typeof RegionField>;
export type FileField = Static<typeof FileField>;

export const FormSection = Type.Object(
  {
    key: Key,
    title: Label,
    describesSubject: Type.Optional(
      Type.Boolean({ description: 'The section describes a person the application is about (a subject)' }),
    ),
    fields: Type.Array(FormField, { minItems: 1, maxItems: 80 }),
  },
  closed,
);
export type FormSection = Static<typeof FormSection>;

export const Form = Type.Object({ sections: Type.Array(FormSection, { minItems: 1, maxItems: 30 }) }, closed);
export type Form = Static<typeof Form>;

// ---------------------------------------------------------------------------------------------
// Workflow

export const WorkflowState = Type.Object(
  {
    key: Key,
    label: Label,
    applicantCanEdit: Type.Boolean(),
    slaRuns: Type.Boolean({
      description: 'Whether the SLA clock runs in this state (it pauses during revision)',
    }),
    slaDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    terminal: Type.Optional(stringEnum(TERMINAL_OUTCOMES)),
  },
  closed,
);
export type WorkflowState = Static<typeof WorkflowState>;

export const WorkflowAction = Type.Object(
  {
    key: Key,
    label: Label,
    from: Type.Union([Key, Type.Array(Key, { minItems: 1, maxItems: 50, uniqueItems: true })]),
    to: Key,
    roles: Type.Array(stringEnum(ACTION_ROLES), { minItems: 1, uniqueItems: true }),
    requiresComment: Type.Optional(Type.Boolean()),
    requiresDocument: Type.Optional(Type.Boolean()),
    kind: Type.Optional(stringEnum(ACTION_KINDS)),
  },
  closed,
);
export type WorkflowAction = Static<typeof WorkflowAction>;

export const Workflow = Type.Object(
  {
    startState: Key,
    states: Type.Array(WorkflowState, { minItems: 2, maxItems: 40 }),
    actions: Type.Array(WorkflowAction, { minItems: 1, maxItems: 100 }),
  },
  closed,
);
export type Workflow = Static<typeof Workflow>;

// ---------------------------------------------------------------------------------------------
// Output document and data rules

export const Output = Type.Object(
  {
    documentName: Label,
    printedFields: Type.Array(Key, { maxItems: 100, uniqueItems: true }),
  },
  closed,
);
export type Output = Static<typeof Output>;

export const DataRules = Type.Object(
  {
    specificFieldRoles: Type.Array(stringEnum(AGENCY_ROLES), {
      uniqueItems: true,
      description: 'Agency roles allowed to see fields classified as specific',
    }),
    retention: Type.Object(
      {
        years: Type.Integer({ minimum: 1, maximum: 100 }),
        basis: Type.String({
          minLength: 1,
          maxLength: 500,
          description: 'The archive retention schedule (JRA) entry this period comes from',
        }),
      },
      closed,
    ),
    identityAssurance: stringEnum(IDENTITY_ASSURANCE_LEVELS),
  },
  closed,
);
export type DataRules = Static<typeof DataRules>;

// ---------------------------------------------------------------------------------------------
// The whole definition

export const ServiceDefinition = Type.Object(
  {
    schemaVersion: Type.Literal(DEFINITION_SCHEMA_VERSION),
    agency: Slug,
    slug: Slug,
    name: Label,
    description: LongText,
    category: stringEnum(CATEGORIES),
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 20, uniqueItems: true }),
    ),
    standard: ServiceStandard,
    form: Form,
    workflow: Workflow,
    output: Output,
    dataRules: DataRules,
  },
  {
    ...closed,
    $id: DEFINITION_SCHEMA_ID,
    title: 'Gapura service definition',
    $defs: definitions,
  },
);
export type ServiceDefinition = Static<typeof ServiceDefinition>;

/** Top-level keys in document order (used to sort problems). */
export const DEFINITION_KEYS = Object.keys(ServiceDefinition.properties);

/**
 * The published JSON Schema (a plain JSON value; draft-07 plus the OpenAPI `discriminator`
 * keyword, which validators without it may ignore since the `oneOf` branches exclude each other).
 */
export function serviceDefinitionJsonSchema(): Record<string, unknown> {
  const json: unknown = JSON.parse(JSON.stringify(ServiceDefinition));
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? { ...json } : {};
}
