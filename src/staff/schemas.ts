import { type Static, Type } from '@sinclair/typebox';
import { AGENCY_ROLES } from '../identity/roles.ts';

export const AgencyRoleSchema = Type.Union(
  AGENCY_ROLES.map((r) => Type.Literal(r)),
  { description: 'A role within one agency' },
);

export const StaffStatus = Type.Union(
  [Type.Literal('active'), Type.Literal('suspended'), Type.Literal('removed')],
  {
    description: 'removed: no longer holds a role in this agency (kept for history)',
  },
);

export const StaffMember = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(AgencyRoleSchema),
  unitId: Type.Union([Type.String(), Type.Null()]),
  status: StaffStatus,
  /** Whether the authenticator app is set up (done at the first sign-in). */
  totpEnrolled: Type.Boolean(),
  lastSignInAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export type StaffMember = Static<typeof StaffMember>;

export const AgencyQuery = Type.Object({
  agency: Type.Optional(
    Type.String({
      maxLength: 60,
      description: 'Agency slug; an agency admin may omit it (their own agency), a platform admin names one',
    }),
  ),
});

export const NewStaffBody = Type.Object({
  name: Type.String({ maxLength: 200 }),
  email: Type.String({ maxLength: 254 }),
  roles: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 }),
  unitId: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
});

export const StaffPatchBody = Type.Object(
  {
    roles: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
    unitId: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('suspended')])),
  },
  { minProperties: 1 },
);

export const TokenScopeSchema = Type.Union([
  Type.Literal('applications:read'),
  Type.Literal('applications:act'),
  Type.Literal('applications:file'),
  Type.Literal('catalogue:write'),
]);

export const ApiTokenItem = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('expired'), Type.Literal('revoked')]),
});
export type ApiTokenItem = Static<typeof ApiTokenItem>;

export const NewTokenBody = Type.Object({
  name: Type.String({ maxLength: 100 }),
  scopes: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 }),
  expiresInDays: Type.Integer({ minimum: 1, maximum: 365 }),
});
