/**
 * Reading posted strings as definition values. A value that cannot be read (a malformed number)
 * is kept as the text typed, so the draft loses nothing and validation reports it at its path.
 */
import type { Posted } from './names.ts';

/** The posted text; browsers send line breaks of a textarea as CR LF. */
export function str(value: Posted | undefined): string {
  const text =
    typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';
  return text.replace(/\r\n?/g, '\n');
}

/** Trimmed text; form inputs keep what people typed, but stray spaces at the ends are never meant. */
export function trimmed(value: Posted | undefined): string {
  return str(value).trim();
}

export function strings(value: Posted | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return (value as unknown[]).filter((v): v is string => typeof v === 'string');
  return [];
}

export function list(value: Posted | undefined): Posted[] {
  return Array.isArray(value) ? value : [];
}

export function obj(value: Posted | undefined): Record<string, Posted | undefined> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

export function checked(value: Posted | undefined): boolean {
  return str(value) === 'true';
}

/** An integer as people write it: `50.000`, `50,000`, `Rp 50.000` and `50000` are the same. */
export function integerOrText(value: Posted | undefined): number | string | undefined {
  const text = trimmed(value);
  if (text === '') return undefined;
  const plain = text.replace(/^rp\.?\s*/i, '').replace(/\s/g, '');
  if (/^-?\d+$/.test(plain)) return Number(plain);
  if (/^-?\d{1,3}([.,]\d{3})+$/.test(plain)) return Number(plain.replace(/[.,]/g, ''));
  return text;
}

/** A number that may have a fraction, written with a dot or a comma. */
export function numberOrText(value: Posted | undefined): number | string | undefined {
  const text = trimmed(value);
  if (text === '') return undefined;
  if (/^-?\d+([.,]\d+)?$/.test(text)) return Number(text.replace(',', '.'));
  return text;
}

export interface LocalTextValue {
  id: string;
  en: string;
}

/** Text in both languages (kept even when empty, so the problem list asks for it). */
export function localText(value: Posted | undefined): LocalTextValue {
  const o = obj(value);
  return { id: trimmed(o.id), en: trimmed(o.en) };
}

/** Optional text in both languages: absent when both are empty. */
export function optionalLocalText(value: Posted | undefined): LocalTextValue | undefined {
  const text = localText(value);
  return text.id === '' && text.en === '' ? undefined : text;
}

/** A machine name suggested from a label: `Nama lengkap ayah` → `nama_lengkap_ayah`. */
export function suggestKey(label: string, fallback: string): string {
  const base = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40)
    .replace(/_+$/, '');
  if (base === '') return fallback;
  return /^[a-z]/.test(base) ? base : `${fallback}_${base}`.slice(0, 50);
}

/** `base`, or `base_2`, `base_3`… — the first not in `taken`; the result is added to `taken`. */
export function uniqueKey(base: string, taken: Set<string>): string {
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base.slice(0, 45)}_${n}`;
  taken.add(key);
  return key;
}

/** An address (slug) suggested from a name: `Surat Keterangan Usaha` → `surat-keterangan-usaha`. */
export function suggestSlug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}
