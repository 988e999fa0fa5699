import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendAuditLeaf } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import { PLATFORM_SCOPE } from '../crypto/keyring.ts';
import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { DomainError } from '../web/domain-error.ts';
import type { Contact } from './contact.ts';
import { parseContact } from './contact.ts';
import { InvalidCredentials, InvalidSecondFactor, TooManyAttempts } from './errors.ts';
import { checkPassword, hashPassword } from './passwords.ts';
import { hitRateLimit, type RateLimitRule } from './rate-limit.ts';
import type { Grant, Principal, StaffRole } from './roles.ts';
import * as store from './store.ts';
import { matchTotpStep, newTotpSecret, totpUri } from './totp.ts';

export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** A half-finished sign-in (password accepted, second factor pending) lasts five minutes. */
const SECOND_FACTOR_MS = 5 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

export const SIGN_IN_PER_IP: RateLimitRule = { limit: 30, windowMs: 15 * 60 * 1000 };
export const SIGN_IN_PER_ACCOUNT: RateLimitRule = { limit: 10, windowMs: 15 * 60 * 1000 };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function emailIndex(ctx: AppContext, email: string): string {
  return contactIndex(ctx, { kind: 'email', value: email });
}

export interface NewUser {
  kind: 'citizen' | 'staff';
  /** At least one of e-mail and phone: the sign-in identifier. */
  email?: string;
  phone?: string;
  /** A validated, normalised NIK. */
  nik?: string;
  name: string;
  password: string;
  /** Citizens who register themselves start unverified. */
  status?: 'unverified' | 'active';
  grants?: { role: StaffRole; agencyId: string | null; unitId?: string | null }[];
  isDemo?: boolean;
  grantedBy?: string | null;
  /** Staff whose secret is handed over at creation (demo accounts) count as enrolled at once. */
  totpEnrolled?: boolean;
}

/** Blind index of a contact: e-mail (lower-cased) or a normalised +62 mobile number. */
export function contactIndex(ctx: AppContext, contact: Contact): string {
  return ctx.keyring.blindIndex(
    PLATFORM_SCOPE,
    contact.kind,
    contact.kind === 'email' ? normaliseEmail(contact.value) : contact.value,
  );
}

export function nikIndex(ctx: AppContext, nik: string): string {
  return ctx.keyring.blindIndex(PLATFORM_SCOPE, 'nik', nik);
}

/**
 * Creates an account. Staff accounts get a TOTP secret at once (their second factor is
 * mandatory); the secret is returned so it can be shown for enrolment. Every grant is an audit leaf.
 */
export async function createUser(
  ctx: AppContext,
  input: NewUser,
  trxIn?: Db,
): Promise<{ id: string; totpSecret?: string }> {
  const id = newId();
  const totpSecret = input.kind === 'staff' ? newTotpSecret() : undefined;
  const passwordHash = await hashPassword(input.password);
  const now = nowIso();
  const enc = (value: string, column: string) => ctx.keyring.encrypt(PLATFORM_SCOPE, value, column);
  const write = async (trx: Db) => {
    await store.insertUser(trx, {
      id,
      kind: input.kind,
      email_bidx: input.email ? emailIndex(ctx, input.email) : null,
      email_enc: input.email ? enc(normaliseEmail(input.email), 'users.email') : null,
      phone_bidx: input.phone ? contactIndex(ctx, { kind: 'phone', value: input.phone }) : null,
      phone_enc: input.phone ? enc(input.phone, 'users.phone') : null,
      nik_bidx: input.nik ? nikIndex(ctx, input.nik) : null,
      nik_enc: input.nik ? enc(input.nik, 'users.nik') : null,
      name_enc: enc(input.name, 'users.name'),
      password_hash: passwordHash,
      closed_at: null,
      totp_secret_enc: totpSecret ? enc(totpSecret, 'users.totp') : null,
      totp_last_step: null,
      totp_enrolled_at: totpSecret && input.totpEnrolled ? now : null,
      status: input.status ?? 'active',
      is_demo: input.isDemo ? 1 : 0,
      created_at: now,
    });
    for (const grant of input.grants ?? []) {
      const grantId = newId();
      await trx
        .insertInto('role_grants')
        .values({
          id: grantId,
          user_id: id,
          role: grant.role,
          agency_id: grant.agencyId,
          unit_id: grant.unitId ?? null,
          granted_by: input.grantedBy ?? null,
          created_at: now,
        })
        .execute();
      await appendAuditLeaf(trx, {
        type: 'role.granted',
        actorId: input.grantedBy ?? null,
        agencyId: grant.agencyId,
        subjectId: id,
        facts: { role: grant.role, grant: grantId },
      });
    }
  };
  if (trxIn) await write(trxIn);
  else await ctx.db.transaction().execute(write);
  return totpSecret ? { id, totpSecret } : { id };
}

