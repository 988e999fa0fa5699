import { randomBytes } from 'node:crypto';
import type { Agency } from '../agencies/schemas.ts';
import { listAgencies } from '../agencies/service.ts';
import { appendAuditLeaf } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import { newId, nowIso } from '../db/ids.ts';
import { parseContact } from '../identity/contact.ts';
import {
  AGENCY_ROLES,
  type AgencyRole,
  hasRole,
  INBOX_ROLES,
  isAgencyRole,
  type Principal,
} from '../identity/roles.ts';
import { createUser, findUserIdByEmail } from '../identity/service.ts';
import { deleteUserSessions, setUserStatus } from '../identity/store.ts';
import { DomainError, FieldErrors, type FieldProblem } from '../web/domain-error.ts';
import { returnToQueue } from './queue.ts';
import type { StaffMember } from './schemas.ts';
import * as store from './store.ts';
import { isApiTokenPrincipal } from './tokens.ts';

/** The agency an admin is acting in, and whether they act there as a platform admin (logged as such). */
export interface AgencyScope {
  agency: Agency;
  /** True when the actor is not an agency admin of this agency but a platform admin. */
  crossAgency: boolean;
}

/**
 * Which agency an act applies to. An agency admin acts in their own agency (the first they
 * administer unless they name another of theirs); a platform admin names any agency. Anyone else,
 * and any API token, is refused.
 */
export async function resolveAgency(
  ctx: AppContext,
  actor: Principal | null,
  slug: string | undefined,
): Promise<AgencyScope> {
  if (!actor || isApiTokenPrincipal(actor)) throw new DomainError('auth.forbidden');
  const isPlatform = hasRole(actor, 'platform_admin');
  const administered = actor.grants.filter((g) => g.role === 'agency_admin').map((g) => g.agencyId);
  if (!isPlatform && administered.length === 0) throw new DomainError('auth.forbidden');
  const agencies = await listAgencies(ctx);
  const agency =
    slug !== undefined
      ? agencies.find((a) => a.slug === slug)
      : agencies.find((a) => administered.includes(a.id));
  if (!agency) {
    if (slug === undefined) throw new DomainError('staff.agency_required');
    throw new DomainError('not_found');
  }
  const own = administered.includes(agency.id);
  if (!own && !isPlatform) throw new DomainError('auth.forbidden');
  return { agency, crossAgency: !own };
}

/** Agencies a platform admin may pick from; an agency admin's own ones. */
export async function selectableAgencies(ctx: AppContext, actor: Principal): Promise<Agency[]> {
  const agencies = await listAgencies(ctx);
  if (hasRole(actor, 'platform_admin')) return agencies;
  return agencies.filter((a) => hasRole(actor, 'agency_admin', a.id));
}

function problem(field: string, code: string, id: string, en: string): FieldProblem {
  return { field, code, message: { id, en } };
}

