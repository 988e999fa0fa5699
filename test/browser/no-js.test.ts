import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserFixture, launchBrowser, signInAs, startBrowserFixture } from '../helpers/browser.ts';

/**
 * A phone with JavaScript off (or a script that never arrived on a slow network) still gets the
 * whole journey: every step is a plain link or form, and the server does what the script would.
 */

/** The first bytes of a PNG file: uploads are checked by content. */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);

describe('the citizen journey without JavaScript', () => {
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

  it('signs in, applies for a new Family Card with the police report, reviews, submits, gets the receipt and sees it submitted', async () => {
    const context = await browser.newContext({ locale: 'id-ID', javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signInAs(page, fixture, fixture.account('citizen'));

    await page.goto(`${fixture.url}/services`);
    await Promise.all([
      page.waitForURL(/\/services\/pembaruan-kartu-keluarga$/),
      page
        .getByRole('link', { name: /Pembaruan Kartu Keluarga/ })
        .first()
        .click(),
    ]);
    await Promise.all([
      page.waitForURL(/\/apply$/),
      page.getByRole('link', { name: 'Ajukan permohonan' }).first().click(),
    ]);
    await Promise.all([
      page.waitForURL(/\/applications\/[0-9a-f-]+\/sections\/0$/),
      page.getByRole('button', { name: 'Mulai mengisi' }).click(),
    ]);
    const applicationUrl = page.url().replace(/\/sections\/0$/, '');

    await page.getByLabel(/^NIK pemohon/).fill('3373046804900002');
    await page.getByLabel(/^Nama lengkap/).fill('Dewi Kartika');
    await page.getByLabel(/^Nomor HP/).fill('0813-2222-3333');
    await page.getByLabel(/^Nomor Kartu Keluarga/).fill('3373040101200001');
    await Promise.all([
      page.waitForURL(/\/sections\/1$/),
      page.getByRole('button', { name: 'Simpan dan lanjutkan', exact: true }).click(),
    ]);

    // The answer decides which file the next step asks for: the server shows that one.
    await page.getByLabel('KK hilang').check();
    await Promise.all([
      page.waitForURL(/\/sections\/2$/),
      page.getByRole('button', { name: 'Simpan dan lanjutkan', exact: true }).click(),
    ]);
    expect(await page.getByLabel(/^KK lama/).isVisible()).toBe(false);
    await page.getByLabel(/^Surat keterangan kehilangan/).setInputFiles({
      name: 'surat-kehilangan.png',
      mimeType: 'image/png',
      buffer: PNG,
    });
    await Promise.all([
      page.waitForURL(/\/review$/),
      page.getByRole('button', { name: 'Simpan dan periksa' }).click(),
    ]);

    const review = (await page.locator('main').textContent()) ?? '';
    expect(review).toContain('Dewi Kartika');
    expect(review).toContain('KK hilang');
    expect(review).toContain('1 berkas terlampir');
    await page.getByLabel(/menyetujui pemrosesan data pribadi/).check();
    await Promise.all([
      page.waitForURL(/\/receipt$/),
      page.getByRole('button', { name: 'Kirim permohonan' }).click(),
    ]);
    const number = ((await page.locator('.g-receipt__big').first().textContent()) ?? '').replace(/\s/g, '');
    expect(number).toMatch(/^[A-Z]{3}-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    // Without a script, the receipt's picture is still there: the QR code is inline SVG.
    expect(await page.locator('.g-receipt__qr svg').count()).toBe(1);

    await page.goto(applicationUrl);
    const status = (await page.locator('main').textContent()) ?? '';
    expect(status).toContain('Diajukan');
    expect(status).toContain(number);
    await context.close();
  });
});
