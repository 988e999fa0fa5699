import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PHONE_ERROR_CODES, phoneMessages, validatePhone } from './phone.ts';

describe('validatePhone', () => {
  it.each([
    '081234567890',
    '0812-3456-7890',
    '0812 3456 7890',
    '(0812) 3456-7890',
    '0812.3456.7890',
    '6281234567890',
    '+6281234567890',
    '+62 812-3456-7890',
    '+62 (0) 812 3456 7890',
    '0062 812 3456 7890',
    '81234567890',
    '812 3456 7890',
  ])('normalises %s to +6281234567890', (input) => {
    expect(validatePhone(input)).toEqual({
      ok: true,
      value: '+6281234567890',
      info: { national: '081234567890' },
    });
  });

  it('accepts 9 to 12 digits after the 0 (10 to 13 digits in all)', () => {
    expect(validatePhone('0812345678')).toMatchObject({ ok: true, value: '+62812345678' });
    expect(validatePhone('0812345678901')).toMatchObject({ ok: true, value: '+62812345678901' });
    expect(validatePhone('081234567')).toEqual({ ok: false, code: 'phone.length' });
    expect(validatePhone('08123456789012')).toEqual({ ok: false, code: 'phone.length' });
    expect(validatePhone('+62 8123 4567')).toEqual({ ok: false, code: 'phone.length' });
  });

  const invalid: Array<[string, unknown, string]> = [
    ['null', null, 'phone.required'],
    ['empty', '', 'phone.required'],
    ['only punctuation', ' ( ) - ', 'phone.required'],
    ['a number', 81234567890, 'phone.type'],
    ['an object', {}, 'phone.type'],
    ['letters', '0812-3456-ABCD', 'phone.characters'],
    ['plus in the middle', '0812+34567890', 'phone.characters'],
    ['plus alone', '+', 'phone.characters'],
    ['Jakarta landline', '021-555-1234', 'phone.not_mobile'],
    ['landline with country code', '+62 21 5551234', 'phone.not_mobile'],
    ['landline without 0', '22 7654321', 'phone.not_mobile'],
    ['toll-free', '0800-1-234567', 'phone.not_mobile'],
    ['Singapore', '+65 8123 4567', 'phone.country'],
    ['USA', '+1 415 555 0100', 'phone.country'],
    ['00 + Malaysia', '0060 12 345 6789', 'phone.country'],
    ['country code only', '+62', 'phone.length'],
    ['just 0', '0', 'phone.length'],
  ];
  it.each(invalid)('%s → %s', (_label, input, code) => {
    expect(validatePhone(input)).toEqual({ ok: false, code });
  });

  it('never throws; every spelling of a mobile number normalises to the same idempotent value', () => {
    const mobile = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^[0-9]{7,10}$/));
    const prefix = fc.constantFrom('0', '62', '+62', '', '+62 (0)', '0062', '+62-');
    const separator = fc.constantFrom('', ' ', '-', '.');
    fc.assert(
      fc.property(mobile, prefix, separator, ([second, rest], pre, sep) => {
        const nsn = `8${second}${rest}`;
        const input = `${pre}${nsn.slice(0, 3)}${sep}${nsn.slice(3, 7)}${sep}${nsn.slice(7)}`;
        const result = validatePhone(input);
        expect(result).toEqual({ ok: true, value: `+62${nsn}`, info: { national: `0${nsn}` } });
        if (result.ok) expect(validatePhone(result.value)).toEqual(result);
      }),
    );
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const first = validatePhone(input);
        if (first.ok) expect(validatePhone(first.value)).toEqual(first);
      }),
    );
  });

  it('has Indonesian and English text for every code', () => {
    expect(Object.keys(phoneMessages).sort()).toEqual([...PHONE_ERROR_CODES].sort());
  });
});
