/**
 * The complaints JSON API: anyone files (named, confidential or anonymous) and follows a report with
 * its number and secret; a citizen lists and answers their own; complaint staff work their queue;
 * anyone reads the published reports.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CITIZEN, PUBLIC, staff } from '../identity/policy.ts';
import type { Principal } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import type { RouteDeps } from '../web/server.ts';
import {
  ActionBody,
  ActResult,
  API_BODY_LIMIT,
  ComplainantView,
  Credentials,
  FilingBody,
  PublicComplaint,
  PublicList,
  QueueList,
  Receipt,
  StaffView,
} from './api-schemas.ts';
import { fileComplaint } from './filing.ts';
import { actAsOwner, actAsStaff, actWithSecret } from './handling.ts';
import { redactComplaint } from './publication.ts';
import {
  inboxAgencies,
  isComplaintAdmin,
  listOwnRows,
  publishedRow,
  staffRow,
  trackedRow,
} from './service.ts';
import { STAFF_ROLES, statesOf } from './staff-routes.tsx';
import * as store from './store.ts';
import { complainantView, publicView, staffView, summariesOf } from './views.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const session = [{ session: [] }];
const tags = ['complaints'];

function caller(principal: Principal | null): Principal {
  if (!principal) throw new DomainError('auth.not_authenticated');
  return principal;
}

export const complaintApiRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, { ctx }) => {
  app.post(
    '/api/v1/complaints',
    {
      config: { policy: PUBLIC },
      bodyLimit: API_BODY_LIMIT,
      schema: {
        tags,
        summary:
          'File a report (aspirasi, pengaduan, permintaan informasi): named needs a citizen session; confidential takes the account or a name and contact; anonymous takes nothing. The same filer sending the same text within a day is refused (complaint.duplicate names the earlier number); rate limited per address and account',
        body: FilingBody,
        response: { 201: Receipt },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const receipt = await fileComplaint(ctx, request.principal, {
        mode: body.mode,
        reportType: body.reportType,
        category: body.category,
        subject: body.subject,
        text: body.text,
        regionCode: body.regionCode,
        mayPublish: body.mayPublish,
        reporterName: body.reporter?.name,
        reporterContact: body.reporter?.contact,
        files: (body.attachments ?? []).map((a) => Buffer.from(a.contentBase64, 'base64')),
        lang: request.lang,
        client: request.ip,
      });
      return reply.status(201).send(receipt);
    },
  );

  app.get(
    '/api/v1/complaints',
    {
      config: { policy: PUBLIC },
      schema: {
        tags,
        summary: 'Published reports, newest first (redacted texts are on each report)',
        querystring: Type.Object({
          agency: Type.Optional(Type.String({ maxLength: 100 })),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
          perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
        }),
        response: { 200: PublicList },
      },
    },
    async (request) => {
      const page = request.query.page ?? 1;
      const perPage = request.query.perPage ?? 20;
      const agency = request.query.agency
        ? await store.findAgencyBySlug(ctx.db, request.query.agency)
        : undefined;
      if (request.query.agency && !agency) throw new DomainError('not_found');
      const { rows, total } = await store.listPublished(ctx.db, agency?.id, (page - 1) * perPage, perPage);
      return { items: await summariesOf(ctx, rows), total, page, perPage };
    },
  );

  app.post(
    '/api/v1/complaints/track',
    {
      config: { policy: PUBLIC },
      schema: {
        tags,
        summary:
          'Follow a report with its number and secret: where it stands, every step with its reason or answer, and what the complainant may do (rate limited; unknown numbers and wrong secrets get the same answer)',
        body: Credentials,
        response: { 200: ComplainantView },
      },
    },
    async (request) => complainantView(ctx, await trackedRow(ctx, { ...request.body, client: request.ip })),
  );

  app.post(
    '/api/v1/complaints/track/actions',
    {
      config: { policy: PUBLIC },
      schema: {
        tags,
        summary:
          'The complainant accepts the follow-up, or appeals once (a reason is required), with the number and secret',
        body: Type.Object(
          { ...Credentials.properties, ...ActionBody.properties },
          { additionalProperties: false },
        ),
        response: { 200: ActResult },
      },
    },
    async (request) => {
      const { number, secret, ...input } = request.body;
      return actWithSecret(ctx, { number, secret, client: request.ip }, input);
    },
  );

  app.get(
    '/api/v1/complaints/mine',
    {
      config: { policy: CITIZEN },
      schema: {
        tags,
        summary:
          'The caller’s named and confidential reports (anonymous ones are followed by number and secret)',
        security: session,
        response: { 200: Type.Object({ items: Type.Array(ComplainantView) }) },
      },
    },
    async (request) => {
      const rows = await listOwnRows(ctx, caller(request.principal));
      const items = [];
      for (const row of rows) items.push(await complainantView(ctx, row));
      return { items };
    },
  );

  app.post(
    '/api/v1/complaints/mine/:id/actions',
    {
      config: { policy: CITIZEN },
      schema: {
        tags,
        summary: 'Accept the follow-up on one of the caller’s reports, or appeal it once',
        security: session,
        params: IdParams,
        body: ActionBody,
        response: { 200: ActResult },
      },
    },
    async (request) => actAsOwner(ctx, caller(request.principal), request.params.id, request.body),
  );

  app.get(
    '/api/v1/complaints/queue',
    {
      config: { policy: staff(...STAFF_ROLES) },
      schema: {
        tags,
        summary:
          'Complaint staff’s queue by deadline: the complaint admin’s (scope=admin) or the agency’s inbox (scope=agency); state: open, all or a state key',
        security: session,
        querystring: Type.Object({
          scope: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('agency')])),
          state: Type.Optional(Type.String({ maxLength: 20 })),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
        }),
        response: { 200: QueueList },
      },
    },
    async (request) => {
      const principal = caller(request.principal);
      const scope = request.query.scope ?? (isComplaintAdmin(principal) ? 'admin' : 'agency');
      if (scope === 'admin' && !isComplaintAdmin(principal)) throw new DomainError('auth.forbidden');
      const { states } = statesOf(scope, request.query.state);
      const perPage = 50;
      const { rows, total } = await store.listQueue(
        ctx.db,
        scope === 'admin' ? { states } : { states, agencyIds: inboxAgencies(principal) },
        ((request.query.page ?? 1) - 1) * perPage,
        perPage,
      );
      return { items: await summariesOf(ctx, rows), total };
    },
  );

  app.get(
    '/api/v1/complaints/queue/:id',
    {
      config: { policy: staff(...STAFF_ROLES) },
      schema: {
        tags,
        summary:
          'One report as complaint staff see it: the complainant’s identity unless anonymous, the text, files, history and the actions open to the caller',
        security: session,
        params: IdParams,
        response: { 200: StaffView },
      },
    },
    async (request) => {
      const principal = caller(request.principal);
      return staffView(ctx, principal, await staffRow(ctx, principal, request.params.id));
    },
  );

  app.post(
    '/api/v1/complaints/queue/:id/actions',
    {
      config: { policy: staff(...STAFF_ROLES) },
      schema: {
        tags,
        summary:
          'Take a step: verify, postpone, dispose (agency), not_authority, archive (complaint admin); follow_up, return_to_admin (complaint handler); answer_appeal (supervisor). Reasons and answers go in comment',
        security: session,
        params: IdParams,
        body: ActionBody,
        response: { 200: ActResult },
      },
    },
    async (request) => actAsStaff(ctx, caller(request.principal), request.params.id, request.body),
  );

  app.put(
    '/api/v1/complaints/queue/:id/redaction',
    {
      config: { policy: staff(...STAFF_ROLES) },
      schema: {
        tags,
        summary:
          'Set the text the public reads (personal data removed; the original stays as filed); an empty text takes the report off the public list',
        security: session,
        params: IdParams,
        body: Type.Object(
          { publicText: Type.String({ maxLength: 10_000 }), rowVersion: Type.Integer({ minimum: 0 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ rowVersion: Type.Integer(), published: Type.Boolean() }) },
      },
    },
    async (request) => redactComplaint(ctx, caller(request.principal), request.params.id, request.body),
  );

  app.get(
    '/api/v1/complaints/:number',
    {
      config: { policy: PUBLIC },
      schema: {
        tags,
        summary: 'One published report: its redacted text, where it stands and the agency’s answers',
        params: Type.Object({ number: Type.String({ maxLength: 40 }) }),
        response: { 200: PublicComplaint },
      },
    },
    async (request) => publicView(ctx, await publishedRow(ctx, request.params.number)),
  );
};
