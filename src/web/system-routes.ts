import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { isReachable } from '../db/database.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { PUBLIC } from '../identity/policy.ts';
import { LANG_COOKIE, safeNext } from './http.ts';
import type { RouteDeps } from './server.ts';

const Health = Type.Object({ status: Type.String() });
const Ready = Type.Object({
  status: Type.String(),
  database: Type.String(),
  pendingMigrations: Type.Array(Type.String()),
});

/** Liveness, readiness, the OpenAPI document and the language switch. */
export const systemRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { ctx, cookieSettings }) => {
  app.get(
    '/healthz',
    {
      config: { policy: PUBLIC },
      schema: { tags: ['system'], summary: 'The process is up', response: { 200: Health } },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['system'],
        summary: 'The database is reachable and its schema is current',
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_request, reply) => {
      const reachable = await isReachable(ctx.db);
      const pending = reachable ? await pendingMigrations(ctx.db).catch(() => ['unknown']) : [];
      const ready = reachable && pending.length === 0;
      if (!ready) reply.header('retry-after', '5');
      return reply.status(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        database: reachable ? ctx.engine : 'unreachable',
        pendingMigrations: pending,
      });
    },
  );

  app.get('/api/openapi.json', { config: { policy: PUBLIC }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  app.get(
    '/lang/:lang',
    {
      config: { policy: PUBLIC },
      schema: {
        hide: true,
        params: Type.Object({ lang: Type.Union([Type.Literal('id'), Type.Literal('en')]) }),
        querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 500 })) }),
      },
    },
    async (request, reply) => {
      reply.setCookie(LANG_COOKIE, request.params.lang, {
        path: '/',
        sameSite: 'lax',
        secure: cookieSettings.secure,
        maxAge: 365 * 24 * 3600,
      });
      return reply.redirect(safeNext(request.query.next));
    },
  );
};
