import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { listAgencies } from '../agencies/service.ts';
import { PUBLIC } from '../identity/policy.ts';
import { DomainError } from '../web/domain-error.ts';
import { pageContext, sendHtml } from '../web/http.ts';
import type { Lang } from '../web/i18n/index.ts';
import { t } from '../web/i18n/index.ts';
import type { RouteDeps } from '../web/server.ts';
import { procedureDiagramSvg } from './diagram.ts';
import { CataloguePage, type CatalogueSearch } from './pages/catalogue-page.tsx';
import { ServiceNotFoundPage, ServicePage } from './pages/service-page.tsx';
import { CATEGORIES, type Category } from './schemas.ts';
import { getPublished, MAX_PER_PAGE, type PublishedService, searchCatalogue } from './service.ts';

/** Twenty cards is a few screens on a phone and still one page for most agencies. */
const PER_PAGE = 20;
/** Longer queries are cut here; nobody types more words than this into a search box. */
const MAX_QUERY_CHARS = 200;

/**
 * Every parameter is read as text and checked here rather than by the schema, so a hand-edited
 * address (an unknown category, page=abc) still shows the catalogue, with a note, instead of an error.
 */
const CatalogueQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 2000 })),
  agency: Type.Optional(Type.String({ maxLength: 200 })),
  category: Type.Optional(Type.String({ maxLength: 200 })),
  page: Type.Optional(Type.String({ maxLength: 50 })),
  perPage: Type.Optional(Type.String({ maxLength: 50 })),
});

function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

/** A whole number from 1 to `max`, or undefined when `text` is anything else. */
function positiveInteger(text: string | undefined, max: number): number | undefined {
  if (text === undefined || !/^\d{1,6}$/.test(text.trim())) return undefined;
  const value = Number(text.trim());
  return value >= 1 ? Math.min(value, max) : undefined;
}

/**
 * Diagrams depend only on the published version and the language, and published versions never
 * change, so each is drawn once. Bounded so a large catalogue cannot grow it without end.
 */
const DIAGRAM_CACHE_SIZE = 500;
const diagrams = new Map<string, string>();

function diagramOf(service: PublishedService, lang: Lang): string {
  const key = `${service.versionId}:${lang}`;
  const cached = diagrams.get(key);
  if (cached !== undefined) return cached;
  const svg = procedureDiagramSvg(service.definition.workflow, lang, { idPrefix: 'alur-diagram' });
  if (diagrams.size >= DIAGRAM_CACHE_SIZE) diagrams.clear();
  diagrams.set(key, svg);
  return svg;
}

/** The public catalogue pages: search and the page of each service. */
export const catalogueSiteRoutes: FastifyPluginAsyncTypebox<RouteDeps> = async (
  app,
  { ctx, csrfSecret, isDemo },
) => {
  app.get(
    '/services',
    { config: { policy: PUBLIC }, schema: { hide: true, querystring: CatalogueQuery } },
    async (request, reply) => {
      const query = request.query;
      const agencies = (await listAgencies(ctx)).map((a) => ({ slug: a.slug, name: a.name }));
      const notices: string[] = [];
      const agencyParam = query.agency?.trim() ?? '';
      const agency = agencies.some((a) => a.slug === agencyParam) ? agencyParam : undefined;
      if (agencyParam !== '' && agency === undefined)
        notices.push(t(request.lang, 'catalogue.unknown_agency'));
      const categoryParam = query.category?.trim() ?? '';
      const category = isCategory(categoryParam) ? categoryParam : undefined;
      if (categoryParam !== '' && category === undefined)
        notices.push(t(request.lang, 'catalogue.unknown_category'));
      const perPage = positiveInteger(query.perPage, MAX_PER_PAGE);
      const search: CatalogueSearch = {
        q: (query.q ?? '').trim().slice(0, MAX_QUERY_CHARS),
        agency,
        category,
        page: positiveInteger(query.page, 100_000) ?? 1,
        perPage: perPage ?? PER_PAGE,
        perPageGiven: perPage !== undefined,
      };
      const result = await searchCatalogue(ctx, {
        q: search.q,
        ...(agency ? { agency } : {}),
        ...(category ? { category } : {}),
        page: search.page,
        perPage: search.perPage,
      });
      return sendHtml(
        reply,
        <CataloguePage
          page={pageContext(request, csrfSecret, isDemo)}
          search={search}
          result={result}
          agencies={agencies}
          notices={notices}
        />,
      );
    },
  );

  app.get(
    '/services/:slug',
    {
      config: { policy: PUBLIC },
      // Any text: an address that cannot be a slug is a service that does not exist, a 404 page.
      schema: { hide: true, params: Type.Object({ slug: Type.String({ maxLength: 200 }) }) },
    },
    async (request, reply) => {
      const page = pageContext(request, csrfSecret, isDemo);
      let service: PublishedService;
      try {
        service = await getPublished(ctx, request.params.slug);
      } catch (err) {
        if (err instanceof DomainError && err.code === 'not_found')
          return sendHtml(reply, <ServiceNotFoundPage page={page} />, 404);
        throw err;
      }
      return sendHtml(
        reply,
        <ServicePage page={page} service={service} diagramSvg={diagramOf(service, request.lang)} />,
      );
    },
  );
};
