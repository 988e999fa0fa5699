import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserFixture,
  launchBrowser,
  screenshots,
  signInAs,
  startBrowserFixture,
} from '../helpers/browser.ts';

async function expectNoAxeViolations(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

/** An upload id in the shape the form accepts; file storage is not part of these pages yet. */
/** The first bytes of a PNG file: uploads are checked by content. */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);

describe('applying in a real browser', () => {
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

  it('a citizen finds a service, fills every section, reviews, submits and gets the receipt', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInAs(page, fixture, fixture.account('citizen'));

    // The service with the fewest file fields: micro business licence (one, photos of the premises).
    await page.goto(`${fixture.url}/services`);
    await Promise.all([
      page.waitForURL(/\/services\/izin-usaha-mikro$/),
      page
        .getByRole('link', { name: /Izin Usaha Mikro dan Kecil/ })
        .first()
        .click(),
    ]);
    await Promise.all([
      page.waitForURL(/\/services\/izin-usaha-mikro\/apply$/),
      page.getByRole('link', { name: 'Ajukan permohonan' }).first().click(),
    ]);
    expect(await page.locator('h1').textContent()).toContain('Izin Usaha Mikro');
    await Promise.all([
      page.waitForURL(/\/applications\/[0-9a-f-]+\/sections\/0$/),
      page.getByRole('button', { name: 'Mulai mengisi' }).click(),
    ]);

    // Step 1: the owner. A wrong NIK first: the error summary, and the typed name is kept.
    expect(await page.locator('main').textContent()).toContain('Langkah 1 dari 3');
    await page.getByLabel(/^NIK pemilik/).fill('12345');
    await page.getByLabel(/^Nama lengkap/).fill('Budi Santoso');
    await page.getByLabel(/^Nomor HP/).fill('0812-3456-7890');
    await page.getByLabel(/^Email/).fill('budi@contoh.id');
    await Promise.all([
      page.waitForURL(/\/sections\/0$/),
      page.getByRole('button', { name: 'Simpan dan lanjutkan', exact: true }).click(),
    ]);
    expect(await page.locator('.g-error-summary').isVisible()).toBe(true);
    expect(await page.getByLabel(/^Nama lengkap/).inputValue()).toBe('Budi Santoso');
    await page.getByLabel(/^NIK pemilik/).fill('3373041201900001');
    await expectNoAxeViolations(page);
    await screenshots(page, 'apply-section');
    await Promise.all([
      page.waitForURL(/\/sections\/1$/),
      page.getByRole('button', { name: 'Simpan dan lanjutkan', exact: true }).click(),
    ]);

    // Step 2: the business, with the region picker filled in by form.js.
    await page.getByLabel(/^Nama usaha/).fill('Warung Makan Bu Sri');
    await page
      .getByRole('group', { name: /NIB dari OSS/ })
      .getByLabel('Tidak')
      .check();
    await page.getByLabel(/^Kode KBLI/).fill('56102');
    await page.getByLabel(/^Uraian kegiatan usaha/).fill('Warung makan rumahan.');
    await page.getByLabel('Provinsi', { exact: true }).selectOption('33');
    await page.getByLabel('Kabupaten/kota', { exact: true }).selectOption('33.73');
    await page.getByLabel('Kecamatan', { exact: true }).selectOption('33.73.04');
    await page.getByLabel('Kelurahan/desa', { exact: true }).selectOption('33.73.04.1001');
    await page.getByLabel(/^Alamat lokasi usaha/).fill('Jl. Merdeka 10');
    await page.getByLabel(/^Modal usaha/).fill('25000000');
    await page.getByLabel(/^Jumlah tenaga kerja/).fill('2');
    await Promise.all([
      page.waitForURL(/\/sections\/2$/),
      page.getByRole('button', { name: 'Simpan dan lanjutkan', exact: true }).click(),
    ]);

    // Step 3: the photo, uploaded through the file input (the form becomes multipart).
    await page.locator('input[type="file"]').first().setInputFiles({
      name: 'lokasi.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await Promise.all([
      page.waitForURL(/\/review$/),
      page.getByRole('button', { name: 'Simpan dan periksa' }).click(),
    ]);

    // Review: readable answers, then consent and submit.
    const review = (await page.locator('main').textContent()) ?? '';
    expect(review).toContain('Warung Makan Bu Sri');
    expect(review).toContain('Tidak');
    expect(review).toMatch(/Salatiga/);
    expect(review).toContain('1 berkas terlampir');
    await expectNoAxeViolations(page);
    await screenshots(page, 'apply-review');
    await page.getByLabel(/menyetujui pemrosesan data pribadi/).check();
    await Promise.all([
      page.waitForURL(/\/receipt$/),
      page.getByRole('button', { name: 'Kirim permohonan' }).click(),
    ]);

    const number = ((await page.locator('.g-receipt__big').first().textContent()) ?? '').replace(/\s/g, '');
    expect(number).toMatch(/^DPM-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$|^[A-Z]{3}-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await page.locator('.g-receipt__qr svg').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Unduh tanda terima (PDF)' }).isVisible()).toBe(true);
    await expectNoAxeViolations(page);
    await screenshots(page, 'apply-receipt');

    await page.goto(`${fixture.url}/applications`);
    expect(await page.locator('main').textContent()).toContain(number);
    await context.close();
  });
});
