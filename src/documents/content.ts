import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical.ts';
import type { DocumentContent } from './schemas.ts';

/**
 * The exact bytes the content signature (the one in the QR code) covers:
 *   gapura-document-v1\n<canonical JSON of the content>
 * The prefix keeps it from ever meaning the same as a signature over a PDF or a tree head.
 */
export function contentMessage(canonical: string): Buffer {
  return Buffer.from(`gapura-document-v1\n${canonical}`, 'utf8');
}

export function canonicalContent(content: DocumentContent): string {
  return canonicalJson(content);
}

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Digits of the yearly sequence: a million documents per agency and year before it widens. */
const SEQ_DIGITS = 6;

/**
 * The printed document number: agency code, year, yearly sequence — `DKP/2026/000123`. Short
 * enough to read over the phone, sorts by issue order within an agency and year.
 */
export function formatDocumentNumber(agencyCode: string, year: number, seq: number): string {
  return `${agencyCode}/${year}/${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

/** The calendar year of an instant in the agency's time zone (a document issued on 1 January WIB is that year's). */
export function yearIn(timeZone: string, at: number): number {
  const year = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(new Date(at));
  return Number(year);
}

/** Base64url without padding: how the QR code carries the signature. */
export function toBase64Url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

/** The signature from a QR code, or undefined when it is not 64 bytes of base64url. */
export function fromBase64Url(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]{86}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.length === 64 ? bytes : undefined;
}