export function findUserByContact(ctx: AppContext, contact: Contact) {
  return contact.kind === 'email'
    ? store.findUserByEmailIndex(ctx.db, contactIndex(ctx, contact))
    : store.findUserByPhoneIndex(ctx.db, contactIndex(ctx, contact));
}

export async function findUserIdByEmail(ctx: AppContext, email: string): Promise<string | undefined> {
  return (await store.findUserByEmailIndex(ctx.db, emailIndex(ctx, email)))?.id;
}

export async function totpSecretOf(ctx: AppContext, userId: string): Promise<string | undefined> {
  const user = await store.findUserById(ctx.db, userId);
  if (!user?.totp_secret_enc) return undefined;
  return ctx.keyring.decrypt(user.totp_secret_enc, 'users.totp');
}

/** The stored id of a session: a hash of its token, so a database leak yields no usable cookie. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export interface SignInResult {
  token: string;
  stage: 'second_factor' | 'active';
}

export async function openSession(
  ctx: AppContext,
  userId: string,
  stage: 'second_factor' | 'active',
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  await store.insertSession(ctx.db, {
    id: sessionIdOf(token),
    user_id: userId,
    stage,
    created_at: nowIso(now),
    last_seen_at: nowIso(now),
    expires_at: nowIso(now + (stage === 'active' ? SESSION_ABSOLUTE_MS : SECOND_FACTOR_MS)),
  });
  return token;
}

/**
 * Password step of signing in. Rate-limited per IP and per account; the same error and the same
 * work (a password hash check) for an unknown account, a wrong password and a suspended account.
 * Staff get a half-open session that only the second factor can complete.
 */
export async function signIn(
  ctx: AppContext,
  identifier: string,
  password: string,
  ip: string,
): Promise<SignInResult> {
  const contact = parseContact(identifier);
  const index = contact ? contactIndex(ctx, contact) : `unparsed:${identifier.slice(0, 100)}`;
  const byIp = await hitRateLimit(ctx.db, `signin:ip:${ip}`, SIGN_IN_PER_IP);
  const byAccount = await hitRateLimit(ctx.db, `signin:acct:${index}`, SIGN_IN_PER_ACCOUNT);
  if (!byIp.allowed || !byAccount.allowed) {
    throw new TooManyAttempts(
      Math.max(byIp.allowed ? 0 : byIp.retryAfterSeconds, byAccount.retryAfterSeconds),
    );
  }
  const user = contact ? await findUserByContact(ctx, contact) : undefined;
  const passwordOk = await checkPassword(user?.password_hash, password);
  if (!user || !passwordOk || user.status === 'suspended') throw new InvalidCredentials();
  // Only someone who knows the password learns that the account still awaits its code.
  if (user.status === 'unverified') throw new DomainError('auth.unverified');
  const stage = user.kind === 'staff' ? 'second_factor' : 'active';
  return { token: await openSession(ctx, user.id, stage), stage };
}

export interface SecondFactorResult {
  /** The new, complete session. */
  token: string;
  /** Shown once, right after enrolment: codes that stand in for the authenticator if it is lost. */
  recoveryCodes?: string[];
}

const RECOVERY_CODE = /^[a-z2-9]{5}-[a-z2-9]{5}$/;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function recoveryHash(ctx: AppContext, userId: string, code: string): string {
  return createHmac('sha256', ctx.keyring.derivedSecret('recovery-codes'))
    .update(`${userId}:${code}`)
    .digest('base64url');
}

