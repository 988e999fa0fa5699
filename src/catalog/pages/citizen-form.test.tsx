import { describe, expect, it } from 'vitest';
import { allFieldTypesDefinition, VALID } from '../../../test/fixtures/catalog-definitions.ts';
import { regencies, villages } from '../../regions/store.ts';
import type { PageContext } from '../../web/pages/layout.tsx';
import { compileDefinition } from '../compile.ts';
import type { ServiceDefinition } from '../schemas.ts';
import { validateDefinition } from '../validate.ts';
import {
  answerErrorMessages,
  answersFromForm,
  applyFormCommands,
  CitizenFormSection,
  type CitizenFormSectionProps,
  errorSummaryEntries,
  errorsForSection,
  fieldInputId,
  sectionHasFiles,
} from './citizen-form.tsx';

const TODAY = '2025-06-15';
const page = (lang: 'id' | 'en' = 'id'): PageContext => ({
  lang,
  principal: null,
  csrfToken: 'csrf',
  isDemo: false,
  path: '/apply',
});

const text = (id: string, en = id) => ({ id, en });

/** The fixture with every field type, plus a long choice (a select) and a label that tries markup. */
function definitionOf(): ServiceDefinition {
  const input = allFieldTypesDefinition();
  const fields: unknown[] = input.form.sections[0]?.fields ?? [];
  fields.push(
    {
      key: 'agama',
      type: 'choice',
      label: text('Agama <script>alert(1)</script>', 'Religion'),
      help: text('Sesuai KTP & KK <b>asli</b>.', 'As on the ID card.'),
      options: ['islam', 'kristen', 'katolik', 'hindu', 'buddha', 'konghucu', 'kepercayaan', 'lainnya'].map(
        (value) => ({ value, label: text(value === 'lainnya' ? 'Lainnya <i>' : value) }),
      ),
      classification: 'specific',
    },
    {
      key: 'asal',
      type: 'region',
      level: 'district',
      label: text('Asal', 'Origin'),
      visibleWhen: { field: 'setuju', op: 'eq', value: true },
      classification: 'personal',
    },
  );
  const later: unknown[] = input.form.sections[1]?.fields ?? [];
  later.push({
    key: 'pekerjaan',
    type: 'text',
    label: text('Pekerjaan', 'Occupation'),
    visibleWhen: { field: 'umur', op: 'gte', value: 18 },
    classification: 'personal',
  });
  const result = validateDefinition(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.definition;
}

const definition = definitionOf();
const form = compileDefinition(definition);

async function render(props: Partial<CitizenFormSectionProps> & { sectionIndex: number }): Promise<string> {
  return await CitizenFormSection({ page: page(), definition, values: {}, today: TODAY, ...props });
}

// ---------------------------------------------------------------------------------------------
// A small reading of the rendered HTML: what a browser without JavaScript would submit

const ENTITIES: Record<string, string> = {
  '&#34;': '"',
  '&quot;': '"',
  '&#39;': "'",
  '&lt;': '<',
  '&gt;': '>',
};
function decode(value: string): string {
  return value.replace(/&#34;|&quot;|&#39;|&lt;|&gt;/g, (e) => ENTITIES[e] ?? e).replaceAll('&amp;', '&');
}

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/\s([a-z-]+)(?:="([^"]*)")?/g)) out[m[1] ?? ''] = decode(m[2] ?? '');
  return out;
}

/** Every element with this id (there should be exactly one). */
function byId(html: string, id: string): string[] {
  return [...html.matchAll(new RegExp(`<[a-z]+\\b[^>]*\\sid="${id}"[^>]*>`, 'g'))].map((m) => m[0]);
}

type Body = Record<string, string | string[]>;

