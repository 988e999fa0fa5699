import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../src/app.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { catalogueKeys } from '../src/web/i18n/index.ts';
import { type App, buildServer, routesOf } from '../src/web/server.ts';
import { type FreshDatabase, freshDatabase, openTestContext } from './helpers/engines.ts';

interface Operation {
  summary?: string;
  tags?: string[];
  responses?: Record<string, unknown>;
}

/** A GET documents the shape of what it returns; a write documents it too, or answers 204. */
function documentsItsAnswer(operation: Operation): boolean {
  return Object.entries(operation.responses ?? {}).some(
    ([status, response]) =>
      status === '204' || (typeof response === 'object' && response !== null && 'content' in response),
  );
}

describe('the OpenAPI document and the message catalogues', () => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  beforeAll(async () => {
    fresh = await freshDatabase('sqlite');
    opened = await openTestContext(fresh);
    await seedDemo(opened.ctx);
    app = await buildServer(opened.ctx);
  });
  afterAll(async () => {
    await app.close();
    await opened.handle.close();
    await fresh.cleanup();
  });

  it('documents every /api route with a summary, a tag and its responses', async () => {
    const doc = (await app.inject('/api/openapi.json')).json<{
      paths: Record<string, Record<string, Operation>>;
    }>();
    const apiRoutes = routesOf(app).filter((r) => r.url.startsWith('/api/v1/'));
    expect(apiRoutes.length).toBeGreaterThan(15);
    const problems: string[] = [];
    for (const route of apiRoutes) {
      const openApiPath = route.url.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[openApiPath]?.[route.method.toLowerCase()];
      if (!operation) problems.push(`${route.method} ${route.url}: missing`);
      else if (!operation.summary || !operation.tags?.length)
        problems.push(`${route.method} ${route.url}: no summary or tag`);
      else if (!documentsItsAnswer(operation))
        problems.push(`${route.method} ${route.url}: its answer has no schema`);
    }
    expect(problems).toEqual([]);
  });

  it('has the same keys in both languages', () => {
    expect([...catalogueKeys.en].sort()).toEqual([...catalogueKeys.id].sort());
  });

  it('never shows a raw message key on a page, in either language', async () => {
    const keys = new Set(catalogueKeys.id);
    const pages = [
      '/',
      '/signin',
      '/register',
      '/register/verify',
      '/recover',
      '/recover/confirm',
      '/nothing-here',
    ];
    const found: string[] = [];
    for (const lang of ['id', 'en']) {
      for (const url of pages) {
        const body = (await app.inject({ url, cookies: { gapura_lang: lang } })).body;
        const text = body.replace(/<[^>]*>/g, ' ');
        for (const word of text.split(/\s+/)) if (keys.has(word)) found.push(`${lang} ${url}: ${word}`);
      }
    }
    expect(found).toEqual([]);
  });
});
