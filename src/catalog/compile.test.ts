import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  aktaKelahiranAnswers,
  allFieldTypesDefinition,
  VALID,
} from '../../test/fixtures/catalog-definitions.ts';
import {
  type AcceptedAnswers,
  type AnswerError,
  compileDefinition,
  type SubmissionValidation,
} from './compile.ts';
import { DEMO_DEFINITIONS_DIR, readDefinitionFile } from './files.ts';
import { clientHints } from './hints.ts';
import { isRecord } from './reader.ts';
import { readAnswer, testCondition } from './rules.ts';
import type { ServiceDefinition } from './schemas.ts';
import { validateDefinition } from './validate.ts';

function definitionOf(input: unknown): ServiceDefinition {
  const result = validateDefinition(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.definition;
}

const definition = definitionOf(allFieldTypesDefinition());
const form = compileDefinition(definition);
const TODAY = { today: '2025-06-15' };

/** Answers that satisfy every rule of the all-field-types form. */
function fullAnswers(): Record<string, unknown> {
  return {
    nama: '  Dewi Lestari ',
    catatan: 'baris satu\r\nbaris dua',
    umur: 34,
    berat: 55.5,
    lahir: '1990-01-12',
    warna: 'hijau',
    bahasa: ['id', 'jv'],
    setuju: true,
    email: 'dewi@contoh.id',
    hp: VALID.phone,
    nik: '3373.04.120190.0001',
    npwp: VALID.npwp,
    nib: '1234 5678 90123',
    desa: '3373041001',
    kota: VALID.regency,
    berkas: [VALID.upload, VALID.upload2],
    punya_kis: true,
    nomor_kis: '0001234567890',
    alasan: 'lainnya',
    alasan_lain: 'Merawat orang tua',
    anggota: [
      { anggota_nama: 'Adi', anggota_anak: true, anggota_umur: 7 },
      { anggota_nama: 'Sri', anggota_anak: false },
    ],
  };
}

function errorsOf(result: SubmissionValidation): Array<[string, string]> {
  return result.ok ? [] : result.errors.map((e) => [e.path, e.code]);
}

function valuesOf(result: SubmissionValidation): AcceptedAnswers {
  if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
  return result.values;
}

function validateWith(changes: Record<string, unknown>): SubmissionValidation {
  return form.validate({ ...fullAnswers(), ...changes }, TODAY);
}

describe('a complete submission', () => {
  it('is accepted with normalised values', () => {
    expect(valuesOf(form.validate(fullAnswers(), TODAY))).toEqual({
      nama: 'Dewi Lestari',
      catatan: 'baris satu\nbaris dua',
      umur: 34,
      berat: 55.5,
      lahir: '1990-01-12',
      warna: 'hijau',
      bahasa: ['id', 'jv'],
      setuju: true,
      email: 'dewi@contoh.id',
      hp: '+6281234567890',
      nik: '3373041201900001',
      npwp: '012345674901000',
      nib: '1234567890123',
      desa: '33.73.04.1001',
      kota: '33.73',
      berkas: [VALID.upload, VALID.upload2],
      punya_kis: true,
      nomor_kis: '0001234567890',
      alasan: 'lainnya',
      alasan_lain: 'Merawat orang tua',
      anggota: [
        { anggota_nama: 'Adi', anggota_anak: true, anggota_umur: 7 },
        { anggota_nama: 'Sri', anggota_anak: false },
      ],
    });
  });

  it('leaves out unanswered optional fields, whether absent, null, blank or an empty list', () => {
    const values = valuesOf(
      validateWith({ catatan: null, umur: undefined, email: '   ', bahasa: [], berkas: [], warna: '' }),
    );
    for (const key of ['catatan', 'umur', 'email', 'bahasa', 'berkas', 'warna'])
      expect(values).not.toHaveProperty(key);
  });

  it('accepts the benchmark application of the demo birth certificate', () => {
    const parsed = readDefinitionFile(path.join(DEMO_DEFINITIONS_DIR, 'akta-kelahiran.yaml'));
    const akta = compileDefinition(definitionOf(parsed.ok ? parsed.value : undefined));
    const values = valuesOf(akta.validate(aktaKelahiranAnswers(), TODAY));
    expect(values.pelapor_hp).toBe('+6281234567890');
    expect(values.anak_tempat_lahir).toBe('33.73');
    expect(values).not.toHaveProperty('dok_sptjm_kelahiran');
  });
});

describe('each field type refuses what it cannot accept', () => {
  const cases: Array<[string, unknown, string, string?]> = [
    ['nama', 'x'.repeat(21), 'answer.too_long'],
    ['nama', 42, 'answer.type'],
    ['catatan', 'x'.repeat(51), 'answer.too_long'],
    ['umur', 1.5, 'answer.type'],
    ['umur', '34', 'answer.type'],
    ['umur', 121, 'answer.too_large'],
    ['umur', -1, 'answer.too_small'],
    ['berat', 0.4, 'answer.too_small'],
    ['lahir', '2025-02-29', 'answer.invalid_date'],
    ['lahir', '12/01/1990', 'answer.invalid_date'],
    ['lahir', '1899-12-31', 'answer.date_too_early'],
    ['lahir', '2025-06-16', 'answer.date_in_future'],
    ['warna', 'biru', 'answer.not_an_option'],
    ['bahasa', ['id'], 'answer.too_few'],
    ['bahasa', ['id', 'en', 'jv', 'su'], 'answer.too_many'],
    ['bahasa', ['id', 'fr'], 'answer.not_an_option'],
    ['bahasa', ['id', 'id'], 'answer.duplicate'],
    ['bahasa', 'id', 'answer.type'],
    ['setuju', 'ya', 'answer.type'],
    ['email', 'dewi@', 'answer.invalid_email'],
    ['email', 'dewi lestari@contoh.id', 'answer.invalid_email'],
    ['hp', '021-5550123', 'phone.not_mobile'],
    ['hp', '+1 202 555 0100', 'phone.country'],
    ['nik', '3373041201900000', 'nik.serial'],
    ['nik', '3373043201900001', 'nik.birth_date'],
    ['nik', 3373041201900001, 'answer.type'],
    ['npwp', '01.234.567.5-901.000', 'npwp.check_digit'],
    ['nib', '123456789012', 'nib.length'],
    ['desa', '33.73', 'answer.region_level'],
    ['desa', '33.73.04.9999', 'answer.region_unknown'],
    ['kota', 'Salatiga', 'answer.region_level'],
    ['berkas', VALID.upload, 'answer.type'],
    ['berkas', ['../etc/passwd'], 'answer.file_reference'],
    ['berkas', [VALID.upload, VALID.upload2, '0190f5a2-3c4d-7e8f-9a0b-1c2d3e4f5a6d'], 'answer.too_many'],
    ['berkas', [VALID.upload, VALID.upload], 'answer.duplicate'],
  ];

  it.each(cases)('%s = %j → %s', (key, value, code) => {
    const result = validateWith({ [key]: value });
    expect(errorsOf(result)).toEqual([[key, code]]);
    if (!result.ok) {
      const label = definition.form.sections.flatMap((s) => s.fields).find((f) => f.key === key)?.label;
      expect(result.errors[0]?.message.id.startsWith(`${label?.id}:`)).toBe(true);
      expect(result.errors[0]?.message.en.startsWith(`${label?.en}:`)).toBe(true);
    }
  });

  it('uses the identifier module messages for NIK problems', () => {
    const result = validateWith({ nik: '33730412019' });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]?.message).toEqual({
        id: 'NIK: NIK harus 16 angka.',
        en: 'NIK: NIK must be 16 digits.',
      });
  });

  it('accepts a woman’s NIK (day + 40) and decodes the century from today', () => {
    expect(valuesOf(validateWith({ nik: VALID.nikFemale })).nik).toBe(VALID.nikFemale);
    // Born 12-01-26: in 2025 that is 1926; an 2026-01-11 "today" makes it still 1926, never the future.
    expect(
      valuesOf(form.validate({ ...fullAnswers(), nik: '3373041201260001' }, { today: '2026-01-11' })).nik,
    ).toBe('3373041201260001');
  });

  it('reports every problem at once', () => {
    const result = validateWith({ nama: '', umur: 'tua', nik: '1', desa: '33', foo: 1 });
    expect(errorsOf(result)).toEqual([
      ['foo', 'answer.unknown_field'],
      ['nama', 'answer.required'],
      ['umur', 'answer.type'],
      ['nik', 'nik.length'],
      ['desa', 'answer.region_level'],
    ]);
  });

  it('refuses answers that are not an object', () => {
    for (const answers of [null, 'nama', [fullAnswers()], 42]) {
      expect(errorsOf(form.validate(answers, TODAY))).toEqual([['', 'answers.type']]);
    }
  });

  it('names the field in required messages', () => {
    const result = validateWith({ punya_kis: null });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toEqual([
        {
          path: 'punya_kis',
          code: 'answer.required',
          message: { id: 'Punya KIS? wajib diisi.', en: 'Has a KIS? is required.' },
        },
      ]);
    }
  });
});

