/** The JSON shapes of the complaints API: one schema each for validation, serialisation and OpenAPI. */
import { Type } from '@sinclair/typebox';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS } from './attachments.ts';
import { COMPLAINT_CATEGORIES, COMPLAINT_MODES, REPORT_TYPES, SUBJECT_KINDS, stringEnum } from './schemas.ts';

const Text = Type.Object({ id: Type.String(), en: Type.String() });
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableText = Type.Union([Text, Type.Null()]);
/** Base64 of a little more than the largest attachment: a slightly larger file gets 413 upload.too_large. */
const BASE64_MAX = Math.ceil(((MAX_ATTACHMENT_BYTES + 1024 * 1024) * 4) / 3);
export const API_BODY_LIMIT = MAX_ATTACHMENTS * BASE64_MAX + 64 * 1024;

export const FilingBody = Type.Object(
  {
    mode: stringEnum(COMPLAINT_MODES, {
      description: 'named (a citizen signed in), confidential (only complaint staff see who), anonymous',
    }),
    reportType: stringEnum(REPORT_TYPES),
    category: stringEnum(COMPLAINT_CATEGORIES),
    subject: Type.Object(
      {
        kind: stringEnum(SUBJECT_KINDS),
        ref: Type.String({
          minLength: 1,
          maxLength: 100,
          description: 'a service or agency slug, or the id of one of the caller’s filed applications',
        }),
      },
      { additionalProperties: false },
    ),
    text: Type.String({ maxLength: 20_000, description: '20 to 5000 characters' }),
    regionCode: Type.Optional(Type.String({ maxLength: 20, description: 'Kemendagri code of any level' })),
    mayPublish: Type.Boolean({ description: 'whether the report may appear, redacted, on the public list' }),
    reporter: Type.Optional(
      Type.Object(
        {
          name: Type.String({ maxLength: 200 }),
          contact: Type.String({ maxLength: 254, description: 'e-mail address or Indonesian mobile number' }),
        },
        { additionalProperties: false, description: 'confidential reports without an account' },
      ),
    ),
    attachments: Type.Optional(
      Type.Array(
        Type.Object(
          {
            contentBase64: Type.String({
              maxLength: BASE64_MAX,
              pattern: '^[A-Za-z0-9+/]*={0,2}$',
              contentEncoding: 'base64',
              description: 'a PDF, JPEG or PNG file of at most 5 MB',
            }),
          },
          { additionalProperties: false },
        ),
        { maxItems: MAX_ATTACHMENTS },
      ),
    ),
  },
  { additionalProperties: false },
);

export const Receipt = Type.Object({
  id: Type.String(),
  number: Type.String(),
  secret: Type.String({ description: 'printed on the receipt; with the number it follows the report' }),
  mode: stringEnum(COMPLAINT_MODES),
  state: Type.String(),
  filedAt: Type.String(),
  verifyBy: NullableString,
});

export const Credentials = Type.Object({
  number: Type.String({ minLength: 1, maxLength: 40 }),
  secret: Type.String({ minLength: 1, maxLength: 40 }),
});

export const ActionBody = Type.Object(
  {
    action: Type.String({ minLength: 1, maxLength: 40 }),
    rowVersion: Type.Integer({
      minimum: 0,
      description: '409-class complaint.changed when not the current one',
    }),
    comment: Type.Optional(Type.String({ maxLength: 10_000 })),
    agency: Type.Optional(Type.String({ maxLength: 100, description: 'dispose: the agency slug' })),
    publicText: Type.Optional(
      Type.String({ maxLength: 10_000, description: 'verify/dispose: the text as published (redacted)' }),
    ),
  },
  { additionalProperties: false },
);

export const ActResult = Type.Object({
  id: Type.String(),
  number: Type.String(),
  state: Type.String(),
  rowVersion: Type.Integer(),
});

const State = Type.Object({ key: Type.String(), label: Text, terminal: Type.Boolean() });

const PublicSummary = Type.Object({
  number: Type.String(),
  reportType: stringEnum(REPORT_TYPES),
  category: stringEnum(COMPLAINT_CATEGORIES),
  state: State,
  agency: NullableText,
  service: NullableText,
  region: NullableString,
  filedAt: Type.String(),
  closedAt: NullableString,
});

export const Summary = Type.Intersect([
  PublicSummary,
  Type.Object({
    id: Type.String(),
    mode: stringEnum(COMPLAINT_MODES),
    stateDueAt: NullableString,
    published: Type.Boolean(),
  }),
]);

export const PublicList = Type.Object({
  items: Type.Array(PublicSummary),
  total: Type.Integer(),
  page: Type.Integer(),
  perPage: Type.Integer(),
});

export const PublicComplaint = Type.Intersect([
  PublicSummary,
  Type.Object({
    text: Type.String({ description: 'the published text, personal data removed by staff' }),
    answers: Type.Array(Type.Object({ at: Type.String(), text: Type.String(), appeal: Type.Boolean() })),
    reporterName: Type.Union([Type.String({ description: 'only for a named report' }), Type.Null()]),
  }),
]);

const TimelineEntry = Type.Object({
  at: Type.String(),
  kind: Type.String(),
  action: Type.Union([Type.Object({ key: Type.String(), label: Text }), Type.Null()]),
  toState: Type.Union([State, Type.Null()]),
  by: Type.String({ description: 'complainant, platform, agency or system' }),
  actorName: NullableString,
  comment: NullableString,
  agency: NullableText,
});

const AvailableAction = Type.Object({
  key: Type.String(),
  label: Text,
  requiresComment: Type.Optional(Type.Boolean()),
});

export const ComplainantView = Type.Intersect([
  Summary,
  Type.Object({
    text: Type.String(),
    mayPublish: Type.Boolean(),
    timeline: Type.Array(TimelineEntry),
    actions: Type.Array(AvailableAction, { description: 'what the caller may do now (POST it as action)' }),
    appealUsed: Type.Boolean(),
    autoCloseAt: NullableString,
    rowVersion: Type.Integer(),
  }),
]);

export const StaffView = Type.Intersect([
  ComplainantView,
  Type.Object({
    identity: Type.Union([
      Type.Object({
        name: Type.String(),
        email: Type.Optional(Type.String()),
        phone: Type.Optional(Type.String()),
      }),
      Type.Null(),
    ]),
    applicationId: NullableString,
    publicText: NullableString,
    attachments: Type.Array(
      Type.Object({ id: Type.String(), mime: Type.String(), size: Type.Integer(), createdAt: Type.String() }),
    ),
  }),
]);

export const QueueList = Type.Object({ items: Type.Array(Summary), total: Type.Integer() });
