import { secureRandomBytes } from '../crypto/random.ts';

let lastMs = 0;
let counter = 0;

/**
 * A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Sortable by creation time;
 * within one millisecond a 12-bit counter keeps ids from one process increasing.
 */
export function newId(now: number = Date.now()): string {
  if (now === lastMs) {
    counter = (counter + 1) & 0xfff;
  } else {
    lastMs = now;
    counter = secureRandomBytes(2).readUInt16BE(0) & 0x7ff;
  }
  const bytes = secureRandomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Current time as the fixed-width ISO-8601 UTC text every table stores (sorts as text). */
export function nowIso(now: number = Date.now()): string {
  return new Date(now).toISOString();
}
