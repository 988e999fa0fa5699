import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Policy } from '../identity/policy.ts';
import type { Principal } from '../identity/roles.ts';
import type { Lang } from './i18n/index.ts';
import type { PageContext } from './pages/layout.tsx';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    lang: Lang;
    sessionToken: string | undefined;
    anonId: string | undefined;
  }
  interface FastifyContextConfig {
    policy?: Policy;
  }
}

export const SESSION_COOKIE = 'gapura_session';
export const ANON_COOKIE = 'gapura_anon';
/** Holds a half-finished staff sign-in (password accepted, TOTP code pending) for five minutes. */
export const PENDING_COOKIE = 'gapura_pending';
export const LANG_COOKIE = 'gapura_lang';

export interface CookieSettings {
  secure: boolean;
}

export function sessionCookieOptions(settings: CookieSettings) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: settings.secure };
}

/** A CSRF token bound to the visitor's session (or pre-session id): HMAC, so nothing is stored. */
export function csrfTokenFor(secret: Buffer, boundTo: string): string {
  return createHmac('sha256', secret).update(`csrf:${boundTo}`).digest('base64url');
}

export function csrfToken(secret: Buffer, request: FastifyRequest): string {
  return csrfTokenFor(secret, request.principal?.sessionId ?? request.anonId ?? '');
}

export function csrfMatches(secret: Buffer, request: FastifyRequest, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length === 0) return false;
  if (!request.principal?.sessionId && !request.anonId) return false;
  const expected = Buffer.from(csrfToken(secret, request));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function newAnonId(): string {
  return randomBytes(16).toString('base64url');
}

export function pageContext(request: FastifyRequest, csrfSecret: Buffer, isDemo: boolean): PageContext {
  return {
    lang: request.lang,
    principal: request.principal,
    csrfToken: csrfToken(csrfSecret, request),
    isDemo,
    path: request.url.split('?')[0] ?? '/',
  };
}

/** Sends a page; a page rendered asynchronously (components that await) is sent once it is ready. */
export function sendHtml(
  reply: FastifyReply,
  html: string | Promise<string>,
  status = 200,
): FastifyReply | Promise<FastifyReply> {
  const send = (text: string) => reply.status(status).type('text/html; charset=utf-8').send(text);
  return typeof html === 'string' ? send(html) : html.then(send);
}

/** A relative path on this site only, so `?next=` can never send someone elsewhere. */
export function safeNext(next: unknown, fallback = '/'): string {
  return typeof next === 'string' && /^\/(?!\/)[^\\\s]*$/.test(next) ? next : fallback;
}
