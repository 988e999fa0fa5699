import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { findAgencyIdBySlug } from '../agencies/service.ts';
import { PUBLIC, staff } from '../identity/policy.ts';
import { DomainError } from '../web/domain-error.ts';
import { NoContent } from '../web/schemas.ts';
import type { RouteDeps } from '../web/server.ts';
import { addHoliday, listHolidays, removeHoliday } from './service.ts';

const Kind = Type.Union([Type.Literal('national'), Type.Literal('cuti_bersama'), Type.Literal('regional')]);
const HolidayItem = Type.Object({
  id: Type.Union([Type.String(), Type.Null()]),
  date: Type.String({ format: 'date' }),
  kind: Kind,
  name: Type.Object({ id: Type.String(), en: Type.String() }),
  source: Type.Union([Type.Literal('shipped'), Type.Literal('added')]),
  agencyId: Type.Union([Type.String(), Type.Null()]),
});

/** Holidays and *cuti bersama*: public to read, the platform admin's to change. */
export const calendarRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { ctx }) => {
  const agencyIdOf = async (slug: string | undefined) => {
    if (slug === undefined) return null;
    const id = await findAgencyIdBySlug(ctx, slug);
    if (!id) throw new DomainError('not_found');
    return id;
  };

  app.get(
    '/api/v1/holidays',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['calendar'],
        summary:
          'Non-working days of a year: national holidays, cuti bersama, and an agency’s regional holidays',
        querystring: Type.Object({
          year: Type.Integer({ minimum: 2000, maximum: 2100 }),
          agency: Type.Optional(
            Type.String({ maxLength: 60, description: 'agency slug, to include its regional holidays' }),
          ),
        }),
        response: { 200: Type.Object({ year: Type.Integer(), items: Type.Array(HolidayItem) }) },
      },
    },
    async (request) => ({
      year: request.query.year,
      items: await listHolidays(ctx, request.query.year, await agencyIdOf(request.query.agency)),
    }),
  );

  app.post(
    '/api/v1/holidays',
    {
      config: { policy: staff('platform_admin') },
      schema: {
        tags: ['calendar'],
        summary: 'Add a holiday or cuti bersama day (platform admin); regional ones name an agency',
        security: [{ session: [] }],
        body: Type.Object({
          date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
          kind: Kind,
          nameId: Type.String({ minLength: 2, maxLength: 200 }),
          nameEn: Type.String({ minLength: 2, maxLength: 200 }),
          agency: Type.Optional(Type.String({ maxLength: 60 })),
        }),
        response: { 201: Type.Object({ id: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { date, kind, nameId, nameEn, agency } = request.body;
      const id = await addHoliday(
        ctx,
        { date, kind, nameId, nameEn, agencyId: await agencyIdOf(agency) },
        request.principal!.userId,
      );
      return reply.status(201).send({ id });
    },
  );

  app.delete(
    '/api/v1/holidays/:id',
    {
      config: { policy: staff('platform_admin') },
      schema: {
        tags: ['calendar'],
        summary: 'Remove a holiday an administrator added (platform admin)',
        response: { 204: NoContent },
        security: [{ session: [] }],
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
      },
    },
    async (request, reply) => {
      await removeHoliday(ctx, request.params.id, request.principal!.userId);
      return reply.status(204).send(null);
    },
  );
};
