import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { listAgencies } from '../agencies/service.ts';
import { listHolidays, removeHoliday } from '../calendar/service.ts';
import { staff } from '../identity/policy.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import { t } from '../web/i18n/index.ts';
import { renderRefusal } from '../web/refusal.ts';
import type { RouteDeps } from '../web/server.ts';
import { AgenciesPage, type FormValues, HolidaysPage, KeysPage } from './pages/platform-pages.tsx';
import {
  addHolidayChecked,
  addUnit,
  createAgencyChecked,
  listSigningKeys,
  regionalHolidaysOf,
  rotateAgencyDocumentKey,
  rotateAuditKey,
  setDpoChecked,
} from './platform.ts';

const platformAdmin = staff('platform_admin');
const Text = (max: number) => Type.String({ maxLength: max });
const FormOnly = Type.Object({ _csrf: Type.String() });

/** The platform admin's pages: agencies and units, holidays, signing keys. Each act is an audit leaf. */
export const platformRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (
  app,
  { ctx, csrfSecret, isDemo },
) => {
  // Agencies and units ------------------------------------------------------------------------

  type View = { notice?: string; values?: FormValues; fields?: Record<string, string>; form?: string };

  /** Loads what the agencies page shows, then renders it synchronously (a refused form re-renders it). */
  const agenciesPage = async (request: FastifyRequest) => {
    const agencies = await listAgencies(ctx);
    return (view: View) => (
      <AgenciesPage
        page={pageContext(request, csrfSecret, isDemo)}
        agencies={agencies}
        values={view.values}
        errors={{ fields: view.fields ?? {}, form: view.form }}
        notice={view.notice}
      />
    );
  };

  app.get(
    '/admin/platform/agencies',
    {
      config: { policy: platformAdmin },
      schema: {
        hide: true,
        querystring: Type.Object({
          done: Type.Optional(
            Type.Union([Type.Literal('agency'), Type.Literal('unit'), Type.Literal('dpo')]),
          ),
        }),
      },
    },
    async (request, reply) =>
      sendHtml(
        reply,
        (await agenciesPage(request))({
          notice:
            request.query.done === 'agency'
              ? t(request.lang, 'platform.agency_created')
              : request.query.done === 'unit'
                ? t(request.lang, 'platform.unit_added')
                : request.query.done === 'dpo'
                  ? t(request.lang, 'platform.dpo_saved')
                  : undefined,
        }),
      ),
  );

  app.post(
    '/admin/platform/agencies',
    {
      config: { policy: platformAdmin },
      schema: {
        hide: true,
        body: Type.Object({
          _csrf: Type.String(),
          slug: Text(60),
          code: Text(10),
          nameId: Text(200),
          nameEn: Text(200),
          timezone: Type.Union([
            Type.Literal('Asia/Jakarta'),
            Type.Literal('Asia/Makassar'),
            Type.Literal('Asia/Jayapura'),
          ]),
          unitslug: Type.Optional(Text(60)),
          unitnameId: Type.Optional(Text(200)),
          unitnameEn: Type.Optional(Text(200)),
        }),
      },
    },
    async (request, reply) => {
      const { _csrf, ...values } = request.body;
      const unit = {
        slug: (values.unitslug ?? '').trim(),
        nameId: values.unitnameId ?? '',
        nameEn: values.unitnameEn ?? '',
      };
      const hasUnit = unit.slug !== '' || unit.nameId.trim() !== '' || unit.nameEn.trim() !== '';
      try {
        await createAgencyChecked(ctx, request.principal!.userId, {
          slug: values.slug.trim(),
          code: values.code.trim(),
          nameId: values.nameId,
          nameEn: values.nameEn,
          timezone: values.timezone,
          units: hasUnit ? [unit] : [],
        });
        return reply.redirect('/admin/platform/agencies?done=agency', 303);
      } catch (err) {
        const render = await agenciesPage(request);
        return renderRefusal(request, reply, err, (fields, form) =>
          render({ values: { ...values }, fields, form }),
        );
      }
    },
  );

  app.post(
    '/admin/platform/units',
    {
      config: { policy: platformAdmin },
      schema: {
        hide: true,
        body: Type.Object({
          _csrf: Type.String(),
          addagency: Text(60),
          addslug: Text(60),
          addnameId: Text(200),
          addnameEn: Text(200),
        }),
      },
    },
    async (request, reply) => {
      const { _csrf, ...values } = request.body;
      try {
        await addUnit(ctx, request.principal!.userId, values.addagency, {
          slug: values.addslug.trim(),
          nameId: values.addnameId,
          nameEn: values.addnameEn,
        });
        return reply.redirect('/admin/platform/agencies?done=unit', 303);
      } catch (err) {
        const render = await agenciesPage(request);
        return renderRefusal(request, reply, err, (fields, form) =>
          render({ values: { ...values }, fields, form }),
        );
      }
    },
  );

  app.post(
    '/admin/platform/dpo',
    {
      config: { policy: platformAdmin },
      schema: {
        hide: true,
        body: Type.Object({
          _csrf: Type.String(),
          dpoagency: Text(60),
          dponame: Text(200),
          dpoemail: Text(254),
          dpophone: Type.Optional(Text(20)),
        }),
      },
    },
    async (request, reply) => {
      const { _csrf, ...values } = request.body;
      try {
        await setDpoChecked(ctx, request.principal!.userId, {
          agency: values.dpoagency,
          name: values.dponame,
          email: values.dpoemail,
          phone: values.dpophone ?? '',
        });
        return reply.redirect('/admin/platform/agencies?done=dpo', 303);
      } catch (err) {
        const render = await agenciesPage(request);
        return renderRefusal(request, reply, err, (fields, form) =>
          render({ values: { ...values }, fields, form }),
        );
      }
    },
  );

  // Holidays ----------------------------------------------------------------------------------

  const YearQuery = Type.Object({
    year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
    done: Type.Optional(Type.Union([Type.Literal('added'), Type.Literal('removed')])),
  });
  const thisYear = () => Number(new Date().toISOString().slice(0, 4));

  /** Loads what the holidays page shows for a year, then renders it synchronously. */
  const holidaysPage = async (request: FastifyRequest, year: number) => {
    const regional = await regionalHolidaysOf(ctx, year);
    const holidays = await listHolidays(ctx, year, null);
    const agencies = await listAgencies(ctx);
    return (view: View) => (
      <HolidaysPage
        page={pageContext(request, csrfSecret, isDemo)}
        year={year}
        holidays={holidays}
        regional={regional.map((r) => ({ ...r, agencyName: r.agencyName[request.lang] }))}
        agencies={agencies}
        values={view.values}
        errors={{ fields: view.fields ?? {}, form: view.form }}
        notice={view.notice}
      />
    );
  };

  app.get(
    '/admin/platform/holidays',
    { config: { policy: platformAdmin }, schema: { hide: true, querystring: YearQuery } },
    async (request, reply) => {
      const done = request.query.done;
      return sendHtml(
        reply,
        (await holidaysPage(request, request.query.year ?? thisYear()))({
          notice: done
            ? t(request.lang, done === 'added' ? 'platform.holiday_added' : 'platform.holiday_removed')
            : undefined,
        }),
      );
    },
  );

  app.post(
    '/admin/platform/holidays',
    {
      config: { policy: platformAdmin },
      schema: {
        hide: true,
        querystring: YearQuery,
        body: Type.Object({
          _csrf: Type.String(),
          date: Text(20),
          kind: Text(20),
          nameId: Text(200),
          nameEn: Text(200),
          agency: Type.Optional(Text(60)),
        }),
      },
    },
    async (request, reply) => {
      const { _csrf, ...values } = request.body;
      const input = { ...values, agency: values.agency ?? '' };
      try {
        await addHolidayChecked(ctx, request.principal!.userId, input);
        const year = Number(input.date.trim().slice(0, 4));
        return reply.redirect(`/admin/platform/holidays?year=${year}&done=added`, 303);
      } catch (err) {
        const render = await holidaysPage(request, request.query.year ?? thisYear());
        return renderRefusal(request, reply, err, (fields, form) => render({ values: input, fields, form }));
      }
    },
  );

  app.post(
    '/admin/platform/holidays/:id/remove',
    {
      config: { policy: platformAdmin },
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ maxLength: 40 }) }),
        querystring: YearQuery,
        body: FormOnly,
      },
    },
    async (request, reply) => {
      await removeHoliday(ctx, request.params.id, request.principal!.userId);
      const year = request.query.year ?? thisYear();
      return reply.redirect(`/admin/platform/holidays?year=${year}&done=removed`, 303);
    },
  );

  // Signing keys ------------------------------------------------------------------------------

  app.get(
    '/admin/platform/keys',
    {
      config: { policy: platformAdmin },
      schema: {
        hide: true,
        querystring: Type.Object({
          rotated: Type.Optional(Type.String({ maxLength: 40, pattern: '^[0-9a-f-]+$' })),
        }),
      },
    },
    async (request, reply) => {
      const keys = await listSigningKeys(ctx);
      const rotated = request.query.rotated;
      return sendHtml(
        reply,
        <KeysPage
          page={pageContext(request, csrfSecret, isDemo)}
          audit={keys.audit}
          agencies={keys.agencies}
          notice={rotated ? t(request.lang, 'platform.rotated', { id: rotated }) : undefined}
        />,
      );
    },
  );

  app.post(
    '/admin/platform/keys/audit/rotate',
    { config: { policy: platformAdmin }, schema: { hide: true, body: FormOnly } },
    async (request, reply) => {
      const id = await rotateAuditKey(ctx, request.principal!.userId);
      return reply.redirect(`/admin/platform/keys?rotated=${id}`, 303);
    },
  );

  app.post(
    '/admin/platform/keys/documents/:slug/rotate',
    {
      config: { policy: platformAdmin },
      schema: { hide: true, params: Type.Object({ slug: Type.String({ maxLength: 60 }) }), body: FormOnly },
    },
    async (request, reply) => {
      const id = await rotateAgencyDocumentKey(ctx, request.principal!.userId, request.params.slug);
      return reply.redirect(`/admin/platform/keys?rotated=${id}`, 303);
    },
  );
};
