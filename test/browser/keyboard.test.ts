import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserFixture, launchBrowser, startBrowserFixture } from '../helpers/browser.ts';

/**
 * The whole citizen journey with the keyboard alone: every move is a key press (Tab, arrows,
 * Space, Enter) or typed text; nothing is clicked and no field is filled by script. Where focus
 * lands, it must be visible.
 */

/** The first bytes of a PNG file: uploads are checked by content. */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);

/** Presses Tab until `target` has the focus; fails when it never gets it (not reachable by keyboard). */
async function tabTo(page: Page, target: Locator, limit = 80): Promise<void> {
  await target.waitFor();
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el.matches(':focus'))) return;
  }
  throw new Error(`${limit} presses of Tab never reached ${String(target)}`);
}

/** Tabs to a field and types into it. */
async function typeInto(page: Page, target: Locator, value: string): Promise<void> {
  await tabTo(page, target);
  await page.keyboard.type(value);
}

/** Tabs to a link or button and presses Enter, waiting for the page it leads to. */
async function follow(page: Page, target: Locator, url: RegExp, key = 'Enter'): Promise<void> {
  await tabTo(page, target);
  await expectVisibleFocus(page);
  await Promise.all([page.waitForURL(url), page.keyboard.press(key)]);
}

/** The focused element shows it: an outline or a box shadow, as the style sheet draws them. */
async function expectVisibleFocus(page: Page): Promise<void> {
  const style = await page.locator(':focus').evaluate((el) => {
    const computed = el.ownerDocument.defaultView?.getComputedStyle(el);
    return {
      outline: computed?.outlineStyle ?? 'none',
      outlineWidth: computed?.outlineWidth ?? '0px',
      boxShadow: computed?.boxShadow ?? 'none',
    };
  });
  const outlined = style.outline !== 'none' && style.outlineWidth !== '0px';
  expect(outlined || style.boxShadow !== 'none', `focus style ${JSON.stringify(style)}`).toBe(true);
}

/** Picks the first real option of a select with the arrow key (the form fills the next level). */
async function chooseFirst(page: Page, select: Locator): Promise<void> {
  await expect.poll(() => select.isEnabled()).toBe(true);
  await expect.poll(() => select.locator('option').count()).toBeGreaterThan(1);
  await tabTo(page, select);
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => select.inputValue()).not.toBe('');
}

