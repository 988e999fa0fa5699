/**
 * Errors in a submission's answers: the structural errors Ajv finds, attached to the field they are
 * about (so errors about hidden fields can be left out), and the "required" error.
 */
import type { ErrorObject } from 'ajv';
import type { Message } from '../identity/identifiers/result.ts';

export interface AnswerError {
  /** `field`, `group[2].field`, or `group` for the group as a whole; '' for the whole submission. */
  readonly path: string;
  readonly code: string;
  readonly message: Message;
}

/** Where an error at these JSON Pointer segments belongs: the field's path and label, if a field. */
export type Locate = (segments: readonly string[]) => { path: string; label: Message } | undefined;

export interface Flagged {
  /** Field path → the first structural error about it. */
  readonly byPath: Map<string, AnswerError>;
  /** Unknown keys inside a group's items, by group key: reported only when the group is shown. */
  readonly unknownInGroup: Map<string, AnswerError[]>;
  /** Errors not about a field of the form (unknown keys, answers that are not an object). */
  readonly general: AnswerError[];
}

export const NOTHING_FLAGGED: Flagged = { byPath: new Map(), unknownInGroup: new Map(), general: [] };

const TEXT_NAME: Message = { id: 'teks', en: 'text' };
const TYPE_NAMES: Readonly<Record<string, Message>> = {
  string: { id: 'teks', en: 'text' },
  number: { id: 'angka', en: 'a number' },
  integer: { id: 'bilangan bulat', en: 'a whole number' },
  boolean: { id: 'ya atau tidak', en: 'yes or no' },
  array: { id: 'daftar', en: 'a list' },
  object: { id: 'objek', en: 'an object' },
};

function param(error: ErrorObject, name: string): string {
  const params: Record<string, unknown> = error.params;
  return String(params[name]);
}

function structuralDetail(error: ErrorObject): { code: string; detail: Message } {
  const limit = param(error, 'limit');
  switch (error.keyword) {
    case 'type': {
      const expected = TYPE_NAMES[param(error, 'type').split(',')[0] ?? ''] ?? TEXT_NAME;
      return {
        code: 'answer.type',
        detail: { id: `harus berupa ${expected.id}.`, en: `must be ${expected.en}.` },
      };
    }
    case 'maxLength':
      return {
        code: 'answer.too_long',
        detail: { id: `maksimal ${limit} karakter.`, en: `at most ${limit} characters.` },
      };
    case 'minimum':
      return {
        code: 'answer.too_small',
        detail: { id: `minimal ${limit}.`, en: `must be at least ${limit}.` },
      };
    case 'maximum':
      return {
        code: 'answer.too_large',
        detail: { id: `maksimal ${limit}.`, en: `must be at most ${limit}.` },
      };
    case 'enum':
      return {
        code: 'answer.not_an_option',
        detail: { id: 'pilih salah satu opsi yang tersedia.', en: 'choose one of the options.' },
      };
    case 'maxItems':
      return { code: 'answer.too_many', detail: { id: `maksimal ${limit}.`, en: `at most ${limit}.` } };
    case 'uniqueItems':
      return {
        code: 'answer.duplicate',
        detail: { id: 'ada isian yang sama lebih dari sekali.', en: 'an entry appears twice.' },
      };
    case 'pattern':
      return {
        code: 'answer.file_reference',
        detail: { id: 'rujukan berkas unggahan tidak sah.', en: 'not a valid upload reference.' },
      };
    default:
      return { code: 'answer.invalid', detail: { id: 'jawaban tidak sah.', en: 'the answer is not valid.' } };
  }
}

function unknownField(path: string, key: string): AnswerError {
  return {
    path,
    code: 'answer.unknown_field',
    message: {
      id: `Isian "${key}" tidak ada di formulir ini.`,
      en: `There is no field "${key}" in this form.`,
    },
  };
}

function pointerSegments(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

export function flagErrors(locate: Locate, errors: readonly ErrorObject[]): Flagged {
  const flagged: Flagged = { byPath: new Map(), unknownInGroup: new Map(), general: [] };
  for (const error of errors) {
    const segments = pointerSegments(error.instancePath);
    if (error.keyword === 'additionalProperties') {
      const name = param(error, 'additionalProperty');
      const at = locate(segments);
      const groupKey = segments[0];
      if (at === undefined || groupKey === undefined) flagged.general.push(unknownField(name, name));
      else
        flagged.unknownInGroup.set(groupKey, [
          ...(flagged.unknownInGroup.get(groupKey) ?? []),
          unknownField(`${at.path}.${name}`, name),
        ]);
      continue;
    }
    const at = locate(segments);
    if (at === undefined) {
      flagged.general.push({
        path: '',
        code: 'answers.type',
        message: { id: 'Jawaban harus berupa objek isian.', en: 'The answers must be an object of fields.' },
      });
      continue;
    }
    if (flagged.byPath.has(at.path)) continue;
    const { code, detail } = structuralDetail(error);
    flagged.byPath.set(at.path, {
      path: at.path,
      code,
      message: { id: `${at.label.id}: ${detail.id}`, en: `${at.label.en}: ${detail.en}` },
    });
  }
  return flagged;
}

export function requiredError(path: string, label: Message, minimum = 0): AnswerError {
  const atLeast =
    minimum > 1 ? { id: ` (minimal ${minimum})`, en: ` (at least ${minimum})` } : { id: '', en: '' };
  return {
    path,
    code: 'answer.required',
    message: { id: `${label.id} wajib diisi${atLeast.id}.`, en: `${label.en} is required${atLeast.en}.` },
  };
}
