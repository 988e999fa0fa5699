import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatNpwp15,
  IDENTIFIER_ERROR_CODES,
  messageFor,
  messages,
  validateNib,
  validateNik,
  validateNpwp,
  validatePhone,
} from './index.ts';

const validators = [validateNik, validateNpwp, validateNib, validatePhone];

describe('identifier validators (index)', () => {
  it('has a message in both languages for every code', () => {
    expect(Object.keys(messages).sort()).toEqual([...IDENTIFIER_ERROR_CODES].sort());
    expect(new Set(IDENTIFIER_ERROR_CODES).size).toBe(IDENTIFIER_ERROR_CODES.length);
    for (const code of IDENTIFIER_ERROR_CODES) {
      const { id, en } = messages[code];
      expect(id.length).toBeGreaterThan(5);
      expect(en.length).toBeGreaterThan(5);
      expect(id).not.toBe(en);
      expect(id.endsWith('.') && en.endsWith('.')).toBe(true);
    }
    expect(messageFor('nik.length')).toBe('NIK harus 16 angka.');
    expect(messageFor('nik.length', 'en')).toBe('NIK must be 16 digits.');
  });

  it('never throws on any input and only returns documented codes', () => {
    const known = new Set<string>(IDENTIFIER_ERROR_CODES);
    const input = fc.oneof(fc.anything(), fc.string(), fc.stringMatching(/^[0-9 .+()-]{0,20}$/));
    fc.assert(
      fc.property(input, (value) => {
        for (const validate of validators) {
          const result = validate(value);
          if (!result.ok) expect(known.has(result.code)).toBe(true);
          else expect(typeof result.value).toBe('string');
        }
        formatNpwp15(value);
      }),
      { numRuns: 500 },
    );
  });

  it('is not confused by hostile objects', () => {
    const hostile = {
      toString: () => {
        throw new Error('boom');
      },
      valueOf: () => {
        throw new Error('boom');
      },
    };
    const proxy = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    );
    for (const validate of validators) {
      for (const value of [hostile, proxy, Symbol('x'), 10n, () => '3373041201900001', Number.NaN]) {
        expect(validate(value).ok).toBe(false);
      }
    }
  });
});
