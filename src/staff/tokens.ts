import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { appendAuditLeaf } from '../audit/log.ts';
import type { AppContext } from '../context.ts';
import { newId, nowIso } from '../db/ids.ts';
import { TooManyAttempts } from '../identity/errors.ts';
import { hitRateLimit, isRateLimited, type RateLimitRule } from '../identity/rate-limit.ts';
import type { AgencyRole, Grant, Principal } from '../identity/roles.ts';
import { createUser } from '../identity/service.ts';
import { setUserStatus } from '../identity/store.ts';
import { DomainError, FieldErrors, type FieldProblem } from '../web/domain-error.ts';
import { returnToQueue } from './queue.ts';
import type { ApiTokenItem } from './schemas.ts';
import type { AgencyScope } from './service.ts';
import * as store from './store.ts';

/**
 * What an API token may do. Each scope names the routes it opens (method and route pattern, as
 * Fastify registers them) and the agency role the token holds on them, so the route policies and
 * the services' own agency and workflow checks apply to a token exactly as to a person in that
 * role. Everything else is closed to tokens: on any other route a token is a staff principal
 * without roles (public routes still answer; staff routes refuse with 403). Tokens can never
 * reach staff management or token routes.
 *
 * - `applications:read` — list and open the agency's applications in the inbox (as a verifier:
 *   opening personal data is recorded in the access log under the token's service account).
 * - `applications:act` — claim applications and take the workflow actions a verifier may take.
 * - `applications:file` — file applications for walk-in citizens (as a counter officer).
 * - `catalogue:write` — read, validate, draft, publish and retire the agency's service definitions
 *   (as an agency admin, on the catalogue API only).
 */
export const TOKEN_SCOPES = {
  'applications:read': {
    role: 'verifier',
    routes: ['GET /api/v1/inbox', 'GET /api/v1/inbox/:id'],
  },
  'applications:act': {
    role: 'verifier',
    routes: ['POST /api/v1/applications/:id/claim', 'POST /api/v1/applications/:id/actions'],
  },
  'applications:file': {
    role: 'counter_officer',
    routes: ['POST /api/v1/counter/applications'],
  },
  'catalogue:write': {
    role: 'agency_admin',
    routes: [
      'GET /api/v1/admin/services',
      'POST /api/v1/admin/services/validate',
      'POST /api/v1/admin/services',
      'GET /api/v1/admin/services/:slug/versions',
      'GET /api/v1/admin/services/:slug/versions/:version',
      'PUT /api/v1/admin/services/:slug/draft',
      'POST /api/v1/admin/services/:slug/publish',
      'POST /api/v1/admin/services/:slug/retire',
      'GET /api/v1/admin/services/:slug/diff',
    ],
  },
} as const satisfies Record<string, { role: AgencyRole; routes: readonly string[] }>;

export type TokenScope = keyof typeof TOKEN_SCOPES;
export const SCOPE_NAMES = Object.keys(TOKEN_SCOPES) as TokenScope[];

export function isTokenScope(value: string): value is TokenScope {
  return Object.hasOwn(TOKEN_SCOPES, value);
}

/** `gpr_` + the token id (32 hex digits) + `_` + the secret (32 random bytes, base64url). */
const TOKEN_FORMAT = /^gpr_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;
const TOUCH_EVERY_MS = 60 * 1000;

/** Principals that came from an API token, so management acts can refuse them whatever their grants. */
const tokenPrincipals = new WeakSet<Principal>();

export function isApiTokenPrincipal(principal: Principal): boolean {
  return tokenPrincipals.has(principal);
}

function secretHash(ctx: AppContext, id: string, secret: string): string {
  return createHmac('sha256', ctx.keyring.derivedSecret('api-token'))
    .update(`${id}:${secret}`)
    .digest('base64url');
}

function uuidOfHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function statusOf(row: store.TokenRow, now: string): ApiTokenItem['status'] {
  if (row.revoked_at !== null) return 'revoked';
  return row.expires_at <= now ? 'expired' : 'active';
}

function itemOf(row: store.TokenRow, now = nowIso()): ApiTokenItem {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes.split(',').filter((s) => s !== ''),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    status: statusOf(row, now),
  };
}

export interface NewToken {
  name: string;
  scopes: readonly string[];
  expiresInDays: number;
}

/**
 * Creates an API token for the agency. The full token is returned once and never again: only an
 * HMAC of its secret is stored. The token acts through a service account of its own (no e-mail,
 * so it can never sign in), which is the actor the audit log names for what the token does.
 */
export async function createApiToken(
  ctx: AppContext,
  actor: Principal,
  scope: AgencyScope,
  input: NewToken,
): Promise<{ item: ApiTokenItem; token: string }> {
  const problems: FieldProblem[] = [];
  const name = input.name.trim();
  if (name.length < 2 || name.length > 100)
    problems.push({
      field: 'name',
      code: 'required',
      message: {
        id: 'Beri nama token (2–100 karakter), misalnya nama sistem yang memakainya.',
        en: 'Name the token (2–100 characters), for example after the system that uses it.',
      },
    });
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0 || !scopes.every(isTokenScope))
    problems.push({
      field: 'scopes',
      code: 'required',
      message: { id: 'Pilih paling sedikit satu izin.', en: 'Choose at least one permission.' },
    });
  if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > 365)
    problems.push({
      field: 'expiresInDays',
      code: 'invalid',
      message: { id: 'Masa berlaku 1 sampai 365 hari.', en: 'Validity must be 1 to 365 days.' },
    });
  if (problems.length > 0) throw new FieldErrors(problems);
  const ordered = SCOPE_NAMES.filter((s) => scopes.includes(s));
  const id = newId();
  const secret = randomBytes(32).toString('base64url');
  const now = Date.now();
  const row: store.TokenRow = {
    id,
    agency_id: scope.agency.id,
    user_id: '',
    name,
    scopes: ordered.join(','),
    secret_hash: secretHash(ctx, id, secret),
    created_by: actor.userId,
    created_at: nowIso(now),
    expires_at: nowIso(now + input.expiresInDays * 24 * 3600 * 1000),
    last_used_at: null,
    revoked_by: null,
    revoked_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    const account = await createUser(
      ctx,
      { kind: 'staff', name: `API: ${name}`, password: randomBytes(32).toString('base64url') },
      trx,
    );
    row.user_id = account.id;
    await store.insertToken(trx, row);
    await appendAuditLeaf(trx, {
      type: 'api_token.created',
      actorId: actor.userId,
      agencyId: scope.agency.id,
      subjectId: id,
      facts: { scopes: row.scopes, expires_at: row.expires_at, service_account: account.id },
    });
  });
  return { item: itemOf(row), token: `gpr_${id.replaceAll('-', '')}_${secret}` };
}

