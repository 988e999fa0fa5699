import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteDeps } from '../web/server.ts';
import { complaintApiRoutes } from './api-routes.ts';
import { complaintPageRoutes } from './site-routes.tsx';
import { complaintStaffRoutes } from './staff-routes.tsx';

/** Every complaint route: the JSON API, the public's and complainant's pages, complaint staff's pages. */
export const complaintsRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  await app.register(complaintApiRoutes, deps);
  await app.register(complaintPageRoutes, deps);
  await app.register(complaintStaffRoutes, deps);
};
