/**
 * One section of a service's application form, rendered on the server as accessible HTML, and the way
 * back from the submitted urlencoded body to answers.
 *
 * Without JavaScript the form works through the server: repeating groups grow and shrink with submit
 * buttons (`_group_add`, `_group_remove`), the region picker loads the next level with a submit button
 * (`_region_refresh`), and a question revealed by an answer in the same section is shown by re-rendering
 * the section (the hidden `_visible` input lists what the applicant could see). `/static/form.js`
 * enhances the same markup: it shows and hides fields from their `data-visible-when` rules, fills the
 * region selects from `/api/v1/regions` and hides the refresh buttons.
 *
 * Names: a field `key`; a group's field `group[i].key`; a region's levels `key.province`,
 * `key.regency`, `key.district`, `key.village`. Ids: {@link fieldInputId} of the path an
 * {@link AnswerError} names, so an error summary can link to the control.
 */
import type { Message } from '../../identity/identifiers/result.ts';
import {
  districts,
  normaliseRegionCode,
  provinces,
  type Region,
  regencies,
  villages,
} from '../../regions/store.ts';
import type { PageContext } from '../../web/pages/layout.tsx';
import type { AnswerError } from '../answer-errors.ts';
import {
  DEFAULT_TEXT_MAX_LENGTH,
  DEFAULT_TEXTAREA_MAX_LENGTH,
  UPLOAD_ID_PATTERN,
} from '../answers-schema.ts';
import { localDateOf, noonOf } from '../dates.ts';
import { type Acceptor, acceptorFor, isUnanswered, type ValueContext } from '../field-values.ts';
import { isRecord, prop } from '../reader.ts';
import { compileRule, type Predicate, type Scope, walkRule } from '../rules.ts';
import type {
  ChoiceOption,
  FileField,
  FormField,
  FormSection,
  GroupField,
  LeafField,
  MultichoiceField,
  RegionField,
  RegionLevel,
  Rule,
  ServiceDefinition,
} from '../schemas.ts';

/** The script that enhances the form; pass it to `Layout`'s `scripts`. */
export const CITIZEN_FORM_SCRIPT = '/static/form.js';

/** Choice fields with more options than this are a select instead of radios. */
const MAX_RADIOS = 7;

const UI = {
  required: { id: 'wajib', en: 'required' },
  error: { id: 'Kesalahan:', en: 'Error:' },
  yes: { id: 'Ya', en: 'Yes' },
  no: { id: 'Tidak', en: 'No' },
  choose: { id: '— Pilih —', en: '— Choose —' },
  add: { id: 'Tambah {item}', en: 'Add {item}' },
  remove: { id: 'Hapus {item}', en: 'Remove {item}' },
  refresh: { id: 'Pilih', en: 'Choose' },
  chooseLevel: { id: '— Pilih {level} —', en: '— Choose a {level} —' },
  parentFirst: { id: '— Pilih {level} dulu —', en: '— Choose the {level} first —' },
  uploaded: { id: 'Berkas terunggah {n} (tetap dilampirkan)', en: 'Uploaded file {n} (kept)' },
  fileLimits: {
    id: '{types}; maks. {size}; paling banyak {count} berkas',
    en: '{types}; max {size}; up to {count} files',
  },
  fileLimit: { id: '{types}; maks. {size}; satu berkas', en: '{types}; max {size}; one file' },
  chooseBetween: { id: 'Pilih {min} sampai {max}.', en: 'Choose {min} to {max}.' },
  chooseAtLeast: { id: 'Pilih minimal {min}.', en: 'Choose at least {min}.' },
  chooseAtMost: { id: 'Pilih paling banyak {max}.', en: 'Choose at most {max}.' },
  itemCount: { id: 'Paling banyak {max}.', en: 'At most {max}.' },
} satisfies Record<string, Message>;

const LEVELS: readonly RegionLevel[] = ['province', 'regency', 'district', 'village'];
const LEVEL_NAMES: Readonly<Record<RegionLevel, Message>> = {
  province: { id: 'Provinsi', en: 'Province' },
  regency: { id: 'Kabupaten/kota', en: 'Regency/city' },
  district: { id: 'Kecamatan', en: 'District' },
  village: { id: 'Kelurahan/desa', en: 'Village' },
};
/** Length of a dotted code at each level: `33`, `33.73`, `33.73.04`, `33.73.04.1001`. */
const CODE_LENGTH: Readonly<Record<RegionLevel, number>> = {
  province: 2,
  regency: 5,
  district: 8,
  village: 13,
};
const MIME_NAMES: Readonly<Record<string, string>> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPG',
  'image/png': 'PNG',
};
const UPLOAD_ID = new RegExp(UPLOAD_ID_PATTERN);
const NUMBER_TEXT = /^[+-]?\d+(?:[.,]\d+)?$/;

