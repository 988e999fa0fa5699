import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listAgencies } from '../agencies/service.ts';
import { PUBLIC } from '../identity/policy.ts';
import { pageContext, sendHtml } from './http.ts';
import { HomePage } from './pages/home.tsx';
import type { RouteDeps } from './server.ts';

/** Public pages that belong to no single domain module. */
export const siteRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { ctx, csrfSecret, isDemo }) => {
  app.get('/', { config: { policy: PUBLIC }, schema: { hide: true } }, async (request, reply) => {
    const agencies = await listAgencies(ctx);
    return sendHtml(reply, <HomePage page={pageContext(request, csrfSecret, isDemo)} agencies={agencies} />);
  });
};
