import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserFixture, launchBrowser, screenshots, startBrowserFixture } from '../helpers/browser.ts';

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
  // A string, since the tests are type-checked without the DOM library.
  return (await page.evaluate('document.documentElement.scrollWidth > window.innerWidth')) === true;
}

describe('the public catalogue in a real browser', () => {
  let fixture: BrowserFixture;
  let browser: Browser;
  beforeAll(async () => {
    fixture = await startBrowserFixture();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  it('a visitor searches "akta kelahran" from the home page, opens the result and sees the diagram and Apply', async () => {
    const context = await browser.newContext({ locale: 'id-ID', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(fixture.url);
    await page.getByLabel('Cari layanan').fill('akta kelahran');
    await Promise.all([
      page.waitForURL(/\/services\?q=akta\+kelahran$/),
      page.getByRole('button', { name: 'Cari' }).click(),
    ]);
    expect(await page.getByRole('status').textContent()).toMatch(/layanan ditemukan untuk “akta kelahran”/);
    expect(await page.getByLabel('Cari layanan').inputValue()).toBe('akta kelahran');
    const first = page.locator('.g-catalogue__results h3 a').first();
    expect(await first.textContent()).toBe('Akta Kelahiran');
    await Promise.all([page.waitForURL(/\/services\/akta-kelahiran$/), first.click()]);
    expect(await page.locator('h1').textContent()).toBe('Akta Kelahiran');
    const diagram = page.getByRole('img', { name: 'Alur layanan' });
    expect(await diagram.isVisible()).toBe(true);
    const box = await diagram.boundingBox();
    expect(box?.width).toBeGreaterThan(250);
    const apply = page.getByRole('link', { name: 'Ajukan permohonan' }).first();
    expect(await apply.isVisible()).toBe(true);
    expect(await apply.getAttribute('href')).toBe('/services/akta-kelahiran/apply');
    // The summary and the Apply button are on the first screen of a phone.
    const applyBox = await apply.boundingBox();
    expect(applyBox && applyBox.y + applyBox.height).toBeLessThan(740 * 1.6);
    expect(await overflowsHorizontally(page)).toBe(false);
    await context.close();
  });

  it('filters with the selects, without JavaScript', async () => {
    const context = await browser.newContext({ locale: 'id-ID', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${fixture.url}/services`);
    await page.getByLabel('Kategori').selectOption('licensing');
    await Promise.all([
      page.waitForURL(/category=licensing/),
      page.getByRole('button', { name: 'Cari' }).click(),
    ]);
    expect(await page.locator('.g-catalogue__results h3').allTextContents()).toEqual([
      'Izin Usaha Mikro dan Kecil (IUMK)',
    ]);
    await page.getByLabel('Instansi').selectOption('dinsos');
    await Promise.all([page.waitForURL(/agency=dinsos/), page.getByRole('button', { name: 'Cari' }).click()]);
    expect(await page.getByRole('status').textContent()).toBe('Tidak ada layanan yang cocok.');
    await Promise.all([
      page.waitForURL(`${fixture.url}/services`),
      page.getByRole('link', { name: 'Hapus pencarian dan filter' }).click(),
    ]);
    expect(await page.locator('.g-catalogue__results h3').count()).toBe(6);
    await context.close();
  });

  it('the catalogue and a service page have no axe violations and fit a 360 px phone', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    await page.goto(`${fixture.url}/services`);
    await expectNoAxeViolations(page);
    await screenshots(page, 'catalogue');
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await overflowsHorizontally(page)).toBe(false);

    await page.goto(`${fixture.url}/services?q=zzzqqqxx&category=building`);
    await expectNoAxeViolations(page);
    await screenshots(page, 'catalogue-no-results');

    for (const slug of ['akta-kelahiran', 'persetujuan-bangunan-gedung']) {
      await page.goto(`${fixture.url}/services/${slug}`);
      await expectNoAxeViolations(page);
      await screenshots(page, `service-${slug}`);
      await page.setViewportSize({ width: 360, height: 740 });
      expect(await overflowsHorizontally(page), slug).toBe(false);
    }

    await page.goto(`${fixture.url}/services/tidak-ada`);
    await expectNoAxeViolations(page);

    await page.goto(fixture.url);
    await expectNoAxeViolations(page);
    await context.close();
  });

  it('shows the service page in English', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${fixture.url}/services/akta-kelahiran`);
    expect(await page.locator('h1').textContent()).toBe('Birth Certificate');
    expect(await page.getByRole('img', { name: 'Service procedure' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Apply' }).first().isVisible()).toBe(true);
    await expectNoAxeViolations(page);
    await screenshots(page, 'service-akta-kelahiran-en');
    await context.close();
  });
});
