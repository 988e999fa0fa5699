/**
 * A rule of the domain said no. Services throw these; one place (web/errors.ts) maps each code to
 * an HTTP status and a message in both languages. Codes are stable: API clients depend on them.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(code);
    this.name = 'DomainError';
  }
}
