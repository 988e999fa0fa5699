import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants as zlibConstants } from 'node:zlib';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyRequest } from 'fastify';
import { agencyRoutes } from '../agencies/routes.ts';
import { counterRoutes } from '../applications/counter-routes.tsx';
import { inboxRoutes } from '../applications/inbox-routes.tsx';
import { applicationApiRoutes } from '../applications/routes.ts';
import { applicationPageRoutes } from '../applications/site-routes.tsx';
import { auditRoutes } from '../audit/routes.ts';
import { calendarRoutes } from '../calendar/routes.ts';
import { designerRoutes } from '../catalog/designer-routes.tsx';
import { catalogRoutes } from '../catalog/routes.ts';
import { catalogueSiteRoutes } from '../catalog/site-routes.tsx';
import { complaintsRoutes } from '../complaints/routes.tsx';
import type { AppContext } from '../context.ts';
import { documentRoutes } from '../documents/routes.tsx';
import { decide } from '../identity/policy.ts';
import { registrationRoutes } from '../identity/registration-routes.tsx';
import { identityRoutes } from '../identity/routes.tsx';
import { principalFromToken } from '../identity/service.ts';
import { notificationRoutes } from '../notifications/routes.tsx';
import { openDataRoutes } from '../opendata/routes.tsx';
import { privacyRoutes } from '../privacy/routes.tsx';
import { regionRoutes } from '../regions/routes.ts';
import { staffRoutes } from '../staff/routes.tsx';
import { principalFromApiToken } from '../staff/tokens.ts';
import { surveyRoutes } from '../survey/routes.tsx';
import { DomainError } from './domain-error.ts';
import { errorMessage, isApiRequest, mapError, sendJsonError } from './errors.ts';
import {
  ANON_COOKIE,
  csrfMatches,
  LANG_COOKIE,
  newAnonId,
  pageContext,
  SESSION_COOKIE,
  sendHtml,
  sessionCookieOptions,
} from './http.ts';
import { chooseLang } from './i18n/index.ts';
import { ErrorPage } from './pages/error.tsx';
import { siteRoutes } from './site-routes.tsx';
import { systemRoutes } from './system-routes.ts';

export interface ServerOptions {
  /** Largest request body accepted, in bytes. */
  bodyLimit?: number;
}

const STATIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'static');
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Bodies the API reads: JSON, uploads, YAML service definitions and PDFs to verify (routes without a parser still refuse them). */
const API_BODY_TYPES = ['application/json', 'multipart/form-data', 'application/yaml', 'application/pdf'];
/** Longer URLs are refused: no page or API needs them, and they end up in logs. */
const MAX_URL_LENGTH = 4096;

/**
 * Builds the HTTP server: security headers, cookies, language, authentication from the session
 * cookie, the route policy check, CSRF, one error mapping, and every module's routes.
 */
