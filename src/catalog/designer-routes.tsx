import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { listAgencies } from '../agencies/service.ts';
import { staff } from '../identity/policy.ts';
import type { Principal } from '../identity/roles.ts';
import { displayName } from '../identity/service.ts';
import { DomainError } from '../web/domain-error.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import { tr } from '../web/pages/layout.tsx';
import type { RouteDeps } from '../web/server.ts';
import { applyCommand } from './designer/commands.ts';
import { changeRows, createFromForm, newServiceForm, readNewServiceForm } from './designer/create.tsx';
import { EditorPage } from './designer/editor-page.tsx';
import { isPart, readPart } from './designer/mapping.ts';
import { idOf, parseNamedInputs } from './designer/names.ts';
import { ComparePage, OverviewPage, RetirePage, ServicesListPage } from './designer/pages.tsx';
import { PreviewPage } from './designer/preview.tsx';
import { diffDefinitions, summariseChanges } from './diff.ts';
import type { Problem } from './problems.ts';
import { SLUG_PATTERN } from './schemas.ts';
import {
  DefinitionProblems,
  getVersion,
  listManagedServices,
  listVersions,
  openDraft,
  publishDraft,
  retireService,
  saveDraft,
  type VersionSummary,
} from './service.ts';
import { validateDefinition } from './validate.ts';

const ADMIN = { policy: staff('agency_admin') };
const SlugParams = Type.Object({ slug: Type.String({ pattern: SLUG_PATTERN, maxLength: 60 }) });
const PartParams = Type.Object({
  slug: Type.String({ pattern: SLUG_PATTERN, maxLength: 60 }),
  part: Type.String({ maxLength: 20 }),
});
const Notice = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 10 })) });

function problemsOf(doc: unknown): Problem[] {
  const checked = validateDefinition(doc);
  return checked.ok ? [] : checked.problems;
}

function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('auth.not_authenticated');
  return request.principal;
}

/** The control inputs of a designer form (`_do`, `_newType.…`), which are not definition paths. */
function controlInputs(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return out;
  for (const [name, value] of Object.entries(body as Record<string, unknown>))
    if (name.startsWith('_') && name !== '_csrf')
      out[name] = Array.isArray(value) ? String(value[0]) : String(value);
  return out;
}