describe('conditional fields', () => {
  it('requires a shown field and drops a hidden one with whatever it holds', () => {
    expect(errorsOf(validateWith({ nomor_kis: '' }))).toEqual([['nomor_kis', 'answer.required']]);
    const hidden = valuesOf(validateWith({ punya_kis: false, nomor_kis: 12345 }));
    expect(hidden).not.toHaveProperty('nomor_kis');
    expect(valuesOf(validateWith({ punya_kis: false, nomor_kis: 'x'.repeat(99) }))).not.toHaveProperty(
      'nomor_kis',
    );
  });

  it('requires a field only when its requiredWhen rule holds', () => {
    expect(errorsOf(validateWith({ alasan_lain: undefined }))).toEqual([['alasan_lain', 'answer.required']]);
    expect(valuesOf(validateWith({ alasan: undefined, alasan_lain: undefined }))).not.toHaveProperty(
      'alasan_lain',
    );
  });

  it('reads rules over accepted answers: an invalid earlier answer counts as unanswered', () => {
    // punya_kis is not a boolean, so nomor_kis is hidden; only punya_kis is reported.
    expect(errorsOf(validateWith({ punya_kis: 'ya', nomor_kis: 'x'.repeat(99) }))).toEqual([
      ['punya_kis', 'answer.type'],
    ]);
  });

  it('hides a whole repeating group with its items', () => {
    const values = valuesOf(validateWith({ alasan: 'kerja', anggota: [{ anggota_nama: 5, rubbish: true }] }));
    expect(values).not.toHaveProperty('anggota');
  });

  it('evaluates rules inside a group on the item and on the form', () => {
    const items = [{ anggota_nama: 'Adi', anggota_anak: true, anggota_umur: 99 }];
    expect(errorsOf(validateWith({ anggota: items }))).toEqual([
      ['anggota[0].anggota_umur', 'answer.too_large'],
    ]);
    // punya_kis false hides anggota_umur in every item (the rule also looks outside the group).
    const values = valuesOf(validateWith({ punya_kis: false, anggota: items }));
    expect(values.anggota).toEqual([{ anggota_nama: 'Adi', anggota_anak: true }]);
  });

  it('has hidden values never in the output and never in the errors (property)', () => {
    const junk = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.anything());
    const item = fc.record(
      {
        anggota_nama: fc.oneof(fc.constant('Adi'), junk),
        anggota_anak: fc.oneof(fc.boolean(), junk),
        anggota_umur: fc.oneof(fc.nat(17), junk),
      },
      { requiredKeys: [] },
    );
    const answers = fc.record(
      {
        punya_kis: fc.oneof(fc.boolean(), junk),
        nomor_kis: fc.oneof(fc.constant('0001234567890'), junk),
        alasan: fc.oneof(fc.constantFrom('kerja', 'lainnya'), junk),
        alasan_lain: fc.oneof(fc.constant('Merawat'), junk),
        anggota: fc.oneof(fc.array(item, { maxLength: 4 }), junk),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(answers, (changes) => {
        const result = validateWith({
          punya_kis: undefined,
          nomor_kis: undefined,
          alasan: undefined,
          alasan_lain: undefined,
          anggota: undefined,
          ...changes,
        });
        const kisShown = changes.punya_kis === true;
        const groupShown = changes.alasan !== 'kerja';
        const paths = result.ok ? [] : result.errors.map((e: AnswerError) => e.path);
        if (!kisShown) expect(paths).not.toContain('nomor_kis');
        if (!groupShown) expect(paths.filter((p) => p.startsWith('anggota'))).toEqual([]);
        if (!result.ok) return;
        if (!kisShown) expect(result.values).not.toHaveProperty('nomor_kis');
        if (!groupShown) expect(result.values).not.toHaveProperty('anggota');
        const accepted = result.values.anggota;
        for (const entry of Array.isArray(accepted) ? accepted : []) {
          const childShown = isRecord(entry) && entry.anggota_anak === true && kisShown;
          if (!childShown) expect(entry).not.toHaveProperty('anggota_umur');
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('repeating groups', () => {
  it('needs at least minItems and at most maxItems items', () => {
    expect(errorsOf(validateWith({ anggota: [] }))).toEqual([['anggota', 'answer.required']]);
    expect(errorsOf(validateWith({ anggota: null }))).toEqual([['anggota', 'answer.required']]);
    const four = Array.from({ length: 4 }, () => ({ anggota_nama: 'Adi' }));
    expect(errorsOf(validateWith({ anggota: four }))).toEqual([['anggota', 'answer.too_many']]);
  });

  it('counts minItems above one in the message', () => {
    const input = allFieldTypesDefinition();
    const group = input.form.sections[1]?.fields[4];
    if (group !== undefined) Object.assign(group, { minItems: 2 });
    const strict = compileDefinition(definitionOf(input));
    const none = strict.validate({ ...fullAnswers(), anggota: [] }, TODAY);
    expect(none.ok ? undefined : none.errors[0]?.message.en).toBe('Members is required (at least 2).');
    expect(
      errorsOf(strict.validate({ ...fullAnswers(), anggota: [{ anggota_nama: 'Adi' }] }, TODAY)),
    ).toEqual([['anggota', 'answer.too_few']]);
  });

  it('reports errors inside items with the item index', () => {
    const anggota = [
      { anggota_nama: 'Adi' },
      { anggota_anak: 'ya' },
      'Sri',
      { anggota_nama: 'Tri', umur: 3 },
    ];
    expect(errorsOf(validateWith({ anggota: anggota.slice(0, 3) }))).toEqual([
      ['anggota[1].anggota_nama', 'answer.required'],
      ['anggota[1].anggota_anak', 'answer.type'],
      ['anggota[2]', 'answer.type'],
    ]);
    expect(errorsOf(validateWith({ anggota: [anggota[3]] }))).toEqual([
      ['anggota[0].umur', 'answer.unknown_field'],
    ]);
  });
});

describe('compileDefinition', () => {
  it('returns the cached form for the same key and a fresh one otherwise', () => {
    const a = compileDefinition(definition, { cacheKey: 'semua-jenis@1' });
    expect(compileDefinition(definition, { cacheKey: 'semua-jenis@1' })).toBe(a);
    expect(compileDefinition(definition, { cacheKey: 'semua-jenis@2' })).not.toBe(a);
    expect(compileDefinition(definition)).not.toBe(compileDefinition(definition));
  });

  it('reads "today" in the agency time zone', () => {
    const wit = compileDefinition(definition, { timeZone: 'Asia/Jayapura' });
    // 2025-06-15 16:00 UTC is already 16 June 01:00 in Jayapura (UTC+9), still 15 June 23:00 in Jakarta.
    const instant = new Date('2025-06-15T16:00:00Z');
    expect(wit.validate({ ...fullAnswers(), lahir: '2025-06-16' }, { today: instant }).ok).toBe(true);
    expect(errorsOf(form.validate({ ...fullAnswers(), lahir: '2025-06-16' }, { today: instant }))).toEqual([
      ['lahir', 'answer.date_in_future'],
    ]);
  });

  it('refuses a malformed "today"', () => {
    expect(() => form.validate(fullAnswers(), { today: '15-06-2025' })).toThrow(RangeError);
  });

  it('publishes the structural JSON Schema of the answers', () => {
    const schema = form.answersSchema;
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(isRecord(schema.properties) ? schema.properties : {})).toContain('anggota');
  });
});

describe('rules', () => {
  it('compare answers as documented', () => {
    expect(testCondition('eq', ['id', 'jv'], 'jv')).toBe(true);
    expect(testCondition('neq', undefined, 'x')).toBe(true);
    expect(testCondition('eq', undefined, 'x')).toBe(false);
    expect(testCondition('in', 'b', ['a', 'b'])).toBe(true);
    expect(testCondition('in', ['c', 'a'], ['a', 'b'])).toBe(true);
    expect(testCondition('in', undefined, ['a'])).toBe(false);
    expect(testCondition('gt', '2025-01-02', '2025-01-01')).toBe(true);
    expect(testCondition('lte', 3, 3)).toBe(true);
    expect(testCondition('lt', '3', 4)).toBe(false);
  });

  it('read group items before the form', () => {
    const outer = { values: { a: 1, b: 2 } };
    const scope = { values: { a: 10 }, ownKeys: new Set(['a', 'c']), outer };
    expect([readAnswer(scope, 'a'), readAnswer(scope, 'b'), readAnswer(scope, 'c')]).toEqual([
      10,
      2,
      undefined,
    ]);
    expect(readAnswer({ values: {} }, 'constructor')).toBeUndefined();
  });
});

describe('clientHints', () => {
  it('gives the browser rules, requirements and input attributes as JSON', () => {
    const hints = clientHints(definition);
    expect(JSON.parse(JSON.stringify(hints))).toEqual(hints);
    const fields = hints.sections.flatMap((s) => s.fields);
    const kis = fields.find((f) => f.key === 'nomor_kis');
    expect(kis).toMatchObject({ required: true, visibleWhen: { field: 'punya_kis', op: 'eq', value: true } });
    expect(fields.find((f) => f.key === 'nik')?.input).toMatchObject({ inputMode: 'numeric', digits: 16 });
    expect(fields.find((f) => f.key === 'berkas')?.input).toMatchObject({
      accept: ['application/pdf'],
      maxFiles: 2,
    });
    expect(fields.find((f) => f.key === 'warna')?.options?.map((o) => o.value)).toEqual(['merah', 'hijau']);
    const group = fields.find((f) => f.key === 'anggota');
    expect(group?.fields?.map((f) => f.key)).toEqual(['anggota_nama', 'anggota_anak', 'anggota_umur']);
    expect(group?.input).toEqual({ minItems: 1, maxItems: 3 });
  });
});
