/**
 * The JSON Schema of a submission's answers for one service definition: the structural part of
 * validation, compiled once by Ajv. It checks types, lengths, options, ranges and counts; an
 * unanswered field may be absent, `null` or `''`. Whether a field is shown or required, and the
 * checks that need code (NIK, NPWP, NIB, phone numbers, region codes, dates relative to today), are
 * done after it by `compile.ts`. Usable as the request schema of a submission API.
 */
import type { FormField, LeafField, ServiceDefinition } from './schemas.ts';

/** Used when a text field does not set `maxLength`. */
export const DEFAULT_TEXT_MAX_LENGTH = 200;
export const DEFAULT_TEXTAREA_MAX_LENGTH = 2000;
/** Files are uploaded first; an answer names them by their upload ids (UUIDs, see `src/db/ids.ts`). */
export const UPLOAD_ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

type JsonSchema = Record<string, unknown>;

/** Longest text accepted for identifier-like answers (with the spaces, dots and dashes people type). */
const IDENTIFIER_MAX_LENGTH = 40;

function optional(type: string, extra: JsonSchema = {}): JsonSchema {
  return { type: [type, 'null'], ...extra };
}

function withBounds(field: { min?: number; max?: number }): JsonSchema {
  return {
    ...(field.min === undefined ? {} : { minimum: field.min }),
    ...(field.max === undefined ? {} : { maximum: field.max }),
  };
}

export function leafAnswerSchema(field: LeafField): JsonSchema {
  switch (field.type) {
    case 'text':
      return optional('string', { maxLength: field.maxLength ?? DEFAULT_TEXT_MAX_LENGTH });
    case 'textarea':
      return optional('string', { maxLength: field.maxLength ?? DEFAULT_TEXTAREA_MAX_LENGTH });
    case 'number':
      return optional(field.integer === true ? 'integer' : 'number', withBounds(field));
    case 'choice':
      return optional('string', { enum: [...field.options.map((o) => o.value), '', null] });
    case 'multichoice':
      return optional('array', {
        items: { type: 'string', enum: field.options.map((o) => o.value) },
        uniqueItems: true,
        ...(field.maxItems === undefined ? {} : { maxItems: field.maxItems }),
      });
    case 'yesno':
      return optional('boolean');
    case 'file':
      return optional('array', {
        items: { type: 'string', pattern: UPLOAD_ID_PATTERN },
        uniqueItems: true,
        maxItems: field.maxFiles,
      });
    case 'email':
      return optional('string', { maxLength: 254 });
    default:
      // date, phone, nik, npwp, nib, region: text checked in code.
      return optional('string', { maxLength: IDENTIFIER_MAX_LENGTH });
  }
}

function fieldAnswerSchema(field: FormField): JsonSchema {
  if (field.type !== 'group') return leafAnswerSchema(field);
  return optional('array', {
    maxItems: field.maxItems,
    items: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(field.fields.map((inner) => [inner.key, leafAnswerSchema(inner)])),
    },
  });
}

export function answersJsonSchema(definition: ServiceDefinition): JsonSchema {
  const fields = definition.form.sections.flatMap((section) => section.fields);
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(fields.map((field) => [field.key, fieldAnswerSchema(field)])),
  };
}
