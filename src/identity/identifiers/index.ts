/**
 * Validators for Indonesian identifiers. Each returns `{ ok: true, value, info? }` with the
 * normalised value, or `{ ok: false, code }` with a stable machine code; `messages` maps every code to
 * plain-language Indonesian and English text. None of them throws, whatever the input.
 */
import { NIB_ERROR_CODES, type NibErrorCode, nibMessages } from './nib.ts';
import { NIK_ERROR_CODES, type NikErrorCode, nikMessages } from './nik.ts';
import { NPWP_ERROR_CODES, type NpwpErrorCode, npwpMessages } from './npwp.ts';
import { PHONE_ERROR_CODES, type PhoneErrorCode, phoneMessages } from './phone.ts';
import type { Language, Message } from './result.ts';

export * from './nib.ts';
export * from './nik.ts';
export * from './npwp.ts';
export * from './phone.ts';
export type { Invalid, Language, Message, Result, Valid } from './result.ts';

export type IdentifierErrorCode = NikErrorCode | NpwpErrorCode | NibErrorCode | PhoneErrorCode;

export const IDENTIFIER_ERROR_CODES: readonly IdentifierErrorCode[] = [
  ...NIK_ERROR_CODES,
  ...NPWP_ERROR_CODES,
  ...NIB_ERROR_CODES,
  ...PHONE_ERROR_CODES,
];

export const messages: Readonly<Record<IdentifierErrorCode, Message>> = {
  ...nikMessages,
  ...npwpMessages,
  ...nibMessages,
  ...phoneMessages,
};

/** The message for an error code in the given language (Indonesian by default). */
export function messageFor(code: IdentifierErrorCode, language: Language = 'id'): string {
  return messages[code][language];
}
