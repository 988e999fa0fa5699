import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import fastifyFormbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answersFromForm,
  applyFormCommands,
  CITIZEN_FORM_SCRIPT,
  CitizenFormSection,
} from '../../src/catalog/pages/citizen-form.tsx';
import { isRecord } from '../../src/catalog/reader.ts';
import type { ServiceDefinition } from '../../src/catalog/schemas.ts';
import { validateDefinition } from '../../src/catalog/validate.ts';
import { regionRoutes } from '../../src/regions/routes.ts';
import { DomainError } from '../../src/web/domain-error.ts';
import { Layout, type PageContext } from '../../src/web/pages/layout.tsx';
import type { RouteDeps } from '../../src/web/server.ts';
import { allFieldTypesDefinition } from '../fixtures/catalog-definitions.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const STATIC = path.join(ROOT, 'src', 'web', 'static');
const SCREENSHOT_DIR = path.join(ROOT, 'test-output', 'screenshots');

/**
 * Debian's Chromium as in helpers/browser.ts, launched here because that module loads the whole
 * server, which this test does not need.
 */
function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}

async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
  }
}

/** The fixture's conditional section, with a region picker added. */
function definitionOf(): ServiceDefinition {
  const input = allFieldTypesDefinition();
  const fields: unknown[] = input.form.sections[1]?.fields ?? [];
  fields.splice(1, 0, {
    key: 'domisili',
    type: 'region',
    level: 'district',
    label: { id: 'Domisili', en: 'Residence' },
    classification: 'personal',
  });
  const result = validateDefinition(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.definition;
}

/**
 * A throwaway app with just what the form needs: the page (GET shows it, POST runs the commands and
 * shows it again), the regions API and the static files, under the same CSP as Gapura.
 */
async function formApp(definition: ServiceDefinition): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(fastifyFormbody);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', "default-src 'self'; script-src 'self'; style-src 'self'");
  });
  app.setErrorHandler(async (err, _request, reply) =>
    reply
      .status(err instanceof DomainError && err.code === 'not_found' ? 404 : 400)
      .send({ error: String(err) }),
  );
  const page: PageContext = { lang: 'id', principal: null, csrfToken: '', isDemo: false, path: '/form' };
  const render = async (values: Record<string, unknown>, focus?: string) =>
    Layout({
      page,
      title: 'Formulir',
      scripts: [CITIZEN_FORM_SCRIPT],
      children: `<h1>Formulir</h1><form method="post" action="/form" class="g-form" novalidate>${await CitizenFormSection(
        { page, definition, sectionIndex: 1, values, focus },
      )}<button class="g-button" type="submit">Lanjut</button></form>`,
    });
  app.get('/favicon.ico', async (_request, reply) => reply.status(204).send());
  app.get('/form', async (_request, reply) => reply.type('text/html').send(await render({})));
  app.post('/form', async (request, reply) => {
    const body = isRecord(request.body) ? request.body : {};
    const answers = answersFromForm(definition, 1, body);
    const command = applyFormCommands(definition, 1, answers, body);
    return reply.type('text/html').send(await render(command?.answers ?? answers, command?.focus));
  });
  for (const file of ['form.js', 'gapura.css']) {
    app.get(`/static/${file}`, async (_request, reply) =>
      reply
        .type(file.endsWith('.js') ? 'text/javascript' : 'text/css')
        .send(readFileSync(path.join(STATIC, file), 'utf8')),
    );
  }
  // The plugin reads none of its dependencies.
  await app.register(regionRoutes, {} as RouteDeps);
  return app;
}

