import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { stringify } from 'yaml';
import { PUBLIC, staff } from '../identity/policy.ts';
import type { RouteDeps } from '../web/server.ts';
import { diffDefinitions } from './diff.ts';
import { parseDefinitionText } from './files.ts';
import { CATEGORIES, Slug, serviceDefinitionJsonSchema } from './schemas.ts';
import {
  DefinitionProblems,
  getPublished,
  getVersion,
  importDefinition,
  listManagedServices,
  listVersions,
  MAX_PER_PAGE,
  publishDraft,
  retireService,
  saveDraft,
  searchCatalogue,
} from './service.ts';
import { validateDefinition } from './validate.ts';

const Text = Type.Object({ id: Type.String(), en: Type.String() });
/** A whole definition document; its own JSON Schema is published at /api/v1/schemas/service-definition.json. */
const DefinitionDocument = Type.Unsafe<unknown>({
  type: 'object',
  additionalProperties: true,
  description: 'A service definition: see GET /api/v1/schemas/service-definition.json',
});
const Status = Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('retired')]);
const ProblemItem = Type.Object({ path: Type.String(), code: Type.String(), message: Text });
const CatalogueItem = Type.Object({
  slug: Type.String(),
  version: Type.Integer(),
  agency: Type.Object({ slug: Type.String(), name: Text }),
  name: Text,
  description: Text,
  category: Type.String(),
  tags: Type.Array(Type.String()),
  feeRupiah: Type.Integer({ description: '0 when the service is free' }),
  completionDays: Type.Integer({ description: 'working days' }),
  product: Text,
  publishedAt: Type.String(),
});
const VersionItem = Type.Object({
  version: Type.Integer(),
  status: Status,
  name: Text,
  createdAt: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  publishedBy: Type.Union([Type.String(), Type.Null()]),
  retiredAt: Type.Union([Type.String(), Type.Null()]),
  retiredBy: Type.Union([Type.String(), Type.Null()]),
});
const Outcome = Type.Object({ slug: Type.String(), version: Type.Integer(), status: Status });
const SlugParams = Type.Object({ slug: Slug });
const VersionNumber = Type.Integer({ minimum: 1, maximum: 100_000 });
const session = [{ session: [] }];
const admin = staff('agency_admin');
const YAML_TYPES = ['application/yaml'];

/**
 * The catalogue over HTTP: the published services for everyone, and for agency admins the same
 * operations as `gapura services …` (validate, import, export, publish, retire, versions, compare).
 */
