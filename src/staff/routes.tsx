import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { staff } from '../identity/policy.ts';
import { hasRole } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import { t } from '../web/i18n/index.ts';
import { renderRefusal } from '../web/refusal.ts';
import type { RouteDeps } from '../web/server.ts';
import { agencyQuery } from './pages/parts.tsx';
import {
  ChooseAgencyPage,
  NewStaffPage,
  RemoveStaffPage,
  StaffCreatedPage,
  StaffDetailPage,
  StaffListPage,
} from './pages/staff-pages.tsx';
import { platformRoutes } from './platform-routes.tsx';
import { AgencyQuery, NewStaffBody, StaffMember, StaffPatchBody } from './schemas.ts';
import {
  type AgencyScope,
  addStaff,
  changeStaff,
  getStaffMember,
  listStaff,
  removeStaff,
  resolveAgency,
  selectableAgencies,
} from './service.ts';
import { tokenRoutes } from './token-routes.tsx';

/** Agency admins manage their own agency's staff; a platform admin any agency's (logged as cross-agency). */
const staffAdmins = staff('agency_admin', 'platform_admin');

const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const DONE = ['roles', 'suspended', 'reactivated', 'removed'] as const;
const PageQuery = Type.Object({
  agency: Type.Optional(Type.String({ maxLength: 60 })),
  done: Type.Optional(Type.Union(DONE.map((d) => Type.Literal(d)))),
});
const FormOnly = Type.Object({ _csrf: Type.String() });
const RolesForm = Type.Object({
  _csrf: Type.String(),
  roles: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
  unit: Type.Optional(Type.String({ maxLength: 40 })),
});
const NewStaffForm = Type.Object({
  _csrf: Type.String(),
  name: Type.String({ maxLength: 200 }),
  email: Type.String({ maxLength: 254 }),
  roles: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 10 })),
  unit: Type.Optional(Type.String({ maxLength: 40 })),
});

const NOTICE = {
  roles: 'staff.roles_saved',
  suspended: 'staff.suspended_done',
  reactivated: 'staff.reactivated_done',
  removed: 'staff.removed_done',
} as const;

