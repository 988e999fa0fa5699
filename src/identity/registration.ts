import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import type { AppContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { newId, nowIso } from '../db/ids.ts';
import { notify } from '../notifications/service.ts';
import type { TemplateName } from '../notifications/templates.ts';
import { DomainError, FieldErrors, type FieldProblem } from '../web/domain-error.ts';
import type { Lang } from '../web/i18n/index.ts';
import { type Contact, parseContact } from './contact.ts';
import { messageFor } from './identifiers/index.ts';
import { validateNik } from './identifiers/nik.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';
import { hitRateLimit } from './rate-limit.ts';
import { contactIndex, createUser, findUserByContact, nikIndex, signOutEverywhere } from './service.ts';
import * as store from './store.ts';

const CODE_MINUTES = 15;
const REGISTER_PER_IP = { limit: 10, windowMs: 60 * 60 * 1000 };
const CODE_ATTEMPTS = { limit: 5, windowMs: 15 * 60 * 1000 };
const CODE_REQUESTS = { limit: 5, windowMs: 60 * 60 * 1000 };

const FIELD_MESSAGES: Record<string, { id: string; en: string }> = {
  'contact.invalid': {
    id: 'Masukkan alamat email atau nomor HP Indonesia, misalnya 0812 3456 7890.',
    en: 'Enter an e-mail address or an Indonesian mobile number, for example 0812 3456 7890.',
  },
  'name.length': {
    id: 'Tulis nama lengkap Anda (2 sampai 100 huruf).',
    en: 'Enter your full name (2 to 100 characters).',
  },
  'password.length': {
    id: `Kata sandi minimal ${MIN_PASSWORD_LENGTH} karakter.`,
    en: `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`,
  },
  'nik.in_use': {
    id: 'NIK ini sudah terdaftar di akun lain. Hubungi petugas loket bila ini NIK Anda.',
    en: 'This NIK is already registered to another account. Ask a counter officer if it is yours.',
  },
};

function problem(field: string, code: string): FieldProblem {
  const message = FIELD_MESSAGES[code] ?? { id: code, en: code };
  return { field, code, message };
}

export interface RegistrationInput {
  contact: string;
  name: string;
  password: string;
  nik?: string | undefined;
  lang: Lang;
}

function codeHash(ctx: AppContext, userId: string, purpose: string, code: string): string {
  return createHmac('sha256', ctx.keyring.derivedSecret('verification-codes'))
    .update(`${userId}:${purpose}:${code}`)
    .digest('base64url');
}

function channelsFor(contact: Contact): { email?: string; sms?: string } {
  return contact.kind === 'email' ? { email: contact.value } : { sms: contact.value };
}

/** Creates a fresh 6-digit code (the previous one stops counting) and sends it in the same transaction. */
async function sendCode(
  ctx: AppContext,
  trx: Db,
  userId: string,
  contact: Contact,
  purpose: 'verify' | 'recover',
  lang: Lang,
): Promise<void> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = Date.now();
  await store.insertVerificationCode(trx, {
    id: newId(now),
    user_id: userId,
    purpose,
    code_hash: codeHash(ctx, userId, purpose, code),
    expires_at: nowIso(now + CODE_MINUTES * 60_000),
    created_at: nowIso(now),
    used_at: null,
  });
  const template: TemplateName = purpose === 'verify' ? 'account.verification_code' : 'account.recovery_code';
  await notify(ctx, trx, {
    userId,
    template,
    params: { code, minutes: CODE_MINUTES },
    lang,
    channels: channelsFor(contact),
  });
}

/**
 * A citizen registers with an e-mail address or mobile number. The answer is the same whether or
 * not the contact is already registered (no enumeration): a new account gets a code; an
 * unverified one gets a fresh code; a verified one gets nothing new.
 */
