import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, openContext } from '../src/app.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { seedOpenDataDemo } from '../src/opendata/demo.ts';
import { launchBrowser } from './helpers/browser.ts';
import { type FreshDatabase, freshDatabase, testConfig } from './helpers/engines.ts';
import { type ServerProcess, startServerProcess } from './helpers/process.ts';

async function expectNoAxeViolations(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

/** Whether anything on the page is wider than the window (a sideways scroll on a phone). */
async function overflowsHorizontally(page: Page): Promise<boolean> {
  return (await page.evaluate('document.documentElement.scrollWidth > window.innerWidth')) === true;
}

describe('open-data pages in a real browser, on a phone', () => {
  let fresh: FreshDatabase;
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    fresh = await freshDatabase('sqlite');
    const config = testConfig(fresh);
    const opened = await openContext(config, createLogger(config));
    await seedDemo(opened.ctx);
    await seedOpenDataDemo(opened.ctx, { history: true });
    await opened.handle.close();
    server = await startServerProcess(fresh.env);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    await fresh?.cleanup();
  });

  it('has no accessibility violations and no sideways scroll at 360 px, in both languages', async () => {
    for (const locale of ['id-ID', 'en-GB']) {
      // axe runs as a script in the page; the pages themselves have none, so they look the same.
      const context = await browser.newContext({ locale });
      const page = await context.newPage();
      await page.setViewportSize({ width: 360, height: 740 });
      for (const path of [
        '/open-data',
        '/open-data/agencies/disdukcapil',
        '/open-data/services/persetujuan-bangunan-gedung',
      ]) {
        await page.goto(`${server.url}${path}`);
        await expectNoAxeViolations(page);
        expect(await overflowsHorizontally(page), `${locale} ${path}`).toBe(false);
        const chart = page.getByRole('img').first();
        const box = await chart.boundingBox();
        expect(box?.width ?? 0).toBeGreaterThan(300);
      }
      await context.close();
    }
  }, 240_000);

  it('chooses a period with the form and follows a row to its service, without JavaScript', async () => {
    const context = await browser.newContext({ locale: 'id-ID', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}/open-data`);
    const year = new Date().getUTCFullYear();
    await page.getByLabel('Periode').selectOption(`${year}-Q1`);
    await Promise.all([
      page.waitForURL(new RegExp(`/open-data\\?period=${year}-Q1$`)),
      page.getByRole('button', { name: 'Tampilkan' }).click(),
    ]);
    expect(await page.locator('h2#ringkasan').textContent()).toBe(`Ringkasan Triwulan I ${year}`);
    await Promise.all([
      page.waitForURL(new RegExp(`/open-data/agencies/disdukcapil\\?period=${year}-Q1$`)),
      page.getByRole('link', { name: 'Dinas Kependudukan dan Pencatatan Sipil Kota Sukamaju' }).click(),
    ]);
    const received = page.locator('.g-od-figures dd').first();
    expect(Number((await received.textContent())?.replace(/\./g, ''))).toBeGreaterThan(100);
    await context.close();
  });
});