export async function listApiTokens(ctx: AppContext, scope: AgencyScope): Promise<ApiTokenItem[]> {
  const now = nowIso();
  return (await store.tokensOfAgency(ctx.db, scope.agency.id)).map((r) => itemOf(r, now));
}

/**
 * Revokes a token at once: it stops authenticating on its next request, its service account is
 * suspended and anything assigned to it goes back to the queue.
 */
export async function revokeApiToken(
  ctx: AppContext,
  actor: Principal,
  scope: AgencyScope,
  id: string,
): Promise<ApiTokenItem> {
  const row = /^[0-9a-f-]{36}$/.test(id) ? await store.findToken(ctx.db, id) : undefined;
  if (!row || row.agency_id !== scope.agency.id) throw new DomainError('not_found');
  if (row.revoked_at !== null) return itemOf(row);
  const now = nowIso();
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await store.revokeToken(trx, id, actor.userId, now))) return;
    await setUserStatus(trx, row.user_id, 'suspended');
    await returnToQueue(trx, row.user_id, null, actor.userId, 'token_revoked');
    await appendAuditLeaf(trx, {
      type: 'api_token.revoked',
      actorId: actor.userId,
      agencyId: scope.agency.id,
      subjectId: id,
    });
  });
  return itemOf({ ...row, revoked_at: now, revoked_by: actor.userId });
}

/** The route a request matched, as Fastify registered it (`request.routeOptions.url`). */
export interface MatchedRoute {
  method: string;
  url: string | undefined;
}

/** Failed bearer tokens one address may present per window before it must wait. */
export const FAILED_TOKENS_PER_IP: RateLimitRule = { limit: 20, windowMs: 15 * 60 * 1000 };

/** The stored token an `Authorization: Bearer gpr_…` header names, when its secret matches and it is active. */
async function validToken(ctx: AppContext, header: string) {
  const match = /^Bearer (\S+)$/i.exec(header.trim());
  const parsed = match?.[1] ? TOKEN_FORMAT.exec(match[1]) : null;
  if (!parsed?.[1] || !parsed[2]) return undefined;
  const id = uuidOfHex(parsed[1]);
  const row = await store.findToken(ctx.db, id);
  if (!row) return undefined;
  const expected = Buffer.from(row.secret_hash);
  const given = Buffer.from(secretHash(ctx, id, parsed[2]));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  return statusOf(row, nowIso()) === 'active' ? row : undefined;
}

/**
 * The principal behind an `Authorization: Bearer gpr_…` header, or null when there is no such
 * header or the token is malformed, unknown, forged, revoked or expired. Failures count against
 * the caller's address; past {@link FAILED_TOKENS_PER_IP} it gets 429 until the window ends. The principal is staff
 * of the token's agency with the roles of those of its scopes that open `route` (none on any other
 * route). Records when the token was last used, at most once a minute.
 */
export async function principalFromApiToken(
  ctx: AppContext,
  header: string | undefined,
  route: MatchedRoute,
  ip: string,
): Promise<Principal | null> {
  if (header === undefined) return null;
  // Someone guessing tokens from one address is stopped before their next guess is even checked.
  const limitKey = `api-token:ip:${ip}`;
  const blocked = await isRateLimited(ctx.db, limitKey, FAILED_TOKENS_PER_IP);
  if (!blocked.allowed) throw new TooManyAttempts(blocked.retryAfterSeconds);
  const row = await validToken(ctx, header);
  if (!row) {
    const hit = await hitRateLimit(ctx.db, limitKey, FAILED_TOKENS_PER_IP);
    if (!hit.allowed) throw new TooManyAttempts(hit.retryAfterSeconds);
    return null;
  }
  const id = row.id;
  const now = Date.now();
  if (row.last_used_at === null || Date.parse(row.last_used_at) + TOUCH_EVERY_MS < now)
    await store.touchToken(ctx.db, id, nowIso(now));
  const key = `${route.method} ${route.url ?? ''}`;
  const roles = new Set<AgencyRole>();
  for (const scope of row.scopes.split(',')) {
    if (!isTokenScope(scope)) continue;
    const granted: { role: AgencyRole; routes: readonly string[] } = TOKEN_SCOPES[scope];
    if (granted.routes.includes(key)) roles.add(granted.role);
  }
  const grants: Grant[] = [...roles].map((role) => ({ role, agencyId: row.agency_id, unitId: null }));
  const principal: Principal = { userId: row.user_id, kind: 'staff', sessionId: null, grants };
  tokenPrincipals.add(principal);
  return principal;
}
