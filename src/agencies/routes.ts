import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PUBLIC, staff } from '../identity/policy.ts';
import type { RouteDeps } from '../web/server.ts';
import { AgencyList, NewAgency } from './schemas.ts';
import { createAgency, listAgencies } from './service.ts';

export const agencyRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { ctx }) => {
  app.get(
    '/api/v1/agencies',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['agencies'],
        summary: 'Every agency on the platform, with its units',
        response: { 200: AgencyList },
      },
    },
    async () => ({ items: await listAgencies(ctx) }),
  );

  app.post(
    '/api/v1/agencies',
    {
      config: { policy: staff('platform_admin') },
      schema: {
        tags: ['agencies'],
        summary: 'Add an agency (platform admin)',
        security: [{ session: [] }],
        body: NewAgency,
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    },
    async (request, reply) => {
      const id = await createAgency(ctx, request.body, request.principal?.userId ?? null);
      return reply.status(201).send({ id });
    },
  );
};
