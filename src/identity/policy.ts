import { hasRole, type Principal, type StaffRole } from './roles.ts';

/**
 * Who may reach a route. Every route declares one (the server refuses to start otherwise); the
 * check runs before any handler. Finer rules — which agency, which record state — are decided by
 * the services with the same principal.
 */
export type Policy =
  | { kind: 'public' }
  | { kind: 'signed_in' }
  | { kind: 'citizen' }
  | { kind: 'staff'; roles: readonly StaffRole[] };

export const PUBLIC: Policy = { kind: 'public' };
export const SIGNED_IN: Policy = { kind: 'signed_in' };
export const CITIZEN: Policy = { kind: 'citizen' };
export function staff(...roles: StaffRole[]): Policy {
  return { kind: 'staff', roles };
}

export type Decision = 'allow' | 'unauthenticated' | 'forbidden';

export function decide(policy: Policy, principal: Principal | null): Decision {
  switch (policy.kind) {
    case 'public':
      return 'allow';
    case 'signed_in':
      return principal ? 'allow' : 'unauthenticated';
    case 'citizen':
      if (!principal) return 'unauthenticated';
      return principal.kind === 'citizen' ? 'allow' : 'forbidden';
    case 'staff':
      if (!principal) return 'unauthenticated';
      return policy.roles.some((role) => hasRole(principal, role)) ? 'allow' : 'forbidden';
  }
}
