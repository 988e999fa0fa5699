import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { staff } from '../identity/policy.ts';
import { DomainError } from '../web/domain-error.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import { t } from '../web/i18n/index.ts';
import { renderRefusal } from '../web/refusal.ts';
import { NoContent } from '../web/schemas.ts';
import type { RouteDeps } from '../web/server.ts';
import { agencyQuery } from './pages/parts.tsx';
import { TokenCreatedPage, TokensPage } from './pages/token-pages.tsx';
import { AgencyQuery, ApiTokenItem, NewTokenBody, TokenScopeSchema } from './schemas.ts';
import { resolveAgency } from './service.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './tokens.ts';

/** Only an agency's own admins handle its tokens (a platform admin does not hold agency secrets). */
const tokenAdmins = staff('agency_admin');
const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });

/** API tokens of agency systems: JSON API and the admin page. */
export const tokenRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { ctx, csrfSecret, isDemo }) => {
  /** Tokens belong to an agency its admin administers, never to one reached as a platform admin. */
  const ownScope = async (principal: Parameters<typeof resolveAgency>[1], slug: string | undefined) => {
    const scope = await resolveAgency(ctx, principal, slug);
    if (scope.crossAgency) throw new DomainError('auth.forbidden');
    return scope;
  };

  app.get(
    '/api/v1/admin/tokens',
    {
      config: { policy: tokenAdmins },
      schema: {
        tags: ['staff'],
        summary: "The agency's API tokens (never their secrets)",
        security: [{ session: [] }],
        querystring: AgencyQuery,
        response: { 200: Type.Object({ agency: Type.String(), items: Type.Array(ApiTokenItem) }) },
      },
    },
    async (request) => {
      const scope = await ownScope(request.principal, request.query.agency);
      return { agency: scope.agency.slug, items: await listApiTokens(ctx, scope) };
    },
  );

  app.post(
    '/api/v1/admin/tokens',
    {
      config: { policy: tokenAdmins },
      schema: {
        tags: ['staff'],
        summary:
          'Create an API token for the agency. The token (gpr_<id>_<secret>) is in this answer only; send it as Authorization: Bearer',
        description: `Scopes: ${TokenScopeSchema.anyOf.map((s) => s.const).join(', ')}.`,
        security: [{ session: [] }],
        querystring: AgencyQuery,
        body: NewTokenBody,
        response: { 201: Type.Object({ token: Type.String(), item: ApiTokenItem }) },
      },
    },
    async (request, reply) => {
      const scope = await ownScope(request.principal, request.query.agency);
      const created = await createApiToken(ctx, request.principal!, scope, request.body);
      return reply.status(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.delete(
    '/api/v1/admin/tokens/:id',
    {
      config: { policy: tokenAdmins },
      schema: {
        tags: ['staff'],
        summary: 'Revoke an API token at once',
        security: [{ session: [] }],
        params: IdParams,
        querystring: AgencyQuery,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      const scope = await ownScope(request.principal, request.query.agency);
      await revokeApiToken(ctx, request.principal!, scope, request.params.id);
      return reply.status(204).send(null);
    },
  );

  // Pages -------------------------------------------------------------------------------------

  const PageQuery = Type.Object({
    agency: Type.Optional(Type.String({ maxLength: 60 })),
    done: Type.Optional(Type.Literal('revoked')),
  });

  app.get(
    '/admin/tokens',
    { config: { policy: tokenAdmins }, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const scope = await ownScope(request.principal, request.query.agency);
      return sendHtml(
        reply,
        <TokensPage
          page={pageContext(request, csrfSecret, isDemo)}
          agency={scope.agency}
          named={request.query.agency !== undefined}
          tokens={await listApiTokens(ctx, scope)}
          notice={request.query.done ? t(request.lang, 'tokens.revoked_done') : undefined}
        />,
      );
    },
  );

  app.post(
    '/admin/tokens',
    {
      config: { policy: tokenAdmins },
      schema: {
        hide: true,
        querystring: AgencyQuery,
        body: Type.Object({
          _csrf: Type.String(),
          name: Type.String({ maxLength: 200 }),
          scopes: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
          expiresInDays: Type.String({ maxLength: 4 }),
        }),
      },
    },
    async (request, reply) => {
      const scope = await ownScope(request.principal, request.query.agency);
      const page = pageContext(request, csrfSecret, isDemo);
      const named = request.query.agency !== undefined;
      const values = {
        name: request.body.name,
        scopes: request.body.scopes ?? [],
        expiresInDays: request.body.expiresInDays,
      };
      try {
        const created = await createApiToken(ctx, request.principal!, scope, {
          name: values.name,
          scopes: values.scopes,
          expiresInDays: /^\d{1,3}$/.test(values.expiresInDays) ? Number(values.expiresInDays) : 0,
        });
        reply.header('cache-control', 'no-store');
        return sendHtml(
          reply,
          <TokenCreatedPage
            page={page}
            item={created.item}
            token={created.token}
            backHref={`/admin/tokens${agencyQuery(named ? scope.agency.slug : undefined)}`}
          />,
          201,
        );
      } catch (err) {
        const tokens = await listApiTokens(ctx, scope);
        return renderRefusal(request, reply, err, (fields, form) => (
          <TokensPage
            page={page}
            agency={scope.agency}
            named={named}
            tokens={tokens}
            values={values}
            errors={{ fields, form }}
          />
        ));
      }
    },
  );

  app.post(
    '/admin/tokens/:id/revoke',
    {
      config: { policy: tokenAdmins },
      schema: {
        hide: true,
        params: IdParams,
        querystring: AgencyQuery,
        body: Type.Object({ _csrf: Type.String() }),
      },
    },
    async (request, reply) => {
      const scope = await ownScope(request.principal, request.query.agency);
      await revokeApiToken(ctx, request.principal!, scope, request.params.id);
      const q = agencyQuery(request.query.agency !== undefined ? scope.agency.slug : undefined);
      return reply.redirect(`/admin/tokens${q}${q ? '&' : '?'}done=revoked`, 303);
    },
  );
};
