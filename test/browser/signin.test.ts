import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoAccount } from '../../src/demo/seed.ts';
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

describe('in a real browser', () => {
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

  const ROLES: [DemoAccount['role'], string, RegExp][] = [
    ['citizen', 'citizen', /Pemohon \(warga\)/],
    ['counter_officer', 'disdukcapil', /Petugas loket — Dinas Kependudukan/],
    ['verifier', 'dpmptsp', /Verifikator — Dinas Penanaman Modal/],
    ['approver', 'dinsos', /Pejabat penandatangan — Dinas Sosial/],
    ['supervisor', 'disdukcapil', /Atasan — Dinas Kependudukan/],
    ['agency_admin', 'dinsos', /Admin instansi — Dinas Sosial/],
    ['complaint_handler', 'dpmptsp', /Petugas tindak lanjut pengaduan — Dinas Penanaman Modal/],
    ['platform_admin', 'platform', /Admin platform/],
    ['complaint_admin', 'platform', /Admin pengaduan/],
  ];

  for (const [role, where, expected] of ROLES) {
    it(`signs in as ${role} (${where}), with TOTP for staff, and sees the role on the account page`, async () => {
      const context = await browser.newContext({ locale: 'id-ID' });
      const page = await context.newPage();
      const account = fixture.account(role, where === 'citizen' || where === 'platform' ? undefined : where);
      await signInAs(page, fixture, account);
      const main = await page.locator('main').textContent();
      expect(main).toContain(account.name);
      expect(main).toMatch(expected);
      await context.close();
    });
  }

  it('shows the demo banner, works in both languages, and has no axe violations on public pages', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    await page.goto(fixture.url);
    expect(await page.locator('.g-demo').isVisible()).toBe(true);
    expect(await page.locator('html').getAttribute('lang')).toBe('id');
    expect(await page.locator('main').textContent()).toContain('Dinas Sosial Kota Sukamaju');
    await expectNoAxeViolations(page);
    await screenshots(page, 'home');
    await Promise.all([
      page.waitForURL(`${fixture.url}/`),
      page.getByRole('link', { name: 'English' }).click(),
    ]);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('main').textContent()).toContain('Sukamaju City Social Affairs Office');
    await page.goto(`${fixture.url}/signin`);
    expect(await page.locator('h1').textContent()).toBe('Sign in');
    await expectNoAxeViolations(page);
    await screenshots(page, 'signin');
    await context.close();
  });

  it('keeps what was typed and shows the error summary after a failed sign-in', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    await page.goto(`${fixture.url}/signin`);
    await page.getByLabel('Email atau nomor HP').fill('budi.santoso@warga.sukamaju.example');
    await page.getByLabel('Kata sandi').fill('wrong-password');
    await Promise.all([page.waitForURL(/\/signin$/), page.getByRole('button', { name: 'Masuk' }).click()]);
    expect(await page.locator('.g-error-summary').textContent()).toContain('Email atau kata sandi salah.');
    expect(await page.getByLabel('Email atau nomor HP').inputValue()).toBe(
      'budi.santoso@warga.sukamaju.example',
    );
    await expectNoAxeViolations(page);
    await screenshots(page, 'signin-error');
    await context.close();
  });

  it('the account page of a staff member passes axe', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    await signInAs(page, fixture, fixture.account('verifier', 'disdukcapil'));
    await expectNoAxeViolations(page);
    await screenshots(page, 'account-staff');
    await context.close();
  });
});
