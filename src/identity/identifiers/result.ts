/** Shared result types and input cleaning for the identifier validators. */

/** A user-facing message in Indonesian (`id`) and English (`en`). */
export interface Message {
  readonly id: string;
  readonly en: string;
}

export type Language = keyof Message;

export interface Invalid<C extends string> {
  readonly ok: false;
  readonly code: C;
}

export interface Valid<I> {
  readonly ok: true;
  /** The normalised value, suitable for storage and comparison. */
  readonly value: string;
  readonly info: I;
}

export type Result<C extends string, I> = Valid<I> | Invalid<C>;

export function invalid<C extends string>(code: C): Invalid<C> {
  return { ok: false, code };
}

export type Cleaned =
  | { readonly kind: 'missing' }
  | { readonly kind: 'not-text' }
  | { readonly kind: 'text'; readonly text: string };

/**
 * First step of every validator: `null`/`undefined` and strings that are empty once the allowed
 * separators are removed are `missing`; other non-strings are `not-text` (numbers are rejected on
 * purpose: a 16-digit NIK does not fit in a double exactly, and leading zeros would be lost).
 * `separators` must be a global regular expression.
 */
export function cleanInput(input: unknown, separators: RegExp): Cleaned {
  if (input === null || input === undefined) return { kind: 'missing' };
  if (typeof input !== 'string') return { kind: 'not-text' };
  const text = input.replace(separators, '');
  return text.length === 0 ? { kind: 'missing' } : { kind: 'text', text };
}

export const DIGITS = /^[0-9]+$/;
