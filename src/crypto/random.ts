import { randomBytes, randomFillSync } from 'node:crypto';

/** Bytes fetched from the operating system at a time. */
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/**
 * Random bytes from the operating system's CSPRNG, fetched 4 KiB at a time. A filing takes a few
 * dozen of these (an IV per encrypted value, every row id, salts), and one `randomBytes` call each
 * took 7 % of its CPU time. Every byte of the pool is handed out once, as a copy of its own.
 */
export function secureRandomBytes(size: number): Buffer {
  if (size > POOL_SIZE) return randomBytes(size);
  if (offset + size > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  offset += size;
  return bytes;
}