describe('the citizen journey by keyboard alone', () => {
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

  it('signs in, finds the micro business licence, fills every field, uploads a photo, reviews, submits and gets the receipt', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const citizen = fixture.account('citizen');

    // Signing in: the address is typed once; everything after it is Tab, typing and Enter.
    await page.goto(`${fixture.url}/signin`);
    await typeInto(page, page.getByLabel(/Email atau nomor HP/), citizen.email);
    await expectVisibleFocus(page);
    await typeInto(page, page.getByLabel(/Kata sandi/), citizen.password);
    await Promise.all([page.waitForURL(/\/account$/), page.keyboard.press('Enter')]);

    // Finding the service: the header's link, the search box, the result, its page.
    await follow(page, page.getByRole('navigation').getByRole('link', { name: 'Layanan' }), /\/services$/);
    await typeInto(page, page.getByRole('searchbox'), 'usaha mikro');
    await Promise.all([page.waitForURL(/\/services\?/), page.keyboard.press('Enter')]);
    await follow(
      page,
      page.getByRole('link', { name: /Izin Usaha Mikro dan Kecil/ }).first(),
      /\/services\/izin-usaha-mikro$/,
    );
    await follow(
      page,
      page.getByRole('link', { name: 'Ajukan permohonan' }).first(),
      /\/services\/izin-usaha-mikro\/apply$/,
    );
    await follow(
      page,
      page.getByRole('button', { name: 'Mulai mengisi' }),
      /\/applications\/[0-9a-f-]+\/sections\/0$/,
    );

    // Step 1: the owner, every field.
    await typeInto(page, page.getByLabel(/^NIK pemilik/), '3373041201900001');
    await expectVisibleFocus(page);
    await typeInto(page, page.getByLabel(/^Nama lengkap/), 'Budi Santoso');
    await typeInto(page, page.getByLabel(/^Nomor HP/), '0812-3456-7890');
    await typeInto(page, page.getByLabel(/^Email/), 'budi@contoh.id');
    await typeInto(page, page.getByLabel(/^NPWP/), '01.234.567.4-012.000');
    await follow(
      page,
      page.getByRole('button', { name: 'Simpan dan lanjutkan', exact: true }),
      /\/sections\/1$/,
    );

    // Step 2: the business. The NIB question is answered "yes", which reveals the NIB field.
    await typeInto(page, page.getByLabel(/^Nama usaha/), 'Warung Makan Bu Sri');
    const nibQuestion = page.getByRole('group', { name: /NIB dari OSS/ });
    await tabTo(page, nibQuestion.getByLabel('Ya'));
    await expectVisibleFocus(page);
    await page.keyboard.press('Space');
    expect(await nibQuestion.getByLabel('Ya').isChecked()).toBe(true);
    const nib = page.getByLabel(/^Nomor Induk Berusaha/);
    await expect.poll(() => nib.isVisible()).toBe(true);
    await typeInto(page, nib, '9120001234567');
    await typeInto(page, page.getByLabel(/^Kode KBLI/), '56102');
    await typeInto(page, page.getByLabel(/^Uraian kegiatan usaha/), 'Warung makan rumahan.');
    for (const level of ['Provinsi', 'Kabupaten/kota', 'Kecamatan', 'Kelurahan/desa'])
      await chooseFirst(page, page.getByLabel(level, { exact: true }));
    await expectVisibleFocus(page);
    await typeInto(page, page.getByLabel(/^Alamat lokasi usaha/), 'Jl. Merdeka 10');
    await typeInto(page, page.getByLabel(/^Modal usaha/), '25000000');
    await typeInto(page, page.getByLabel(/^Jumlah tenaga kerja/), '2');
    // A date field takes its parts as typed digits in the order the browser shows them (its own
    // locale's); the same day and month make the order irrelevant here.
    await typeInto(page, page.getByLabel(/^Tanggal mulai usaha/), '05052020');
    expect(await page.getByLabel(/^Tanggal mulai usaha/).inputValue()).toBe('2020-05-05');
    await follow(
      page,
      page.getByRole('button', { name: 'Simpan dan lanjutkan', exact: true }),
      /\/sections\/2$/,
    );

    // Step 3: the photo, through the file input reached with Tab and opened with Space.
    const fileInput = page.locator('input[type="file"]').first();
    await tabTo(page, fileInput);
    await expectVisibleFocus(page);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
    await chooser.setFiles({ name: 'lokasi.png', mimeType: 'image/png', buffer: PNG });
    await follow(page, page.getByRole('button', { name: 'Simpan dan periksa' }), /\/review$/);

    // Review: every answer is there; consent with Space, then submit.
    const review = (await page.locator('main').textContent()) ?? '';
    for (const answer of [
      'Warung Makan Bu Sri',
      '9120001234567',
      '56102',
      'Jl. Merdeka 10',
      '1 berkas terlampir',
    ])
      expect(review).toContain(answer);
    const consent = page.getByLabel(/menyetujui pemrosesan data pribadi/);
    await tabTo(page, consent);
    await expectVisibleFocus(page);
    await page.keyboard.press('Space');
    expect(await consent.isChecked()).toBe(true);
    await follow(page, page.getByRole('button', { name: 'Kirim permohonan' }), /\/receipt$/);

    const number = ((await page.locator('.g-receipt__big').first().textContent()) ?? '').replace(/\s/g, '');
    expect(number).toMatch(/^[A-Z]{3}-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await context.close();
  });
});
