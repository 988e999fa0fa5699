import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PUBLIC } from '../identity/policy.ts';
import { DomainError } from '../web/domain-error.ts';
import type { RouteDeps } from '../web/server.ts';
import { districts, findRegion, provinces, type Region, regencies, villages } from './store.ts';

/** The data changes only with the `idn-area-data` package, so browsers and proxies may keep it a day. */
const CACHE_CONTROL = 'public, max-age=86400';

const RegionItem = Type.Object({
  code: Type.String({ description: 'Dotted Kemendagri code, e.g. 33.73.04' }),
  name: Type.String(),
});

function childrenOf(parent: Region): readonly Region[] {
  switch (parent.level) {
    case 'province':
      return regencies(parent.code);
    case 'regency':
      return districts(parent.code);
    case 'district':
      return villages(parent.code);
    default:
      return [];
  }
}

/** Regions of Indonesia for the cascading region picker. */
export const regionRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app) => {
  app.get(
    '/api/v1/regions',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['regions'],
        summary:
          'Provinces, or the regencies/cities, districts or villages of a parent region (Kemendagri codes)',
        querystring: Type.Object({
          parent: Type.Optional(
            Type.String({
              pattern: '^[0-9]{2}(\\.?[0-9]{2}(\\.?[0-9]{2})?)?$',
              description:
                'Code of a province, regency/city or district (dotted or digits); absent: provinces',
            }),
          ),
        }),
        response: { 200: Type.Object({ items: Type.Array(RegionItem) }) },
      },
    },
    async (request, reply) => {
      const { parent } = request.query;
      const region = parent === undefined ? undefined : findRegion(parent);
      if (parent !== undefined && region === undefined) throw new DomainError('not_found');
      const children = region === undefined ? provinces() : childrenOf(region);
      reply.header('cache-control', CACHE_CONTROL);
      return { items: children.map(({ code, name }) => ({ code, name })) };
    },
  );
};
