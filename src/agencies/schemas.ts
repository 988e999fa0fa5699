import { type Static, Type } from '@sinclair/typebox';

export const TimeZone = Type.Union(
  [Type.Literal('Asia/Jakarta'), Type.Literal('Asia/Makassar'), Type.Literal('Asia/Jayapura')],
  {
    description: 'WIB, WITA or WIT',
  },
);

export const Unit = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.Object({ id: Type.String(), en: Type.String() }),
});

/** The agency's data protection officer (UU 27/2022 art. 53): whom citizens write to about their data. */
export const Dpo = Type.Object({
  name: Type.String({ minLength: 3, maxLength: 200, description: 'Name or title of the officer' }),
  email: Type.String({ format: 'email', maxLength: 254 }),
  phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ()-]{6,20}$', description: 'Office telephone' })),
});
export type Dpo = Static<typeof Dpo>;

export const Agency = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  code: Type.String({ description: 'Short code used in tracking numbers, e.g. DKP' }),
  name: Type.Object({ id: Type.String(), en: Type.String() }),
  timezone: TimeZone,
  dpo: Type.Union([Dpo, Type.Null()]),
  units: Type.Array(Unit),
});
export type Agency = Static<typeof Agency>;

export const AgencyList = Type.Object({ items: Type.Array(Agency) });

export const NewAgency = Type.Object({
  slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 60 }),
  code: Type.String({ pattern: '^[A-Z]{2,5}$' }),
  nameId: Type.String({ minLength: 3, maxLength: 200 }),
  nameEn: Type.String({ minLength: 3, maxLength: 200 }),
  timezone: TimeZone,
  dpo: Type.Optional(Dpo),
  units: Type.Array(
    Type.Object({
      slug: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 60 }),
      nameId: Type.String({ minLength: 3, maxLength: 200 }),
      nameEn: Type.String({ minLength: 3, maxLength: 200 }),
    }),
    { maxItems: 50 },
  ),
});
export type NewAgency = Static<typeof NewAgency>;