export const catalogRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { ctx }) => {
  // Definitions may also be sent as YAML, the format they are usually written in.
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_request, body, done) => {
    const parsed = parseDefinitionText(String(body), 'yaml');
    if (parsed.ok) done(null, parsed.value);
    else done(new DefinitionProblems(parsed.problems), undefined);
  });

  app.get(
    '/api/v1/schemas/service-definition.json',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['catalogue'],
        summary: 'The JSON Schema of a service definition (for editors and validators)',
        response: { 200: DefinitionDocument },
      },
    },
    async (_request, reply) => reply.type('application/schema+json').send(serviceDefinitionJsonSchema()),
  );

  app.get(
    '/api/v1/services',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['catalogue'],
        summary: 'Published services: words (typo-tolerant), agency and category filters, paginated',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 200 })),
          agency: Type.Optional(Type.String({ maxLength: 60 })),
          category: Type.Optional(Type.Union(CATEGORIES.map((c) => Type.Literal(c)))),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
          perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PER_PAGE })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(CatalogueItem),
            total: Type.Integer(),
            page: Type.Integer(),
            perPage: Type.Integer(),
          }),
        },
      },
    },
    async (request) => searchCatalogue(ctx, request.query),
  );

  app.get(
    '/api/v1/services/:slug',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['catalogue'],
        summary: 'The published definition of a service, with its catalogue entry',
        params: SlugParams,
        response: { 200: Type.Object({ service: CatalogueItem, definition: DefinitionDocument }) },
      },
    },
    async (request) => {
      const found = await getPublished(ctx, request.params.slug);
      return { service: found.entry, definition: found.definition };
    },
  );

  app.get(
    '/api/v1/admin/services',
    {
      config: { policy: admin },
      schema: {
        tags: ['catalogue'],
        summary: 'The services of the agencies the caller administers, with their versions',
        security: session,
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                slug: Type.String(),
                agencyId: Type.String(),
                name: Text,
                versions: Type.Array(
                  Type.Object({
                    version: Type.Integer(),
                    status: Status,
                    updatedAt: Type.String(),
                    publishedAt: Type.Union([Type.String(), Type.Null()]),
                  }),
                ),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({ items: await listManagedServices(ctx, request.principal) }),
  );

  app.post(
    '/api/v1/admin/services/validate',
    {
      config: { policy: admin },
      schema: {
        tags: ['catalogue'],
        summary: 'Check a definition (JSON or YAML body) and list every problem with its path',
        security: session,
        response: { 200: Type.Object({ valid: Type.Boolean(), problems: Type.Array(ProblemItem) }) },
      },
    },
    async (request) => {
      const checked = validateDefinition(request.body);
      return { valid: checked.ok, problems: checked.ok ? [] : checked.problems };
    },
  );

  app.post(
    '/api/v1/admin/services',
    {
      config: { policy: admin },
      schema: {
        tags: ['catalogue'],
        summary:
          'Import a definition (JSON or YAML body) as the service’s draft; ?publish=true publishes it. 422 lists every problem',
        security: session,
        querystring: Type.Object({ publish: Type.Optional(Type.Boolean()) }),
        response: { 201: Outcome },
      },
    },
    async (request, reply) => {
      const result = await importDefinition(ctx, request.principal, request.body, {
        publish: request.query.publish === true,
      });
      return reply.status(201).send(result);
    },
  );

  app.get(
    '/api/v1/admin/services/:slug/versions',
    {
      config: { policy: admin },
      schema: {
        tags: ['catalogue'],
        summary: 'Every version of a service, newest first, with who published and retired it and when',
        security: session,
        params: SlugParams,
        response: { 200: Type.Object({ items: Type.Array(VersionItem) }) },
      },
    },
    async (request) => ({ items: await listVersions(ctx, request.principal, request.params.slug) }),
  );

  app.get(
    '/api/v1/admin/services/:slug/versions/:version',
    {
      config: { policy: admin },
      schema: {
        tags: ['catalogue'],
        summary: 'Export one version: JSON by default, YAML with ?format=yaml',
        security: session,
        params: Type.Object({ slug: Slug, version: VersionNumber }),
        querystring: Type.Object({
          format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('yaml')])),
        }),
        response: {
          200: {
            content: {
              'application/json': { schema: DefinitionDocument },
              'application/yaml': { schema: Type.String() },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const found = await getVersion(ctx, request.principal, request.params.slug, request.params.version);
      if (request.query.format === 'yaml')
        return reply.type('application/yaml; charset=utf-8').send(stringify(found.definition));
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(found.definition));
    },
  );

  app.put(
    '/api/v1/admin/services/:slug/draft',
    {
      config: { policy: admin },
      schema: {
        tags: ['catalogue'],
        summary:
          'Save the draft (work in progress may be incomplete); editing a published service starts a new version',
        security: session,
        params: SlugParams,
        response: { 200: Type.Intersect([Outcome, Type.Object({ problems: Type.Array(ProblemItem) })]) },
      },
    },
    async (request) => {
      const result = await saveDraft(ctx, request.principal, request.params.slug, request.body);
      const checked = validateDefinition(request.body);
      return { ...result, problems: checked.ok ? [] : checked.problems };
    },
  );

  for (const [verb, act, summary] of [
    [
      'publish',
      publishDraft,
      'Publish the draft (it replaces the published version); 422 lists every problem',
    ],
    ['retire', retireService, 'Take the published version out of the catalogue'],
  ] as const) {
    app.post(
      `/api/v1/admin/services/:slug/${verb}`,
      {
        config: { policy: admin },
        schema: {
          tags: ['catalogue'],
          summary,
          security: session,
          params: SlugParams,
          response: { 200: Outcome },
        },
      },
      async (request) => act(ctx, request.principal, request.params.slug),
    );
  }

  app.get(
    '/api/v1/admin/services/:slug/diff',
    {
      config: { policy: admin },
      schema: {
        tags: ['catalogue'],
        summary: 'What changed between two versions of a service',
        security: session,
        params: SlugParams,
        querystring: Type.Object({ from: VersionNumber, to: VersionNumber }),
        response: {
          200: Type.Object({
            from: Type.Integer(),
            to: Type.Integer(),
            changes: Type.Array(
              Type.Object({
                path: Type.String(),
                kind: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
                before: Type.Optional(Type.Unknown()),
                after: Type.Optional(Type.Unknown()),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { slug } = request.params;
      const [before, after] = await Promise.all([
        getVersion(ctx, request.principal, slug, request.query.from),
        getVersion(ctx, request.principal, slug, request.query.to),
      ]);
      return {
        from: before.version,
        to: after.version,
        changes: diffDefinitions(before.definition, after.definition),
      };
    },
  );
};
