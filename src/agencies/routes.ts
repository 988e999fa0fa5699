import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PUBLIC, staff } from '../identity/policy.ts';
import type { RouteDeps } from '../web/server.ts';
import { AgencyList, Dpo, NewAgency } from './schemas.ts';
import { createAgency, listAgencies, setAgencyDpo } from './service.ts';

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

  app.put(
    '/api/v1/agencies/:slug/dpo',
    {
      config: { policy: staff('platform_admin') },
      schema: {
        tags: ['agencies'],
        summary: "Name or replace the agency's data protection officer (platform admin)",
        security: [{ session: [] }],
        params: Type.Object({ slug: Type.String({ maxLength: 60 }) }),
        body: Dpo,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await setAgencyDpo(ctx, request.params.slug, request.body, request.principal!.userId);
      return reply.status(204).send(null);
    },
  );
};
