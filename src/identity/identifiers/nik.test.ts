import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { provinces } from '../../regions/store.ts';
import { checkNik, decodeNikBirthDate, NIK_ERROR_CODES, nikMessages, validateNik } from './nik.ts';

// All NIKs here are synthetic: assembled from a region code, a date and a serial.
interface NikParts {
  region?: string; // 6 digits: province, regency, district
  day?: number; // 1–31
  month?: number;
  yy?: number;
  female?: boolean;
  serial?: string;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function makeNik({
  region = '337304',
  day = 12,
  month = 1,
  yy = 90,
  female = false,
  serial = '0001',
}: NikParts = {}): string {
  return `${region}${pad2(female ? day + 40 : day)}${pad2(month)}${pad2(yy)}${serial}`;
}

const today = new Date('2025-06-15T05:00:00Z'); // 12:00 WIB, 15 June 2025
const opts = { today };

describe('validateNik: valid numbers', () => {
  it('decodes a male NIK from Kota Salatiga with region names', () => {
    const nik = makeNik();
    expect(validateNik(nik, opts)).toEqual({
      ok: true,
      value: nik,
      info: {
        provinceCode: '33',
        provinceName: 'Jawa Tengah',
        formerProvince: false,
        regencyCode: '33.73',
        regencyName: 'Kota Salatiga',
        districtCode: '33.73.04',
        districtName: 'Sidomukti',
        sex: 'M',
        birthDate: '1990-01-12',
        serial: '0001',
      },
    });
  });

  it('decodes a female NIK (day + 40)', () => {
    const result = validateNik(makeNik({ day: 31, month: 12, yy: 5, female: true, serial: '9999' }), opts);
    expect(result.ok && result.info).toMatchObject({ sex: 'F', birthDate: '2005-12-31', serial: '9999' });
    const first = validateNik(makeNik({ day: 1, female: true }), opts);
    expect(first.ok && first.info.birthDate).toBe('1990-01-01');
  });

  it('strips spaces and dots typed by the user', () => {
    const nik = makeNik();
    const spaced = `${nik.slice(0, 2)}.${nik.slice(2, 4)}.${nik.slice(4, 6)} ${nik.slice(6, 12)} ${nik.slice(12)}`;
    expect(validateNik(`  ${spaced}\t`, opts)).toMatchObject({ ok: true, value: nik });
  });

  it('accepts an unknown regency inside the valid ranges, without names', () => {
    for (const region of ['336904', '339904', '330104']) {
      expect(validateNik(makeNik({ region }), opts).ok).toBe(true);
    }
    // 33.69 does not exist; Jawa Tengah is still named.
    const result = validateNik(makeNik({ region: '336904' }), opts);
    expect(result.ok && result.info).not.toHaveProperty('regencyName');
    expect(result.ok && result.info.provinceName).toBe('Jawa Tengah');
    // Merauke was 91.01 before it moved to Papua Selatan (93.01) in 2022; such NIKs stay valid.
    const merauke = validateNik(makeNik({ region: '910101' }), opts);
    expect(merauke.ok && merauke.info).toMatchObject({ provinceName: 'Papua', regencyCode: '91.01' });
    expect(merauke.ok && merauke.info).not.toHaveProperty('regencyName');
  });

  it('accepts the former province 54 (Timor Timur)', () => {
    const result = validateNik(makeNik({ region: '540101' }), opts);
    expect(result.ok && result.info).toMatchObject({ provinceName: 'Timor Timur', formerProvince: true });
  });

  it('accepts every province in the data, including the 2022 Papua provinces', () => {
    for (const code of ['11', '21', '31', '65', '76', '82', '93', '94', '95', '96']) {
      expect(validateNik(makeNik({ region: `${code}0101` }), opts).ok).toBe(true);
    }
  });
});

describe('decodeNikBirthDate: century and calendar', () => {
  it('picks the latest century that is not in the future', () => {
    expect(decodeNikBirthDate('150625', today)?.birthDate).toBe('2025-06-15'); // today
    expect(decodeNikBirthDate('160625', today)?.birthDate).toBe('1925-06-16'); // tomorrow → 1925
    expect(decodeNikBirthDate('010100', today)?.birthDate).toBe('2000-01-01');
    expect(decodeNikBirthDate('311299', today)?.birthDate).toBe('1999-12-31');
  });

  it('reads "today" in Western Indonesia Time (UTC+7)', () => {
    // 18:00 UTC on 14 June is already 15 June in Jakarta.
    expect(decodeNikBirthDate('150625', new Date('2025-06-14T18:00:00Z'))?.birthDate).toBe('2025-06-15');
    expect(decodeNikBirthDate('150625', new Date('2025-06-14T16:00:00Z'))?.birthDate).toBe('1925-06-15');
  });

  it('handles 29 February by the chosen year', () => {
    expect(decodeNikBirthDate('290200', today)?.birthDate).toBe('2000-02-29'); // 2000 is a leap year
    expect(decodeNikBirthDate('290204', today)?.birthDate).toBe('2004-02-29');
    expect(decodeNikBirthDate('690296', today)).toEqual({ sex: 'F', birthDate: '1996-02-29' });
    expect(decodeNikBirthDate('290201', today)).toBeUndefined();
    expect(decodeNikBirthDate('290224', today)?.birthDate).toBe('2024-02-29');
    // Before 29-02-2000 the date would fall in 1900, which was not a leap year.
    expect(decodeNikBirthDate('290200', new Date('2000-02-27T12:00:00Z'))).toBeUndefined();
    expect(validateNik(makeNik({ day: 29, month: 2, yy: 0 }), { today: new Date('1999-06-01') })).toEqual({
      ok: false,
      code: 'nik.birth_date',
    });
  });

  it('rejects impossible days and months', () => {
    for (const ddmmyy of ['000190', '320190', '400190', '720190', '310490', '300290', '011390', '010090']) {
      expect(decodeNikBirthDate(ddmmyy, today), ddmmyy).toBeUndefined();
    }
    expect(decodeNikBirthDate('410190', today)?.birthDate).toBe('1990-01-01');
    expect(decodeNikBirthDate('710190', today)?.birthDate).toBe('1990-01-31');
    expect(decodeNikBirthDate('12019', today)).toBeUndefined();
  });

  it('falls back to now for an invalid "today"', () => {
    expect(decodeNikBirthDate('010190', new Date(Number.NaN))?.birthDate).toBe('1990-01-01');
  });
});

describe('validateNik: invalid numbers', () => {
  const cases: Array<[string, unknown, string]> = [
    ['null', null, 'nik.required'],
    ['undefined', undefined, 'nik.required'],
    ['empty', '', 'nik.required'],
    ['only separators', ' . . ', 'nik.required'],
    ['a number', 3373041201900001, 'nik.type'],
    ['an object', { nik: makeNik() }, 'nik.type'],
    ['an array', [makeNik()], 'nik.type'],
    ['a boolean', true, 'nik.type'],
    ['letters', '33730412019O0001', 'nik.characters'],
    ['dashes', '337304-120190-0001', 'nik.characters'],
    ['full-width digits', '３３７３０４１２０１９００００１', 'nik.characters'],
    ['15 digits', makeNik().slice(0, 15), 'nik.length'],
    ['17 digits', `${makeNik()}1`, 'nik.length'],
    ['province 99', makeNik({ region: '990101' }), 'nik.province'],
    ['province 97', makeNik({ region: '970101' }), 'nik.province'],
    ['province 00', makeNik({ region: '000101' }), 'nik.province'],
    ['province 10', makeNik({ region: '100101' }), 'nik.province'],
    ['regency 00', makeNik({ region: '330004' }), 'nik.regency'],
    ['regency 70', makeNik({ region: '337004' }), 'nik.regency'],
    ['district 00', makeNik({ region: '337300' }), 'nik.district'],
    ['day 00', makeNik({ day: 0 }), 'nik.birth_date'],
    ['day 32', makeNik({ day: 32 }), 'nik.birth_date'],
    ['female day 72', makeNik({ day: 32, female: true }), 'nik.birth_date'],
    ['31 April', makeNik({ day: 31, month: 4 }), 'nik.birth_date'],
    ['29 Feb 2023', makeNik({ day: 29, month: 2, yy: 23 }), 'nik.birth_date'],
    ['month 13', makeNik({ month: 13 }), 'nik.birth_date'],
    ['serial 0000', makeNik({ serial: '0000' }), 'nik.serial'],
  ];
  it.each(cases)('%s → %s', (_label, input, code) => {
    expect(validateNik(input, opts)).toEqual({ ok: false, code });
  });
});

describe('nikMessages', () => {
  it('has Indonesian and English text for every code', () => {
    expect(Object.keys(nikMessages).sort()).toEqual([...NIK_ERROR_CODES].sort());
    for (const { id, en } of Object.values(nikMessages)) {
      expect(id).toMatch(/NIK.*\.$/);
      expect(en).toMatch(/NIK.*\.$/);
    }
    expect(nikMessages['nik.length']).toEqual({ id: 'NIK harus 16 angka.', en: 'NIK must be 16 digits.' });
  });
});

describe('validateNik: properties', () => {
  const provinceCodes = provinces().map((p) => p.code);
  const twoDigits = (min: number, max: number) => fc.integer({ min, max }).map(pad2);
  // Birth dates within the 100 years ending today, where the two-digit year is unambiguous.
  const birthDate = fc.date({
    min: new Date('1925-06-16T00:00:00Z'),
    max: new Date('2025-06-15T00:00:00Z'),
    noInvalidDate: true,
  });
  const validNik = fc.record({
    province: fc.constantFrom(...provinceCodes),
    regency: fc.oneof(twoDigits(1, 69), twoDigits(71, 99)),
    district: twoDigits(1, 99),
    birth: birthDate,
    female: fc.boolean(),
    serial: fc.integer({ min: 1, max: 9999 }).map((n) => String(n).padStart(4, '0')),
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const result = validateNik(input, opts);
        expect(typeof result.ok).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789 .-x\u00a0') }), (input) => {
        validateNik(input);
      }),
    );
  });

  type Parts = typeof validNik extends fc.Arbitrary<infer T> ? T : never;
  const nikOf = (p: Parts): string => {
    const day = p.birth.getUTCDate();
    const month = p.birth.getUTCMonth() + 1;
    const yy = p.birth.getUTCFullYear() % 100;
    return `${p.province}${p.regency}${p.district}${pad2(p.female ? day + 40 : day)}${pad2(month)}${pad2(yy)}${p.serial}`;
  };

  it('accepts every generated valid NIK and decodes its parts', () => {
    fc.assert(
      fc.property(validNik, (p) => {
        const nik = nikOf(p);
        const result = validateNik(nik, opts);
        if (!result.ok) throw new Error(`${nik} rejected: ${result.code}`);
        expect(result.info.sex).toBe(p.female ? 'F' : 'M');
        expect(result.info.birthDate).toBe(p.birth.toISOString().slice(0, 10));
        expect(result.info.provinceName).toBeDefined();
      }),
    );
  });

  it('normalisation is idempotent', () => {
    // Valid NIKs with spaces and dots inserted at random places, plus arbitrary strings.
    const decorated = fc
      .tuple(
        validNik.map(nikOf),
        fc.array(fc.tuple(fc.nat(16), fc.constantFrom(' ', '.', ' . ')), { maxLength: 5 }),
      )
      .map(([nik, inserts]) => inserts.reduce((s, [at, sep]) => s.slice(0, at) + sep + s.slice(at), nik));
    fc.assert(
      fc.property(fc.oneof(decorated, fc.string()), (input) => {
        const first = validateNik(input, opts);
        if (first.ok) expect(validateNik(first.value, opts)).toEqual(first);
      }),
    );
    fc.assert(
      fc.property(decorated, (input) => {
        expect(validateNik(input, opts).ok).toBe(true);
      }),
    );
  });

  it('checkNik gives the same verdict and digits as validateNik, without the description', () => {
    const almostValid = fc
      .tuple(validNik.map(nikOf), fc.nat(15), fc.constantFrom(...'0123456789'))
      .map(([nik, at, digit]) => nik.slice(0, at) + digit + nik.slice(at + 1));
    const today = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z') });
    fc.assert(
      fc.property(fc.oneof(almostValid, fc.string(), fc.anything()), today, (input, day) => {
        const full = validateNik(input, { today: day });
        expect(checkNik(input, { today: day })).toEqual(
          full.ok ? { ok: true, value: full.value } : { ok: false, code: full.code },
        );
      }),
    );
  });
});
