import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, openContext } from '../../src/app.ts';
import { startApplication, submitApplication } from '../../src/applications/service.ts';
import { type DemoAccount, seedDemo } from '../../src/demo/seed.ts';
import { findUserIdByEmail, totpSecretOf } from '../../src/identity/service.ts';
import { aktaKelahiranAnswers } from '../fixtures/catalog-definitions.ts';
import { type BrowserFixture, launchBrowser, screenshots, signInAs } from '../helpers/browser.ts';
import { type FreshDatabase, freshDatabase, testConfig } from '../helpers/engines.ts';
import { type ServerProcess, startServerProcess } from '../helpers/process.ts';
import { unusedTotp } from '../helpers/totp.ts';

async function expectNoAxeViolations(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

describe('the officer inbox in a real browser', () => {
  let fresh: FreshDatabase;
  let server: ServerProcess;
  let fixture: BrowserFixture;
  let browser: Browser;
  let trackingNumber = '';

  beforeAll(async () => {
    // The demo data plus one filed birth-certificate application, written before the server starts.
    fresh = await freshDatabase('sqlite');
    const config = testConfig(fresh);
    const opened = await openContext(config, createLogger(config));
    const accounts: DemoAccount[] = await seedDemo(opened.ctx);
    const secrets = new Map<string, string>();
    for (const a of accounts) {
      const userId = await findUserIdByEmail(opened.ctx, a.email);
      const secret = userId ? await totpSecretOf(opened.ctx, userId) : undefined;
      if (secret) secrets.set(a.email, secret);
    }
    const citizenId = await findUserIdByEmail(opened.ctx, 'budi.santoso@warga.sukamaju.example');
    const citizen = { userId: citizenId!, kind: 'citizen' as const, sessionId: null, grants: [] };
    const { id } = await startApplication(opened.ctx, citizen, 'akta-kelahiran', aktaKelahiranAnswers());
    trackingNumber = (await submitApplication(opened.ctx, citizen, id, { consent: true, lang: 'id' }))
      .trackingNumber;
    await opened.handle.close();
    server = await startServerProcess(fresh.env);
    fixture = {
      server,
      url: server.url,
      accounts,
      totp: (email) => unusedTotp(secrets.get(email) ?? ''),
      account: (role, agencySlug) => {
        const found = accounts.find(
          (a) => a.role === role && (agencySlug === undefined || a.agencySlug === agencySlug),
        );
        if (!found) throw new Error(`no demo account for ${role}`);
        return found;
      },
      close: async () => {},
    };
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    await fresh?.cleanup();
  });

  it('a verifier opens the inbox, opens the application, claims it and verifies it; pages are axe-clean', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    await signInAs(page, fixture, fixture.account('verifier', 'disdukcapil'));
    await page.goto(`${fixture.url}/inbox`);
    expect(await page.locator('h1').textContent()).toBe('Kotak masuk permohonan');
    await expectNoAxeViolations(page);
    await screenshots(page, 'inbox');

    await Promise.all([
      page.waitForURL(/\/inbox\/[0-9a-f-]{36}$/),
      page.getByRole('link', { name: trackingNumber }).click(),
    ]);
    expect(await page.locator('main').textContent()).toContain('Siti Aminah');
    await expectNoAxeViolations(page);

    await Promise.all([
      page.waitForURL(/done=claimed/),
      page.getByRole('button', { name: 'Ambil permohonan ini' }).click(),
    ]);
    expect(await page.locator('main').textContent()).toContain('Permohonan ini Anda tangani.');

    // A rejection without a note is refused next to the note, and nothing changes.
    const reject = page.locator('section.g-card', {
      has: page.getByRole('heading', { name: 'Tolak permohonan' }),
    });
    await reject.getByRole('button', { name: 'Tolak permohonan' }).click();
    expect(await page.locator('.g-error-summary').textContent()).toContain('Tuliskan alasan');
    await expectNoAxeViolations(page);

    const verify = page.locator('section.g-card', {
      has: page.getByRole('heading', { name: 'Data dan dokumen sesuai' }),
    });
    await verify.getByLabel('Catatan').fill('Dokumen lengkap dan sesuai.');
    await Promise.all([
      page.waitForURL(/done=action/),
      verify.getByRole('button', { name: 'Data dan dokumen sesuai' }).click(),
    ]);
    const main = await page.locator('main').textContent();
    expect(main).toContain('Terverifikasi, menunggu tanda tangan');
    expect(main).toContain('Dokumen lengkap dan sesuai.');
    await expectNoAxeViolations(page);
    await screenshots(page, 'inbox-detail');
    await context.close();
  });
});
