import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_TYPES } from '../../src/catalog/schemas.ts';
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

/** Clicks a submit button and waits for the page the server redirects to. */
async function submit(page: Page, button: Locator): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  expect(await page.locator('h1').count()).toBe(1);
}

const LABELS: Record<string, [string, string]> = {
  textarea: ['Alamat lengkap', 'Full address'],
  number: ['Jumlah anggota keluarga', 'Household size'],
  date: ['Tanggal lahir', 'Date of birth'],
  choice: ['Status perkawinan', 'Marital status'],
  multichoice: ['Keperluan', 'Purposes'],
  yesno: ['Punya KIS?', 'Have a KIS?'],
  email: ['Email', 'Email'],
  phone: ['Nomor HP', 'Mobile number'],
  nik: ['NIK pemohon', "Applicant's NIK"],
  npwp: ['NPWP', 'Tax number'],
  nib: ['NIB usaha', 'Business number'],
  region: ['Kelurahan/desa', 'Village'],
  file: ['Foto KTP', 'ID card photo'],
  group: ['Anggota keluarga', 'Family members'],
};

describe('the service designer in a real browser', () => {
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

  it('an agency admin builds a service with every field type, a condition and a three-state workflow, publishes it, and it is in the catalogue', async () => {
    const context = await browser.newContext({ locale: 'id-ID' });
    const page = await context.newPage();
    const field = (name: string) => page.locator(`[name="${name}"]`);
    await signInAs(page, fixture, fixture.account('agency_admin', 'disdukcapil'));

    // Create the service.
    await page.goto(`${fixture.url}/admin/services`);
    await expectNoAxeViolations(page);
    await Promise.all([
      page.waitForURL(/\/admin\/services\/new$/),
      page.getByRole('link', { name: 'Buat layanan baru' }).click(),
    ]);
    await page.getByLabel('Nama layanan (Bahasa Indonesia)').fill('Surat Keterangan Domisili');
    await page.getByLabel('Nama layanan (English)').fill('Residence Certificate');
    // The address follows the name (designer.js); the server would suggest the same without it.
    expect(await page.getByLabel('Alamat halaman').inputValue()).toBe('surat-keterangan-domisili');
    await page.getByLabel('Kategori').selectOption('population');
    await expectNoAxeViolations(page);
    await submit(page, page.getByRole('button', { name: 'Buat layanan' }));
    expect(page.url()).toMatch(/\/admin\/services\/surat-keterangan-domisili\/edit\/identity$/);
    await expectNoAxeViolations(page);

    // Identity.
    await field('description.id').fill('Surat keterangan tempat tinggal bagi penduduk Kota Sukamaju.');
    await field('description.en').fill('A certificate of residence for residents of Sukamaju City.');
    await field('tags').fill('domisili, tempat tinggal');
    await submit(page, page.getByRole('button', { name: 'Simpan' }).first());
    expect(await page.locator('.g-notice').textContent()).toContain('tersimpan');

    // Service standard: the problem list guides, every delivery component is filled in.
    await page.getByRole('link', { name: /^Standar pelayanan/ }).click();
    expect(await page.locator('.d-summary').textContent()).toContain('perlu diperbaiki');
    await expectNoAxeViolations(page);
    await submit(page, page.getByRole('button', { name: 'Tambah persyaratan' }));
    await field('standard.requirements[0].id').fill('KTP elektronik');
    await field('standard.requirements[0].en').fill('Electronic ID card');
    await field('standard.procedure.id').fill('Ajukan daring, berkas diperiksa, surat terbit.');
    await field('standard.procedure.en').fill('Apply online, documents are checked, the letter is issued.');
    await field('standard.completionDays').fill('3');
    await page.getByLabel('Gratis').check();
    await field('standard.product.id').fill('Surat keterangan domisili elektronik');
    await field('standard.product.en').fill('Electronic residence certificate');
    await field('standard.complaintHandling.id').fill('Melalui menu Pengaduan di Gapura.');
    await field('standard.complaintHandling.en').fill("Through Gapura's Complaints page.");
    await submit(page, page.getByRole('button', { name: 'Simpan' }).first());
    expect(await page.locator('.d-summary').count()).toBe(0);

    // Form: one field of every type after the starter's text field.
    await page.getByRole('link', { name: /^Formulir/ }).click();
    await expectNoAxeViolations(page);
    let index = 1;
    for (const type of FIELD_TYPES.filter((t) => t !== 'text')) {
      await field('_newType.0').selectOption(type);
      await submit(page, page.locator('button[name="_do"][value="addField:0"]'));
      const path = `form.sections[0].fields[${index}]`;
      const [id, en] = LABELS[type] ?? ['', ''];
      await field(`${path}.label.id`).fill(id);
      await field(`${path}.label.en`).fill(en);
      if (type === 'choice' || type === 'multichoice') {
        await field(`${path}.options[0].label.id`).fill('Belum kawin');
        await field(`${path}.options[0].label.en`).fill('Not married');
      }
      if (type === 'group') {
        await field(`${path}.fields[0].label.id`).fill('Nama anggota');
        await field(`${path}.fields[0].label.en`).fill("Member's name");
      }
      index++;
    }
    // A last field shown only when the yes/no question is answered "ya".
    await field('_newType.0').selectOption('text');
    await submit(page, page.locator('button[name="_do"][value="addField:0"]'));
    const conditional = `form.sections[0].fields[${index}]`;
    await field(`${conditional}.label.id`).fill('Nomor KIS');
    await field(`${conditional}.label.en`).fill('KIS number');
    await page
      .locator(`#p-${conditional.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')} > details > summary`)
      .click();
    await field(`${conditional}.visibleWhen.conditions[0].field`).selectOption('punya_kis');
    await field(`${conditional}.visibleWhen.conditions[0].op`).selectOption('eq');
    await field(`${conditional}.visibleWhen.conditions[0].value`).fill('ya');
    await submit(page, page.getByRole('button', { name: 'Simpan' }).first());
    expect(await page.locator('.d-summary').count()).toBe(0);
    expect(await page.locator(`[name="${conditional}.visibleWhen.conditions[0].field"]`).inputValue()).toBe(
      'punya_kis',
    );
    await expectNoAxeViolations(page);
    await screenshots(page, 'designer-form');
    // Phone-sized views of the top of the editor and of a field with its condition, to look at.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.locator('h1').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'designer-form-top-360.png') });
    await page.locator(`[name="${conditional}.visibleWhen.mode"]`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'designer-form-condition-360.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('h1').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'designer-form-top-1280.png') });

    // Workflow: diajukan → disetujui / ditolak.
    await page.getByRole('link', { name: /^Alur kerja/ }).click();
    await submit(page, page.getByRole('button', { name: 'Tambah tahap' }));
    await field('workflow.states[2].label.id').fill('Ditolak');
    await field('workflow.states[2].label.en').fill('Rejected');
    await field('workflow.states[2].slaRuns').uncheck();
    await field('workflow.states[2].terminal').selectOption('rejected');
    await submit(page, page.getByRole('button', { name: 'Tambah tindakan' }));
    await submit(page, page.getByRole('button', { name: 'Tambah tindakan' }));
    const action =
      (i: number, label: [string, string], to: string, role: string, kind: string) => async () => {
        const path = `workflow.actions[${i}]`;
        await field(`${path}.label.id`).fill(label[0]);
        await field(`${path}.label.en`).fill(label[1]);
        await page.locator(`[name="${path}.from"][value="diajukan"]`).check();
        await field(`${path}.to`).selectOption(to);
        await page.locator(`[name="${path}.roles"][value="${role}"]`).check();
        await field(`${path}.kind`).selectOption(kind);
      };
    await action(0, ['Setujui', 'Approve'], 'disetujui', 'approver', 'approve')();
    await action(1, ['Tolak', 'Reject'], 'ditolak', 'verifier', 'reject')();
    await field('workflow.actions[1].requiresComment').check();
    await submit(page, page.getByRole('button', { name: 'Simpan' }).first());
    expect(await page.locator('.d-summary').count()).toBe(0);
    await expectNoAxeViolations(page);

    // Output document and data rules.
    await page.getByRole('link', { name: /^Dokumen & data/ }).click();
    await field('output.documentName.id').fill('Surat Keterangan Domisili');
    await field('output.documentName.en').fill('Residence Certificate');
    await field('dataRules.retention.years').fill('5');
    await field('dataRules.retention.basis').fill('JRA Perwali Kota Sukamaju No. 12 Tahun 2023');
    await submit(page, page.getByRole('button', { name: 'Simpan' }).first());
    expect(await page.locator('main').textContent()).toContain('siap diterbitkan');
    await expectNoAxeViolations(page);

    // Preview, then publish.
    await page.getByRole('link', { name: 'Pratinjau' }).first().click();
    const preview = await page.locator('.d-preview').textContent();
    expect(preview).toContain('Nama lengkap');
    expect(preview).toContain('Anggota keluarga');
    expect(
      await page.locator('.d-preview input, .d-preview select, .d-preview textarea').count(),
    ).toBeGreaterThan(10);
    await expectNoAxeViolations(page);
    await page.goto(`${fixture.url}/admin/services/surat-keterangan-domisili`);
    await submit(page, page.getByRole('button', { name: 'Terbitkan versi 1' }));
    expect(await page.locator('.g-notice').textContent()).toContain('telah diterbitkan');

    // The catalogue lists it.
    const api = await page.request.get(`${fixture.url}/api/v1/services?q=domisili`);
    const items = ((await api.json()) as { items: { slug: string }[] }).items;
    expect(items.map((i) => i.slug)).toContain('surat-keterangan-domisili');
    await page.goto(`${fixture.url}/services`);
    expect(await page.locator('main').textContent()).toContain('Surat Keterangan Domisili');
    await context.close();
  });
});