function newRecoveryCode(): string {
  const chars = Array.from(randomBytes(10), (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** For a half-finished staff sign-in: whether the authenticator is enrolled, and if not, what to scan. */
export async function pendingEnrolment(
  ctx: AppContext,
  pendingToken: string,
): Promise<{ enrolled: true } | { enrolled: false; otpauthUri: string; secret: string } | undefined> {
  const session = await store.findSession(ctx.db, sessionIdOf(pendingToken));
  if (session?.stage !== 'second_factor' || session.expires_at < nowIso()) return undefined;
  const user = await store.findUserById(ctx.db, session.user_id);
  if (!user?.totp_secret_enc) return undefined;
  if (user.totp_enrolled_at !== null) return { enrolled: true };
  const secret = await ctx.keyring.decrypt(user.totp_secret_enc, 'users.totp');
  const label = user.email_enc ? await ctx.keyring.decrypt(user.email_enc, 'users.email') : user.id;
  return { enrolled: false, otpauthUri: totpUri(secret, label), secret };
}

/**
 * Second step for staff: a TOTP code (never accepted twice) or, once enrolled, a single-use
 * recovery code. The first TOTP code completes enrolment and creates eight recovery codes, stored
 * hashed and returned once. Replaces the half-open session with a fresh one (rotation on sign-in);
 * the sign-in — and an enrolment — are audit leaves.
 */
export async function completeSecondFactor(
  ctx: AppContext,
  token: string,
  code: string,
  ip: string,
): Promise<SecondFactorResult> {
  const limit = await hitRateLimit(ctx.db, `totp:ip:${ip}`, SIGN_IN_PER_IP);
  const session = await store.findSession(ctx.db, sessionIdOf(token));
  if (session?.stage !== 'second_factor' || session.expires_at < nowIso()) throw new InvalidSecondFactor();
  const perAccount = await hitRateLimit(ctx.db, `totp:acct:${session.user_id}`, {
    limit: 5,
    windowMs: 15 * 60 * 1000,
  });
  if (!limit.allowed || !perAccount.allowed) {
    throw new TooManyAttempts(Math.max(limit.retryAfterSeconds, perAccount.retryAfterSeconds));
  }
  const user = await store.findUserById(ctx.db, session.user_id);
  if (!user?.totp_secret_enc) throw new InvalidSecondFactor();
  const given = code.trim().toLowerCase();
  const enrolled = user.totp_enrolled_at !== null;
  let method: 'totp' | 'recovery_code';
  if (/^\d{6}$/.test(given)) {
    const secret = await ctx.keyring.decrypt(user.totp_secret_enc, 'users.totp');
    const step = matchTotpStep(secret, given);
    if (step === undefined || !(await store.claimTotpStep(ctx.db, user.id, step)))
      throw new InvalidSecondFactor();
    method = 'totp';
  } else if (enrolled && RECOVERY_CODE.test(given)) {
    if (!(await store.useRecoveryCode(ctx.db, recoveryHash(ctx, user.id, given), nowIso())))
      throw new InvalidSecondFactor();
    method = 'recovery_code';
  } else {
    throw new InvalidSecondFactor();
  }
  const recoveryCodes = enrolled ? undefined : Array.from({ length: 8 }, newRecoveryCode);
  const fresh = await openSession(ctx, user.id, 'active');
  await ctx.db.transaction().execute(async (trx) => {
    await store.deleteSession(trx, session.id);
    const grants = await store.activeGrants(trx, user.id);
    const agencyId = grants[0]?.agencyId ?? null;
    if (recoveryCodes) {
      const now = nowIso();
      await store.markTotpEnrolled(trx, user.id, now);
      for (const c of recoveryCodes) {
        await store.insertRecoveryCode(trx, {
          id: newId(),
          user_id: user.id,
          code_hash: recoveryHash(ctx, user.id, c),
          created_at: now,
          used_at: null,
        });
      }
      await appendAuditLeaf(trx, {
        type: 'staff.totp_enrolled',
        actorId: user.id,
        agencyId,
        subjectId: user.id,
      });
    }
    await appendAuditLeaf(trx, {
      type: 'staff.signed_in',
      actorId: user.id,
      agencyId,
      subjectId: user.id,
      facts: { method },
    });
  });
  return recoveryCodes ? { token: fresh, recoveryCodes } : { token: fresh };
}

/**
 * The principal behind a session token, or null when the token is unknown, expired, idle too long
 * or only half-way through sign-in. Refreshes `last_seen_at` at most once a minute.
 */
export async function principalFromToken(ctx: AppContext, token: string): Promise<Principal | null> {
  const session = await store.findSession(ctx.db, sessionIdOf(token));
  if (session?.stage !== 'active') return null;
  const now = Date.now();
  if (session.expires_at < nowIso(now) || Date.parse(session.last_seen_at) + SESSION_IDLE_MS < now) {
    await store.deleteSession(ctx.db, session.id);
    return null;
  }
  const user = await store.findUserById(ctx.db, session.user_id);
  if (user?.status !== 'active') return null;
  if (now - Date.parse(session.last_seen_at) > TOUCH_EVERY_MS) {
    await ctx.db
      .updateTable('sessions')
      .set({ last_seen_at: nowIso(now) })
      .where('id', '=', session.id)
      .execute();
  }
  const grants: Grant[] = user.kind === 'staff' ? await store.activeGrants(ctx.db, user.id) : [];
  return { userId: user.id, kind: user.kind, sessionId: session.id, grants };
}

export async function signOut(ctx: AppContext, token: string): Promise<void> {
  await store.deleteSession(ctx.db, sessionIdOf(token));
}

export async function signOutEverywhere(ctx: AppContext, userId: string): Promise<void> {
  await store.deleteUserSessions(ctx.db, userId);
}

export async function displayName(ctx: AppContext, userId: string): Promise<string | undefined> {
  const user = await store.findUserById(ctx.db, userId);
  return user ? ctx.keyring.decrypt(user.name_enc, 'users.name') : undefined;
}

/** Where to reach an account outside the app: its e-mail address and mobile number, when it has them. */
export async function contactChannels(
  ctx: AppContext,
  userId: string,
): Promise<{ email?: string; sms?: string }> {
  const user = await store.findUserById(ctx.db, userId);
  if (!user) return {};
  return {
    ...(user.email_enc ? { email: await ctx.keyring.decrypt(user.email_enc, 'users.email') } : {}),
    ...(user.phone_enc ? { sms: await ctx.keyring.decrypt(user.phone_enc, 'users.phone') } : {}),
  };
}
