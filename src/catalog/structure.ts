/**
 * Structural validation of a service definition against its JSON Schema (Ajv, all errors at once),
 * with Ajv's errors turned into {@link Problem}s: a path into the definition, a stable code and a
 * message a non-programmer can act on, in Indonesian and English.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { AGENCY_ROLES } from '../identity/roles.ts';
import { childPath, type Message, type Problem, pointerToPath, problem, quote } from './problems.ts';
import {
  ACTION_ROLES,
  FIELD_TYPES,
  ISO_DATE_PATTERN,
  KEY_PATTERN,
  LEAF_FIELD_TYPES,
  ServiceDefinition,
  SLUG_PATTERN,
  STANDARD_COMPONENTS,
  URL_PATTERN,
} from './schemas.ts';

let compiled: ValidateFunction<ServiceDefinition> | undefined;

/** The definition validator, compiled on first use (about 0.2 s) and kept for the process. */
function definitionValidator(): ValidateFunction<ServiceDefinition> {
  compiled ??= new Ajv({
    allErrors: true,
    discriminator: true,
    verbose: true,
    inlineRefs: false,
  }).compile<ServiceDefinition>(ServiceDefinition);
  return compiled;
}

export type StructureResult =
  | { readonly ok: true; readonly definition: ServiceDefinition }
  | { readonly ok: false; readonly problems: Problem[] };

export function checkStructure(input: unknown): StructureResult {
  const validate = definitionValidator();
  if (validate(input)) return { ok: true, definition: input };
  return { ok: false, problems: translateErrors(validate.errors ?? []) };
}

// ---------------------------------------------------------------------------------------------
// Error translation

/** Ajv reports an `anyOf` failure plus every branch's errors; keep only the summary. */
function withoutAnyOfBranches(errors: readonly ErrorObject[]): ErrorObject[] {
  const summaries = errors.filter((e) => e.keyword === 'anyOf');
  const isBranchError = (e: ErrorObject): boolean =>
    summaries.some(
      (s) =>
        s !== e &&
        e.schemaPath.startsWith(`${s.schemaPath}/`) &&
        (e.instancePath === s.instancePath || e.instancePath.startsWith(`${s.instancePath}/`)),
    );
  // `if` errors only say which branch of a rule's if/then/else failed; the branch's own errors follow.
  return errors.filter((e) => e.keyword !== 'if' && !isBranchError(e));
}

export function translateErrors(errors: readonly ErrorObject[]): Problem[] {
  return withoutAnyOfBranches(errors).map(translateError);
}

function param(error: ErrorObject, name: string): unknown {
  const params: Record<string, unknown> = error.params;
  return params[name];
}

function translateError(error: ErrorObject): Problem {
  const path = pointerToPath(error.instancePath);
  switch (error.keyword) {
    case 'required':
      return missingProperty(error.instancePath, path, String(param(error, 'missingProperty')));
    case 'additionalProperties':
      return unknownProperty(error, path);
    case 'discriminator':
      return unknownVariant(error, path);
    case 'enum':
      return notAllowed(error, path);
    default:
      return simpleProblem(error, path);
  }
}

const DELIVERY_COMPONENTS = new Map<string, Message>(
  STANDARD_COMPONENTS.filter((c) => c.group === 'delivery').map((c) => [c.key, c.label]),
);

function missingProperty(pointer: string, path: string, name: string): Problem {
  const target = childPath(path, name);
  const component = pointer === '/standard' ? DELIVERY_COMPONENTS.get(name) : undefined;
  if (component !== undefined) return missingDeliveryComponent(target, component);
  if (name === 'options') return optionsMissing(target);
  return problem(target, 'schema.required', { id: 'Wajib diisi.', en: 'Required.' });
}

export function missingDeliveryComponent(path: string, component: Message): Problem {
  return problem(path, 'standard.missing_delivery_component', {
    id: `Komponen penyampaian pelayanan "${component.id}" wajib diisi sebelum layanan diterbitkan (UU 25/2009 pasal 21).`,
    en: `The service-delivery component "${component.en}" is required to publish (Law 25/2009 art. 21).`,
  });
}

function optionsMissing(path: string): Problem {
  return problem(path, 'form.options_missing', {
    id: 'Isian pilihan memerlukan minimal satu opsi (options: value dan label).',
    en: 'A choice field needs at least one option (options: value and label).',
  });
}

