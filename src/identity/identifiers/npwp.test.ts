import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatNpwp15,
  luhnCheckDigit,
  luhnValid,
  NPWP_ERROR_CODES,
  npwpMessages,
  validateNpwp,
} from './npwp.ts';

const today = new Date('2025-06-15T05:00:00Z');
const opts = { today };

/*
 * Hand-computed check digits (all numbers here are synthetic). The 9th digit C makes the first nine
 * digits pass Luhn: weights from the left are 1,2,1,2,1,2,1,2,(1 for C); a doubled digit above 9 has
 * 9 subtracted; the total must end in 0.
 *
 *   01.234.567.C  digits 0 1 2 3 4 5 6 7
 *                 ×1: 0 + 2 + 4 + 6           = 12
 *                 ×2: 1→2, 3→6, 5→10→1, 7→14→5 = 14
 *                 total 26 → C = 4 (26 + 4 = 30)
 *
 *   09.876.543.C  ×1: 0 + 8 + 6 + 4           = 18
 *                 ×2: 9→18→9, 7→14→5, 5→10→1, 3→6 = 21
 *                 total 39 → C = 1 (39 + 1 = 40)
 *
 *   02.000.000.C  ×1: 0;  ×2: 2→4;  total 4  → C = 6
 *
 *   80.000.000.C  ×1: 8;  ×2: 0;    total 8  → C = 2
 */
const HAND_COMPUTED: Array<[string, string]> = [
  ['01234567', '4'],
  ['09876543', '1'],
  ['02000000', '6'],
  ['80000000', '2'],
];

describe('Luhn check digit', () => {
  it.each(HAND_COMPUTED)('%s → %s', (first8, check) => {
    expect(luhnCheckDigit(first8)).toBe(check);
    expect(luhnValid(first8 + check)).toBe(true);
    for (let d = 0; d <= 9; d++) if (String(d) !== check) expect(luhnValid(`${first8}${d}`)).toBe(false);
  });

  it('rejects non-digit strings', () => {
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('12a')).toBe(false);
    expect(luhnCheckDigit('x')).toBeUndefined();
  });

  it('detects every single-digit error in the first nine digits', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{8}$/),
        fc.nat(8),
        fc.integer({ min: 1, max: 9 }),
        (first8, at, delta) => {
          const nine = first8 + luhnCheckDigit(first8);
          const changed = `${nine.slice(0, at)}${(Number(nine[at]) + delta) % 10}${nine.slice(at + 1)}`;
          expect(luhnValid(nine)).toBe(true);
          expect(luhnValid(changed)).toBe(false);
        },
      ),
    );
  });
});

describe('formatNpwp15', () => {
  it('formats 15 digits, with or without punctuation', () => {
    expect(formatNpwp15('012345674012000')).toBe('01.234.567.4-012.000');
    expect(formatNpwp15('01.234.567.4-012.000')).toBe('01.234.567.4-012.000');
    expect(formatNpwp15(' 01 234 567 4 012 000 ')).toBe('01.234.567.4-012.000');
  });

  it('returns undefined for anything else', () => {
    for (const bad of ['', '01234567401200', '0123456740120001', '01234567401200x', null, 12, {}]) {
      expect(formatNpwp15(bad)).toBeUndefined();
    }
  });
});