/** Staff management by agency admins, API tokens for agency systems, and the platform admin's pages. */
export const staffRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (app, deps) => {
  const { ctx, csrfSecret, isDemo } = deps;
  await app.register(tokenRoutes, deps);
  await app.register(platformRoutes, deps);

  /** The agency named in `?agency=`, else the admin's own. */
  const scopeOf = (request: { principal: FastifyRequest['principal']; query: { agency?: string } }) =>
    resolveAgency(ctx, request.principal, request.query.agency);

  // JSON API ----------------------------------------------------------------------------------

  app.get(
    '/api/v1/admin/staff',
    {
      config: { policy: staffAdmins },
      schema: {
        tags: ['staff'],
        summary:
          "The agency's staff with roles and status, removed ones included (agency admin; platform admin names the agency)",
        security: [{ session: [] }],
        querystring: AgencyQuery,
        response: { 200: Type.Object({ agency: Type.String(), items: Type.Array(StaffMember) }) },
      },
    },
    async (request) => {
      const scope = await scopeOf(request);
      return { agency: scope.agency.slug, items: await listStaff(ctx, scope) };
    },
  );

  app.post(
    '/api/v1/admin/staff',
    {
      config: { policy: staffAdmins },
      schema: {
        tags: ['staff'],
        summary:
          'Add a staff member with roles in the agency; the answer carries their random initial password, once (TOTP is enrolled at the first sign-in)',
        security: [{ session: [] }],
        querystring: AgencyQuery,
        body: NewStaffBody,
        response: { 201: Type.Object({ member: StaffMember, initialPassword: Type.String() }) },
      },
    },
    async (request, reply) => {
      const scope = await scopeOf(request);
      const created = await addStaff(ctx, request.principal!, scope, request.body);
      return reply.status(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.patch(
    '/api/v1/admin/staff/:id',
    {
      config: { policy: staffAdmins },
      schema: {
        tags: ['staff'],
        summary:
          "Change a staff member's roles (and unit) in the agency, or suspend/reactivate the account; suspension ends their sessions and returns their applications to the queue",
        security: [{ session: [] }],
        params: IdParams,
        querystring: AgencyQuery,
        body: StaffPatchBody,
        response: { 200: StaffMember },
      },
    },
    async (request) => {
      const scope = await scopeOf(request);
      return changeStaff(ctx, request.principal!, scope, request.params.id, request.body);
    },
  );

  app.delete(
    '/api/v1/admin/staff/:id',
    {
      config: { policy: staffAdmins },
      schema: {
        tags: ['staff'],
        summary:
          'Remove a staff member from the agency: grants revoked, applications back to the queue, account suspended unless they work elsewhere (kept for history)',
        security: [{ session: [] }],
        params: IdParams,
        querystring: AgencyQuery,
        response: { 200: StaffMember },
      },
    },
    async (request) => {
      const scope = await scopeOf(request);
      return removeStaff(ctx, request.principal!, scope, request.params.id);
    },
  );

  // Pages -------------------------------------------------------------------------------------

  const named = (request: { query: { agency?: string } }) => request.query.agency !== undefined;
  const detailHref = (id: string, scope: AgencyScope, isNamed: boolean, done?: string) => {
    const q = agencyQuery(isNamed ? scope.agency.slug : undefined);
    return `/admin/staff/${id}${q}${done ? `${q ? '&' : '?'}done=${done}` : ''}`;
  };
  /** A platform admin may open the person in any other agency, to grant roles there. */
  const otherAgencies = async (request: FastifyRequest, scope: AgencyScope) =>
    hasRole(request.principal, 'platform_admin')
      ? (await selectableAgencies(ctx, request.principal!)).filter((a) => a.id !== scope.agency.id)
      : [];

  app.get(
    '/admin/staff',
    { config: { policy: staffAdmins }, schema: { hide: true, querystring: PageQuery } },
    async (request, reply) => {
      const page = pageContext(request, csrfSecret, isDemo);
      const agencies = await selectableAgencies(ctx, request.principal!);
      let scope: AgencyScope;
      try {
        scope = await scopeOf(request);
      } catch (err) {
        if (err instanceof DomainError && err.code === 'staff.agency_required')
          return sendHtml(reply, <ChooseAgencyPage page={page} action="/admin/staff" agencies={agencies} />);
        throw err;
      }
      const done = request.query.done;
      return sendHtml(
        reply,
        <StaffListPage
          page={page}
          agency={scope.agency}
          agencies={agencies}
          named={named(request)}
          members={await listStaff(ctx, scope)}
          notice={done === 'removed' ? t(request.lang, NOTICE.removed) : undefined}
        />,
      );
    },
  );

  app.get(
    '/admin/staff/new',
    { config: { policy: staffAdmins }, schema: { hide: true, querystring: AgencyQuery } },
    async (request, reply) => {
      const scope = await scopeOf(request);
      return sendHtml(
        reply,
        <NewStaffPage
          page={pageContext(request, csrfSecret, isDemo)}
          agency={scope.agency}
          named={named(request)}
        />,
      );
    },
  );

  app.post(
    '/admin/staff/new',
    { config: { policy: staffAdmins }, schema: { hide: true, querystring: AgencyQuery, body: NewStaffForm } },
    async (request, reply) => {
      const scope = await scopeOf(request);
      const page = pageContext(request, csrfSecret, isDemo);
      const body = request.body;
      const values = { name: body.name, email: body.email, roles: body.roles ?? [], unitId: body.unit ?? '' };
      try {
        const created = await addStaff(ctx, request.principal!, scope, {
          name: body.name,
          email: body.email,
          roles: body.roles ?? [],
          unitId: body.unit || null,
        });
        reply.header('cache-control', 'no-store');
        return sendHtml(
          reply,
          <StaffCreatedPage
            page={page}
            member={created.member}
            password={created.initialPassword}
            signInUrl={`${ctx.config.publicUrl}/signin`}
            listHref={`/admin/staff${agencyQuery(named(request) ? scope.agency.slug : undefined)}`}
          />,
          201,
        );
      } catch (err) {
        return renderRefusal(request, reply, err, (fields, form) => (
          <NewStaffPage
            page={page}
            agency={scope.agency}
            named={named(request)}
            values={values}
            errors={{ fields, form }}
          />
        ));
      }
    },
  );

  app.get(
    '/admin/staff/:id',
    { config: { policy: staffAdmins }, schema: { hide: true, params: IdParams, querystring: PageQuery } },
    async (request, reply) => {
      const scope = await scopeOf(request);
      const member = await getStaffMember(ctx, scope, request.params.id);
      const done = request.query.done;
      return sendHtml(
        reply,
        <StaffDetailPage
          page={pageContext(request, csrfSecret, isDemo)}
          agency={scope.agency}
          named={named(request)}
          member={member}
          otherAgencies={await otherAgencies(request, scope)}
          notice={done ? t(request.lang, NOTICE[done]) : undefined}
        />,
      );
    },
  );

  /** Runs one change from the detail page: back to the page with a notice, or the page with the refusal. */
  const detailAction = async (
    request: FastifyRequest & { params: { id: string }; query: { agency?: string } },
    reply: FastifyReply,
    done: (typeof DONE)[number],
    act: (scope: AgencyScope) => Promise<unknown>,
    values?: { roles: string[]; unitId: string },
  ) => {
    const scope = await scopeOf(request);
    const member = await getStaffMember(ctx, scope, request.params.id);
    try {
      await act(scope);
      return reply.redirect(detailHref(member.id, scope, named(request), done), 303);
    } catch (err) {
      const others = await otherAgencies(request, scope);
      return renderRefusal(request, reply, err, (fields, form) => (
        <StaffDetailPage
          page={pageContext(request, csrfSecret, isDemo)}
          agency={scope.agency}
          named={named(request)}
          member={member}
          otherAgencies={others}
          values={values}
          errors={{ fields, form }}
        />
      ));
    }
  };

  app.post(
    '/admin/staff/:id/roles',
    {
      config: { policy: staffAdmins },
      schema: { hide: true, params: IdParams, querystring: AgencyQuery, body: RolesForm },
    },
    async (request, reply) => {
      const roles = request.body.roles ?? [];
      const unitId = request.body.unit ?? '';
      return detailAction(
        request,
        reply,
        'roles',
        (scope) =>
          changeStaff(ctx, request.principal!, scope, request.params.id, { roles, unitId: unitId || null }),
        { roles, unitId },
      );
    },
  );

  app.post(
    '/admin/staff/:id/suspend',
    {
      config: { policy: staffAdmins },
      schema: { hide: true, params: IdParams, querystring: AgencyQuery, body: FormOnly },
    },
    async (request, reply) =>
      detailAction(request, reply, 'suspended', (scope) =>
        changeStaff(ctx, request.principal!, scope, request.params.id, { status: 'suspended' }),
      ),
  );

  app.post(
    '/admin/staff/:id/reactivate',
    {
      config: { policy: staffAdmins },
      schema: { hide: true, params: IdParams, querystring: AgencyQuery, body: FormOnly },
    },
    async (request, reply) =>
      detailAction(request, reply, 'reactivated', (scope) =>
        changeStaff(ctx, request.principal!, scope, request.params.id, { status: 'active' }),
      ),
  );

  app.get(
    '/admin/staff/:id/remove',
    { config: { policy: staffAdmins }, schema: { hide: true, params: IdParams, querystring: AgencyQuery } },
    async (request, reply) => {
      const scope = await scopeOf(request);
      const member = await getStaffMember(ctx, scope, request.params.id);
      return sendHtml(
        reply,
        <RemoveStaffPage
          page={pageContext(request, csrfSecret, isDemo)}
          agency={scope.agency}
          named={named(request)}
          member={member}
        />,
      );
    },
  );

  app.post(
    '/admin/staff/:id/remove',
    {
      config: { policy: staffAdmins },
      schema: { hide: true, params: IdParams, querystring: AgencyQuery, body: FormOnly },
    },
    async (request, reply) => {
      const scope = await scopeOf(request);
      const member = await getStaffMember(ctx, scope, request.params.id);
      try {
        await removeStaff(ctx, request.principal!, scope, member.id);
        const q = agencyQuery(named(request) ? scope.agency.slug : undefined);
        return reply.redirect(`/admin/staff${q}${q ? '&' : '?'}done=removed`, 303);
      } catch (err) {
        return renderRefusal(request, reply, err, (_fields, form) => (
          <RemoveStaffPage
            page={pageContext(request, csrfSecret, isDemo)}
            agency={scope.agency}
            named={named(request)}
            member={member}
            error={form}
          />
        ));
      }
    },
  );
};
