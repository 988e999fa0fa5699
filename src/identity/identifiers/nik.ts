/**
 * NIK (Nomor Induk Kependudukan), the 16-digit Indonesian population number (PP 37/2007 art. 37):
 *
 *   PP RR DD  ddmmyy  SSSS
 *   │  │  │   │       └ 13–16 serial 0001–9999
 *   │  │  │   └ 7–12 date of birth; women add 40 to the day (41–71)
 *   │  │  └ 5–6 district (kecamatan), 01–99
 *   │  └ 3–4 regency (kabupaten 01–69) or city (kota 71–99); 00 and 70 are never used
 *   └ 1–2 province
 *
 * The region part records where the number was issued and is never changed afterwards, so a
 * regency code that no longer exists (e.g. 91.01 Merauke, now 93.01) is accepted; region names are
 * reported only when the code is in the current data. The province must be a current or former one.
 */
import {
  districtName,
  FORMER_PROVINCE_CODES,
  isCurrentOrFormerProvince,
  provinceName,
  regencyName,
} from '../../regions/store.ts';
import { cleanInput, DIGITS, type Invalid, invalid, type Message, type Result } from './result.ts';

export const NIK_ERROR_CODES = [
  'nik.required',
  'nik.type',
  'nik.characters',
  'nik.length',
  'nik.province',
  'nik.regency',
  'nik.district',
  'nik.birth_date',
  'nik.serial',
] as const;

export type NikErrorCode = (typeof NIK_ERROR_CODES)[number];

export interface NikInfo {
  /** Province code, e.g. `33`. */
  readonly provinceCode: string;
  /** Current name, or historical name for a former province. */
  readonly provinceName?: string;
  /** True when the province code no longer exists (see `FORMER_PROVINCE_CODES`). */
  readonly formerProvince: boolean;
  /** Dotted regency/city code, e.g. `33.73`. */
  readonly regencyCode: string;
  /** Present when the regency code exists in the current data. */
  readonly regencyName?: string;
  /** Dotted district code, e.g. `33.73.04`. */
  readonly districtCode: string;
  /** Present when the district code exists in the current data. */
  readonly districtName?: string;
  readonly sex: 'F' | 'M';
  /** `YYYY-MM-DD`. */
  readonly birthDate: string;
  /** Digits 13–16. */
  readonly serial: string;
}

export type NikResult = Result<NikErrorCode, NikInfo>;

export interface NikOptions {
  /**
   * Reference "today" used to choose the century of the two-digit birth year: the most recent
   * date that is not after today (so ages are taken to be under 100). Its calendar date is read in
   * Western Indonesia Time (UTC+7). Defaults to now.
   */
  readonly today?: Date;
}

export const nikMessages: Readonly<Record<NikErrorCode, Message>> = {
  'nik.required': { id: 'NIK wajib diisi.', en: 'NIK is required.' },
  'nik.type': { id: 'NIK harus diisi sebagai teks.', en: 'NIK must be given as text.' },
  'nik.characters': { id: 'NIK hanya boleh berisi angka.', en: 'NIK may contain digits only.' },
  'nik.length': { id: 'NIK harus 16 angka.', en: 'NIK must be 16 digits.' },
  'nik.province': {
    id: 'Dua angka pertama NIK bukan kode provinsi yang dikenal.',
    en: 'The first two digits of the NIK are not a known province code.',
  },
  'nik.regency': {
    id: 'Angka ke-3 dan ke-4 NIK bukan kode kabupaten/kota yang sah.',
    en: 'Digits 3 and 4 of the NIK are not a valid regency or city code.',
  },
  'nik.district': {
    id: 'Angka ke-5 dan ke-6 NIK (kode kecamatan) tidak boleh 00.',
    en: 'Digits 5 and 6 of the NIK (the district code) cannot be 00.',
  },
  'nik.birth_date': {
    id: 'Angka ke-7 sampai ke-12 NIK bukan tanggal lahir yang sah.',
    en: 'Digits 7 to 12 of the NIK are not a valid date of birth.',
  },
  'nik.serial': {
    id: 'Empat angka terakhir NIK tidak boleh 0000.',
    en: 'The last four digits of the NIK cannot be 0000.',
  },
};

/** Spaces and dots that users type to group the digits. */
const NIK_SEPARATORS = /[\s.]/g;

const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The last instant converted, since callers check many NIKs against the same "today". */
let lastWibDate: { readonly time: number; readonly date: CalendarDate } | undefined;

