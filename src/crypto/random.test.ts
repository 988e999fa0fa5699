import { describe, expect, it } from 'vitest';
import { secureRandomBytes } from './random.ts';

describe('secureRandomBytes', () => {
  it('hands out each byte once: 20,000 IV-sized draws across many refills are all different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(secureRandomBytes(12).toString('hex'));
    expect(seen.size).toBe(20_000);
  });

  it('returns copies that later draws do not overwrite', () => {
    const first = secureRandomBytes(16);
    const kept = Buffer.from(first);
    for (let i = 0; i < 1000; i++) secureRandomBytes(16);
    expect(first.equals(kept)).toBe(true);
  });

  it('gives exactly the size asked, larger than the pool too', () => {
    for (const size of [0, 1, 12, 4095, 4096, 10_000]) expect(secureRandomBytes(size)).toHaveLength(size);
  });

  it('is not constant: the bits of 1,000 draws are about half ones', () => {
    let ones = 0;
    for (let i = 0; i < 1000; i++)
      for (const byte of secureRandomBytes(16)) for (let b = byte; b > 0; b >>= 1) ones += b & 1;
    expect(ones / (1000 * 128)).toBeGreaterThan(0.48);
    expect(ones / (1000 * 128)).toBeLessThan(0.52);
  });
});
