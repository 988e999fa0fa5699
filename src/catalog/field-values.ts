/**
 * What a submitted answer must be, type by type, beyond its JSON Schema, and the normalised value
 * kept: trimmed text, NIK/NPWP/NIB digits, phone numbers as `+628…`, dotted region codes. Called only
 * for answers that are present (see {@link isUnanswered}) on fields that are shown.
 */
import { messages as identifierMessages } from '../identity/identifiers/index.ts';
import { validateNib } from '../identity/identifiers/nib.ts';
import { checkNik } from '../identity/identifiers/nik.ts';
import { validateNpwp } from '../identity/identifiers/npwp.ts';
import { validatePhone } from '../identity/identifiers/phone.ts';
import type { Message } from '../identity/identifiers/result.ts';
import { findRegion, normaliseRegionCode } from '../regions/store.ts';
import { isCalendarDate } from './dates.ts';
import type { DateField, LeafField, MultichoiceField, RegionField } from './schemas.ts';

/** An accepted answer of a single field. */
export type LeafValue = string | number | boolean | readonly string[];

export type Accepted =
  | { readonly ok: true; readonly value: LeafValue }
  | { readonly ok: false; readonly code: string; readonly message: Message };

export interface ValueContext {
  /** Today's date (`YYYY-MM-DD`) in the agency's time zone. */
  readonly today: string;
  /** The same day as an instant, for the NIK's two-digit birth year. */
  readonly todayInstant: Date;
}

export type Acceptor = (raw: unknown, context: ValueContext) => Accepted;

const BLANK = /^\s*$/;

/** `undefined`, `null`, blank text and empty lists all mean "not answered". */
export function isUnanswered(raw: unknown): boolean {
  if (raw === undefined || raw === null) return true;
  if (typeof raw === 'string') return BLANK.test(raw);
  return Array.isArray(raw) && raw.length === 0;
}

function accept(value: LeafValue): Accepted {
  return { ok: true, value };
}

function reject(code: string, label: Message, detail: Message): Accepted {
  return { ok: false, code, message: { id: `${label.id}: ${detail.id}`, en: `${label.en}: ${detail.en}` } };
}

function wrongType(label: Message, expected: Message): Accepted {
  return reject('answer.type', label, { id: `harus berupa ${expected.id}.`, en: `must be ${expected.en}.` });
}

const TEXT: Message = { id: 'teks', en: 'text' };
const LIST: Message = { id: 'daftar', en: 'a list' };

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function stringList(raw: unknown): readonly string[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const list: readonly unknown[] = raw;
  return list.every(isString) ? list : undefined;
}

function textAcceptor(label: Message, multiline: boolean): Acceptor {
  return (raw) => {
    if (!isString(raw)) return wrongType(label, TEXT);
    const trimmed = raw.trim();
    return accept(multiline ? trimmed.replaceAll('\r\n', '\n') : trimmed);
  };
}

function dateAcceptor(field: DateField): Acceptor {
  const { label, min, max, notInFuture } = field;
  return (raw, context) => {
    if (!isString(raw)) return wrongType(label, TEXT);
    const date = raw.trim();
    if (!isCalendarDate(date)) {
      return reject('answer.invalid_date', label, {
        id: 'tulis tanggal yang ada dengan format YYYY-MM-DD.',
        en: 'enter a real date as YYYY-MM-DD.',
      });
    }
    if (min !== undefined && date < min) {
      return reject('answer.date_too_early', label, {
        id: `tidak boleh sebelum ${min}.`,
        en: `cannot be before ${min}.`,
      });
    }
    if (max !== undefined && date > max) {
      return reject('answer.date_too_late', label, {
        id: `tidak boleh sesudah ${max}.`,
        en: `cannot be after ${max}.`,
      });
    }
    if (notInFuture === true && date > context.today) {
      return reject('answer.date_in_future', label, {
        id: 'tidak boleh tanggal yang akan datang.',
        en: 'cannot be in the future.',
      });
    }
    return accept(date);
  };
}

function multichoiceAcceptor(field: MultichoiceField): Acceptor {
  const { label, minItems } = field;
  return (raw) => {
    const list = stringList(raw);
    if (list === undefined) return wrongType(label, LIST);
    if (minItems !== undefined && list.length < minItems) {
      return reject('answer.too_few', label, {
        id: `pilih minimal ${minItems}.`,
        en: `choose at least ${minItems}.`,
      });
    }
    return accept([...list]);
  };
}