describe('validateNpwp', () => {
  it('accepts a legacy 15-digit NPWP, formatted or not', () => {
    const expected = {
      ok: true,
      value: '012345674012000',
      info: {
        kind: 'legacy15',
        legacy: '012345674012000',
        formatted: '01.234.567.4-012.000',
        taxpayerType: '01',
        serial: '234567',
        checkDigit: '4',
        taxOffice: '012',
        branch: '000',
      },
    };
    expect(validateNpwp('01.234.567.4-012.000')).toEqual(expected);
    expect(validateNpwp('012345674012000')).toEqual(expected);
    expect(validateNpwp('01 234 567 4 012 000')).toEqual(expected);
    expect(validateNpwp('09.876.543.1-123.001')).toMatchObject({ ok: true, info: { branch: '001' } });
  });

  it('rejects a legacy NPWP with a wrong check digit', () => {
    expect(validateNpwp('01.234.567.5-012.000')).toEqual({ ok: false, code: 'npwp.check_digit' });
    // Two neighbouring digits swapped (Luhn catches most transpositions).
    expect(validateNpwp('01.234.576.4-012.000')).toEqual({ ok: false, code: 'npwp.check_digit' });
  });

  it("accepts '0' + legacy 15 digits as a 16-digit NPWP", () => {
    expect(validateNpwp('0012345674012000')).toMatchObject({
      ok: true,
      value: '0012345674012000',
      info: { kind: 'legacy16', legacy: '012345674012000', formatted: '01.234.567.4-012.000' },
    });
    expect(validateNpwp('0012345675012000')).toEqual({ ok: false, code: 'npwp.check_digit' });
  });

  it('accepts a valid NIK as a 16-digit NPWP and reports why an invalid one fails', () => {
    const nik = '3373041201900001'; // synthetic: Salatiga, 12-01-1990, serial 0001
    const result = validateNpwp(nik, opts);
    expect(result.ok && result.info).toMatchObject({
      kind: 'nik',
      nik: { birthDate: '1990-01-12', sex: 'M' },
    });
    expect(validateNpwp('3373.0412-0190-0001', opts)).toMatchObject({ ok: true, value: nik });
    expect(validateNpwp('3373041201900000', opts)).toEqual({
      ok: false,
      code: 'npwp.nik',
      cause: 'nik.serial',
    });
    expect(validateNpwp('9973041201900001', opts)).toMatchObject({ code: 'npwp.nik', cause: 'nik.province' });
  });

  const invalid: Array<[string, unknown, string]> = [
    ['null', null, 'npwp.required'],
    ['empty', '  ', 'npwp.required'],
    ['a number', 12345674012000, 'npwp.type'],
    ['an object', {}, 'npwp.type'],
    ['letters', '01.234.567.4-O12.000', 'npwp.characters'],
    ['slashes', '01/234/567/4/012/000', 'npwp.characters'],
    ['14 digits', '01234567401200', 'npwp.length'],
    ['17 digits', '00123456740120000', 'npwp.length'],
    ['9 digits', '012345674', 'npwp.length'],
  ];
  it.each(invalid)('%s → %s', (_label, input, code) => {
    expect(validateNpwp(input, opts)).toEqual({ ok: false, code });
  });

  it('never throws and normalisation is idempotent', () => {
    const legacy = fc
      .tuple(fc.stringMatching(/^[0-9]{8}$/), fc.stringMatching(/^[0-9]{6}$/), fc.boolean(), fc.boolean())
      .map(([first8, rest, formatted, prefixed]) => {
        const digits = `${first8}${luhnCheckDigit(first8)}${rest}`;
        const shown = formatted ? (formatNpwp15(digits) ?? digits) : digits;
        return prefixed ? `0${shown}` : shown;
      });
    fc.assert(
      fc.property(legacy, (input) => {
        const first = validateNpwp(input, opts);
        expect(first.ok).toBe(true);
        if (first.ok) expect(validateNpwp(first.value, opts)).toEqual(first);
      }),
    );
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const first = validateNpwp(input, opts);
        if (first.ok) expect(validateNpwp(first.value, opts)).toEqual(first);
      }),
    );
    fc.assert(fc.property(fc.anything(), (input) => formatNpwp15(input) !== null));
  });
});

describe('npwpMessages', () => {
  it('has Indonesian and English text for every code', () => {
    expect(Object.keys(npwpMessages).sort()).toEqual([...NPWP_ERROR_CODES].sort());
    for (const { id, en } of Object.values(npwpMessages)) {
      expect(id).toMatch(/NPWP.*\.$/);
      expect(en).toMatch(/NPWP.*\.$/);
    }
  });
});
