import { type Static, Type } from '@sinclair/typebox';

/** Text in Indonesian (`id`, the default language) and English (`en`). */
export const LocalText = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 300 }),
  en: Type.String({ minLength: 1, maxLength: 300 }),
});
export type LocalText = Static<typeof LocalText>;

/** One printed line of a document: its label in both languages and the value as printed. */
export const PrintedField = Type.Object({
  label: LocalText,
  value: Type.String({ maxLength: 2000 }),
});
export type PrintedField = Static<typeof PrintedField>;

/** At most this many printed fields: a service definition prints at most 100. */
export const MAX_PRINTED_FIELDS = 100;

/**
 * The canonical content of an issued document: exactly what is printed, and exactly what the
 * agency signs (as {@link contentMessage} of its canonical JSON).
 */
export interface DocumentContent {
  v: 1;
  id: string;
  number: string;
  agency: { slug: string; name: LocalText };
  service: { slug: string; name: LocalText };
  documentName: LocalText;
  fields: PrintedField[];
  issuedAt: string;
}

export const VerificationStatus = Type.Union([
  Type.Literal('valid'),
  Type.Literal('revoked'),
  Type.Literal('invalid'),
]);

/** What the public verification shows: only what the document prints, plus its status. */
export const Verification = Type.Object({
  status: VerificationStatus,
  document: Type.Optional(
    Type.Object({
      id: Type.String(),
      number: Type.String(),
      agency: Type.Object({ slug: Type.String(), name: LocalText }),
      service: Type.Object({ slug: Type.String(), name: LocalText }),
      documentName: LocalText,
      fields: Type.Array(PrintedField),
      issuedAt: Type.String(),
      /** The issuing agency's time zone, for showing the issue date as printed. */
      timeZone: Type.String(),
      keyId: Type.String(),
      revokedAt: Type.Union([Type.String(), Type.Null()]),
      revokedReason: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});
export type Verification = Static<typeof Verification>;
export type VerifiedDocument = NonNullable<Verification['document']>;

export const PublicKeyItem = Type.Object({
  keyId: Type.String(),
  algorithm: Type.Literal('Ed25519'),
  publicKey: Type.String({ description: 'SubjectPublicKeyInfo DER, base64' }),
  createdAt: Type.String(),
  notAfter: Type.String(),
  retiredAt: Type.Union([Type.String(), Type.Null()]),
});

export const RevokeBody = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' }),
});
