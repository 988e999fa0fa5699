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

/** Nothing wider than a 360 px phone: no sideways scrolling. */
async function expectFitsPhone(page: Page): Promise<void> {
  await page.setViewportSize({ width: 360, height: 740 });
  const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
  expect(overflow).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('admin pages in a real browser', () => {
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

  it('an agency admin adds a staff member, suspends them and creates an API token, without axe violations', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    await signInAs(page, fixture, fixture.account('agency_admin', 'disdukcapil'));

    await page.goto(`${fixture.url}/admin/staff`);
    await expectNoAxeViolations(page);
    await expectFitsPhone(page);
    await screenshots(page, 'admin-staff');

    await page.getByRole('link', { name: 'Tambah pegawai' }).click();
    await page.getByRole('button', { name: 'Tambah pegawai' }).click();
    expect(await page.locator('.g-error-summary li').count()).toBe(3);
    await expectNoAxeViolations(page);
    await page.getByLabel('Nama lengkap').fill('Wahyu Nugroho');
    await page.getByLabel('Alamat email').fill('wahyu.nugroho@disdukcapil.sukamaju.example');
    await page.getByLabel('Verifikator').check();
    await page.getByRole('button', { name: 'Tambah pegawai' }).click();
    expect(await page.locator('h1').textContent()).toBe('Pegawai sudah ditambahkan');
    expect(await page.locator('.g-code').textContent()).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    await expectNoAxeViolations(page);

    await page.goto(`${fixture.url}/admin/staff`);
    await page.getByRole('link', { name: 'Wahyu Nugroho' }).click();
    await expectNoAxeViolations(page);
    await expectFitsPhone(page);
    await screenshots(page, 'admin-staff-detail');
    await page.getByRole('button', { name: 'Tangguhkan akun' }).click();
    expect(await page.locator('.g-notice').textContent()).toContain('ditangguhkan');
    await page.getByRole('link', { name: 'Keluarkan dari instansi' }).click();
    await expectNoAxeViolations(page);
    await page.getByRole('button', { name: 'Ya, keluarkan' }).click();
    expect(await page.locator('.g-notice').textContent()).toContain('dikeluarkan');

    await page.goto(`${fixture.url}/admin/tokens`);
    await page.getByLabel('Nama token').fill('SIAK');
    await page.getByLabel(/Membaca permohonan/).check();
    await page.getByRole('button', { name: 'Buat token' }).click();
    expect(await page.locator('.g-code').textContent()).toMatch(/^gpr_[0-9a-f]{32}_/);
    await expectNoAxeViolations(page);
    await page.goto(`${fixture.url}/admin/tokens`);
    await expectNoAxeViolations(page);
    await expectFitsPhone(page);
    await screenshots(page, 'admin-tokens');
    await context.close();
  });

  it('the platform admin pages have no axe violations and fit a phone', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await signInAs(page, fixture, fixture.account('platform_admin'));
    for (const [path, name] of [
      ['/admin/platform/agencies', 'platform-agencies'],
      ['/admin/platform/holidays?year=2026', 'platform-holidays'],
      ['/admin/platform/keys', 'platform-keys'],
      ['/admin/staff', 'platform-staff-chooser'],
    ] as const) {
      await page.goto(`${fixture.url}${path}`);
      await expectNoAxeViolations(page);
      await expectFitsPhone(page);
      await screenshots(page, name);
    }
    // A refused holiday form keeps what was typed and links each problem to its field.
    await page.goto(`${fixture.url}/admin/platform/holidays?year=2026`);
    await page.getByLabel('Date').fill('2026-02-30');
    await page.getByLabel('Name in Indonesian').fill('Hari Contoh');
    await page.getByRole('button', { name: 'Add holiday' }).click();
    expect(await page.getByLabel('Name in Indonesian').inputValue()).toBe('Hari Contoh');
    expect(await page.locator('.g-error-summary a[href="#date"]').count()).toBe(1);
    await expectNoAxeViolations(page);
    await context.close();
  });
});
