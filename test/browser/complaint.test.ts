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

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
/** What the complainant wrote about themself, which the public must never read. */
const SELF = 'Saya Rina Marlina, NIK 3373044506900002, HP 0812-9876-5432.';

/** The card of one action on a staff page, by its heading. */
function card(page: Page, heading: string) {
  return page.locator('section.g-card', { has: page.getByRole('heading', { name: heading, exact: true }) });
}

describe('a complaint in a real browser', () => {
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

  /** A staff member signs in and opens the only complaint of their queue. */
  async function openAsStaff(role: 'complaint_admin' | 'complaint_handler' | 'supervisor') {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signInAs(
      page,
      fixture,
      fixture.account(role, role === 'complaint_admin' ? undefined : 'disdukcapil'),
    );
    await page.goto(
      `${fixture.url}${role === 'complaint_admin' ? '/complaints/admin' : '/complaints/inbox'}`,
    );
    await expectNoAxeViolations(page);
    await Promise.all([
      page.waitForURL(/\/complaints\/staff\/[0-9a-f-]{36}$/),
      page.locator('a[href^="/complaints/staff/"]').first().click(),
    ]);
    return { context, page };
  }

  it('an anonymous report is filed, verified, disposed, answered, appealed, answered again and closed; the public never sees who filed it', async () => {
    // Filing, without an account.
    const citizen = await browser.newContext({ locale: 'id-ID' });
    const page = await citizen.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${fixture.url}/complaints/new`);
    expect(await page.locator('h1').textContent()).toBe('Sampaikan laporan');
    await expectNoAxeViolations(page);
    await page.getByLabel('Anonim').check();
    // The name and contact are for confidential reports only: hidden when anonymous.
    expect(await page.getByLabel('Nama', { exact: true }).isVisible()).toBe(false);
    await page.getByLabel('Yang dilaporkan').selectOption('service:akta-kelahiran');
    await page.getByLabel('Pengaduan', { exact: true }).check();
    await page.getByLabel('Kategori').selectOption('fees');
    await page
      .getByLabel('Isi laporan')
      .fill(`Petugas loket meminta uang Rp50.000 agar akta kelahiran anak saya cepat selesai. ${SELF}`);
    await page.getByLabel('Provinsi', { exact: true }).selectOption('33');
    await page.getByLabel('Kabupaten/kota', { exact: true }).selectOption('33.73');
    await page
      .getByLabel(/^Lampiran/)
      .setInputFiles({ name: 'kuitansi.png', mimeType: 'image/png', buffer: PNG });
    await screenshots(page, 'complaint-form');
    await page.getByRole('button', { name: 'Kirim laporan' }).click();
    await page.getByRole('heading', { name: 'Laporan Anda terkirim' }).waitFor();
    const number = ((await page.locator('.g-receipt__big').first().textContent()) ?? '').replace(/\s/g, '');
    const secret = ((await page.locator('.g-receipt__secret').textContent()) ?? '').trim();
    expect(number).toMatch(/^ADU-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(secret).toMatch(/^[0-9A-Z]{8}$/);
    await expectNoAxeViolations(page);
    await screenshots(page, 'complaint-receipt');

    // The complaint admin verifies it, removing the personal data from what the public reads.
    const admin = await openAsStaff('complaint_admin');
    expect(await admin.page.locator('main').textContent()).toContain('Laporan anonim');
    expect(await admin.page.locator('main').textContent()).toContain('Lampiran 1 (PNG');
    await expectNoAxeViolations(admin.page);
    await screenshots(admin.page, 'complaint-admin');
    const verify = card(admin.page, 'Verifikasi');
    await verify
      .getByLabel('Teks untuk publik')
      .fill('Petugas loket meminta uang Rp50.000 agar akta kelahiran anak pelapor cepat selesai.');
    await Promise.all([
      admin.page.waitForURL(/done=action/),
      verify.getByRole('button', { name: 'Verifikasi' }).click(),
    ]);
    const dispose = card(admin.page, 'Disposisikan ke instansi');
    await dispose.getByLabel('Instansi yang berwenang').selectOption('disdukcapil');
    await Promise.all([
      admin.page.waitForURL(/done=action/),
      dispose.getByRole('button', { name: 'Disposisikan ke instansi' }).click(),
    ]);
    expect(await admin.page.locator('main').textContent()).toContain('Didisposisikan ke instansi');
    await admin.context.close();

    // The agency's complaint handler posts the follow-up.
    const handler = await openAsStaff('complaint_handler');
    await expectNoAxeViolations(handler.page);
    const followUp = card(handler.page, 'Kirim tindak lanjut');
    // Without an answer it is refused next to the field, and nothing changes.
    await followUp.getByRole('button', { name: 'Kirim tindak lanjut' }).click();
    expect(await handler.page.locator('.g-error-summary').first().textContent()).toContain(
      'Tuliskan tindak lanjut',
    );
    await expectNoAxeViolations(handler.page);
    await card(handler.page, 'Kirim tindak lanjut')
      .getByLabel('Tindak lanjut (wajib)')
      .fill('Petugas telah diperiksa dan uang dikembalikan; akta selesai tanpa biaya.');
    await Promise.all([
      handler.page.waitForURL(/done=action/),
      card(handler.page, 'Kirim tindak lanjut').getByRole('button', { name: 'Kirim tindak lanjut' }).click(),
    ]);
    await handler.context.close();

    // The complainant reads it with the number and secret, and appeals.
    const track = async () => {
      await page.goto(`${fixture.url}/complaints/track`);
      await page.getByLabel('Nomor laporan').fill(number);
      await page.getByLabel('Kode rahasia').fill(secret);
      await page.getByRole('button', { name: 'Lihat laporan' }).click();
      await page.getByRole('heading', { name: `Laporan ${number}` }).waitFor();
    };
    await track();
    expect(await page.locator('main').textContent()).toContain('akta selesai tanpa biaya');
    await expectNoAxeViolations(page);
    await screenshots(page, 'complaint-track');
    await page.getByLabel('Alasan keberatan').fill('Uang saya belum dikembalikan sampai hari ini.');
    await page.getByRole('button', { name: 'Ajukan keberatan' }).click();
    await page.getByText('Tanggapan Anda tersimpan.').waitFor();
    expect(await page.locator('main').textContent()).toContain('Keberatan, ditangani atasan');

    // The agency's supervisor answers the appeal.
    const supervisor = await openAsStaff('supervisor');
    const answer = card(supervisor.page, 'Kirim tindak lanjut atas keberatan');
    await answer
      .getByLabel('Tindak lanjut (wajib)')
      .fill('Atasan memastikan uang Rp50.000 telah dikembalikan kepada pelapor.');
    await Promise.all([
      supervisor.page.waitForURL(/done=action/),
      answer.getByRole('button', { name: 'Kirim tindak lanjut atas keberatan' }).click(),
    ]);
    await supervisor.context.close();

    // An appeal is possible once: only accepting is left, and it closes the report.
    await track();
    expect(await page.getByRole('button', { name: 'Ajukan keberatan' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Terima tindak lanjut' }).click();
    await page.getByText('Tanggapan Anda tersimpan.').waitFor();
    expect(await page.locator('.g-status').first().textContent()).toBe('Selesai');

    // The public page: the redacted text and both answers, never the complainant.
    await page.goto(`${fixture.url}/complaints/${number}`);
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain('anak pelapor cepat selesai');
    expect(main).toContain('Atasan memastikan uang Rp50.000 telah dikembalikan');
    expect(main).toContain('Dirahasiakan');
    for (const secretText of ['Rina', 'Marlina', '3373044506900002', '0812-9876-5432', secret])
      expect(main).not.toContain(secretText);
    expect(await page.content()).not.toContain('Rina Marlina');
    await expectNoAxeViolations(page);
    await screenshots(page, 'complaint-public');
    await page.goto(`${fixture.url}/complaints`);
    expect(await page.locator(`a[href="/complaints/${number}"]`).count()).toBe(1);
    await expectNoAxeViolations(page);
    await citizen.close();
  });
});