export async function register(ctx: AppContext, input: RegistrationInput, ip: string): Promise<void> {
  const byIp = await hitRateLimit(ctx.db, `register:ip:${ip}`, REGISTER_PER_IP);
  if (!byIp.allowed)
    throw new DomainError('auth.too_many_attempts', { retryAfterSeconds: byIp.retryAfterSeconds });
  const problems: FieldProblem[] = [];
  const contact = parseContact(input.contact);
  if (!contact) problems.push(problem('contact', 'contact.invalid'));
  const name = input.name.trim();
  if (name.length < 2 || name.length > 100) problems.push(problem('name', 'name.length'));
  if (input.password.length < MIN_PASSWORD_LENGTH || input.password.length > 200)
    problems.push(problem('password', 'password.length'));
  let nik: string | undefined;
  if (input.nik !== undefined && input.nik.trim() !== '') {
    const result = validateNik(input.nik);
    if (result.ok) nik = result.value;
    else
      problems.push({
        field: 'nik',
        code: result.code,
        message: { id: messageFor(result.code, 'id'), en: messageFor(result.code, 'en') },
      });
  }
  if (nik && (await store.findUserByNikIndex(ctx.db, nikIndex(ctx, nik))))
    problems.push(problem('nik', 'nik.in_use'));
  if (problems.length > 0 || !contact) throw new FieldErrors(problems);
  const existing = await findUserByContact(ctx, contact);
  if (existing) {
    if (existing.status === 'unverified') {
      await ctx.db
        .transaction()
        .execute((trx) => sendCode(ctx, trx, existing.id, contact, 'verify', input.lang));
    }
    return;
  }
  await ctx.db.transaction().execute(async (trx) => {
    const { id } = await createUser(
      ctx,
      {
        kind: 'citizen',
        ...(contact.kind === 'email' ? { email: contact.value } : { phone: contact.value }),
        ...(nik ? { nik } : {}),
        name,
        password: input.password,
        status: 'unverified',
      },
      trx,
    );
    await sendCode(ctx, trx, id, contact, 'verify', input.lang);
  });
}

/** Checks a code against the newest one of its purpose; wrong, expired and used codes look the same. */
async function consumeCode(
  ctx: AppContext,
  contactInput: string,
  code: string,
  purpose: 'verify' | 'recover',
  ip: string,
) {
  const contact = parseContact(contactInput);
  const key = contact ? contactIndex(ctx, contact) : 'unparsed';
  const limit = await hitRateLimit(ctx.db, `code:${purpose}:${key}`, CODE_ATTEMPTS);
  const byIp = await hitRateLimit(ctx.db, `code:ip:${ip}`, { limit: 30, windowMs: 15 * 60 * 1000 });
  if (!limit.allowed || !byIp.allowed) {
    throw new DomainError('auth.too_many_attempts', {
      retryAfterSeconds: Math.max(limit.retryAfterSeconds, byIp.retryAfterSeconds),
    });
  }
  const user = contact ? await findUserByContact(ctx, contact) : undefined;
  const latest = user ? await store.findLatestCode(ctx.db, user.id, purpose) : undefined;
  const expected = Buffer.from(latest && user ? latest.code_hash : 'x'.repeat(43));
  const given = Buffer.from(codeHash(ctx, user?.id ?? 'none', purpose, code.trim()));
  const matches = expected.length === given.length && timingSafeEqual(expected, given);
  if (!user || !latest || !matches || latest.used_at !== null || latest.expires_at < nowIso()) {
    throw new DomainError('auth.invalid_code');
  }
  if (!(await store.useCode(ctx.db, latest.id, nowIso()))) throw new DomainError('auth.invalid_code');
  return user;
}

/** The citizen proves control of the contact; the account becomes active. */
export async function verifyContact(
  ctx: AppContext,
  contact: string,
  code: string,
  ip: string,
): Promise<string> {
  const user = await consumeCode(ctx, contact, code, 'verify', ip);
  await store.setUserStatus(ctx.db, user.id, 'active');
  return user.id;
}

/** Sends a recovery code when the contact belongs to an active account; says nothing either way. */
export async function requestRecovery(
  ctx: AppContext,
  contactInput: string,
  lang: Lang,
  ip: string,
): Promise<void> {
  const contact = parseContact(contactInput);
  const key = contact ? contactIndex(ctx, contact) : 'unparsed';
  const limit = await hitRateLimit(ctx.db, `recover:${key}`, CODE_REQUESTS);
  const byIp = await hitRateLimit(ctx.db, `recover:ip:${ip}`, { limit: 20, windowMs: 60 * 60 * 1000 });
  if (!limit.allowed || !byIp.allowed) {
    throw new DomainError('auth.too_many_attempts', {
      retryAfterSeconds: Math.max(limit.retryAfterSeconds, byIp.retryAfterSeconds),
    });
  }
  const user = contact ? await findUserByContact(ctx, contact) : undefined;
  if (!contact || !user || user.status !== 'active') return;
  await ctx.db.transaction().execute((trx) => sendCode(ctx, trx, user.id, contact, 'recover', lang));
}

/** Sets a new password with a recovery code and signs the account out everywhere. */
export async function resetPassword(
  ctx: AppContext,
  contact: string,
  code: string,
  password: string,
  ip: string,
): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH || password.length > 200)
    throw new FieldErrors([problem('password', 'password.length')]);
  const user = await consumeCode(ctx, contact, code, 'recover', ip);
  await store.setPasswordHash(ctx.db, user.id, await hashPassword(password));
  await signOutEverywhere(ctx, user.id);
}
