/**
 * NPWP (Nomor Pokok Wajib Pajak), the Indonesian taxpayer number.
 *
 * Legacy 15-digit form `TT.SSS.SSS.C-KKK.BBB`:
 *   TT  taxpayer type (2 digits), SSS.SSS serial (6 digits), C check digit,
 *   KKK tax office (KPP, 3 digits), BBB branch (3 digits, 000 = head office / head of family).
 *
 * Check digit: C is the Luhn (mod 10) check digit of the first 8 digits, i.e. the first 9 digits
 * together pass the Luhn test. Going from the right-most of those 9 digits (C itself) to the left,
 * every second digit (positions 8, 6, 4, 2 counted from the left) is doubled and, if the result is
 * above 9, reduced by 9; the sum of all 9 resulting digits must be a multiple of 10. Equivalently,
 * the weights from the left are 1,2,1,2,1,2,1,2,1.
 *
 * 16-digit form (PMK 112/PMK.03/2022): resident individuals use their NIK; everyone else uses '0'
 * followed by the legacy 15 digits. A leading 0 cannot start a NIK (no province 0x), so the two are
 * unambiguous.
 */
import { type NikErrorCode, type NikInfo, type NikOptions, validateNik } from './nik.ts';
import { cleanInput, DIGITS, type Invalid, invalid, type Message, type Valid } from './result.ts';

export const NPWP_ERROR_CODES = [
  'npwp.required',
  'npwp.type',
  'npwp.characters',
  'npwp.length',
  'npwp.check_digit',
  'npwp.nik',
] as const;

export type NpwpErrorCode = (typeof NPWP_ERROR_CODES)[number];

export interface NpwpLegacyInfo {
  /** `legacy15`: 15-digit input; `legacy16`: '0' + legacy 15 digits. */
  readonly kind: 'legacy15' | 'legacy16';
  /** The 15 legacy digits. */
  readonly legacy: string;
  /** `XX.XXX.XXX.X-XXX.XXX`. */
  readonly formatted: string;
  readonly taxpayerType: string;
  readonly serial: string;
  readonly checkDigit: string;
  readonly taxOffice: string;
  readonly branch: string;
}

export interface NpwpNikInfo {
  readonly kind: 'nik';
  readonly nik: NikInfo;
}

export type NpwpInfo = NpwpLegacyInfo | NpwpNikInfo;

/** For `npwp.nik`, `cause` carries the NIK error so the form can say what is wrong with it. */
export type NpwpInvalid = Invalid<NpwpErrorCode> & { readonly cause?: NikErrorCode };

export type NpwpResult = Valid<NpwpInfo> | NpwpInvalid;

export const npwpMessages: Readonly<Record<NpwpErrorCode, Message>> = {
  'npwp.required': { id: 'NPWP wajib diisi.', en: 'NPWP is required.' },
  'npwp.type': { id: 'NPWP harus diisi sebagai teks.', en: 'NPWP must be given as text.' },
  'npwp.characters': {
    id: 'NPWP hanya boleh berisi angka, titik, dan tanda hubung.',
    en: 'NPWP may contain only digits, dots and dashes.',
  },
  'npwp.length': { id: 'NPWP harus 15 atau 16 angka.', en: 'NPWP must be 15 or 16 digits.' },
  'npwp.check_digit': {
    id: 'NPWP tidak valid. Periksa kembali, mungkin ada angka yang salah ketik.',
    en: 'This NPWP is not valid. Check it for a mistyped digit.',
  },
  'npwp.nik': {
    id: 'NPWP 16 angka yang tidak diawali 0 harus berupa NIK yang sah.',
    en: 'A 16-digit NPWP that does not start with 0 must be a valid NIK.',
  },
};

/** Spaces, dots and dashes of the printed format. */
const NPWP_SEPARATORS = /[\s.-]/g;

/** True if the digit string passes the Luhn test (its last digit is the check digit). */
export function luhnValid(digits: string): boolean {
  if (!DIGITS.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      const doubled = digit * 2;
      sum += doubled > 9 ? doubled - 9 : doubled;
    } else {
      sum += digit;
    }
  }
  return sum % 10 === 0;
}

/** The Luhn check digit to append to `digits` (e.g. the 9th NPWP digit for its first 8). */
export function luhnCheckDigit(digits: string): string | undefined {
  if (!DIGITS.test(digits)) return undefined;
  for (let d = 0; d <= 9; d++) if (luhnValid(`${digits}${d}`)) return String(d);
  return undefined;
}

/**
 * Formats 15 legacy digits as `XX.XXX.XXX.X-XXX.XXX`. Accepts input already containing spaces, dots
 * or dashes; returns undefined unless it has exactly 15 digits. Does not check the check digit.
 */
export function formatNpwp15(input: unknown): string | undefined {
  const cleaned = cleanInput(input, NPWP_SEPARATORS);
  if (cleaned.kind !== 'text' || !/^[0-9]{15}$/.test(cleaned.text)) return undefined;
  const d = cleaned.text;
  return `${d.slice(0, 2)}.${d.slice(2, 5)}.${d.slice(5, 8)}.${d.slice(8, 9)}-${d.slice(9, 12)}.${d.slice(12)}`;
}

function legacyInfo(kind: NpwpLegacyInfo['kind'], legacy: string): NpwpLegacyInfo | undefined {
  const formatted = formatNpwp15(legacy);
  if (formatted === undefined || !luhnValid(legacy.slice(0, 9))) return undefined;
  return {
    kind,
    legacy,
    formatted,
    taxpayerType: legacy.slice(0, 2),
    serial: legacy.slice(2, 8),
    checkDigit: legacy.slice(8, 9),
    taxOffice: legacy.slice(9, 12),
    branch: legacy.slice(12, 15),
  };
}

/**
 * Validates an NPWP in the legacy 15-digit form or the 16-digit form. Never throws. The value is the
 * digits only, keeping the length given (a 15-digit NPWP is not rewritten to 16 digits, because for
 * resident individuals the 16-digit NPWP is their NIK, not '0' + the old number).
 */
export function validateNpwp(input: unknown, options: NikOptions = {}): NpwpResult {
  const cleaned = cleanInput(input, NPWP_SEPARATORS);
  if (cleaned.kind === 'missing') return invalid('npwp.required');
  if (cleaned.kind === 'not-text') return invalid('npwp.type');
  const digits = cleaned.text;
  if (!DIGITS.test(digits)) return invalid('npwp.characters');

  if (digits.length === 15 || (digits.length === 16 && digits.startsWith('0'))) {
    const info = legacyInfo(digits.length === 15 ? 'legacy15' : 'legacy16', digits.slice(-15));
    return info === undefined ? invalid('npwp.check_digit') : { ok: true, value: digits, info };
  }
  if (digits.length === 16) {
    const nik = validateNik(digits, options);
    if (!nik.ok) return { ok: false, code: 'npwp.nik', cause: nik.code };
    return { ok: true, value: digits, info: { kind: 'nik', nik: nik.info } };
  }
  return invalid('npwp.length');
}
