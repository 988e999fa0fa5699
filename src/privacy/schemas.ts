/** The shapes the privacy API answers with: each schema is the TypeScript type and the OpenAPI entry. */
import { type Static, Type } from '@sinclair/typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Text = Type.Object({ id: Type.String(), en: Type.String() });

export const AccessEntrySchema = Type.Object({
  id: Type.String(),
  applicationId: Type.String(),
  trackingNumber: Nullable(Type.String()),
  relation: Type.Union([Type.Literal('applicant'), Type.Literal('subject')], {
    description: 'applicant: the citizen filed it; subject: someone else filed it and it carries their NIK',
  }),
  service: Text,
  agency: Text,
  timezone: Type.String(),
  viewer: Type.Object({
    name: Type.String(),
    roles: Type.Array(Type.String(), {
      description: 'The viewer’s roles in the agency at the time of the view',
    }),
  }),
  classes: Type.Array(Type.Union([Type.Literal('personal'), Type.Literal('specific')])),
  viewedAt: Type.String(),
  /** Filled by the route in the caller's language. */
  text: Type.Optional(Type.String({ description: 'The entry as one sentence in the requested language' })),
});
export type AccessEntryJson = Static<typeof AccessEntrySchema>;

export const AccessLogAnswer = Type.Object({ entries: Type.Array(AccessEntrySchema) });

export const ConsentRecordSchema = Type.Object({
  purpose: Type.String(),
  version: Type.String(),
  applicationId: Nullable(Type.String()),
  givenAt: Type.String(),
  withdrawnAt: Nullable(Type.String()),
});

export const MyRequestSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('correction'), Type.Literal('deletion')]),
  status: Type.Union([Type.Literal('open'), Type.Literal('handled')]),
  outcome: Nullable(Type.String()),
  trackingNumber: Nullable(Type.String()),
  service: Text,
  createdAt: Type.String(),
  handledAt: Nullable(Type.String()),
  note: Nullable(Type.String()),
});

const HistoryEntry = Type.Object({
  kind: Type.String(),
  action: Nullable(Type.String()),
  fromState: Nullable(Type.String()),
  toState: Nullable(Type.String()),
  comment: Nullable(Type.String()),
  at: Type.String(),
});

export const ExportedApplicationSchema = Type.Object({
  id: Type.String(),
  trackingNumber: Nullable(Type.String()),
  service: Type.Object({ slug: Type.String(), name: Text, version: Type.Number() }),
  agency: Text,
  stage: Type.String(),
  state: Type.Union([Type.Object({ key: Type.String(), label: Text }), Type.Null()]),
  outcome: Nullable(Type.String()),
  createdAt: Type.String(),
  submittedAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  consentVersion: Nullable(Type.String()),
  restricted: Type.Boolean(),
  restrictedUntil: Nullable(Type.String()),
  erasedAt: Nullable(Type.String()),
  answers: Type.Record(Type.String(), Type.Unknown()),
  history: Type.Array(HistoryEntry),
  attachments: Type.Array(
    Type.Object({ field: Type.String(), mime: Type.String(), size: Type.Number(), createdAt: Type.String() }),
  ),
});

export const MyDataExportSchema = Type.Object({
  generatedAt: Type.String(),
  account: Type.Object({
    id: Type.String(),
    kind: Type.String(),
    name: Type.String(),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    nik: Nullable(Type.String({ description: 'Masked: only the last four digits' })),
    status: Type.String(),
    createdAt: Type.String(),
  }),
  applications: Type.Array(ExportedApplicationSchema),
  subjectOf: Type.Array(
    Type.Object({
      trackingNumber: Nullable(Type.String()),
      service: Text,
      agency: Text,
      submittedAt: Nullable(Type.String()),
    }),
    {
      description:
        'Applications filed by others that carry the citizen’s NIK (their answers are not included)',
    },
  ),
  notifications: Type.Array(
    Type.Object({
      channel: Type.String(),
      subject: Type.String(),
      body: Type.String(),
      createdAt: Type.String(),
      sentAt: Nullable(Type.String()),
      readAt: Nullable(Type.String()),
    }),
  ),
  consents: Type.Array(ConsentRecordSchema),
  requests: Type.Array(MyRequestSchema),
  accessLog: Type.Array(AccessEntrySchema),
});