function allowedPropertiesOf(error: ErrorObject): string[] {
  const parent: unknown = error.parentSchema;
  if (typeof parent !== 'object' || parent === null || !('properties' in parent)) return [];
  const properties: unknown = parent.properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

function unknownProperty(error: ErrorObject, path: string): Problem {
  const name = String(param(error, 'additionalProperty'));
  const allowed = allowedPropertiesOf(error).join(', ');
  return problem(childPath(path, name), 'schema.unknown_property', {
    id: `Properti "${name}" tidak dikenal di sini.${allowed ? ` Yang dikenal: ${allowed}.` : ''}`,
    en: `Unknown property "${name}".${allowed ? ` Known here: ${allowed}.` : ''}`,
  });
}

function unknownVariant(error: ErrorObject, path: string): Problem {
  const tag = String(param(error, 'tag'));
  const target = childPath(path, tag);
  if (param(error, 'error') === 'tag') {
    return problem(target, 'schema.required', { id: 'Wajib diisi.', en: 'Required.' });
  }
  const given = quote(param(error, 'tagValue'));
  if (tag === 'kind') {
    return problem(target, 'standard.unknown_fee_kind', {
      id: `Jenis biaya ${given} tidak dikenal. Gunakan free (gratis) atau paid (berbayar).`,
      en: `Unknown fee kind ${given}. Use free or paid.`,
    });
  }
  const insideGroup = /\/fields\/\d+\/fields\/\d+$/.test(error.instancePath);
  const types = (insideGroup ? LEAF_FIELD_TYPES : FIELD_TYPES).join(', ');
  return problem(target, 'form.unknown_field_type', {
    id: `Jenis isian ${given} tidak dikenal. Jenis yang tersedia${insideGroup ? ' di dalam grup' : ''}: ${types}.`,
    en: `Unknown field type ${given}. The types available${insideGroup ? ' inside a group' : ''} are: ${types}.`,
  });
}

const ROLE_PATHS: ReadonlyArray<{ pattern: RegExp; code: string; roles: readonly string[] }> = [
  { pattern: /^\/workflow\/actions\/\d+\/roles\/\d+$/, code: 'workflow.unknown_role', roles: ACTION_ROLES },
  { pattern: /^\/dataRules\/specificFieldRoles\/\d+$/, code: 'data.unknown_role', roles: AGENCY_ROLES },
];

function notAllowed(error: ErrorObject, path: string): Problem {
  const given = quote(error.data);
  const rolePath = ROLE_PATHS.find((r) => r.pattern.test(error.instancePath));
  if (rolePath !== undefined) {
    const roles = rolePath.roles.join(', ');
    return problem(path, rolePath.code, {
      id: `Peran ${given} tidak ada. Peran yang ada: ${roles}.`,
      en: `There is no role ${given}. The roles are: ${roles}.`,
    });
  }
  const allowed = param(error, 'allowedValues');
  const list = Array.isArray(allowed) ? allowed.map(String).join(', ') : '';
  return problem(path, 'schema.not_allowed', {
    id: `Nilai ${given} tidak dikenal. Pilihan: ${list}.`,
    en: `${given} is not allowed. Choose one of: ${list}.`,
  });
}

const TYPE_NAMES: Readonly<Record<string, Message>> = {
  string: { id: 'teks', en: 'text' },
  integer: { id: 'bilangan bulat', en: 'a whole number' },
  number: { id: 'angka', en: 'a number' },
  boolean: { id: 'true atau false', en: 'true or false' },
  array: { id: 'daftar', en: 'a list' },
  object: { id: 'objek (pasangan kunci: nilai)', en: 'an object (key: value pairs)' },
  null: { id: 'kosong (null)', en: 'null' },
};

const PATTERN_HINTS: Readonly<Record<string, Message>> = {
  [KEY_PATTERN]: {
    id: 'Gunakan huruf kecil a–z, angka dan garis bawah, diawali huruf, paling banyak 50 karakter (contoh: nama_lengkap).',
    en: 'Use lowercase letters a–z, digits and underscores, starting with a letter, at most 50 characters (e.g. full_name).',
  },
  [SLUG_PATTERN]: {
    id: 'Gunakan huruf kecil, angka dan tanda hubung (contoh: akta-kelahiran).',
    en: 'Use lowercase letters, digits and hyphens (e.g. akta-kelahiran).',
  },
  [ISO_DATE_PATTERN]: { id: 'Tulis tanggal sebagai YYYY-MM-DD.', en: 'Write the date as YYYY-MM-DD.' },
  [URL_PATTERN]: {
    id: 'Tulis alamat web lengkap yang diawali http:// atau https://.',
    en: 'Write a full web address starting with http:// or https://.',
  },
};

const ANY_OF_HINTS: Readonly<Record<string, Message>> = {
  from: {
    id: 'Harus berupa kunci status atau daftar kunci status.',
    en: 'Must be a state key or a list of state keys.',
  },
  value: {
    id: 'Harus berupa teks, angka, true/false, atau daftar teks/angka.',
    en: 'Must be text, a number, true/false, or a list of texts/numbers.',
  },
};

function lastSegment(pointer: string): string {
  return pointer.slice(pointer.lastIndexOf('/') + 1);
}

function typeName(error: ErrorObject): Message {
  const name = String(param(error, 'type'));
  return TYPE_NAMES[name] ?? { id: name, en: name };
}

function simpleProblem(error: ErrorObject, path: string): Problem {
  const limit = String(param(error, 'limit'));
  switch (error.keyword) {
    case 'type': {
      const expected = typeName(error);
      return problem(path, 'schema.type', {
        id: `Harus berupa ${expected.id}.`,
        en: `Must be ${expected.en}.`,
      });
    }
    case 'const':
      return problem(path, 'schema.const', {
        id: `Harus bernilai ${quote(param(error, 'allowedValue'))}.`,
        en: `Must be ${quote(param(error, 'allowedValue'))}.`,
      });
    case 'pattern':
      return problem(
        path,
        'schema.pattern',
        PATTERN_HINTS[String(param(error, 'pattern'))] ?? {
          id: 'Bentuknya tidak sesuai.',
          en: 'Does not have the expected form.',
        },
      );
    case 'minLength':
      return limit === '1'
        ? problem(path, 'schema.empty', { id: 'Tidak boleh kosong.', en: 'Must not be empty.' })
        : problem(path, 'schema.too_short', {
            id: `Minimal ${limit} karakter.`,
            en: `At least ${limit} characters.`,
          });
    case 'maxLength':
      return problem(path, 'schema.too_long', {
        id: `Maksimal ${limit} karakter.`,
        en: `At most ${limit} characters.`,
      });
    case 'minimum':
    case 'exclusiveMinimum':
      return problem(path, 'schema.too_small', { id: `Minimal ${limit}.`, en: `Must be at least ${limit}.` });
    case 'maximum':
    case 'exclusiveMaximum':
      return problem(path, 'schema.too_large', { id: `Maksimal ${limit}.`, en: `Must be at most ${limit}.` });
    case 'minItems':
      return tooFewItems(error, path, limit);
    case 'maxItems':
      return problem(path, 'schema.too_many', {
        id: `Maksimal ${limit} butir.`,
        en: `At most ${limit} items.`,
      });
    case 'uniqueItems':
      return problem(path, 'schema.duplicate_items', {
        id: `Butir ke-${Number(param(error, 'j')) + 1} dan ke-${Number(param(error, 'i')) + 1} sama.`,
        en: `Items ${Number(param(error, 'j')) + 1} and ${Number(param(error, 'i')) + 1} are the same.`,
      });
    case 'anyOf':
      return problem(
        path,
        'schema.shape',
        ANY_OF_HINTS[lastSegment(error.instancePath)] ?? {
          id: 'Bentuk nilainya tidak sesuai.',
          en: 'The value does not have an accepted shape.',
        },
      );
    default:
      return problem(path, `schema.${error.keyword}`, {
        id: `Tidak sah: ${error.message ?? error.keyword}.`,
        en: `Invalid: ${error.message ?? error.keyword}.`,
      });
  }
}

function tooFewItems(error: ErrorObject, path: string, limit: string): Problem {
  const segment = lastSegment(error.instancePath);
  if (segment === 'options') return optionsMissing(path);
  const component =
    error.instancePath === '/standard/requirements' ? DELIVERY_COMPONENTS.get(segment) : undefined;
  if (component !== undefined) return missingDeliveryComponent(path, component);
  return problem(path, 'schema.too_few', { id: `Minimal ${limit} butir.`, en: `At least ${limit} items.` });
}
