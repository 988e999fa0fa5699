import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALPHABET, checkCharacter, newTrackingNumber, parseTrackingNumber } from './tracking.ts';

const FILED = new Date('2026-03-02T03:00:00Z');

describe('tracking numbers', () => {
  it('look like DKP-26-7KQ4-M9X3 and parse back to themselves', () => {
    for (let i = 0; i < 200; i++) {
      const number = newTrackingNumber('DKP', FILED);
      expect(number.text).toMatch(/^DKP-26-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(parseTrackingNumber(number.text)).toEqual(number);
    }
  });

  it('read lower case, spaces, O for 0 and I or L for 1', () => {
    const number = newTrackingNumber('DKP', FILED, () => 1); // random part 1111111
    const typed = number.text.toLowerCase().replaceAll('-', ' ').replaceAll('1', 'l');
    expect(parseTrackingNumber(typed)?.text).toBe(number.text);
    expect(parseTrackingNumber(number.text.replace('-26-', '-2 6-'))?.text).toBe(number.text);
  });

  it('catch every single mistyped character', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 7 }), (seed, position) => {
        let state = seed;
        const number = newTrackingNumber('PTS', FILED, (n) => {
          state = (state * 1103515245 + 12345) % 2 ** 31;
          return state % n;
        });
        const body = number.text.slice(7).replace('-', '');
        const original = body[position] ?? '';
        for (const other of ALPHABET) {
          if (other === original) continue;
          const changed = body.slice(0, position) + other + body.slice(position + 1);
          expect(parseTrackingNumber(`PTS-26-${changed}`)).toBeUndefined();
        }
      }),
      { numRuns: 100 },
    );
  });

  it('catch every swap of two different neighbours in the random part', () => {
    let caught = 0;
    let swaps = 0;
    for (let i = 0; i < 500; i++) {
      const body = newTrackingNumber('DSO', FILED).text.slice(7).replace('-', '');
      for (let p = 0; p < body.length - 1; p++) {
        if (body[p] === body[p + 1]) continue;
        const swapped = body.slice(0, p) + body[p + 1] + body[p] + body.slice(p + 2);
        swaps++;
        if (parseTrackingNumber(`DSO-26-${swapped}`) === undefined) caught++;
      }
    }
    // Luhn mod N misses only swaps of the two symbols whose doubled values fold onto each other.
    expect(caught / swaps).toBeGreaterThan(0.99);
  });

  it('refuse other shapes and other agencies’ check characters', () => {
    const number = newTrackingNumber('DKP', FILED);
    expect(parseTrackingNumber(number.text.replace('DKP', 'DKQ'))).toBeUndefined();
    expect(parseTrackingNumber(number.text.replace('-26-', '-25-'))).toBeUndefined();
    for (const bad of ['', 'DKP', 'DKP-26-1234', 'DKP-26-1234-56789', 'D-26-1234-5678', 'x'.repeat(100)])
      expect(parseTrackingNumber(bad)).toBeUndefined();
    expect(() => newTrackingNumber('D1', FILED)).toThrow(RangeError);
    expect(checkCharacter('DKP', '26')).toMatch(/^[0-9A-HJKMNP-TV-Z]$/);
  });
});
