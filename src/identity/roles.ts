/** Staff roles held within one agency (optionally one unit). */
export const AGENCY_ROLES = [
  'counter_officer',
  'verifier',
  'approver',
  'supervisor',
  'agency_admin',
  'complaint_handler',
] as const;
/** Agency roles that work applications in the inbox. */
export const INBOX_ROLES: readonly AgencyRole[] = ['counter_officer', 'verifier', 'approver', 'supervisor'];
/** Platform-wide staff roles. */
export const PLATFORM_ROLES = ['platform_admin', 'complaint_admin'] as const;

export type AgencyRole = (typeof AGENCY_ROLES)[number];
export type PlatformRole = (typeof PLATFORM_ROLES)[number];
export type StaffRole = AgencyRole | PlatformRole;

export function isAgencyRole(value: string): value is AgencyRole {
  return (AGENCY_ROLES as readonly string[]).includes(value);
}

export function isPlatformRole(value: string): value is PlatformRole {
  return (PLATFORM_ROLES as readonly string[]).includes(value);
}

export function isStaffRole(value: string): value is StaffRole {
  return isAgencyRole(value) || isPlatformRole(value);
}

export interface Grant {
  role: StaffRole;
  agencyId: string | null;
  unitId: string | null;
}

/** Who is making a request, once authenticated. */
export interface Principal {
  userId: string;
  kind: 'citizen' | 'staff';
  sessionId: string | null;
  grants: Grant[];
}

export function hasRole(principal: Principal | null, role: StaffRole, agencyId?: string): boolean {
  if (!principal) return false;
  return principal.grants.some((g) => g.role === role && (agencyId === undefined || g.agencyId === agencyId));
}