function calendarDateInWib(date: Date): CalendarDate {
  const given = date.getTime();
  const time = Number.isFinite(given) ? given : Date.now();
  if (lastWibDate?.time === time) return lastWibDate.date;
  const shifted = new Date(time + WIB_OFFSET_MS);
  const wib = { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
  lastWibDate = { time, date: wib };
  return wib;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const SIX_DIGITS = /^[0-9]{6}$/;

interface NikBirth extends CalendarDate {
  readonly sex: 'F' | 'M';
}

/** Digits 7–12 as a date of birth, see {@link decodeNikBirthDate}; the text form is left to callers that show it. */
function birthOf(ddmmyy: string, today: Date = new Date()): NikBirth | undefined {
  if (!SIX_DIGITS.test(ddmmyy)) return undefined;
  const rawDay = Number(ddmmyy.slice(0, 2));
  const month = Number(ddmmyy.slice(2, 4));
  const yy = Number(ddmmyy.slice(4, 6));
  const sex = rawDay > 40 ? 'F' : 'M';
  const day = sex === 'F' ? rawDay - 40 : rawDay;
  if (day < 1 || day > 31 || month < 1 || month > 12) return undefined;
  const now = calendarDateInWib(today);
  let year = now.year - (now.year % 100) + yy;
  if (compareDates({ year, month, day }, now) > 0) year -= 100;
  if (day > daysInMonth(year, month)) return undefined;
  return { sex, year, month, day };
}

function describeBirth(birth: NikBirth): { readonly sex: 'F' | 'M'; readonly birthDate: string } {
  return { sex: birth.sex, birthDate: `${pad(birth.year, 4)}-${pad(birth.month, 2)}-${pad(birth.day, 2)}` };
}

/**
 * Decodes digits 7–12 (`ddmmyy`). Returns undefined unless it is a real calendar date. The century is
 * chosen so that the date is the latest one not after `today`; leap days are checked in that year
 * (29-02-00 is valid as 2000-02-29, but not if `today` is before it, since 1900 was no leap year).
 */
export function decodeNikBirthDate(
  ddmmyy: string,
  today: Date = new Date(),
): { readonly sex: 'F' | 'M'; readonly birthDate: string } | undefined {
  const birth = birthOf(ddmmyy, today);
  return birth === undefined ? undefined : describeBirth(birth);
}

/** The parts of a NIK that passed every check. */
interface NikParts {
  readonly ok: true;
  readonly nik: string;
  readonly province: string;
  readonly regency: string;
  readonly district: string;
  readonly serial: string;
  readonly birth: NikBirth;
}

function parseNik(input: unknown, today: Date | undefined): NikParts | Invalid<NikErrorCode> {
  const cleaned = cleanInput(input, NIK_SEPARATORS);
  if (cleaned.kind === 'missing') return invalid('nik.required');
  if (cleaned.kind === 'not-text') return invalid('nik.type');
  const nik = cleaned.text;
  if (!DIGITS.test(nik)) return invalid('nik.characters');
  if (nik.length !== 16) return invalid('nik.length');

  const province = nik.slice(0, 2);
  const regency = nik.slice(2, 4);
  const district = nik.slice(4, 6);
  const serial = nik.slice(12, 16);
  if (!isCurrentOrFormerProvince(province)) return invalid('nik.province');
  if (regency === '00' || regency === '70') return invalid('nik.regency');
  if (district === '00') return invalid('nik.district');
  const birth = birthOf(nik.slice(6, 12), today);
  if (birth === undefined) return invalid('nik.birth_date');
  if (serial === '0000') return invalid('nik.serial');
  return { ok: true, nik, province, regency, district, serial, birth };
}

/**
 * Checks a NIK exactly as {@link validateNik} does, but returns only the normalised digits: it skips
 * looking up the region names, which callers that only store the number (form answers) never read.
 */
export function checkNik(
  input: unknown,
  options: NikOptions = {},
): { readonly ok: true; readonly value: string } | Invalid<NikErrorCode> {
  const parts = parseNik(input, options.today);
  return parts.ok ? { ok: true, value: parts.nik } : parts;
}

/** Validates a NIK. Never throws; accepts any input. */
export function validateNik(input: unknown, options: NikOptions = {}): NikResult {
  const parts = parseNik(input, options.today);
  if (!parts.ok) return parts;
  const { nik, province, regency, district, serial, birth } = parts;
  const regencyCode = `${province}.${regency}`;
  const districtCode = `${regencyCode}.${district}`;
  const former = FORMER_PROVINCE_CODES.get(province);
  const names = {
    provinceName: provinceName(province) ?? former,
    regencyName: regencyName(regencyCode),
    districtName: districtName(districtCode),
  };
  const info: NikInfo = {
    provinceCode: province,
    // Names are present only when known, so that an absent key means "not in the current data".
    ...(names.provinceName === undefined ? {} : { provinceName: names.provinceName }),
    formerProvince: former !== undefined,
    regencyCode,
    ...(names.regencyName === undefined ? {} : { regencyName: names.regencyName }),
    districtCode,
    ...(names.districtName === undefined ? {} : { districtName: names.districtName }),
    ...describeBirth(birth),
    serial,
  };
  return { ok: true, value: nik, info };
}