function say(page: PageContext, message: Message, params: Record<string, string | number> = {}): string {
  return message[page.lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/**
 * Attribute values: the renderer escapes `"` but not `&`, so an answer like `a&amp;b` would come back
 * from the browser as `a&b`. Escaping `&` first keeps what the applicant typed.
 */
function attr(value: string): string {
  return value.replaceAll('&', '&amp;');
}

/** The id of the (first) control of the field at an answer path: `anggota[1].nik` → `f-anggota-1-nik`. */
export function fieldInputId(path: string): string {
  return `f-${path.replaceAll('[', '-').replaceAll(']', '').replaceAll('.', '-')}`;
}

function regionSelectId(path: string, level: RegionLevel): string {
  return level === 'province' ? fieldInputId(path) : `${fieldInputId(path)}--${level}`;
}

// ---------------------------------------------------------------------------------------------
// Which fields are shown: the rules of `rules.ts` over the accepted answers, as the validator does

const predicates = new WeakMap<Rule, Predicate>();
function predicateOf(rule: Rule): Predicate {
  let predicate = predicates.get(rule);
  if (predicate === undefined) {
    predicate = compileRule(rule);
    predicates.set(rule, predicate);
  }
  return predicate;
}

function holds(rule: Rule | undefined, scope: Scope): boolean | undefined {
  return rule === undefined ? undefined : predicateOf(rule)(scope);
}

const acceptors = new WeakMap<LeafField, Acceptor>();
function acceptorOf(field: LeafField): Acceptor {
  let acceptor = acceptors.get(field);
  if (acceptor === undefined) {
    acceptor = acceptorFor(field);
    acceptors.set(field, acceptor);
  }
  return acceptor;
}

function optionValues(options: readonly ChoiceOption[]): Set<string> {
  return new Set(options.map((o) => o.value));
}

/** The value the validator would accept for this answer, or undefined (unanswered or invalid). */
function acceptedValue(field: LeafField, raw: unknown, context: ValueContext): unknown {
  if (isUnanswered(raw)) return undefined;
  if (field.type === 'choice' && !(typeof raw === 'string' && optionValues(field.options).has(raw))) {
    return undefined;
  }
  if (field.type === 'multichoice') {
    const allowed = optionValues(field.options);
    if (!Array.isArray(raw) || !raw.every((v) => typeof v === 'string' && allowed.has(v))) return undefined;
  }
  const result = acceptorOf(field)(raw, context);
  return result.ok ? result.value : undefined;
}

interface FormState {
  readonly context: ValueContext;
  /** Accepted answers of every shown top-level field, as rules see them. */
  readonly accepted: Record<string, unknown>;
  readonly scope: Scope;
  /** Top-level field keys whose `visibleWhen` is false. */
  readonly hiddenKeys: Set<string>;
}

function itemScope(group: GroupField, item: unknown, outer: Scope, context: ValueContext) {
  const values: Record<string, unknown> = {};
  const scope: Scope = { values, ownKeys: new Set(group.fields.map((f) => f.key)), outer };
  const hidden = new Set<string>();
  for (const field of group.fields) {
    if (holds(field.visibleWhen, scope) === false) {
      hidden.add(field.key);
      continue;
    }
    const value = acceptedValue(field, prop(item, field.key), context);
    if (value !== undefined) values[field.key] = value;
  }
  return { scope, hidden };
}

function evaluate(definition: ServiceDefinition, values: Readonly<Record<string, unknown>>, today: string) {
  const context: ValueContext = { today, todayInstant: noonOf(today, 'Asia/Jakarta') };
  const accepted: Record<string, unknown> = {};
  const scope: Scope = { values: accepted };
  const hiddenKeys = new Set<string>();
  for (const field of definition.form.sections.flatMap((s) => s.fields)) {
    if (holds(field.visibleWhen, scope) === false) {
      hiddenKeys.add(field.key);
      continue;
    }
    const raw = values[field.key];
    if (field.type === 'group') {
      const items: readonly unknown[] = Array.isArray(raw) ? raw : [];
      if (items.length > 0)
        accepted[field.key] = items.map((item) => itemScope(field, item, scope, context).scope.values);
    } else {
      const value = acceptedValue(field, raw, context);
      if (value !== undefined) accepted[field.key] = value;
    }
  }
  return { context, accepted, scope, hiddenKeys } satisfies FormState;
}

function sectionAt(definition: ServiceDefinition, sectionIndex: number): FormSection {
  const section = definition.form.sections[sectionIndex];
  if (section === undefined) throw new RangeError(`the form has no section ${sectionIndex}`);
  return section;
}

/** Keys of a section's fields and of its groups' fields (`group.key`) that are shown for these values. */
function shownKeys(
  section: FormSection,
  state: FormState,
  values: Readonly<Record<string, unknown>>,
): string[] {
  const shown: string[] = [];
  for (const field of section.fields) {
    if (state.hiddenKeys.has(field.key)) continue;
    shown.push(field.key);
    if (field.type !== 'group') continue;
    const items = itemsOf(values[field.key]);
    const rendered = Math.max(field.minItems ?? 0, items.length, 1);
    const inner = new Set<string>();
    for (let i = 0; i < rendered; i++) {
      const { hidden } = itemScope(field, items[i], state.scope, state.context);
      for (const f of field.fields) if (!hidden.has(f.key)) inner.add(f.key);
    }
    for (const key of inner) shown.push(`${field.key}.${key}`);
  }
  return shown;
}

// ---------------------------------------------------------------------------------------------
// Reading values to render (stored answers or what answersFromForm made of a body)

function itemsOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

function listOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function yesnoOf(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}

/** The chosen code at each level of a region answer (`32.04.01.2001` → 32, 32.04, 32.04.01, …). */
function regionParts(value: unknown): Partial<Record<RegionLevel, string>> {
  const code = normaliseRegionCode(value);
  const parts: Partial<Record<RegionLevel, string>> = {};
  if (code === undefined) return parts;
  for (const level of LEVELS)
    if (code.length >= CODE_LENGTH[level]) parts[level] = code.slice(0, CODE_LENGTH[level]);
  return parts;
}

function childrenAt(level: RegionLevel, parent: string | undefined): readonly Region[] {
  if (level === 'province') return provinces();
  if (parent === undefined) return [];
  if (level === 'regency') return regencies(parent);
  if (level === 'district') return districts(parent);
  return villages(parent);
}

function levelsOf(field: RegionField): RegionLevel[] {
  return LEVELS.slice(0, LEVELS.indexOf(field.level) + 1);
}

// ---------------------------------------------------------------------------------------------
// Rendering

export interface CitizenFormSectionProps {
  page: PageContext;
  definition: ServiceDefinition;
  sectionIndex: number;
  /** Answers so far (all sections), keyed by field key: stored answers or {@link answersFromForm}'s. */
  values: Readonly<Record<string, unknown>>;
  /** Translated messages by answer path (`nama`, `anggota[1].nik`, `anggota`); see {@link answerErrorMessages}. */
  errors?: ReadonlyMap<string, string>;
  /** A preview: the command buttons (add, remove, choose region) are disabled and files cannot be chosen. */
  disabled?: boolean;
  /** Id of the control to focus, e.g. {@link FormCommand.focus} after a command. */
  focus?: string;
  /** Today (`YYYY-MM-DD`, the agency's calendar date) for `notInFuture` dates; defaults to today in WIB. */
  today?: string;
}

interface Ctx {
  readonly page: PageContext;
  readonly errors: ReadonlyMap<string, string>;
  readonly disabled: boolean;
  readonly focus: string | undefined;
  readonly today: string;
}

interface Place {
  /** Answer path and input name: `key` or `group[i].key`. */
  readonly path: string;
  readonly value: unknown;
  readonly hidden: boolean;
  readonly required: boolean;
}

function json(value: unknown): string {
  return attr(JSON.stringify(value));
}

function describedBy(...ids: Array<string | false | undefined>): string | undefined {
  const list = ids.filter((id): id is string => typeof id === 'string');
  return list.length > 0 ? list.join(' ') : undefined;
}

function RequiredMarker(props: { ctx: Ctx; shown: boolean; conditional: boolean }) {
  if (!props.shown && !props.conditional) return '';
  return (
    <span class="g-field__required" data-required-marker hidden={!props.shown} safe>
      {` (${say(props.ctx.page, UI.required)})`}
    </span>
  );
}

function Hint(props: { id: string; text: string | undefined }) {
  if (props.text === undefined) return '';
  return (
    <div class="g-field__hint" id={props.id} safe>
      {props.text}
    </div>
  );
}

function ErrorMessage(props: { ctx: Ctx; id: string; message: string | undefined }) {
  if (props.message === undefined) return '';
  return (
    <p class="g-field__error" id={props.id}>
      <span class="g-vh" safe>{`${say(props.ctx.page, UI.error)} `}</span>
      <span safe>{props.message}</span>
    </p>
  );
}

function fileLimits(ctx: Ctx, field: FileField): string {
  const types = field.accept.map((mime) => MIME_NAMES[mime] ?? mime).join(', ');
  const kb = field.maxSizeKb;
  const size =
    kb >= 1024 ? `${(Math.round((kb / 1024) * 10) / 10).toLocaleString(ctx.page.lang)} MB` : `${kb} KB`;
  return say(ctx.page, field.maxFiles > 1 ? UI.fileLimits : UI.fileLimit, {
    types,
    size,
    count: field.maxFiles,
  });
}

function multichoiceLimits(ctx: Ctx, field: MultichoiceField): string | undefined {
  const { minItems: min, maxItems: max } = field;
  if (min !== undefined && min > 0 && max !== undefined) return say(ctx.page, UI.chooseBetween, { min, max });
  if (min !== undefined && min > 0) return say(ctx.page, UI.chooseAtLeast, { min });
  if (max !== undefined) return say(ctx.page, UI.chooseAtMost, { max });
  return undefined;
}

/** The wrapper's data for form.js and its `hidden` state. */
function wrapperData(field: FormField, place: Place) {
  return {
    'data-field': field.key,
    'data-type': field.type,
    'data-visible-when': field.visibleWhen === undefined ? undefined : json(field.visibleWhen),
    'data-required-when': field.requiredWhen === undefined ? undefined : json(field.requiredWhen),
    hidden: place.hidden,
  };
}

function labelText(ctx: Ctx, field: LeafField): string {
  const label = field.label[ctx.page.lang];
  return field.type === 'number' && field.unit !== undefined
    ? `${label} (${field.unit[ctx.page.lang]})`
    : label;
}

function textInputAttributes(field: LeafField, today: string): Record<string, string | number | undefined> {
  switch (field.type) {
    case 'text':
      return { type: 'text', maxlength: field.maxLength ?? DEFAULT_TEXT_MAX_LENGTH };
    case 'number':
      return { type: 'text', inputmode: field.integer === true ? 'numeric' : 'decimal', autocomplete: 'off' };
    case 'date': {
      const max =
        field.notInFuture === true && (field.max === undefined || field.max > today) ? today : field.max;
      return { type: 'date', min: field.min, max };
    }
    case 'email':
      return { type: 'email', autocomplete: 'email', spellcheck: 'false', maxlength: 254 };
    case 'phone':
      return { type: 'tel', inputmode: 'tel', autocomplete: 'tel', maxlength: 40 };
    case 'nik':
    case 'npwp':
    case 'nib':
      return { type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false', maxlength: 40 };
    default:
      return { type: 'text' };
  }
}

const SHORT_INPUTS = new Set(['number', 'date', 'nik', 'npwp', 'nib', 'phone']);

/** Fields whose label names one control: text-like inputs, the textarea and the select of a long choice. */
function SingleControl(props: { ctx: Ctx; field: LeafField; place: Place }) {
  const { ctx, field, place } = props;
  const id = fieldInputId(place.path);
  const help = field.help?.[ctx.page.lang];
  const error = ctx.errors.get(place.path);
  const limits = field.type === 'file' ? fileLimits(ctx, field) : undefined;
  const aria = {
    'aria-describedby': describedBy(
      help !== undefined && `${id}-hint`,
      limits !== undefined && `${id}-limits`,
      error !== undefined && `${id}-error`,
    ),
    'aria-invalid': error === undefined ? undefined : 'true',
  };
  const inputClass = `g-input${SHORT_INPUTS.has(field.type) ? ` g-input--${field.type}` : ''}`;
  let control: JSX.Element;
  if (field.type === 'textarea') {
    control = (
      <textarea
        class="g-input g-textarea"
        id={id}
        name={place.path}
        rows="5"
        maxlength={field.maxLength ?? DEFAULT_TEXTAREA_MAX_LENGTH}
        aria-required={place.required ? 'true' : undefined}
        autofocus={ctx.focus === id}
        {...aria}
        safe
      >
        {textOf(place.value)}
      </textarea>
    );
  } else if (field.type === 'choice') {
    const chosen = textOf(place.value);
    control = (
      <select
        class="g-input g-select"
        id={id}
        name={place.path}
        aria-required={place.required ? 'true' : undefined}
        autofocus={ctx.focus === id}
        {...aria}
      >
        <option value="" safe>
          {say(ctx.page, UI.choose)}
        </option>
        {field.options.map((o) => (
          <option value={attr(o.value)} selected={o.value === chosen} safe>
            {o.label[ctx.page.lang]}
          </option>
        ))}
      </select>
    );
  } else if (field.type === 'file') {
    control = (
      <>
        {listOf(place.value)
          .filter((v) => UPLOAD_ID.test(v))
          .map((upload, i) => (
            <div class="g-check">
              <input
                class="g-check__input"
                type="checkbox"
                id={`${id}--kept${i}`}
                name={place.path}
                value={upload}
                checked
              />
              <label class="g-check__label" for={`${id}--kept${i}`} safe>
                {say(ctx.page, UI.uploaded, { n: i + 1 })}
              </label>
            </div>
          ))}
        <input
          class="g-input g-input--file"
          type="file"
          id={id}
          name={place.path}
          accept={field.accept.join(',')}
          multiple={field.maxFiles > 1}
          disabled={ctx.disabled}
          autofocus={ctx.focus === id}
          {...aria}
        />
      </>
    );
  } else {
    control = (
      <input
        class={inputClass}
        id={id}
        name={place.path}
        value={attr(textOf(place.value))}
        aria-required={place.required ? 'true' : undefined}
        autofocus={ctx.focus === id}
        {...textInputAttributes(field, ctx.today)}
        {...aria}
      />
    );
  }
  return (
    <div class={error === undefined ? 'g-field' : 'g-field g-field--error'} {...wrapperData(field, place)}>
      <label class="g-field__label" for={id}>
        <span safe>{labelText(ctx, field)}</span>
        <RequiredMarker ctx={ctx} shown={place.required} conditional={field.requiredWhen !== undefined} />
      </label>
      <Hint id={`${id}-hint`} text={help} />
      {limits === undefined ? (
        ''
      ) : (
        <p class="g-field__hint" id={`${id}-limits`} safe>
          {limits}
        </p>
      )}
      <ErrorMessage ctx={ctx} id={`${id}-error`} message={error} />
      {control}
    </div>
  );
}

interface Check {
  readonly value: string;
  readonly label: string;
  readonly checked: boolean;
}

/** Radios and checkboxes: a fieldset whose legend is the question. */
function CheckGroup(props: {
  ctx: Ctx;
  field: LeafField;
  place: Place;
  type: 'radio' | 'checkbox';
  checks: readonly Check[];
  limits?: string | undefined;
  inline?: boolean;
}) {
  const { ctx, field, place } = props;
  const id = fieldInputId(place.path);
  const help = field.help?.[ctx.page.lang];
  const error = ctx.errors.get(place.path);
  return (
    <fieldset
      class={error === undefined ? 'g-field g-fieldset' : 'g-field g-fieldset g-field--error'}
      aria-describedby={describedBy(
        help !== undefined && `${id}-hint`,
        props.limits !== undefined && `${id}-limits`,
        error !== undefined && `${id}-error`,
      )}
      {...wrapperData(field, place)}
    >
      <legend class="g-field__label">
        <span safe>{labelText(ctx, field)}</span>
        <RequiredMarker ctx={ctx} shown={place.required} conditional={field.requiredWhen !== undefined} />
      </legend>
      <Hint id={`${id}-hint`} text={help} />
      {props.limits === undefined ? (
        ''
      ) : (
        <p class="g-field__hint" id={`${id}-limits`} safe>
          {props.limits}
        </p>
      )}
      <ErrorMessage ctx={ctx} id={`${id}-error`} message={error} />
      <div class={props.inline === true ? 'g-checks g-checks--inline' : 'g-checks'}>
        {props.checks.map((check, i) => {
          const checkId = i === 0 ? id : `${id}--${i}`;
          return (
            <div class="g-check">
              <input
                class="g-check__input"
                type={props.type}
                id={checkId}
                name={place.path}
                value={attr(check.value)}
                checked={check.checked}
                autofocus={ctx.focus === checkId}
              />
              <label class="g-check__label" for={checkId} safe>
                {check.label}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

function RegionPicker(props: { ctx: Ctx; field: RegionField; place: Place }) {
  const { ctx, field, place } = props;
  const id = fieldInputId(place.path);
  const help = field.help?.[ctx.page.lang];
  const error = ctx.errors.get(place.path);
  const parts = regionParts(place.value);
  const levels = levelsOf(field);
  const lang = ctx.page.lang;
  return (
    <fieldset
      class={
        error === undefined ? 'g-field g-fieldset g-region' : 'g-field g-fieldset g-region g-field--error'
      }
      aria-describedby={describedBy(help !== undefined && `${id}-hint`, error !== undefined && `${id}-error`)}
      {...wrapperData(field, place)}
    >
      <legend class="g-field__label">
        <span safe>{field.label[lang]}</span>
        <RequiredMarker ctx={ctx} shown={place.required} conditional={field.requiredWhen !== undefined} />
      </legend>
      <Hint id={`${id}-hint`} text={help} />
      <ErrorMessage ctx={ctx} id={`${id}-error`} message={error} />
      {levels.map((level, i) => {
        const parentLevel = i === 0 ? undefined : levels[i - 1];
        const parent = parentLevel === undefined ? undefined : parts[parentLevel];
        const options = childrenAt(level, parent);
        const chosen = parts[level];
        const selectId = regionSelectId(place.path, level);
        const next = levels[i + 1];
        const levelName = LEVEL_NAMES[level][lang];
        const ready = say(ctx.page, UI.chooseLevel, { level: levelName.toLowerCase() });
        const waiting =
          parentLevel === undefined
            ? ready
            : say(ctx.page, UI.parentFirst, { level: LEVEL_NAMES[parentLevel][lang].toLowerCase() });
        const placeholder = level === 'province' || parent !== undefined ? ready : waiting;
        return (
          <div class="g-region__level">
            <label class="g-region__label" for={selectId} safe>
              {levelName}
            </label>
            <select
              class="g-input g-select"
              id={selectId}
              name={`${place.path}.${level}`}
              data-region={level}
              data-region-next={next === undefined ? undefined : regionSelectId(place.path, next)}
              data-placeholder-ready={ready}
              data-placeholder-waiting={waiting}
              disabled={options.length === 0}
              aria-required={place.required ? 'true' : undefined}
              aria-invalid={error === undefined ? undefined : 'true'}
              autofocus={ctx.focus === selectId}
            >
              <option value="" safe>
                {placeholder}
              </option>
              {options.map((region) => (
                <option value={region.code} selected={region.code === chosen} safe>
                  {region.name}
                </option>
              ))}
            </select>
            {next === undefined ? (
              ''
            ) : (
              <button
                type="submit"
                class="g-button g-button--secondary g-region__refresh"
                name="_region_refresh"
                value={place.path}
                data-region-refresh
                formnovalidate
                disabled={ctx.disabled}
              >
                <span safe>{say(ctx.page, UI.refresh)}</span>
                <span class="g-vh" safe>{` ${levelName}: ${field.label[lang]}`}</span>
              </button>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

function LeafControl(props: { ctx: Ctx; field: LeafField; place: Place }) {
  const { ctx, field, place } = props;
  switch (field.type) {
    case 'choice': {
      if (field.options.length > MAX_RADIOS) return <SingleControl ctx={ctx} field={field} place={place} />;
      const chosen = textOf(place.value);
      const checks = field.options.map((o) => ({
        value: o.value,
        label: o.label[ctx.page.lang],
        checked: o.value === chosen,
      }));
      return <CheckGroup ctx={ctx} field={field} place={place} type="radio" checks={checks} />;
    }
    case 'multichoice': {
      const chosen = new Set(listOf(place.value));
      const checks = field.options.map((o) => ({
        value: o.value,
        label: o.label[ctx.page.lang],
        checked: chosen.has(o.value),
      }));
      return (
        <CheckGroup
          ctx={ctx}
          field={field}
          place={place}
          type="checkbox"
          checks={checks}
          limits={multichoiceLimits(ctx, field)}
        />
      );
    }
    case 'yesno': {
      const answer = yesnoOf(place.value);
      const checks = [
        { value: 'true', label: say(ctx.page, UI.yes), checked: answer === true },
        { value: 'false', label: say(ctx.page, UI.no), checked: answer === false },
      ];
      return <CheckGroup ctx={ctx} field={field} place={place} type="radio" checks={checks} inline />;
    }
    case 'region':
      return <RegionPicker ctx={ctx} field={field} place={place} />;
    default:
      return <SingleControl ctx={ctx} field={field} place={place} />;
  }
}

function itemLabel(ctx: Ctx, group: GroupField): string {
  return (group.itemLabel ?? group.label)[ctx.page.lang];
}

function GroupFieldset(props: { ctx: Ctx; group: GroupField; place: Place; state: FormState }) {
  const { ctx, group, place, state } = props;
  const id = fieldInputId(group.key);
  const lang = ctx.page.lang;
  const help = group.help?.[lang];
  const error = ctx.errors.get(group.key);
  const items = itemsOf(place.value);
  const count = Math.min(Math.max(group.minItems ?? 0, items.length, 1), group.maxItems);
  const minimum = group.minItems ?? 0;
  const label = itemLabel(ctx, group);
  return (
    <fieldset
      class={error === undefined ? 'g-field g-group' : 'g-field g-group g-field--error'}
      id={id}
      tabindex="-1"
      aria-describedby={describedBy(
        help !== undefined && `${id}-hint`,
        `${id}-limits`,
        error !== undefined && `${id}-error`,
      )}
      {...wrapperData(group, place)}
    >
      <legend class="g-group__legend">
        <span safe>{group.label[lang]}</span>
        <RequiredMarker
          ctx={ctx}
          shown={place.required || minimum > 0}
          conditional={group.requiredWhen !== undefined}
        />
      </legend>
      <Hint id={`${id}-hint`} text={help} />
      <p class="g-field__hint" id={`${id}-limits`} safe>
        {say(ctx.page, UI.itemCount, { max: group.maxItems })}
      </p>
      <ErrorMessage ctx={ctx} id={`${id}-error`} message={error} />
      {Array.from({ length: count }, (_, i) => {
        const item = items[i];
        const itemPath = `${group.key}[${i}]`;
        const itemId = fieldInputId(itemPath);
        const { scope, hidden } = itemScope(group, item, state.scope, state.context);
        const itemError = ctx.errors.get(itemPath);
        const numbered = `${label} ${i + 1}`;
        const canRemove = count > minimum && (items.length > 1 || hasAnswers(item));
        return (
          <fieldset
            class="g-group__item"
            id={itemId}
            data-group-item={String(i)}
            aria-describedby={itemError === undefined ? undefined : `${itemId}-error`}
          >
            <legend class="g-group__item-legend" safe>
              {numbered}
            </legend>
            <input type="hidden" name={`${itemPath}._item`} value="1" />
            <ErrorMessage ctx={ctx} id={`${itemId}-error`} message={itemError} />
            {group.fields.map((field) => (
              <LeafControl
                ctx={ctx}
                field={field}
                place={{
                  path: `${itemPath}.${field.key}`,
                  value: prop(item, field.key),
                  hidden: hidden.has(field.key),
                  required: field.required === true || holds(field.requiredWhen, scope) === true,
                }}
              />
            ))}
            {canRemove ? (
              <button
                type="submit"
                class="g-button g-button--secondary g-group__remove"
                name="_group_remove"
                value={`${group.key}:${i}`}
                formnovalidate
                disabled={ctx.disabled}
                safe
              >
                {say(ctx.page, UI.remove, { item: numbered })}
              </button>
            ) : (
              ''
            )}
          </fieldset>
        );
      })}
      {count < group.maxItems ? (
        <button
          type="submit"
          class="g-button g-button--secondary g-group__add"
          id={`${id}--add`}
          name="_group_add"
          value={group.key}
          formnovalidate
          disabled={ctx.disabled}
          autofocus={ctx.focus === `${id}--add`}
          safe
        >
          {say(ctx.page, UI.add, { item: label })}
        </button>
      ) : (
        ''
      )}
    </fieldset>
  );
}

function hasAnswers(item: unknown): boolean {
  return isRecord(item) && Object.values(item).some((v) => !isUnanswered(v));
}

/** Accepted answers of other sections' fields that this section's rules look at (for form.js). */
function outsideAnswers(section: FormSection, state: FormState): Record<string, unknown> {
  const own = new Set(
    section.fields.flatMap((f) => [f.key, ...(f.type === 'group' ? f.fields.map((g) => g.key) : [])]),
  );
  const out: Record<string, unknown> = {};
  const look = (rule: Rule | undefined) => {
    if (rule === undefined) return;
    for (const { field } of walkRule(rule, '').conditions) {
      if (!own.has(field) && Object.hasOwn(state.accepted, field)) out[field] = state.accepted[field];
    }
  };
  for (const field of section.fields) {
    look(field.visibleWhen);
    look(field.requiredWhen);
    if (field.type !== 'group') continue;
    for (const inner of field.fields) {
      look(inner.visibleWhen);
      look(inner.requiredWhen);
    }
  }
  return out;
}

/**
 * The fields of one section, in order, without the surrounding `<form>`, its CSRF field or its submit
 * button (the page's). Give the form `enctype="multipart/form-data"` when {@link sectionHasFiles}.
 */
export function CitizenFormSection(props: CitizenFormSectionProps): JSX.Element {
  const section = sectionAt(props.definition, props.sectionIndex);
  const today = props.today ?? localDateOf(new Date(), 'Asia/Jakarta');
  const state = evaluate(props.definition, props.values, today);
  const ctx: Ctx = {
    page: props.page,
    errors: props.errors ?? new Map(),
    disabled: props.disabled === true,
    focus: props.focus,
    today,
  };
  const outside = outsideAnswers(section, state);
  return (
    <div
      class="g-form-section"
      data-g-form={section.key}
      data-answers={Object.keys(outside).length > 0 ? json(outside) : undefined}
    >
      <input type="hidden" name="_visible" value={shownKeys(section, state, props.values).join(',')} />
      {section.fields.map((field) => {
        const place: Place = {
          path: field.key,
          value: props.values[field.key],
          hidden: state.hiddenKeys.has(field.key),
          required: field.required === true || holds(field.requiredWhen, state.scope) === true,
        };
        return field.type === 'group' ? (
          <GroupFieldset ctx={ctx} group={field} place={place} state={state} />
        ) : (
          <LeafControl ctx={ctx} field={field} place={place} />
        );
      })}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Helpers for the pages around the section

/** Whether the section asks for files (its form then needs `enctype="multipart/form-data"`). */
export function sectionHasFiles(definition: ServiceDefinition, sectionIndex: number): boolean {
  return sectionAt(definition, sectionIndex).fields.some(
    (f) => f.type === 'file' || (f.type === 'group' && f.fields.some((g) => g.type === 'file')),
  );
}

/** The errors of a validation that belong to this section's fields (paths start with their keys). */
export function errorsForSection(
  definition: ServiceDefinition,
  sectionIndex: number,
  errors: readonly AnswerError[],
): AnswerError[] {
  const keys = new Set(sectionAt(definition, sectionIndex).fields.map((f) => f.key));
  return errors.filter((e) => keys.has(e.path.split(/[[.]/)[0] ?? ''));
}

/** Messages by path in the page's language, for {@link CitizenFormSectionProps.errors}. */
export function answerErrorMessages(page: PageContext, errors: readonly AnswerError[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const e of errors) if (!map.has(e.path)) map.set(e.path, e.message[page.lang]);
  return map;
}

/** Entries for `ErrorSummary`, each linking to the control of its field. */
export function errorSummaryEntries(
  page: PageContext,
  errors: readonly AnswerError[],
): { field?: string; message: string }[] {
  return errors.map((e) =>
    e.path === ''
      ? { message: e.message[page.lang] }
      : { field: fieldInputId(e.path), message: e.message[page.lang] },
  );
}

// ---------------------------------------------------------------------------------------------
// From the submitted body back to answers

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.find((v): v is string => typeof v === 'string');
  return undefined;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function bodyValue(body: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(body, name) ? body[name] : undefined;
}

/** The deepest chosen level whose code continues the level above it (a stale lower choice is ignored). */
function readRegion(
  field: RegionField,
  body: Readonly<Record<string, unknown>>,
  name: string,
): string | null {
  let chosen: string | undefined;
  for (const level of levelsOf(field)) {
    const code = normaliseRegionCode(firstString(bodyValue(body, `${name}.${level}`)));
    if (code === undefined || code.length !== CODE_LENGTH[level]) break;
    if (chosen !== undefined && !code.startsWith(`${chosen}.`)) break;
    chosen = code;
  }
  if (chosen !== undefined) return chosen;
  const whole = normaliseRegionCode(firstString(bodyValue(body, name)));
  return whole ?? null;
}

function readLeaf(field: LeafField, body: Readonly<Record<string, unknown>>, name: string): unknown {
  if (field.type === 'region') return readRegion(field, body, name);
  const raw = bodyValue(body, name);
  if (field.type === 'file') {
    const uploads = [...new Set(strings(raw).filter((v) => UPLOAD_ID.test(v)))];
    return uploads.length > 0 ? uploads : null;
  }
  if (field.type === 'multichoice') {
    const chosen = [...new Set(strings(raw))];
    return chosen.length > 0 ? chosen : null;
  }
  const text = firstString(raw);
  if (text === undefined || isUnanswered(text)) return null;
  if (field.type === 'yesno') return yesnoOf(text) ?? text;
  if (field.type === 'number') {
    const trimmed = text.trim();
    // Kept as typed when it is not a number, so the applicant sees it again with the error.
    return NUMBER_TEXT.test(trimmed) ? Number(trimmed.replace(',', '.')) : text;
  }
  return text;
}

/** Item indexes present in the body for a group (from the `_item` markers and any field), at most `maxItems`. */
function itemIndexes(group: GroupField, body: Readonly<Record<string, unknown>>): number[] {
  const pattern = new RegExp(`^${group.key}\\[(\\d{1,3})\\]\\.`);
  const found = new Set<number>();
  for (const name of Object.keys(body)) {
    const match = pattern.exec(name);
    if (match?.[1] !== undefined) found.add(Number(match[1]));
  }
  return [...found].sort((a, b) => a - b).slice(0, group.maxItems);
}

function readGroup(
  group: GroupField,
  body: Readonly<Record<string, unknown>>,
  keepBlank: boolean,
): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (const i of itemIndexes(group, body)) {
    const item: Record<string, unknown> = {};
    for (const field of group.fields) {
      const value = readLeaf(field, body, `${group.key}[${i}].${field.key}`);
      if (value !== null) item[field.key] = value;
    }
    if (keepBlank || Object.keys(item).length > 0) items.push(item);
  }
  return items;
}

/**
 * The answers of one section from a urlencoded (or multipart) body, in the shapes the compiled
 * validator accepts: numbers as numbers (text that is not a number stays text, and gets an error),
 * yes/no as booleans, multiple choice and files as lists, regions as the deepest chosen dotted code,
 * groups as lists of items (items left blank are dropped). Every field of the section is present,
 * `null` when unanswered, so merging into earlier answers clears what the applicant cleared.
 */
export function answersFromForm(
  definition: ServiceDefinition,
  sectionIndex: number,
  body: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const field of sectionAt(definition, sectionIndex).fields) {
    if (field.type === 'group') {
      const items = readGroup(field, body, false);
      answers[field.key] = items.length > 0 ? items : null;
    } else {
      answers[field.key] = readLeaf(field, body, field.key);
    }
  }
  return answers;
}

export interface FormCommand {
  /** What the applicant asked for; `revealed`: an answer showed questions they have not seen yet. */
  readonly kind: 'group_add' | 'group_remove' | 'region_refresh' | 'revealed';
  /** The answers to render the section with again (no errors shown). */
  readonly answers: Record<string, unknown>;
  /** Id of the control to focus in the re-rendered section ({@link CitizenFormSectionProps.focus}). */
  readonly focus?: string;
}

function firstControlOf(group: GroupField, index: number): string {
  const first = group.fields[0];
  return fieldInputId(first === undefined ? `${group.key}[${index}]` : `${group.key}[${index}].${first.key}`);
}

/** The id of the region select after the deepest level chosen (or the deepest one). */
function nextRegionSelect(field: RegionField, path: string, value: unknown): string {
  const levels = levelsOf(field);
  const chosen = regionParts(value);
  const next = levels.find((level) => chosen[level] === undefined) ?? field.level;
  return regionSelectId(path, next);
}

function findRegionField(
  section: FormSection,
  target: string,
): { field: RegionField; group?: GroupField; index?: number } | undefined {
  const match = /^([a-z][a-z0-9_]*)(?:\[(\d{1,3})\]\.([a-z][a-z0-9_]*))?$/.exec(target);
  if (match === null) return undefined;
  const [, key, index, inner] = match;
  const field = section.fields.find((f) => f.key === key);
  if (field?.type === 'region' && inner === undefined) return { field };
  if (field?.type !== 'group' || inner === undefined) return undefined;
  const innerField = field.fields.find((f) => f.key === inner);
  return innerField?.type === 'region'
    ? { field: innerField, group: field, index: Number(index) }
    : undefined;
}

/**
 * A command in the body (the add and remove buttons of a group, the region picker's "Choose", or a
 * submission that revealed new questions), applied to the answers: the draft's answers with the
 * section's from {@link answersFromForm} over them — all of them, since a rule may look at an earlier
 * section. Render the section again with `answers` and no errors. `undefined` when the body is a
 * plain submission to validate.
 */
export function applyFormCommands(
  definition: ServiceDefinition,
  sectionIndex: number,
  answers: Readonly<Record<string, unknown>>,
  body: Readonly<Record<string, unknown>>,
): FormCommand | undefined {
  const section = sectionAt(definition, sectionIndex);
  const add = firstString(bodyValue(body, '_group_add'));
  const remove = firstString(bodyValue(body, '_group_remove'));
  const refresh = firstString(bodyValue(body, '_region_refresh'));
  if (add === undefined && remove === undefined && refresh === undefined) {
    return revealed(definition, section, answers, body);
  }
  // Blank items stay while the applicant is arranging the group, so what they see does not jump.
  const next: Record<string, unknown> = { ...answers };
  for (const field of section.fields)
    if (field.type === 'group') next[field.key] = readGroup(field, body, true);
  const groupNamed = (key: string) =>
    section.fields.find((f): f is GroupField => f.type === 'group' && f.key === key);

  if (add !== undefined) {
    const group = groupNamed(add);
    if (group === undefined) return { kind: 'group_add', answers: next };
    const items = itemsWithRendered(group, next[group.key]);
    if (items.length >= group.maxItems)
      return { kind: 'group_add', answers: { ...next, [group.key]: items } };
    return {
      kind: 'group_add',
      answers: { ...next, [group.key]: [...items, {}] },
      focus: firstControlOf(group, items.length),
    };
  }
  if (remove !== undefined) {
    const [key = '', indexText = ''] = remove.split(':');
    const group = groupNamed(key);
    const index = Number(indexText);
    if (group === undefined || !/^\d{1,3}$/.test(indexText)) return { kind: 'group_remove', answers: next };
    const items = itemsWithRendered(group, next[group.key]).filter((_, i) => i !== index);
    const stays = Math.min(index, Math.max(items.length - 1, 0));
    return {
      kind: 'group_remove',
      answers: { ...next, [group.key]: items.length > 0 ? items : null },
      focus: firstControlOf(group, stays),
    };
  }
  const target = refresh === undefined ? undefined : findRegionField(section, refresh);
  if (target === undefined) return { kind: 'region_refresh', answers: next };
  const value =
    target.group === undefined
      ? next[target.field.key]
      : prop(itemsOf(next[target.group.key])[target.index ?? 0], target.field.key);
  return {
    kind: 'region_refresh',
    answers: next,
    focus: nextRegionSelect(target.field, refresh ?? '', value),
  };
}

/** The items as rendered: at least `minItems` and one, so "add" adds after the ones on screen. */
function itemsWithRendered(group: GroupField, value: unknown): unknown[] {
  const items = [...itemsOf(value)];
  const rendered = Math.min(Math.max(group.minItems ?? 0, 1), group.maxItems);
  while (items.length < rendered) items.push({});
  return items;
}

function revealed(
  definition: ServiceDefinition,
  section: FormSection,
  answers: Readonly<Record<string, unknown>>,
  body: Readonly<Record<string, unknown>>,
): FormCommand | undefined {
  const seenText = firstString(bodyValue(body, '_visible'));
  if (seenText === undefined) return undefined;
  const seen = new Set(seenText.split(','));
  const state = evaluate(definition, answers, localDateOf(new Date(), 'Asia/Jakarta'));
  const fresh = shownKeys(section, state, answers).filter((key) => !seen.has(key));
  const first = fresh[0];
  if (first === undefined) return undefined;
  const [key = '', inner] = first.split('.');
  const group = section.fields.find((f) => f.key === key);
  // Blank items were dropped from the answers; show the group as the applicant left it.
  const next: Record<string, unknown> = { ...answers };
  for (const field of section.fields)
    if (field.type === 'group') next[field.key] = readGroup(field, body, true);
  let focus = fieldInputId(key);
  if (group?.type === 'group') {
    const items = itemsOf(next[group.key]);
    const index =
      inner === undefined
        ? 0
        : Math.max(
            0,
            items.findIndex((item) => !itemScope(group, item, state.scope, state.context).hidden.has(inner)),
          );
    focus = inner === undefined ? firstControlOf(group, 0) : fieldInputId(`${key}[${index}].${inner}`);
  }
  return { kind: 'revealed', answers: next, focus };
}