/** The successful controls of the markup, as @fastify/formbody would parse them. */
function submitted(html: string): Body {
  const body: Body = {};
  const add = (name: string | undefined, value: string) => {
    if (name === undefined) return;
    const had = body[name];
    body[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  };
  for (const m of html.matchAll(/<(input|textarea|select)\b((?:[^>"]|"[^"]*")*)>([\s\S]*?<\/\1>)?/g)) {
    const [, tag, attrText = '', inner = ''] = m;
    const a = attributes(attrText);
    if ('disabled' in a) continue;
    if (tag === 'input') {
      const type = a.type ?? 'text';
      if (type === 'file') continue;
      if ((type === 'radio' || type === 'checkbox') && !('checked' in a)) continue;
      add(a.name, a.value ?? '');
    } else if (tag === 'textarea') {
      add(a.name, decode(inner.replace(/<\/textarea>$/, '')));
    } else {
      const selected = [...inner.matchAll(/<option\b((?:[^>"]|"[^"]*")*)>/g)].map((o) =>
        attributes(o[1] ?? ''),
      );
      add(a.name, (selected.find((o) => 'selected' in o) ?? selected[0])?.value ?? '');
    }
  }
  return body;
}

// ---------------------------------------------------------------------------------------------

describe('rendering a section', () => {
  it('ties every label to exactly one control and every described-by id to an element', async () => {
    for (const sectionIndex of [0, 1]) {
      const html = await render({
        sectionIndex,
        values: { desa: VALID.village, anggota: [{}, {}] },
        errors: new Map([
          ['nama', 'Nama wajib diisi.'],
          ['anggota[1].anggota_nama', 'Nama anggota wajib diisi.'],
        ]),
      });
      const labelled = [...html.matchAll(/<label\b[^>]*\sfor="([^"]+)"/g)].map((m) => m[1] ?? '');
      expect(labelled.length).toBeGreaterThan(10);
      for (const id of labelled) expect(byId(html, id), id).toHaveLength(1);
      for (const m of html.matchAll(/aria-describedby="([^"]+)"/g)) {
        for (const id of (m[1] ?? '').split(' ')) expect(byId(html, id), id).toHaveLength(1);
      }
      const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('renders each field type with its input, name and attributes', async () => {
    const html = await render({ sectionIndex: 0 });
    const input = (id: string) => attributes(byId(html, id)[0] ?? '');
    expect(input('f-nama')).toMatchObject({
      name: 'nama',
      type: 'text',
      maxlength: '20',
      'aria-required': 'true',
    });
    expect(html).toMatch(/<textarea[^>]*id="f-catatan"[^>]*name="catatan"[^>]*maxlength="50"/);
    expect(input('f-umur')).toMatchObject({ name: 'umur', inputmode: 'numeric' });
    expect(input('f-berat')).toMatchObject({ name: 'berat', inputmode: 'decimal' });
    expect(input('f-lahir')).toMatchObject({ type: 'date', min: '1900-01-01', max: TODAY });
    expect(input('f-email')).toMatchObject({ type: 'email', autocomplete: 'email' });
    expect(input('f-hp')).toMatchObject({ type: 'tel', autocomplete: 'tel' });
    for (const id of ['f-nik', 'f-npwp', 'f-nib']) expect(input(id)).toMatchObject({ inputmode: 'numeric' });
    // A short choice is a radio group in a fieldset; a long one a select.
    expect(input('f-warna')).toMatchObject({ type: 'radio', name: 'warna', value: 'merah' });
    expect(input('f-warna--1')).toMatchObject({ type: 'radio', name: 'warna', value: 'hijau' });
    expect(html).toMatch(/<fieldset[^>]*data-field="warna"[^>]*>\s*<legend[^>]*><span>Warna<\/span>/);
    expect(byId(html, 'f-agama')[0]).toMatch(/^<select/);
    // Multiple choice: checkboxes and the limits said aloud.
    expect(input('f-bahasa--3')).toMatchObject({ type: 'checkbox', name: 'bahasa', value: 'su' });
    expect(html).toContain('Pilih 2 sampai 3.');
    expect(input('f-setuju')).toMatchObject({ type: 'radio', name: 'setuju', value: 'true' });
    expect(input('f-setuju--1')).toMatchObject({ type: 'radio', name: 'setuju', value: 'false' });
    // Files: the accepted types, multiple when more than one, the limits printed and linked.
    expect(input('f-berkas')).toMatchObject({
      type: 'file',
      name: 'berkas',
      accept: 'application/pdf',
      multiple: '',
      'aria-describedby': 'f-berkas-limits',
    });
    expect(html).toContain('PDF; maks. 100 KB; paling banyak 2 berkas');
    // Regions: one select per level, as deep as the field's level.
    expect(input('f-desa')).toMatchObject({ name: 'desa.province' });
    expect(input('f-desa--village')).toMatchObject({ name: 'desa.village', disabled: '' });
    expect(input('f-kota--regency')).toMatchObject({ name: 'kota.regency' });
    expect(byId(html, 'f-kota--district')).toHaveLength(0);
    expect(html).toContain('name="_region_refresh" value="desa"');
  });

  it('marks required fields, links help and errors, and escapes every text', async () => {
    const html = await render({
      sectionIndex: 0,
      errors: new Map([['agama', 'Agama <b>salah</b>']]),
    });
    expect(html).toMatch(
      /for="f-nama"><span>Nama<\/span><span class="g-field__required"[^>]*> \(wajib\)<\/span>/,
    );
    expect(html).not.toMatch(/for="f-catatan"><span>Catatan<\/span><span class="g-field__required"/);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>');
    expect(html).toContain('Agama &lt;script>alert(1)&lt;/script>');
    expect(html).toContain('Sesuai KTP &amp; KK &lt;b>asli&lt;/b>.');
    const select = attributes(byId(html, 'f-agama')[0] ?? '');
    expect(select).toMatchObject({
      'aria-describedby': 'f-agama-hint f-agama-error',
      'aria-invalid': 'true',
    });
    expect(byId(html, 'f-agama-error')[0]).toMatch(/class="g-field__error"/);
  });

  it('speaks English on English pages', async () => {
    const html = await CitizenFormSection({
      page: page('en'),
      definition,
      sectionIndex: 0,
      values: {},
      today: TODAY,
    });
    expect(html).toContain('<span>Name</span>');
    expect(html).toContain(' (required)');
    expect(html).toContain('PDF; max 100 KB; up to 2 files');
    expect(html).toContain('— Choose a province —');
  });

  it('hides a field whose rule is false, with the rule for the script, and shows it when true', async () => {
    const hiddenHtml = await render({ sectionIndex: 1, values: {} });
    const wrapper = (html: string) =>
      html.match(/<div class="g-field"[^>]*data-field="nomor_kis"[^>]*>/)?.[0] ?? '';
    expect(attributes(wrapper(hiddenHtml))).toMatchObject({
      hidden: '',
      'data-visible-when': JSON.stringify({ field: 'punya_kis', op: 'eq', value: true }),
    });
    expect(
      attributes(wrapper(await render({ sectionIndex: 1, values: { punya_kis: true } }))),
    ).not.toHaveProperty('hidden');
    // A rule inside a group item reads the item's own answers and the form's.
    const item = await render({
      sectionIndex: 1,
      values: { punya_kis: true, anggota: [{ anggota_anak: true }, { anggota_anak: false }] },
    });
    const umur = [...item.matchAll(/<div class="g-field"[^>]*data-field="anggota_umur"[^>]*>/g)].map((m) =>
      attributes(m[0]),
    );
    expect(umur.map((a) => 'hidden' in a)).toEqual([false, true]);
    // The conditional requirement's marker is there, hidden until the rule holds.
    expect(hiddenHtml).toMatch(/for="f-alasan_lain"><span>Alasan lain<\/span><span[^>]* hidden> \(wajib\)/);
    const required = await render({ sectionIndex: 1, values: { alasan: 'lainnya' } });
    expect(required).toMatch(/for="f-alasan_lain"><span>Alasan lain<\/span><span[^>]*marker> \(wajib\)/);
  });

  it('gives the script the answers of earlier sections that the rules read', async () => {
    const own = await render({ sectionIndex: 0, values: { setuju: true, umur: 34 } });
    expect(own).not.toContain('data-answers');
    expect(own.match(/<fieldset[^>]*data-field="asal"[^>]*>/)?.[0]).not.toContain(' hidden');
    const adult = await render({ sectionIndex: 1, values: { setuju: true, umur: 34, nik: VALID.nik } });
    expect(adult).toContain(`data-answers="${'{&#34;umur&#34;:34}'}"`);
    expect(adult.match(/<div[^>]*data-field="pekerjaan"[^>]*>/)?.[0]).not.toContain(' hidden');
    const child = await render({ sectionIndex: 1, values: { umur: 10 } });
    expect(child.match(/<div[^>]*data-field="pekerjaan"[^>]*>/)?.[0]).toContain(' hidden');
  });

  it('renders a repeating group as one fieldset per item with add and remove buttons', async () => {
    const empty = await render({ sectionIndex: 1, values: {} });
    expect(empty.match(/class="g-group__item"/g)).toHaveLength(1);
    expect(empty).toContain('<legend class="g-group__item-legend">Anggota 1</legend>');
    expect(empty).toContain('name="anggota[0].anggota_nama"');
    expect(empty).toContain('name="_group_add" value="anggota"');
    expect(empty).not.toContain('name="_group_remove"');

    const two = await render({
      sectionIndex: 1,
      values: { anggota: [{ anggota_nama: 'Adi' }, { anggota_nama: 'Sri' }] },
      errors: new Map([['anggota[1].anggota_nama', 'Nama anggota terlalu panjang.']]),
    });
    expect(two.match(/class="g-group__item"/g)).toHaveLength(2);
    expect(two).toContain('<legend class="g-group__item-legend">Anggota 2</legend>');
    expect(two).toMatch(/name="anggota\[1\]\.anggota_nama" value="Sri"/);
    expect(two).toContain('name="_group_remove" value="anggota:0"');
    expect(two).toContain('name="_group_remove" value="anggota:1"');
    expect(two).toContain('Hapus Anggota 2');
    expect(attributes(byId(two, 'f-anggota-1-anggota_nama')[0] ?? '')).toMatchObject({
      'aria-invalid': 'true',
      'aria-describedby': 'f-anggota-1-anggota_nama-error',
    });

    const full = await render({ sectionIndex: 1, values: { anggota: [{}, {}, {}] } });
    expect(full).not.toContain('name="_group_add"');
  });

  it('loads the options of every chosen level of a region', async () => {
    const html = await render({ sectionIndex: 0, values: { desa: VALID.village, kota: '33.73' } });
    const select = (id: string) =>
      html.match(new RegExp(`<select[^>]*id="${id}"[^>]*>[\\s\\S]*?</select>`))?.[0] ?? '';
    const selected = (id: string) =>
      [...select(id).matchAll(/<option value="([^"]*)" selected>/g)].map((m) => m[1]);
    expect(selected('f-desa')).toEqual(['33']);
    expect(selected('f-desa--regency')).toEqual(['33.73']);
    expect(selected('f-desa--district')).toEqual(['33.73.04']);
    expect(selected('f-desa--village')).toEqual([VALID.village]);
    expect(select('f-desa--regency').match(/<option value="3/g)).toHaveLength(regencies('33').length);
    expect(select('f-desa--village').match(/<option value="3/g)).toHaveLength(villages('33.73.04').length);
    expect(select('f-desa--village')).toContain('>Kecandran</option>');
    expect(selected('f-kota--regency')).toEqual(['33.73']);
    // Levels below an unchosen one have nothing to choose yet.
    const blank = await render({ sectionIndex: 0, values: {} });
    expect(blank).toMatch(
      /<select[^>]*id="f-desa--regency"[^>]*disabled[^>]*><option value="">— Pilih provinsi dulu —/,
    );
  });

  it('disables the command buttons and file inputs in a preview', async () => {
    const html = await render({ sectionIndex: 1, values: {}, disabled: true });
    expect(html).toMatch(/name="_group_add" value="anggota"[^>]*disabled/);
    const files = await render({ sectionIndex: 0, values: {}, disabled: true });
    expect(attributes(byId(files, 'f-berkas')[0] ?? '')).toHaveProperty('disabled');
    expect(files).toMatch(/name="_region_refresh" value="desa"[^>]*disabled/);
  });

  it('knows which sections need a multipart form', () => {
    expect(sectionHasFiles(definition, 0)).toBe(true);
    expect(sectionHasFiles(definition, 1)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------

/** What the applicant typed, as stored answers. */
function storedAnswers(): Record<string, unknown> {
  return {
    nama: 'Dewi & "Sri" <L>',
    catatan: 'baris satu\nbaris dua',
    umur: 34,
    berat: 55.5,
    lahir: '1990-01-12',
    warna: 'hijau',
    bahasa: ['id', 'jv'],
    setuju: true,
    email: 'dewi@contoh.id',
    hp: VALID.phone,
    nik: VALID.nik,
    npwp: VALID.npwp,
    nib: VALID.nib,
    desa: VALID.village,
    kota: '33.73',
    berkas: [VALID.upload, VALID.upload2],
    agama: 'lainnya',
    asal: '33.73.04',
    punya_kis: true,
    nomor_kis: '0001234567890',
    alasan: 'lainnya',
    alasan_lain: 'Merawat orang tua',
    anggota: [
      { anggota_nama: 'Adi', anggota_anak: true, anggota_umur: 7 },
      { anggota_nama: 'Sri', anggota_anak: false },
    ],
    pekerjaan: 'Guru',
  };
}

describe('reading a submitted section back', () => {
  it('turns what the rendered form submits into answers the validator accepts', async () => {
    const stored = storedAnswers();
    const answers: Record<string, unknown> = {};
    for (const sectionIndex of [0, 1]) {
      const html = await render({ sectionIndex, values: stored });
      const body = submitted(html);
      Object.assign(answers, answersFromForm(definition, sectionIndex, body));
      expect(applyFormCommands(definition, sectionIndex, answers, body)).toBeUndefined();
    }
    expect(answers).toEqual(stored);
    const result = form.validate(answers, { today: TODAY });
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('converts types: numbers, yes/no, lists, the deepest consistent region level, blank to null', () => {
    const answers = answersFromForm(definition, 0, {
      nama: '  ',
      umur: '34',
      berat: '55,5',
      setuju: 'false',
      bahasa: 'id',
      berkas: ['scan.pdf', VALID.upload],
      'desa.province': '33',
      'desa.regency': '33.73',
      'desa.district': '32.04.01',
      'desa.village': '32.04.01.2001',
      'kota.province': '33',
      'kota.regency': '',
    });
    expect(answers).toMatchObject({
      nama: null,
      umur: 34,
      berat: 55.5,
      setuju: false,
      bahasa: ['id'],
      berkas: [VALID.upload],
      desa: '33.73',
      kota: '33',
      catatan: null,
      warna: null,
    });
    expect(Object.keys(answers).sort()).toEqual(definition.form.sections[0]?.fields.map((f) => f.key).sort());
  });

  it('keeps what is not a number as typed, so the error comes with it', async () => {
    const body = submitted(await render({ sectionIndex: 0, values: storedAnswers() }));
    const answers = answersFromForm(definition, 0, { ...body, umur: 'tiga puluh' });
    expect(answers.umur).toBe('tiga puluh');
    const result = form.validate({ ...storedAnswers(), ...answers }, { today: TODAY });
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((e) => [e.path, e.code])).toEqual([['umur', 'answer.type']]);
    const html = await render({
      sectionIndex: 0,
      values: answers,
      errors: answerErrorMessages(page(), errorsForSection(definition, 0, errors)),
    });
    expect(html).toMatch(/id="f-umur" name="umur" value="tiga puluh"/);
    expect(html).toContain('Umur: harus berupa bilangan bulat.');
    expect(errorSummaryEntries(page(), errors)).toEqual([
      { field: 'f-umur', message: 'Umur: harus berupa bilangan bulat.' },
    ]);
  });

  it('reads group items in order, drops blank ones, and reports the paths the renderer uses', async () => {
    const body = {
      alasan: 'lainnya',
      alasan_lain: 'Merawat orang tua',
      'anggota[0]._item': '1',
      'anggota[0].anggota_nama': '',
      'anggota[1]._item': '1',
      'anggota[1].anggota_nama': 'Sri',
      'anggota[1].anggota_anak': 'true',
      'anggota[1].anggota_umur': '30',
      punya_kis: 'true',
      nomor_kis: '0001234567890',
    };
    const answers = answersFromForm(definition, 1, body);
    expect(answers.anggota).toEqual([{ anggota_nama: 'Sri', anggota_anak: true, anggota_umur: 30 }]);
    const result = form.validate({ ...storedAnswers(), ...answers }, { today: TODAY });
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((e) => e.path)).toEqual(['anggota[0].anggota_umur']);
    expect(fieldInputId(errors[0]?.path ?? '')).toBe('f-anggota-0-anggota_umur');
    const html = await render({
      sectionIndex: 1,
      values: answers,
      errors: answerErrorMessages(page(), errors),
    });
    expect(byId(html, 'f-anggota-0-anggota_umur-error')).toHaveLength(1);
  });
});

describe('commands of a form without JavaScript', () => {
  const twoMembers = {
    'anggota[0]._item': '1',
    'anggota[0].anggota_nama': 'Adi',
    'anggota[1]._item': '1',
    'anggota[1].anggota_nama': '',
    alasan: 'lainnya',
  };

  it('adds an item after the ones on screen, blank ones included, and focuses it', () => {
    const body = { ...twoMembers, _group_add: 'anggota' };
    const command = applyFormCommands(definition, 1, answersFromForm(definition, 1, body), body);
    expect(command?.kind).toBe('group_add');
    expect(command?.answers.anggota).toEqual([{ anggota_nama: 'Adi' }, {}, {}]);
    expect(command?.answers.alasan).toBe('lainnya');
    expect(command?.focus).toBe('f-anggota-2-anggota_nama');
  });

  it('adds to a group that shows one blank item', () => {
    const body = { 'anggota[0]._item': '1', _group_add: 'anggota' };
    const command = applyFormCommands(definition, 1, answersFromForm(definition, 1, body), body);
    expect(command?.answers.anggota).toEqual([{}, {}]);
  });

  it('never adds beyond the maximum', () => {
    const body = {
      'anggota[0]._item': '1',
      'anggota[1]._item': '1',
      'anggota[2]._item': '1',
      _group_add: 'anggota',
    };
    const command = applyFormCommands(definition, 1, answersFromForm(definition, 1, body), body);
    expect(command?.answers.anggota).toHaveLength(3);
  });

  it('removes the item named by the button and keeps the others in order', async () => {
    const body = {
      ...twoMembers,
      'anggota[2]._item': '1',
      'anggota[2].anggota_nama': 'Sri',
      _group_remove: 'anggota:0',
    };
    const command = applyFormCommands(definition, 1, answersFromForm(definition, 1, body), body);
    expect(command?.kind).toBe('group_remove');
    expect(command?.answers.anggota).toEqual([{}, { anggota_nama: 'Sri' }]);
    expect(command?.focus).toBe('f-anggota-0-anggota_nama');
    const html = await render({ sectionIndex: 1, values: command?.answers ?? {}, focus: command?.focus });
    expect(html).toMatch(/name="anggota\[1\]\.anggota_nama" value="Sri"/);
    expect(byId(html, 'f-anggota-0-anggota_nama')[0]).toContain('autofocus');
  });

  it('ignores a command about a group that is not there, without submitting', () => {
    const body = { _group_remove: 'nope:x' };
    expect(applyFormCommands(definition, 1, answersFromForm(definition, 1, body), body)?.kind).toBe(
      'group_remove',
    );
  });

  it('loads the next region level and focuses its select', async () => {
    const body = { 'desa.province': '33', 'desa.regency': '', _region_refresh: 'desa' };
    const answers = answersFromForm(definition, 0, body);
    const command = applyFormCommands(definition, 0, answers, body);
    expect(command).toMatchObject({ kind: 'region_refresh', focus: 'f-desa--regency' });
    expect(command?.answers.desa).toBe('33');
    const html = await render({ sectionIndex: 0, values: command?.answers ?? {}, focus: command?.focus });
    const regency = html.match(/<select[^>]*id="f-desa--regency"[^>]*>[\s\S]*?<\/select>/)?.[0] ?? '';
    expect(regency).toContain('autofocus');
    expect(regency).not.toContain('disabled');
    expect(regency).toContain('<option value="33.73">Kota Salatiga</option>');
  });

  it('shows again a section where an answer revealed a question not yet seen', () => {
    const seen = 'punya_kis,alasan,alasan_lain,anggota,anggota.anggota_nama,anggota.anggota_anak,pekerjaan';
    const body = {
      _visible: seen,
      punya_kis: 'true',
      'anggota[0]._item': '1',
      'anggota[0].anggota_nama': 'Adi',
    };
    const command = applyFormCommands(definition, 1, answersFromForm(definition, 1, body), body);
    expect(command).toMatchObject({ kind: 'revealed', focus: 'f-nomor_kis' });
    // Once seen, the same answers are submitted for validation.
    const again = { ...body, _visible: `${seen},nomor_kis` };
    const inItem = applyFormCommands(definition, 1, answersFromForm(definition, 1, again), again);
    expect(inItem).toBeUndefined();
    const child = { ...again, 'anggota[0].anggota_anak': 'true' };
    expect(applyFormCommands(definition, 1, answersFromForm(definition, 1, child), child)).toMatchObject({
      kind: 'revealed',
      focus: 'f-anggota-0-anggota_umur',
    });
  });
});

describe('helpers for the pages', () => {
  it('links error summary entries to controls and keeps errors of the section only', () => {
    const errors = [
      { path: 'nama', code: 'answer.required', message: text('Nama wajib diisi.', 'Name is required.') },
      { path: 'anggota[1].anggota_nama', code: 'answer.required', message: text('a', 'b') },
      { path: 'desa', code: 'answer.region_level', message: text('c', 'd') },
      { path: '', code: 'answers.type', message: text('e', 'f') },
    ];
    expect(errorsForSection(definition, 1, errors).map((e) => e.path)).toEqual(['anggota[1].anggota_nama']);
    expect(errorSummaryEntries(page('en'), errors)).toEqual([
      { field: 'f-nama', message: 'Name is required.' },
      { field: 'f-anggota-1-anggota_nama', message: 'b' },
      { field: 'f-desa', message: 'd' },
      { message: 'f' },
    ]);
  });
});
