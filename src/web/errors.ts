import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from './domain-error.ts';
import { isMessageKey, type Lang, t } from './i18n/index.ts';

/** The one table from error code to HTTP status. */
const STATUS: Record<string, number> = {
  not_found: 404,
  'request.invalid': 400,
  'request.too_large': 413,
  'request.unsupported_type': 415,
  'request.fields': 400,
  'request.url_too_long': 414,
  'auth.invalid_code': 400,
  'auth.unverified': 403,
  'csrf.invalid': 403,
  'auth.invalid_credentials': 401,
  'auth.invalid_second_factor': 401,
  'auth.not_authenticated': 401,
  'auth.forbidden': 403,
  'auth.too_many_attempts': 429,
  'agency.exists': 409,
  'holiday.regional_needs_agency': 400,
  'holiday.invalid_date': 400,
  'service.unavailable': 503,
  'service.invalid': 422,
  'service.exists': 409,
  'service.unknown_agency': 400,
  'service.identity_mismatch': 400,
  'service.no_draft': 409,
  'service.not_published': 409,
  'service.too_large': 413,
  'application.invalid': 422,
  'application.not_editable': 409,
  'application.changed': 409,
  'application.not_submitted': 409,
  'application.consent_required': 400,
  'application.idempotency_conflict': 409,
  'application.track_failed': 404,
  'application.idempotency_key_required': 400,
  'application.already_linked': 409,
  'application.closed': 409,
  'application.action_unavailable': 409,
  'application.identity_unverified': 409,
  'application.claimed': 409,
  'document.already_revoked': 409,
  'survey.already_answered': 409,
  'survey.not_open': 409,
  'staff.lockout': 409,
  'staff.shared_account': 409,
  'staff.no_roles': 409,
  'staff.agency_required': 400,
  'upload.unknown_field': 400,
  'upload.empty': 400,
  'upload.too_large': 413,
  'upload.type_not_allowed': 415,
  'upload.too_many': 409,
  'upload.corrupt': 500,
  'complaint.duplicate': 409,
  'complaint.changed': 409,
  'complaint.closed': 409,
  'complaint.action_unavailable': 409,
  'complaint.appeal_used': 409,
  'complaint.track_failed': 404,
  'complaint.not_publishable': 409,
  internal: 500,
};

export interface MappedError {
  status: number;
  code: string;
  details: Record<string, unknown>;
  retryAfterSeconds?: number;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_BUSY',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '08001',
  '25006',
]);

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  return String(err.code);
}

/**
 * better-sqlite3 reports SQLite's extended result codes (`SQLITE_IOERR_WRITE` when a write is
 * refused, `SQLITE_READONLY_DBMOVED`, …): they are unavailability as much as their primary code.
 */
function isUnavailable(code: string): boolean {
  return UNAVAILABLE_CODES.has(code) || UNAVAILABLE_CODES.has(/^SQLITE_[A-Z]+/.exec(code)?.[0] ?? '');
}

/** Turns any thrown value into a status, a stable code and safe details (never a stack or SQL). */
export function mapError(err: unknown): MappedError {
  if (err instanceof DomainError) {
    const status = STATUS[err.code] ?? 400;
    const retry =
      typeof err.details.retryAfterSeconds === 'number' ? err.details.retryAfterSeconds : undefined;
    return {
      status,
      code: err.code,
      details: err.details,
      ...(retry !== undefined ? { retryAfterSeconds: retry } : {}),
    };
  }
  const code = errorCode(err);
  if (typeof err === 'object' && err !== null && 'validation' in err && Array.isArray(err.validation)) {
    const details = {
      problems: err.validation.map((v: { instancePath?: string; message?: string }) => ({
        path: v.instancePath ?? '',
        message: v.message ?? '',
      })),
    };
    return { status: 400, code: 'request.invalid', details };
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === 'FST_REQ_FILE_TOO_LARGE') {
    return { status: 413, code: 'request.too_large', details: {} };
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return { status: 415, code: 'request.unsupported_type', details: {} };
  if (code !== undefined && isUnavailable(code)) {
    return { status: 503, code: 'service.unavailable', details: {}, retryAfterSeconds: 5 };
  }
  if (typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number') {
    const status = err.statusCode;
    if (status >= 400 && status < 500)
      return { status, code: status === 404 ? 'not_found' : 'request.invalid', details: {} };
  }
  return { status: 500, code: 'internal', details: {} };
}

export function errorMessage(lang: Lang, mapped: MappedError): string {
  const key = `errors.${mapped.code}`;
  return isMessageKey(key) ? t(lang, key, mapped.details) : t(lang, 'errors.internal');
}

export function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/') || request.url === '/healthz' || request.url === '/readyz';
}

/** Sends the API's JSON error shape: {"error":{"code","message","details"}}. */
export function sendJsonError(reply: FastifyReply, lang: Lang, mapped: MappedError): FastifyReply {
  if (mapped.retryAfterSeconds !== undefined) reply.header('retry-after', String(mapped.retryAfterSeconds));
  return reply
    .status(mapped.status)
    .type('application/json; charset=utf-8')
    .send({ error: { code: mapped.code, message: errorMessage(lang, mapped), details: mapped.details } });
}
