/**
 * Indonesian mobile phone numbers, normalised to E.164 `+628…`.
 *
 * Accepted spellings: `0812…`, `62812…`, `+62812…`, `812…`, also `+62 (0)812…` and `0062 812…`, with
 * spaces, dashes, dots and parentheses anywhere. The national significant number (NSN, the digits
 * after `+62` or after the trunk `0`) of a mobile number starts with 8 and has 9–12 digits, i.e. 10–13
 * digits when written nationally with the leading 0. Numbers whose NSN does not start with 8
 * (landlines such as 021…), or starts with 80 (toll-free 0800… and premium 0809…, which are not
 * mobile ranges), get `phone.not_mobile`; numbers with another country code get `phone.country`.
 */
import { cleanInput, invalid, type Message, type Result } from './result.ts';

export const PHONE_ERROR_CODES = [
  'phone.required',
  'phone.type',
  'phone.characters',
  'phone.country',
  'phone.not_mobile',
  'phone.length',
] as const;

export type PhoneErrorCode = (typeof PHONE_ERROR_CODES)[number];

export interface PhoneInfo {
  /** National spelling with the trunk prefix, e.g. `081234567890`. */
  readonly national: string;
}

export type PhoneResult = Result<PhoneErrorCode, PhoneInfo>;

export const phoneMessages: Readonly<Record<PhoneErrorCode, Message>> = {
  'phone.required': { id: 'Nomor HP wajib diisi.', en: 'Mobile number is required.' },
  'phone.type': { id: 'Nomor HP harus diisi sebagai teks.', en: 'Mobile number must be given as text.' },
  'phone.characters': {
    id: 'Nomor HP hanya boleh berisi angka, spasi, tanda hubung, tanda kurung, dan + di depan.',
    en: 'A mobile number may contain only digits, spaces, dashes, brackets and a leading +.',
  },
  'phone.country': {
    id: 'Gunakan nomor HP Indonesia (+62).',
    en: 'Use an Indonesian mobile number (+62).',
  },
  'phone.not_mobile': {
    id: 'Ini bukan nomor HP. Nomor HP Indonesia diawali 08 atau +628.',
    en: 'This is not a mobile number. Indonesian mobile numbers start with 08 or +628.',
  },
  'phone.length': {
    id: 'Nomor HP harus 10 sampai 13 angka, diawali 08.',
    en: 'A mobile number must have 10 to 13 digits, starting with 08.',
  },
};

const PHONE_SEPARATORS = /[\s().-]/g;
const INDONESIA = '62';

/** Returns the NSN, or `undefined` when the number carries a foreign country code. */
function nationalSignificantNumber(number: string): string | undefined {
  let rest: string;
  if (number.startsWith('+')) rest = number.slice(1);
  else if (number.startsWith('00')) rest = number.slice(2);
  else if (number.startsWith(INDONESIA)) rest = number;
  else return number.startsWith('0') ? number.slice(1) : number;
  if (!rest.startsWith(INDONESIA)) return undefined;
  const nsn = rest.slice(INDONESIA.length);
  // `+62 (0)812…`: a trunk 0 written after the country code.
  return nsn.startsWith('0') ? nsn.slice(1) : nsn;
}

/** Validates and normalises an Indonesian mobile number. Never throws; accepts any input. */
export function validatePhone(input: unknown): PhoneResult {
  const cleaned = cleanInput(input, PHONE_SEPARATORS);
  if (cleaned.kind === 'missing') return invalid('phone.required');
  if (cleaned.kind === 'not-text') return invalid('phone.type');
  if (!/^\+?[0-9]+$/.test(cleaned.text)) return invalid('phone.characters');
  const nsn = nationalSignificantNumber(cleaned.text);
  if (nsn === undefined) return invalid('phone.country');
  if (nsn.length > 0 && (!nsn.startsWith('8') || nsn.startsWith('80'))) return invalid('phone.not_mobile');
  if (nsn.length < 9 || nsn.length > 12) return invalid('phone.length');
  return { ok: true, value: `+${INDONESIA}${nsn}`, info: { national: `0${nsn}` } };
}