const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

function emailAcceptor(label: Message): Acceptor {
  return (raw) => {
    if (!isString(raw)) return wrongType(label, TEXT);
    const email = raw.trim();
    if (EMAIL.test(email)) return accept(email);
    return reject('answer.invalid_email', label, {
      id: 'tulis alamat email yang lengkap, misalnya nama@contoh.id.',
      en: 'enter a full email address, such as name@example.id.',
    });
  };
}

/** Digits of a dotted region code per level: `33`, `33.73`, `33.73.04`, `33.73.04.1001`. */
const REGION_CODE_LENGTH = { province: 2, regency: 5, district: 8, village: 13 } as const;
const REGION_LEVEL_NAMES: Readonly<Record<RegionField['level'], Message>> = {
  province: { id: 'provinsi', en: 'a province' },
  regency: { id: 'kabupaten/kota', en: 'a regency or city' },
  district: { id: 'kecamatan', en: 'a district' },
  village: { id: 'kelurahan/desa', en: 'a village' },
};

function regionAcceptor(field: RegionField): Acceptor {
  const { label, level } = field;
  const levelName = REGION_LEVEL_NAMES[level];
  return (raw) => {
    const code = normaliseRegionCode(raw);
    if (code === undefined || code.length !== REGION_CODE_LENGTH[level]) {
      return reject('answer.region_level', label, {
        id: `pilih ${levelName.id} dari daftar wilayah.`,
        en: `choose ${levelName.en} from the list of regions.`,
      });
    }
    if (findRegion(code) === undefined) {
      return reject('answer.region_unknown', label, {
        id: `kode wilayah ${code} tidak ada dalam data Kemendagri.`,
        en: `region code ${code} is not in the Ministry of Home Affairs data.`,
      });
    }
    return accept(code);
  };
}

type IdentifierResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly code: keyof typeof identifierMessages };

function identifierAcceptor(
  label: Message,
  check: (raw: unknown, context: ValueContext) => IdentifierResult,
): Acceptor {
  return (raw, context) => {
    const result = check(raw, context);
    return result.ok ? accept(result.value) : reject(result.code, label, identifierMessages[result.code]);
  };
}

function scalarAcceptor<T extends LeafValue>(
  label: Message,
  guard: (raw: unknown) => raw is T,
  expected: Message,
) {
  return (raw: unknown): Accepted => (guard(raw) ? accept(raw) : wrongType(label, expected));
}

const isFiniteNumber = (raw: unknown): raw is number => typeof raw === 'number' && Number.isFinite(raw);
const isBoolean = (raw: unknown): raw is boolean => typeof raw === 'boolean';

function listAcceptor(label: Message): Acceptor {
  return (raw) => {
    const list = stringList(raw);
    return list === undefined ? wrongType(label, LIST) : accept([...list]);
  };
}

/** The acceptor of one field, built once when the definition is compiled. */
export function acceptorFor(field: LeafField): Acceptor {
  const { label } = field;
  switch (field.type) {
    case 'text':
      return textAcceptor(label, false);
    case 'textarea':
      return textAcceptor(label, true);
    case 'number':
      return scalarAcceptor(label, isFiniteNumber, { id: 'angka', en: 'a number' });
    case 'date':
      return dateAcceptor(field);
    case 'choice':
      return scalarAcceptor(label, isString, TEXT);
    case 'multichoice':
      return multichoiceAcceptor(field);
    case 'yesno':
      return scalarAcceptor(label, isBoolean, { id: 'ya atau tidak', en: 'yes or no' });
    case 'email':
      return emailAcceptor(label);
    case 'phone':
      return identifierAcceptor(label, (raw) => validatePhone(raw));
    case 'nik':
      return identifierAcceptor(label, (raw, context) => checkNik(raw, { today: context.todayInstant }));
    case 'npwp':
      return identifierAcceptor(label, (raw, context) => validateNpwp(raw, { today: context.todayInstant }));
    case 'nib':
      return identifierAcceptor(label, (raw) => validateNib(raw));
    case 'region':
      return regionAcceptor(field);
    case 'file':
      return listAcceptor(label);
  }
}