async function expectNoAxeViolations(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

describe('the citizen form in a real browser', () => {
  let app: FastifyInstance;
  let url: string;
  let browser: Browser;
  beforeAll(async () => {
    app = await formApp(definitionOf());
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('shows a conditional field when its rule becomes true, and fills the region selects', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${url}/form`);
    const kis = page.getByLabel('Nomor KIS');
    expect(await kis.isVisible()).toBe(false);
    expect(
      await page
        .getByRole('button', { name: /^Pilih/ })
        .first()
        .isVisible(),
    ).toBe(false);

    await page
      .getByRole('group', { name: /Punya KIS\?/ })
      .getByLabel('Ya')
      .check();
    await expect.poll(() => kis.isVisible()).toBe(true);
    await page
      .getByRole('group', { name: /Punya KIS\?/ })
      .getByLabel('Tidak')
      .check();
    await expect.poll(() => kis.isVisible()).toBe(false);
    expect(await kis.isDisabled()).toBe(true);

    // A rule inside a group item: its own answer and the form's.
    await page
      .getByRole('group', { name: /Punya KIS\?/ })
      .getByLabel('Ya')
      .check();
    await page.getByRole('group', { name: 'Anak?' }).getByLabel('Ya').check();
    await expect.poll(() => page.getByLabel('Umur anggota').isVisible()).toBe(true);

    const regency = page.getByLabel('Kabupaten/kota');
    expect(await regency.isDisabled()).toBe(true);
    await page.getByLabel('Provinsi').selectOption('33');
    await expect.poll(() => regency.isEnabled()).toBe(true);
    expect(await regency.locator('option').first().textContent()).toBe('— Pilih kabupaten/kota —');
    expect(await regency.locator('option', { hasText: 'Kota Salatiga' }).getAttribute('value')).toBe('33.73');
    await regency.selectOption('33.73');
    const district = page.getByLabel('Kecamatan');
    await expect.poll(() => district.locator('option').count()).toBeGreaterThan(1);
    await district.selectOption('33.73.04');
    // Another province empties the levels below it.
    await page.getByLabel('Provinsi').selectOption('32');
    await expect.poll(() => regency.locator('option[value="32.04"]').count()).toBe(1);
    expect(await district.isDisabled()).toBe(true);
    expect(await district.inputValue()).toBe('');

    await expectNoAxeViolations(page);
    await screenshots(page, 'citizen-form');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('falls back to the Choose button when the regions cannot be fetched', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    await page.route('**/api/v1/regions**', (route) => route.abort());
    await page.goto(`${url}/form`);
    await page.getByLabel('Provinsi').selectOption('33');
    const choose = page.getByRole('button', { name: /^Pilih Provinsi/ });
    await expect.poll(() => choose.isVisible()).toBe(true);
    await Promise.all([page.waitForURL(`${url}/form`), choose.click()]);
    expect(await page.getByLabel('Kabupaten/kota').locator('option[value="33.73"]').count()).toBe(1);
    await context.close();
  });

  it('works without JavaScript: region levels, group items and revealed questions through the server', async () => {
    const context = await browser.newContext({ locale: 'id-ID', javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${url}/form`);
    await page.getByLabel('Provinsi').selectOption('33');
    await Promise.all([
      page.waitForURL(`${url}/form`),
      page.getByRole('button', { name: /^Pilih Provinsi/ }).click(),
    ]);
    const regency = page.getByLabel('Kabupaten/kota');
    expect(await regency.isEnabled()).toBe(true);
    expect(await page.locator(':focus').getAttribute('id')).toBe('f-domisili--regency');
    await regency.selectOption('33.73');

    await page.getByLabel('Nama anggota').fill('Adi');
    await Promise.all([
      page.waitForURL(`${url}/form`),
      page.getByRole('button', { name: 'Tambah Anggota' }).click(),
    ]);
    expect(await page.locator('.g-group__item').count()).toBe(2);
    expect(await page.getByLabel('Nama anggota').first().inputValue()).toBe('Adi');
    expect(await page.getByLabel('Provinsi').inputValue()).toBe('33');
    expect(await regency.inputValue()).toBe('33.73');
    await Promise.all([
      page.waitForURL(`${url}/form`),
      page.getByRole('button', { name: 'Hapus Anggota 1' }).click(),
    ]);
    expect(await page.locator('.g-group__item').count()).toBe(1);
    expect(await page.getByLabel('Nama anggota').inputValue()).toBe('');

    await page
      .getByRole('group', { name: /Punya KIS\?/ })
      .getByLabel('Ya')
      .check();
    expect(await page.getByLabel('Nomor KIS').isVisible()).toBe(false);
    await Promise.all([page.waitForURL(`${url}/form`), page.getByRole('button', { name: 'Lanjut' }).click()]);
    expect(await page.getByLabel('Nomor KIS').isVisible()).toBe(true);
    await context.close();
  });
});
