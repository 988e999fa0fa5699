/**
 * Tracking numbers: short, read aloud at a counter and typed on cheap phones, so they use Crockford's
 * base-32 alphabet (no I, L, O or U) and end with a check character.
 *
 *   DKP-26-7KQ4-M9X3  =  agency code · two-digit year · seven random characters + one check character
 *
 * The check character is Luhn mod 32 over everything before it (agency code, year and random part),
 * so any single mistyped character and any swap of two neighbours is caught before a lookup. Seven
 * random characters give 35 bits per agency and year; the store still refuses duplicates.
 */
import { randomInt } from 'node:crypto';

export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE = ALPHABET.length;
const RANDOM_LENGTH = 7;

/** Letters people confuse with digits read as those digits; case does not matter. */
const READ_AS: Record<string, string> = { O: '0', I: '1', L: '1' };

/**
 * The values the check character is computed over: an agency code's letters by their place in A–Z
 * (agency codes are plain letters, O and I included), everything else by its place in the alphabet.
 */
function valuesOf(agencyCode: string, rest: string): number[] {
  return [
    ...[...agencyCode].map((c) => c.charCodeAt(0) - 65),
    ...[...rest].map((c) => {
      const value = ALPHABET.indexOf(c);
      if (value < 0) throw new RangeError(`not a tracking character: ${c}`);
      return value;
    }),
  ];
}

/** Luhn mod N: doubles every second value from the right, folding sums back into the alphabet. */
export function checkCharacter(agencyCode: string, rest: string): string {
  const values = valuesOf(agencyCode, rest);
  let sum = 0;
  let double = true;
  for (let i = values.length - 1; i >= 0; i--) {
    let addend = values[i] ?? 0;
    if (double) {
      addend *= 2;
      addend = Math.floor(addend / BASE) + (addend % BASE);
    }
    sum += addend;
    double = !double;
  }
  return ALPHABET[(BASE - (sum % BASE)) % BASE] ?? '0';
}

export interface TrackingNumber {
  agencyCode: string;
  /** Two-digit year the application was filed. */
  year: string;
  /** The formatted number, e.g. `DKP-26-7KQ4-M9X3`. */
  text: string;
}

function format(agencyCode: string, year: string, body: string): string {
  return `${agencyCode}-${year}-${body.slice(0, 4)}-${body.slice(4)}`;
}

/** A new tracking number for an agency (its 2–5 letter code) and a filing date. */
export function newTrackingNumber(agencyCode: string, filedAt: Date, random = randomInt): TrackingNumber {
  const code = agencyCode.toUpperCase();
  if (!/^[A-Z]{2,5}$/.test(code)) throw new RangeError(`agency code must be 2–5 letters: ${agencyCode}`);
  const year = String(filedAt.getUTCFullYear() % 100).padStart(2, '0');
  let random7 = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) random7 += ALPHABET[random(BASE)];
  const body = random7 + checkCharacter(code, year + random7);
  return { agencyCode: code, year, text: format(code, year, body) };
}

/**
 * Reads what a person typed: any case, spaces or dashes anywhere, O for 0 and I or L for 1. Returns
 * the canonical number, or undefined when it is not one (wrong shape or wrong check character).
 */
export function parseTrackingNumber(input: string): TrackingNumber | undefined {
  if (input.length > 64) return undefined;
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  const match = /^([A-Z]{2,5})([0-9OIL]{2})([0-9A-Z]{8})$/.exec(compact);
  if (!match) return undefined;
  const [, agencyCode = '', rawYear = '', rawBody = ''] = match;
  const normalise = (s: string) => [...s].map((c) => READ_AS[c] ?? c).join('');
  const year = normalise(rawYear);
  const body = normalise(rawBody);
  if ([...body].some((c) => !ALPHABET.includes(c))) return undefined;
  if (checkCharacter(agencyCode, year + body.slice(0, RANDOM_LENGTH)) !== body.slice(RANDOM_LENGTH))
    return undefined;
  return { agencyCode, year, text: format(agencyCode, year, body) };
}
