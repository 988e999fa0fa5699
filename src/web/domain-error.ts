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

/** One problem with one form field, in both languages. */
export interface FieldProblem {
  field: string;
  code: string;
  message: { id: string; en: string };
}

/** Several fields of one form are wrong; each problem names its field. */
export class FieldErrors extends DomainError {
  constructor(readonly problems: FieldProblem[]) {
    super('request.fields', { fields: problems });
  }
}
