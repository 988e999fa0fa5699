import { validatePhone } from './identifiers/phone.ts';

/** How a citizen is reached and signs in: an e-mail address or an Indonesian mobile number. */
export type Contact = { kind: 'email'; value: string } | { kind: 'phone'; value: string };

// Deliberately simple: one @, a dot in the domain, no spaces. The code sent to it is the real check.
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/** Reads what someone typed as an e-mail address or a mobile number (normalised to +628…). */
export function parseContact(input: string): Contact | undefined {
  const trimmed = input.trim();
  if (trimmed.length === 0 || trimmed.length > 254) return undefined;
  if (trimmed.includes('@'))
    return EMAIL.test(trimmed) ? { kind: 'email', value: trimmed.toLowerCase() } : undefined;
  const phone = validatePhone(trimmed);
  return phone.ok ? { kind: 'phone', value: phone.value } : undefined;
}
