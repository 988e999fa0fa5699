import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserFixture,
  launchBrowser,
  SCREENSHOT_DIR,
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

describe('the counter in a real browser', () => {
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

  it('a counter officer files for a walk-in citizen with an upload and prints the receipt', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const officer = fixture.account('counter_officer', 'disdukcapil');
    expect(officer.email).toMatch(/^loket\.disdukcapil@/);
    await signInAs(page, fixture, officer);

    await page.goto(`${fixture.url}/counter`);
    expect(await page.locator('h1').textContent()).toContain('Loket');
    await expectNoAxeViolations(page);
    await screenshots(page, 'counter-home');
    await page.getByLabel('Cari layanan').fill('kartu keluarga');
    await Promise.all([
      page.waitForURL(/\/counter\?q=/),
      page.getByRole('button', { name: 'Cari', exact: true }).click(),
    ]);
    await Promise.all([
      page.waitForURL(/\/counter\/applications\/[0-9a-f-]+\/sections\/0$/),
      page.getByRole('button', { name: /Mulai untuk warga\s*:\s*Pembaruan Kartu Keluarga/ }).click(),
    ]);

    // Step 1: the citizen's details, typed by the officer.
    expect(await page.locator('main').textContent()).toContain('Diisi petugas loket untuk warga');
    await page.getByLabel(/^NIK pemohon/).fill('3373041201900001');
    await page.getByLabel(/^Nama lengkap/).fill('Siti Rahayu');
    await page.getByLabel(/^Nomor HP/).fill('0812-1111-2222');
    await page.getByLabel(/^Nomor Kartu Keluarga/).fill('3373040101200001');
    await expectNoAxeViolations(page);
    await screenshots(page, 'counter-section');
    await Promise.all([
      page.waitForURL(/\/sections\/1$/),
      page.getByRole('button', { name: 'Simpan dan lanjutkan', exact: true }).click(),
    ]);

    // Step 2: the card was lost.
    const reason = page.getByLabel(/^Alasan/);
    if ((await reason.count()) === 1 && (await reason.evaluate((el) => el.tagName)) === 'SELECT')
      await reason.selectOption('hilang');
    else await page.getByLabel('KK hilang').check();
    await Promise.all([
      page.waitForURL(/\/sections\/2$/),
      page.getByRole('button', { name: 'Simpan dan lanjutkan', exact: true }).click(),
    ]);

    // Step 3: the police report, uploaded for real.
    await page.getByLabel(/^Surat keterangan kehilangan/).setInputFiles({
      name: 'laporan-polisi.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\nlaporan kehilangan\n'),
    });
    await Promise.all([
      page.waitForURL(/\/review$/),
      page.getByRole('button', { name: 'Simpan dan periksa' }).click(),
    ]);

    const review = (await page.locator('main').textContent()) ?? '';
    expect(review).toContain('Siti Rahayu');
    expect(review).toContain('1 berkas terlampir');
    await expectNoAxeViolations(page);
    await screenshots(page, 'counter-review');
    await page.getByLabel(/Warga telah menyetujui pernyataan/).check();
    await page.getByLabel('KTP-el asli sudah diperiksa').check();
    await Promise.all([
      page.waitForURL(/\/receipt$/),
      page.getByRole('button', { name: 'Kirim permohonan' }).click(),
    ]);

    // The receipt: number, secret, QR, and a working "Print" button (the script replaced the hint).
    const number = ((await page.locator('.g-receipt__big').first().textContent()) ?? '').replace(/\s/g, '');
    expect(number).toMatch(/^[A-Z]{3}-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await page.locator('.g-receipt__secret').textContent()).toMatch(/^[0-9A-Z]{8}$/);
    expect(await page.locator('.g-receipt__qr svg').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Cetak' }).isVisible()).toBe(true);
    expect(await page.locator('[data-print-hint]').isVisible()).toBe(false);
    expect(await page.locator('main').textContent()).toContain('KTP-el asli sudah diperiksa petugas.');
    await expectNoAxeViolations(page);
    await screenshots(page, 'counter-receipt');
    // As printed: no header, footer or buttons.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await page.locator('.g-header').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Cetak' }).isVisible()).toBe(false);
    await page.screenshot({
      path: path.join(SCREENSHOT_DIR, 'counter-receipt-print-1280.png'),
      fullPage: true,
    });
    await context.close();
  });
});
