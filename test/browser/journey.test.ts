import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
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

/** A small real PDF, as a citizen's scan of a police report would be. */
async function policeReportPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([420, 595]);
  page.drawText('Surat Keterangan Kehilangan', { x: 40, y: 540, size: 16, font });
  page.drawText('Kepolisian Sektor Sukamaju Kota — Kartu Keluarga hilang.', {
    x: 40,
    y: 510,
    size: 10,
    font,
  });
  return Buffer.from(await doc.save());
}

/** Clicks a control that leads to another page and waits for that page. */
async function go(page: Page, url: RegExp, click: () => Promise<void>): Promise<void> {
  await Promise.all([page.waitForURL(url), click()]);
}

/** Sends the verification page's upload form and waits for the answer page. */
async function checkUpload(page: Page): Promise<void> {
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/verify') && r.request().method() === 'POST'),
    page.getByRole('button', { name: 'Periksa berkas' }).click(),
  ]);
  await page.waitForLoadState('domcontentloaded');
}

/** The action form of one workflow action on the inbox detail page (its card, by heading). */
function actionCard(page: Page, label: string) {
  return page.locator('section.g-card', { has: page.getByRole('heading', { name: label, exact: true }) });
}

describe('the whole journey in a real browser', () => {
  let fixture: BrowserFixture;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const newPage = async (): Promise<Page> => {
    const context = await browser.newContext({ locale: 'id-ID' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  };

  beforeAll(async () => {
    fixture = await startBrowserFixture();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await fixture?.close();
  });

  it('a new citizen applies with an upload; staff process it through a revision round; the document verifies and a tampered copy does not', async () => {
    const url = fixture.url;
    const contact = 'dewi.kartika@warga.sukamaju.example';

    // 1. Registration: the activation code goes to the demo mailbox, which the platform admin reads.
    const citizen = await newPage();
    await citizen.goto(`${url}/register`);
    await citizen.getByLabel('Email atau nomor HP').fill(contact);
    await citizen.getByLabel(/^Nama lengkap/).fill('Dewi Kartika');
    await citizen.getByLabel(/^Kata sandi/).fill('Sawah-Hijau-Sukamaju-26');
    await go(citizen, /\/register\/verify/, () =>
      citizen.getByRole('button', { name: 'Daftar', exact: true }).click(),
    );

    const admin = await newPage();
    await signInAs(admin, fixture, fixture.account('platform_admin'));
    let code = '';
    for (let attempt = 0; attempt < 60 && code === ''; attempt++) {
      await admin.goto(`${url}/admin/mailbox`);
      const card = admin.locator('li.g-card', { hasText: contact }).first();
      if ((await card.count()) > 0)
        code = /\b(\d{6})\b/.exec((await card.locator('p').last().textContent()) ?? '')?.[1] ?? '';
      if (code === '') await admin.waitForTimeout(500);
    }
    expect(code).toMatch(/^\d{6}$/);
    expect(await citizen.getByLabel('Email atau nomor HP').inputValue()).toBe(contact);
    await citizen.getByLabel('Kode 6 angka').fill(code);
    await go(citizen, /\/account$/, () => citizen.getByRole('button', { name: 'Aktifkan akun' }).click());

    // 2. Applying for a new Family Card (the old one was lost), with the police report as a PDF.
    await citizen.goto(`${url}/services/pembaruan-kartu-keluarga/apply`);
    await go(citizen, /\/sections\/0$/, () => citizen.getByRole('button', { name: 'Mulai mengisi' }).click());
    const applicationUrl = citizen.url().replace(/\/sections\/0$/, '');
    const applicationId = applicationUrl.split('/').pop() ?? '';
    await citizen.getByLabel(/^NIK pemohon/).fill('3373046804900002');
    await citizen.getByLabel(/^Nama lengkap/).fill('Dewi Kartika');
    await citizen.getByLabel(/^Nomor HP/).fill('0813-2222-3333');
    await citizen.getByLabel(/^Nomor Kartu Keluarga/).fill('3373040101200001');
    await go(citizen, /\/sections\/1$/, () =>
      citizen.getByRole('button', { name: 'Simpan dan lanjutkan', exact: true }).click(),
    );
    await citizen.getByLabel('KK hilang').check();
    await go(citizen, /\/sections\/2$/, () =>
      citizen.getByRole('button', { name: 'Simpan dan lanjutkan', exact: true }).click(),
    );
    const report = await policeReportPdf();
    await citizen.getByLabel(/^Surat keterangan kehilangan/).setInputFiles({
      name: 'surat-kehilangan.pdf',
      mimeType: 'application/pdf',
      buffer: report,
    });
    await go(citizen, /\/review$/, () => citizen.getByRole('button', { name: 'Simpan dan periksa' }).click());
    expect(await citizen.locator('main').textContent()).toContain('1 berkas terlampir');
    await citizen.getByLabel(/menyetujui pemrosesan data pribadi/).check();
    await go(citizen, /\/receipt$/, () => citizen.getByRole('button', { name: 'Kirim permohonan' }).click());
    const trackingNumber = ((await citizen.locator('.g-receipt__big').first().textContent()) ?? '').replace(
      /\s/g,
      '',
    );
    expect(trackingNumber).toMatch(/^[A-Z]{3}-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    // 3. The verifier checks the identity card and returns it: the Family Card number is wrong.
    const verifier = await newPage();
    await signInAs(verifier, fixture, fixture.account('verifier', 'disdukcapil'));
    await verifier.goto(`${url}/inbox`);
    await go(verifier, /\/inbox\/[0-9a-f-]{36}$/, () =>
      verifier.getByRole('link', { name: trackingNumber }).click(),
    );
    const inboxUrl = verifier.url();
    expect(await verifier.locator('main').textContent()).toContain('Dewi Kartika');
    await go(verifier, /done=identity/, () =>
      verifier.getByRole('button', { name: 'Tandai: KTP-el sudah saya periksa' }).click(),
    );
    const giveBack = actionCard(verifier, 'Kembalikan untuk perbaikan');
    await giveBack.getByLabel('Nomor Kartu Keluarga', { exact: true }).check();
    await giveBack.getByLabel(/^Catatan/).fill('Nomor KK tidak ditemukan di SIAK. Periksa lagi nomornya.');
    await go(verifier, /done=action/, () =>
      giveBack.getByRole('button', { name: 'Kembalikan untuk perbaikan' }).click(),
    );
    expect(await verifier.locator('main').textContent()).toContain('Perlu perbaikan');

    // 4. The citizen sees what was asked, fixes only that field, and resubmits.
    await citizen.goto(applicationUrl);
    const asked = (await citizen.locator('main').textContent()) ?? '';
    expect(asked).toContain('Yang perlu diperbaiki');
    expect(asked).toContain('Nomor KK tidak ditemukan di SIAK.');
    await expectNoAxeViolations(citizen);
    await screenshots(citizen, 'journey-status-revision');
    await go(citizen, /\/revision$/, () =>
      citizen.getByRole('link', { name: 'Perbaiki', exact: true }).click(),
    );
    expect(
      await citizen
        .locator('form.g-app-form input:not([type=hidden]), form.g-app-form textarea, form.g-app-form select')
        .count(),
    ).toBe(1);
    await expectNoAxeViolations(citizen);
    await screenshots(citizen, 'journey-revision');
    await citizen.getByLabel(/^Nomor Kartu Keluarga/).fill('3373041201150007');
    await go(citizen, /\/revision\?saved=1$/, () =>
      citizen.getByRole('button', { name: 'Simpan perbaikan' }).click(),
    );
    expect(await citizen.locator('.g-notice').textContent()).toContain('Perbaikan Anda tersimpan');
    await expectNoAxeViolations(citizen);
    await screenshots(citizen, 'journey-revision-saved');
    await go(citizen, /done=resubmitted/, () =>
      citizen.getByRole('button', { name: 'Kirim ulang permohonan' }).click(),
    );
    const resubmitted = (await citizen.locator('main').textContent()) ?? '';
    expect(resubmitted).toContain('Permohonan sudah dikirim ulang');
    expect(resubmitted).toContain('Anda menyimpan perbaikan');

    // 5. The verifier checks it again and moves it through the database update.
    await verifier.goto(inboxUrl);
    expect(await verifier.locator('main').textContent()).toContain('3373041201150007');
    await go(verifier, /done=action/, () =>
      actionCard(verifier, 'Dokumen sesuai').getByRole('button', { name: 'Dokumen sesuai' }).click(),
    );
    await go(verifier, /done=action/, () =>
      actionCard(verifier, 'Data SIAK sudah dimutakhirkan')
        .getByRole('button', { name: 'Data SIAK sudah dimutakhirkan' })
        .click(),
    );
    expect(await verifier.locator('main').textContent()).toContain('Menunggu tanda tangan elektronik');

    // 6. The approver signs: the Family Card is issued.
    const approver = await newPage();
    await signInAs(approver, fixture, fixture.account('approver', 'disdukcapil'));
    await approver.goto(inboxUrl);
    await go(approver, /done=action/, () =>
      actionCard(approver, 'Tandatangani KK').getByRole('button', { name: 'Tandatangani KK' }).click(),
    );
    expect(await approver.locator('main').textContent()).toContain('KK terbit');

    // 7. The citizen sees the document and downloads it: a PDF.
    await citizen.goto(applicationUrl);
    const issued = (await citizen.locator('main').textContent()) ?? '';
    expect(issued).toContain('KK terbit');
    expect(issued).toContain('Dokumen Anda');
    expect(issued).toContain('Kartu Keluarga');
    await expectNoAxeViolations(citizen);
    await screenshots(citizen, 'journey-status-document');
    await citizen.setViewportSize({ width: 1280, height: 800 });
    const [download] = await Promise.all([
      citizen.waitForEvent('download'),
      citizen.getByRole('link', { name: /^Unduh dokumen \(PDF\)/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^dokumen-.+\.pdf$/);
    const pdf = readFileSync(await download.path());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(1000);

    // 8. The public verification page (no account) confirms it; a copy with one byte changed fails.
    await go(citizen, /\/verify\/[0-9a-f-]{36}$/, () =>
      citizen.getByRole('link', { name: /^Halaman verifikasi keaslian/ }).click(),
    );
    const documentId = citizen.url().split('/').pop() ?? '';
    const visitor = await newPage();
    await visitor.goto(`${url}/verify/${documentId}`);
    expect(await visitor.locator('main').textContent()).toContain('Dokumen asli dan berlaku');

    await visitor.goto(`${url}/verify`);
    await visitor.getByLabel(/^Berkas PDF dokumen/).setInputFiles({
      name: 'kk.pdf',
      mimeType: 'application/pdf',
      buffer: pdf,
    });
    await checkUpload(visitor);
    expect(await visitor.locator('main').textContent()).toContain('Dokumen asli dan berlaku');

    const tampered = Buffer.from(pdf);
    const at = Math.floor(tampered.length / 2);
    tampered[at] = (tampered[at] ?? 0) ^ 0x01;
    await visitor.goto(`${url}/verify`);
    await visitor.getByLabel(/^Berkas PDF dokumen/).setInputFiles({
      name: 'kk-diubah.pdf',
      mimeType: 'application/pdf',
      buffer: tampered,
    });
    await checkUpload(visitor);
    const verdict = (await visitor.locator('main').textContent()) ?? '';
    expect(verdict).toContain('Dokumen tidak sah');
    expect(verdict).not.toContain('Dokumen asli dan berlaku');
    expect(applicationId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