/** The service designer: agency admins build, preview, publish, retire and compare services. */
export const designerRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (
  app,
  { ctx, csrfSecret, isDemo },
) => {
  const page = (request: FastifyRequest) => pageContext(request, csrfSecret, isDemo);

  async function people(versions: readonly VersionSummary[]): Promise<Map<string, string>> {
    const ids = new Set(
      versions.flatMap((v) => [v.publishedBy, v.retiredBy]).filter((x): x is string => !!x),
    );
    const names = new Map<string, string>();
    for (const id of ids) {
      const name = await displayName(ctx, id);
      if (name) names.set(id, name);
    }
    return names;
  }

  async function overview(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    extra: { publishProblems?: Problem[]; notice?: string; status?: number } = {},
  ) {
    const actor = principalOf(request);
    const versions = await listVersions(ctx, actor, slug);
    const newest = await getVersion(ctx, actor, slug);
    const draft = versions.find((v) => v.status === 'draft');
    const draftDoc = draft ? (await getVersion(ctx, actor, slug, draft.version)).definition : undefined;
    return sendHtml(
      reply,
      <OverviewPage
        page={page(request)}
        slug={slug}
        doc={newest.definition}
        versions={versions}
        people={await people(versions)}
        problems={draftDoc === undefined ? [] : problemsOf(draftDoc)}
        publishProblems={extra.publishProblems}
        notice={extra.notice}
      />,
      extra.status ?? 200,
    );
  }

  app.get('/admin/services', { config: ADMIN, schema: { hide: true } }, async (request, reply) => {
    const services = await listManagedServices(ctx, principalOf(request));
    return sendHtml(reply, <ServicesListPage page={page(request)} services={services} />);
  });

  async function adminAgencies(request: FastifyRequest) {
    const actor = principalOf(request);
    const ids = new Set(
      actor.grants.filter((g) => g.role === 'agency_admin' && g.agencyId).map((g) => g.agencyId),
    );
    const lang = request.lang;
    return (await listAgencies(ctx))
      .filter((a) => ids.has(a.id))
      .map((a) => ({ id: a.id, slug: a.slug, name: a.name[lang] }));
  }

  app.get('/admin/services/new', { config: ADMIN, schema: { hide: true } }, async (request, reply) => {
    return sendHtml(reply, newServiceForm(page(request), await adminAgencies(request)));
  });

  app.post('/admin/services/new', { config: ADMIN, schema: { hide: true } }, async (request, reply) => {
    const agencies = await adminAgencies(request);
    const form = readNewServiceForm(request.body, agencies, request.lang);
    if (!form.ok)
      return sendHtml(reply, newServiceForm(page(request), agencies, form.values, form.errors), 400);
    const created = await createFromForm(ctx, principalOf(request), form, agencies, request.lang);
    if (!created.ok)
      return sendHtml(
        reply,
        newServiceForm(page(request), agencies, form.values, created.errors),
        created.status,
      );
    return reply.redirect(`/admin/services/${created.slug}/edit/identity`, 303);
  });

  app.get(
    '/admin/services/:slug',
    { config: ADMIN, schema: { hide: true, params: SlugParams } },
    async (request, reply) => overview(request, reply, request.params.slug),
  );

  app.get(
    '/admin/services/:slug/edit/:part',
    { config: ADMIN, schema: { hide: true, params: PartParams, querystring: Notice } },
    async (request, reply) => {
      const { slug, part } = request.params;
      if (!isPart(part)) throw new DomainError('not_found');
      // Reading never creates a version: without a draft the editor shows the newest version, and
      // the first save (POST) opens the draft copied from it.
      const current = await getVersion(ctx, principalOf(request), slug);
      const draft = {
        ...current,
        version: current.status === 'draft' ? current.version : current.version + 1,
      };
      const doc = typeof draft.definition === 'object' && draft.definition !== null ? draft.definition : {};
      return sendHtml(
        reply,
        <EditorPage
          page={page(request)}
          slug={slug}
          version={draft.version}
          part={part}
          doc={doc as Record<string, unknown>}
          problems={problemsOf(doc)}
          saved={request.query.saved === '1'}
        />,
      );
    },
  );

  app.post(
    '/admin/services/:slug/edit/:part',
    { config: ADMIN, schema: { hide: true, params: PartParams } },
    async (request, reply) => {
      const { slug, part } = request.params;
      if (!isPart(part)) throw new DomainError('not_found');
      const actor = principalOf(request);
      const draft = await openDraft(ctx, actor, slug);
      const next = readPart(part, draft.definition, parseNamedInputs(request.body));
      const controls = controlInputs(request.body);
      const { doc, focus } = applyCommand(next, controls._do ?? '', controls);
      await saveDraft(ctx, actor, slug, doc);
      const anchor = focus ? `#${idOf(focus)}` : '';
      return reply.redirect(`/admin/services/${slug}/edit/${part}?saved=1${anchor}`, 303);
    },
  );

  app.get(
    '/admin/services/:slug/preview',
    {
      config: ADMIN,
      schema: {
        hide: true,
        params: SlugParams,
        querystring: Type.Object({ section: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })) }),
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const stored = await getVersion(ctx, principalOf(request), slug);
      return sendHtml(
        reply,
        <PreviewPage
          page={page(request)}
          slug={slug}
          doc={stored.definition}
          version={stored.version}
          status={stored.status}
          section={request.query.section ?? 0}
        />,
      );
    },
  );

  app.post(
    '/admin/services/:slug/publish',
    { config: ADMIN, schema: { hide: true, params: SlugParams } },
    async (request, reply) => {
      const { slug } = request.params;
      try {
        const result = await publishDraft(ctx, principalOf(request), slug);
        return await overview(request, reply, slug, {
          notice: tr(page(request), 'designer.published_notice', { version: result.version }),
        });
      } catch (err) {
        if (err instanceof DefinitionProblems)
          return overview(request, reply, slug, { publishProblems: [...err.problems], status: 422 });
        throw err;
      }
    },
  );

  app.get(
    '/admin/services/:slug/retire',
    { config: ADMIN, schema: { hide: true, params: SlugParams } },
    async (request, reply) => {
      const { slug } = request.params;
      const actor = principalOf(request);
      const versions = await listVersions(ctx, actor, slug);
      const published = versions.find((v) => v.status === 'published');
      if (!published) throw new DomainError('service.not_published', { slug });
      const stored = await getVersion(ctx, actor, slug, published.version);
      return sendHtml(
        reply,
        <RetirePage page={page(request)} slug={slug} doc={stored.definition} version={published.version} />,
      );
    },
  );

  app.post(
    '/admin/services/:slug/retire',
    { config: ADMIN, schema: { hide: true, params: SlugParams } },
    async (request, reply) => {
      const { slug } = request.params;
      const result = await retireService(ctx, principalOf(request), slug);
      return overview(request, reply, slug, {
        notice: tr(page(request), 'designer.retired_notice', { version: result.version }),
      });
    },
  );

  app.get(
    '/admin/services/:slug/compare',
    {
      config: ADMIN,
      schema: {
        hide: true,
        params: SlugParams,
        querystring: Type.Object({
          from: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
          to: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
        }),
      },
    },
    async (request, reply) => {
      const { slug } = request.params;
      const actor = principalOf(request);
      const versions = await listVersions(ctx, actor, slug);
      const to = request.query.to ?? versions[0]?.version ?? 1;
      const from = request.query.from ?? versions[1]?.version ?? to;
      const before = await getVersion(ctx, actor, slug, from);
      const after = await getVersion(ctx, actor, slug, to);
      const changes = diffDefinitions(before.definition, after.definition);
      const lang = request.lang;
      return sendHtml(
        reply,
        <ComparePage
          page={page(request)}
          slug={slug}
          doc={after.definition}
          versions={versions}
          from={from}
          to={to}
          summary={summariseChanges(changes, lang)}
          rows={changeRows(changes, lang)}
        />,
      );
    },
  );
};
