/**
 * NIB (Nomor Induk Berusaha), the business identification number issued through OSS: 13 digits.
 * The number has no published internal structure or check digit, so only its shape is validated.
 */
import { cleanInput, DIGITS, type Invalid, invalid, type Message } from './result.ts';

export const NIB_ERROR_CODES = ['nib.required', 'nib.type', 'nib.characters', 'nib.length'] as const;

export type NibErrorCode = (typeof NIB_ERROR_CODES)[number];

export type NibResult = { readonly ok: true; readonly value: string } | Invalid<NibErrorCode>;

export const nibMessages: Readonly<Record<NibErrorCode, Message>> = {
  'nib.required': { id: 'NIB wajib diisi.', en: 'NIB is required.' },
  'nib.type': { id: 'NIB harus diisi sebagai teks.', en: 'NIB must be given as text.' },
  'nib.characters': { id: 'NIB hanya boleh berisi angka.', en: 'NIB may contain digits only.' },
  'nib.length': { id: 'NIB harus 13 angka.', en: 'NIB must be 13 digits.' },
};

/** Spaces typed or pasted between digit groups. */
const NIB_SEPARATORS = /\s/g;

/** Validates a NIB. Never throws; accepts any input. */
export function validateNib(input: unknown): NibResult {
  const cleaned = cleanInput(input, NIB_SEPARATORS);
  if (cleaned.kind === 'missing') return invalid('nib.required');
  if (cleaned.kind === 'not-text') return invalid('nib.type');
  if (!DIGITS.test(cleaned.text)) return invalid('nib.characters');
  if (cleaned.text.length !== 13) return invalid('nib.length');
  return { ok: true, value: cleaned.text };
}
