import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NIB_ERROR_CODES, nibMessages, validateNib } from './nib.ts';

describe('validateNib', () => {
  it('accepts 13 digits, also with spaces', () => {
    expect(validateNib('9120001234567')).toEqual({ ok: true, value: '9120001234567' });
    expect(validateNib(' 9120 0012 3456 7 ')).toEqual({ ok: true, value: '9120001234567' });
  });

  const invalid: Array<[string, unknown, string]> = [
    ['null', null, 'nib.required'],
    ['undefined', undefined, 'nib.required'],
    ['blank', '   ', 'nib.required'],
    ['a number', 9120001234567, 'nib.type'],
    ['an object', { nib: '9120001234567' }, 'nib.type'],
    ['letters', '912000123456A', 'nib.characters'],
    ['dots', '9120.0012.34567', 'nib.characters'],
    ['12 digits', '912000123456', 'nib.length'],
    ['14 digits', '91200012345678', 'nib.length'],
  ];
  it.each(invalid)('%s → %s', (_label, input, code) => {
    expect(validateNib(input)).toEqual({ ok: false, code });
  });

  it('never throws and normalisation is idempotent', () => {
    const spaced = fc
      .tuple(fc.stringMatching(/^[0-9]{13}$/), fc.array(fc.nat(13), { maxLength: 4 }))
      .map(([digits, cuts]) => cuts.reduce((s, at) => `${s.slice(0, at)} ${s.slice(at)}`, digits));
    fc.assert(
      fc.property(fc.oneof(spaced, fc.anything()), (input) => {
        const first = validateNib(input);
        if (first.ok) expect(validateNib(first.value)).toEqual(first);
      }),
    );
    fc.assert(fc.property(spaced, (input) => validateNib(input).ok));
  });

  it('has Indonesian and English text for every code', () => {
    expect(Object.keys(nibMessages).sort()).toEqual([...NIB_ERROR_CODES].sort());
    expect(nibMessages['nib.length']).toEqual({ id: 'NIB harus 13 angka.', en: 'NIB must be 13 digits.' });
  });
});