function createFastify(ctx: AppContext, options: ServerOptions) {
  return Fastify({
    loggerInstance: ctx.logger,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
}

export type App = ReturnType<typeof createFastify>;

export async function buildServer(ctx: AppContext, options: ServerOptions = {}): Promise<App> {
  const app = createFastify(ctx, options);

  const csrfSecret = ctx.keyring.derivedSecret('csrf');
  const isDemo = ctx.config.mode === 'demo';
  const cookieSettings = { secure: ctx.config.publicUrl.startsWith('https://') };

  const routeList: RouteInfo[] = [];
  ROUTES.set(app, routeList);
  app.addHook('onRoute', (route) => {
    if (route.method === 'HEAD') return;
    if (route.config?.policy === undefined && !route.url.startsWith('/static')) {
      throw new Error(`route ${route.method} ${route.url} declares no access policy`);
    }
    for (const method of [route.method].flat()) routeList.push({ method, url: route.url });
  });

  // Pages, styles and scripts travel compressed: a cheap phone on a slow network pays per byte.
  // Brotli at quality 5 costs about as much CPU as gzip and saves more; 1 KB and under stays as is.
  await app.register(fastifyCompress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: options.bodyLimit ?? 1024 * 1024 });
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    frameguard: { action: 'deny' },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gapura API',
        version: '1',
        description:
          'Public services platform: catalogue, applications, audit log. Errors: {"error":{"code","message","details"}}.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer', description: 'An agency API token (gpr_…)' },
        },
      },
    },
  });
  await app.register(fastifyStatic, {
    root: STATIC_DIR,
    prefix: '/static/',
    maxAge: '1d',
    decorateReply: false,
  });

  app.decorateRequest('principal', null);
  app.decorateRequest('lang', 'id');
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('anonId', undefined);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.url.length > MAX_URL_LENGTH) throw new DomainError('request.url_too_long');
    request.lang = chooseLang(request.cookies[LANG_COOKIE], request.headers['accept-language']);
    const token = request.cookies[SESSION_COOKIE];
    if (token) {
      request.principal = await principalFromToken(ctx, token);
      if (request.principal) request.sessionToken = token;
      else reply.clearCookie(SESSION_COOKIE, { path: '/' });
    } else if (isApiRequest(request)) {
      // Agency systems call the API with a bearer token, limited to its scope's routes.
      request.principal = await principalFromApiToken(
        ctx,
        request.headers.authorization,
        {
          method: request.method,
          url: request.routeOptions.url ?? '',
        },
        request.ip,
      );
    }
    request.anonId = request.cookies[ANON_COOKIE];
    if (!request.anonId && !request.principal && request.method === 'GET' && !isApiRequest(request)) {
      request.anonId = newAnonId();
      reply.setCookie(ANON_COOKIE, request.anonId, sessionCookieOptions(cookieSettings));
    }
    if (UNSAFE.has(request.method) && isApiRequest(request)) {
      const type = request.headers['content-type'] ?? '';
      const hasBody =
        Number(request.headers['content-length'] ?? 0) > 0 ||
        request.headers['transfer-encoding'] !== undefined;
      if (hasBody && !API_BODY_TYPES.some((accepted) => type.startsWith(accepted))) {
        throw Object.assign(new Error('unsupported media type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
      }
    }
  });

  // The route's policy first — before input validation, so callers who may not use a route learn
  // nothing from it — then CSRF for cookie-authenticated changes (the body is parsed by now).
  app.addHook('preValidation', async (request) => {
    const policy = request.routeOptions.config.policy;
    if (policy) {
      const decision = decide(policy, request.principal);
      if (decision === 'unauthenticated') throw new DomainError('auth.not_authenticated');
      if (decision === 'forbidden') throw new DomainError('auth.forbidden');
    }
    // No text field anywhere has a use for NUL, and PostgreSQL cannot store it in text.
    if (containsNul(request.query) || containsNul(request.params) || containsNul(request.body))
      throw new DomainError('request.invalid');
    if (!UNSAFE.has(request.method)) return;
    const api = isApiRequest(request);
    if (api && !request.sessionToken) return; // JSON-only API without a session cookie: no ambient authority to abuse
    const body = request.body;
    const presented = api
      ? request.headers['x-csrf-token']
      : typeof body === 'object' && body !== null && '_csrf' in body
        ? body._csrf
        : undefined;
    if (!csrfMatches(csrfSecret, request, presented)) throw new DomainError('csrf.invalid');
  });

  const renderError = (request: FastifyRequest, status: number, message: string) =>
    ErrorPage({ page: pageContext(request, csrfSecret, isDemo), status, message });

  // While shutting down, tell keep-alive clients to hang up after the answer they are waiting for,
  // so closing does not wait on connections that would otherwise stay open.
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (draining) reply.header('connection', 'close');
  });

  app.setErrorHandler(async (err, request, reply) => {
    const mapped = mapError(err);
    if (mapped.status >= 500) {
      request.log.error(
        { err: { code: (err as { code?: unknown }).code, message: err instanceof Error ? err.message : '' } },
        'request failed',
      );
    }
    if (isApiRequest(request)) return sendJsonError(reply, request.lang, mapped);
    if (mapped.retryAfterSeconds !== undefined) reply.header('retry-after', String(mapped.retryAfterSeconds));
    if (mapped.code === 'auth.not_authenticated' && request.method === 'GET') {
      return reply.redirect(`/signin?next=${encodeURIComponent(request.url)}`);
    }
    return sendHtml(
      reply,
      renderError(request, mapped.status, errorMessage(request.lang, mapped)),
      mapped.status,
    );
  });

  app.setNotFoundHandler(async (request, reply) => {
    const mapped = { status: 404, code: 'not_found', details: {} };
    if (isApiRequest(request)) return sendJsonError(reply, request.lang, mapped);
    return sendHtml(reply, renderError(request, 404, errorMessage(request.lang, mapped)), 404);
  });

  const deps = { ctx, csrfSecret, isDemo, cookieSettings };
  await app.register(systemRoutes, deps);
  await app.register(siteRoutes, deps);
  await app.register(agencyRoutes, deps);
  await app.register(auditRoutes, deps);
  await app.register(calendarRoutes, deps);
  await app.register(catalogRoutes, deps);
  await app.register(catalogueSiteRoutes, deps);
  await app.register(designerRoutes, deps);
  await app.register(regionRoutes, deps);
  await app.register(applicationApiRoutes, deps);
  await app.register(applicationPageRoutes, deps);
  await app.register(counterRoutes, deps);
  await app.register(inboxRoutes, deps);
  await app.register(documentRoutes, deps);
  await app.register(privacyRoutes, deps);
  await app.register(staffRoutes, deps);
  await app.register(identityRoutes, deps);
  await app.register(registrationRoutes, deps);
  await app.register(notificationRoutes, deps);
  await app.register(complaintsRoutes, deps);
  await app.register(surveyRoutes, deps);
  await app.register(openDataRoutes, deps);
  return app;
}

/** Whether a parsed value holds a NUL character in any string or key (iterative: input may nest deeply). */
function containsNul(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    // File contents are bytes, not text: any byte may be 0.
    if (Buffer.isBuffer(next)) continue;
    if (typeof next === 'string') {
      if (next.includes('\u0000')) return true;
    } else if (typeof next === 'object' && next !== null) {
      for (const [key, child] of Object.entries(next)) {
        if (key.includes('\u0000')) return true;
        pending.push(child);
      }
    }
  }
  return false;
}

export interface RouteInfo {
  method: string;
  url: string;
}

const ROUTES = new WeakMap<object, RouteInfo[]>();

/** Every route the server registered (except the automatic HEAD routes), for the access-matrix test. */
export function routesOf(app: App): readonly RouteInfo[] {
  return ROUTES.get(app) ?? [];
}

/** What route modules receive. */
export interface RouteDeps {
  ctx: AppContext;
  csrfSecret: Buffer;
  isDemo: boolean;
  cookieSettings: { secure: boolean };
}