/** A password that is easy to read out or type from a note (about 80 random bits). */
function initialPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const chars = Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}-${chars.slice(12, 16)}`;
}

function checkRoles(raw: readonly string[], problems: FieldProblem[]): AgencyRole[] {
  const roles = [...new Set(raw)];
  if (roles.length === 0) {
    problems.push(
      problem('roles', 'required', 'Pilih paling sedikit satu peran.', 'Choose at least one role.'),
    );
    return [];
  }
  if (!roles.every(isAgencyRole)) {
    problems.push(
      problem('roles', 'unknown', 'Ada peran yang tidak dikenal.', 'One of the roles is unknown.'),
    );
    return [];
  }
  // A stable order, so lists and audit facts read the same way every time.
  return AGENCY_ROLES.filter((r) => roles.includes(r));
}

function checkUnit(scope: AgencyScope, unitId: string | null | undefined, problems: FieldProblem[]) {
  if (unitId === undefined || unitId === null || unitId === '') return null;
  if (!scope.agency.units.some((u) => u.id === unitId)) {
    problems.push(
      problem(
        'unit',
        'unknown',
        'Unit kerja itu bukan bagian dari instansi ini.',
        'That unit is not part of this agency.',
      ),
    );
  }
  return unitId;
}

/** The staff of an agency, removed ones included (marked), newest last. */
export async function listStaff(ctx: AppContext, scope: AgencyScope): Promise<StaffMember[]> {
  const grants = await store.grantsInAgency(ctx.db, scope.agency.id);
  const ids = [...new Set(grants.map((g) => g.user_id))].slice(0, store.MAX_STAFF);
  return membersOf(ctx, scope.agency.id, ids, grants);
}

async function membersOf(
  ctx: AppContext,
  agencyId: string,
  ids: readonly string[],
  grants: readonly store.GrantRow[],
): Promise<StaffMember[]> {
  const users = (await store.usersByIds(ctx.db, ids)).filter((u) => u.kind === 'staff');
  const signIns = await store.lastSignIns(ctx.db, ids);
  const members: StaffMember[] = [];
  for (const user of users) {
    const active = grants.filter(
      (g) => g.user_id === user.id && g.agency_id === agencyId && g.revoked_at === null,
    );
    const roles = AGENCY_ROLES.filter((r) => active.some((g) => g.role === r));
    members.push({
      id: user.id,
      name: await ctx.keyring.decrypt(user.name_enc, 'users.name'),
      email: user.email_enc ? await ctx.keyring.decrypt(user.email_enc, 'users.email') : null,
      roles,
      unitId: active.find((g) => g.unit_id !== null)?.unit_id ?? null,
      status: roles.length === 0 ? 'removed' : user.status === 'suspended' ? 'suspended' : 'active',
      totpEnrolled: user.totp_enrolled_at !== null,
      lastSignInAt: signIns.get(user.id) ?? null,
      createdAt: user.created_at,
    });
  }
  return members.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/**
 * One staff member as seen from an agency. An agency admin sees only people who hold (or held) a
 * role there; a platform admin may open any staff account, to grant it a role across agencies.
 * Unknown people and API service accounts are "not found".
 */
export async function getStaffMember(
  ctx: AppContext,
  scope: AgencyScope,
  userId: string,
): Promise<StaffMember> {
  if (!/^[0-9a-f-]{36}$/.test(userId)) throw new DomainError('not_found');
  const grants = await store.grantsOfUser(ctx.db, userId);
  const here = grants.some((g) => g.agency_id === scope.agency.id);
  if (!here && !scope.crossAgency) throw new DomainError('not_found');
  if (await store.isServiceAccount(ctx.db, userId)) throw new DomainError('not_found');
  const [member] = await membersOf(ctx, scope.agency.id, [userId], grants);
  if (!member) throw new DomainError('not_found');
  return member;
}

export interface NewStaff {
  name: string;
  email: string;
  roles: readonly string[];
  unitId?: string | null;
}

/**
 * Adds a staff member with roles in the agency. They get a random initial password, returned once
 * for the admin to hand over; the authenticator is enrolled at their first sign-in. The account,
 * each grant and the act are audit leaves (no name or e-mail in them).
 */
export async function addStaff(
  ctx: AppContext,
  actor: Principal,
  scope: AgencyScope,
  input: NewStaff,
): Promise<{ member: StaffMember; initialPassword: string }> {
  const problems: FieldProblem[] = [];
  const name = input.name.trim();
  if (name.length < 2)
    problems.push(
      problem('name', 'required', 'Tulis nama lengkap pegawai.', "Enter the staff member's full name."),
    );
  const contact = parseContact(input.email);
  if (contact?.kind !== 'email')
    problems.push(
      problem(
        'email',
        'invalid',
        'Tulis alamat email yang benar, misalnya nama@instansi.go.id.',
        'Enter a valid e-mail address, like name@agency.go.id.',
      ),
    );
  else if (await findUserIdByEmail(ctx, contact.value))
    problems.push(
      problem(
        'email',
        'taken',
        'Sudah ada akun dengan alamat email ini.',
        'An account with this e-mail address already exists.',
      ),
    );
  const roles = checkRoles(input.roles, problems);
  const unitId = checkUnit(scope, input.unitId, problems);
  if (problems.length > 0 || contact === undefined) throw new FieldErrors(problems);
  const password = initialPassword();
  const created = await ctx.db.transaction().execute(async (trx) => {
    const user = await createUser(
      ctx,
      {
        kind: 'staff',
        email: contact.value,
        name,
        password,
        grants: roles.map((role) => ({ role, agencyId: scope.agency.id, unitId })),
        grantedBy: actor.userId,
      },
      trx,
    );
    await appendAuditLeaf(trx, {
      type: 'staff.created',
      actorId: actor.userId,
      agencyId: scope.agency.id,
      subjectId: user.id,
      facts: { roles: roles.join(','), cross_agency: scope.crossAgency },
    });
    return user;
  });
  return { member: await getStaffMember(ctx, scope, created.id), initialPassword: password };
}

export interface StaffChange {
  roles?: readonly string[];
  unitId?: string | null;
  status?: 'active' | 'suspended';
}

/**
 * Changes a staff member's roles (and unit) in the agency and/or suspends or reactivates the
 * account. Suspension ends their sessions at once; losing every inbox role in the agency, or the
 * account, hands their applications back to the queue — all in one transaction. Nobody can take
 * away their own agency admin role or suspend themselves (they would lock themselves out).
 */
export async function changeStaff(
  ctx: AppContext,
  actor: Principal,
  scope: AgencyScope,
  userId: string,
  change: StaffChange,
): Promise<StaffMember> {
  const before = await getStaffMember(ctx, scope, userId);
  const problems: FieldProblem[] = [];
  const unitId = change.unitId !== undefined ? checkUnit(scope, change.unitId, problems) : before.unitId;
  // A new unit alone re-grants the current roles under it.
  const roles =
    change.roles !== undefined
      ? checkRoles(change.roles, problems)
      : unitId !== before.unitId && before.roles.length > 0
        ? [...before.roles]
        : undefined;
  if (problems.length > 0) throw new FieldErrors(problems);
  const isSelf = actor.userId === userId;
  if (isSelf && change.status === 'suspended') throw new DomainError('staff.lockout');
  if (isSelf && roles && before.roles.includes('agency_admin') && !roles.includes('agency_admin'))
    throw new DomainError('staff.lockout');
  const allGrants = await store.grantsOfUser(ctx.db, userId);
  const elsewhere = allGrants.some((g) => g.revoked_at === null && g.agency_id !== scope.agency.id);
  // Suspending an account also stops its work for other agencies: only a platform admin decides that.
  if (change.status === 'suspended' && elsewhere && !hasRole(actor, 'platform_admin'))
    throw new DomainError('staff.shared_account');
  const finalRoles = roles ?? before.roles;
  if (change.status === 'active' && finalRoles.length === 0 && !elsewhere)
    throw new DomainError('staff.no_roles');

  await ctx.db.transaction().execute(async (trx) => {
    const now = nowIso();
    if (roles) {
      const current = allGrants.filter((g) => g.agency_id === scope.agency.id && g.revoked_at === null);
      for (const grant of current) {
        if (roles.includes(grant.role as AgencyRole) && grant.unit_id === unitId) continue;
        await store.revokeGrant(trx, grant.id, now);
        await appendAuditLeaf(trx, {
          type: 'role.revoked',
          actorId: actor.userId,
          agencyId: scope.agency.id,
          subjectId: userId,
          facts: { role: grant.role, grant: grant.id, cross_agency: scope.crossAgency },
        });
      }
      for (const role of roles) {
        if (current.some((g) => g.role === role && g.unit_id === unitId)) continue;
        const id = newId();
        await store.insertGrant(trx, {
          id,
          user_id: userId,
          role,
          agency_id: scope.agency.id,
          unit_id: unitId,
          granted_by: actor.userId,
          created_at: now,
          revoked_at: null,
        });
        await appendAuditLeaf(trx, {
          type: 'role.granted',
          actorId: actor.userId,
          agencyId: scope.agency.id,
          subjectId: userId,
          facts: { role, grant: id, cross_agency: scope.crossAgency },
        });
      }
      if (!roles.some((r) => INBOX_ROLES.includes(r)))
        await returnToQueue(trx, userId, scope.agency.id, actor.userId, 'roles_changed');
    }
    if (change.status === 'suspended' && before.status !== 'suspended') {
      await setUserStatus(trx, userId, 'suspended');
      await deleteUserSessions(trx, userId);
      const returned = await returnToQueue(trx, userId, null, actor.userId, 'suspended');
      await appendAuditLeaf(trx, {
        type: 'staff.suspended',
        actorId: actor.userId,
        agencyId: scope.agency.id,
        subjectId: userId,
        facts: { returned, cross_agency: scope.crossAgency },
      });
    }
    if (change.status === 'active' && before.status !== 'active') {
      await setUserStatus(trx, userId, 'active');
      await appendAuditLeaf(trx, {
        type: 'staff.reactivated',
        actorId: actor.userId,
        agencyId: scope.agency.id,
        subjectId: userId,
        facts: { cross_agency: scope.crossAgency },
      });
    }
  });
  return getStaffMember(ctx, scope, userId);
}

/**
 * Removes someone from the agency: every grant there is revoked and their applications there go
 * back to the queue; when they hold no role anywhere else the account is suspended and its
 * sessions end. The account row stays, so history keeps naming who did what.
 */
export async function removeStaff(
  ctx: AppContext,
  actor: Principal,
  scope: AgencyScope,
  userId: string,
): Promise<StaffMember> {
  const before = await getStaffMember(ctx, scope, userId);
  if (actor.userId === userId) throw new DomainError('staff.lockout');
  const allGrants = await store.grantsOfUser(ctx.db, userId);
  const here = allGrants.filter((g) => g.agency_id === scope.agency.id && g.revoked_at === null);
  const elsewhere = allGrants.some((g) => g.revoked_at === null && g.agency_id !== scope.agency.id);
  if (here.length === 0) return before;
  await ctx.db.transaction().execute(async (trx) => {
    const now = nowIso();
    for (const grant of here) {
      await store.revokeGrant(trx, grant.id, now);
      await appendAuditLeaf(trx, {
        type: 'role.revoked',
        actorId: actor.userId,
        agencyId: scope.agency.id,
        subjectId: userId,
        facts: { role: grant.role, grant: grant.id, cross_agency: scope.crossAgency },
      });
    }
    let returned = await returnToQueue(trx, userId, scope.agency.id, actor.userId, 'removed');
    if (!elsewhere) {
      await setUserStatus(trx, userId, 'suspended');
      await deleteUserSessions(trx, userId);
      returned += await returnToQueue(trx, userId, null, actor.userId, 'removed');
    }
    await appendAuditLeaf(trx, {
      type: 'staff.removed',
      actorId: actor.userId,
      agencyId: scope.agency.id,
      subjectId: userId,
      facts: { returned, account_suspended: !elsewhere, cross_agency: scope.crossAgency },
    });
  });
  return getStaffMember(ctx, scope, userId);
}
