/**
 * Client hints: the form's rules as plain JSON for the browser, so a page can show and hide fields,
 * mark required ones and set input attributes as the applicant types. They are hints only; the
 * server validates every submission with `compileDefinition`. Rules keep their definition shape and
 * meaning (see `rules.ts`, which has no Node.js dependencies and can be bundled for the browser).
 */
import type { Message } from '../identity/identifiers/result.ts';
import { DEFAULT_TEXT_MAX_LENGTH, DEFAULT_TEXTAREA_MAX_LENGTH, UPLOAD_ID_PATTERN } from './answers-schema.ts';
import type { FormField, LeafField, Rule, ServiceDefinition } from './schemas.ts';

export interface FieldHint {
  readonly key: string;
  readonly type: FormField['type'];
  readonly label: Message;
  readonly help?: Message;
  /** Always required (a hidden field never is). */
  readonly required: boolean;
  readonly requiredWhen?: Rule;
  readonly visibleWhen?: Rule;
  /** HTML input attributes and limits: maxlength, min, max, step, inputmode, autocomplete, accept… */
  readonly input: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  readonly options?: ReadonlyArray<{ readonly value: string; readonly label: Message }>;
  /** A repeating group's own fields. */
  readonly fields?: readonly FieldHint[];
}

export interface SectionHint {
  readonly key: string;
  readonly title: Message;
  readonly fields: readonly FieldHint[];
}

export interface ClientHints {
  readonly schemaVersion: 1;
  readonly sections: readonly SectionHint[];
}

type InputHints = Record<string, string | number | boolean | readonly string[]>;

function defined(
  entries: Record<string, string | number | boolean | readonly string[] | undefined>,
): InputHints {
  const out: InputHints = {};
  for (const [name, value] of Object.entries(entries)) if (value !== undefined) out[name] = value;
  return out;
}

function leafInput(field: LeafField): InputHints {
  switch (field.type) {
    case 'text':
      return { maxLength: field.maxLength ?? DEFAULT_TEXT_MAX_LENGTH };
    case 'textarea':
      return { maxLength: field.maxLength ?? DEFAULT_TEXTAREA_MAX_LENGTH };
    case 'number':
      return defined({
        min: field.min,
        max: field.max,
        step: field.integer === true ? 1 : 'any',
        inputMode: field.integer === true ? 'numeric' : 'decimal',
        unitId: field.unit?.id,
        unitEn: field.unit?.en,
      });
    case 'date':
      return defined({ min: field.min, max: field.max, notInFuture: field.notInFuture });
    case 'multichoice':
      return defined({ minItems: field.minItems, maxItems: field.maxItems });
    case 'email':
      return { inputMode: 'email', autocomplete: 'email', maxLength: 254 };
    case 'phone':
      return { inputMode: 'tel', autocomplete: 'tel', pattern: '[0-9 +()\\-.]*' };
    case 'nik':
      return { inputMode: 'numeric', pattern: '[0-9 .]*', digits: 16 };
    case 'npwp':
      return { inputMode: 'numeric', pattern: '[0-9 .\\-]*' };
    case 'nib':
      return { inputMode: 'numeric', pattern: '[0-9 ]*', digits: 13 };
    case 'region':
      return { level: field.level };
    case 'file':
      return {
        accept: field.accept,
        maxSizeKb: field.maxSizeKb,
        maxFiles: field.maxFiles,
        uploadIdPattern: UPLOAD_ID_PATTERN,
      };
    default:
      return {};
  }
}

function fieldHint(field: FormField): FieldHint {
  const common = {
    key: field.key,
    type: field.type,
    label: field.label,
    ...(field.help === undefined ? {} : { help: field.help }),
    required: field.required === true,
    ...(field.requiredWhen === undefined ? {} : { requiredWhen: field.requiredWhen }),
    ...(field.visibleWhen === undefined ? {} : { visibleWhen: field.visibleWhen }),
  };
  if (field.type === 'group') {
    return {
      ...common,
      input: defined({ minItems: field.minItems, maxItems: field.maxItems }),
      fields: field.fields.map(fieldHint),
    };
  }
  const options = field.type === 'choice' || field.type === 'multichoice' ? { options: field.options } : {};
  return { ...common, input: leafInput(field), ...options };
}

export function clientHints(definition: ServiceDefinition): ClientHints {
  return {
    schemaVersion: 1,
    sections: definition.form.sections.map((section) => ({
      key: section.key,
      title: section.title,
      fields: section.fields.map(fieldHint),
    })),
  };
}
