/**
 * Building blocks of the designer's editor forms. Every input is named by its path in the definition
 * and shows the problems found at that path right next to it. Rendering runs twice: the first pass
 * learns which paths have an input or a block (anchors), so the second can place each problem at the
 * closest one and the summary at the top can link to it.
 */
import type { MessageKey } from '../../web/i18n/index.ts';
import { type PageContext, tr } from '../../web/pages/layout.tsx';
import type { Problem } from '../problems.ts';
import type { Doc } from './mapping.ts';
import { idOf, pathSegments } from './names.ts';

export class ProblemIndex {
  private readonly anchors = new Set<string>();
  private readonly assigned = new Map<string, Problem[]>();
  private collecting = true;
  /** Problems of the part with the anchor each one links to (the part's top when none is closer). */
  readonly placed: Array<{ anchor: string; problem: Problem }> = [];

  constructor(
    readonly problems: readonly Problem[],
    private readonly rootPath: string,
  ) {}

  /** Registers `path` as an anchor (first pass); its problems (second pass). */
  at(path: string): Problem[] {
    if (this.collecting) {
      this.anchors.add(path);
      return [];
    }
    return this.assigned.get(path) ?? [];
  }

  /** How many problems sit at `path` or inside it (second pass). */
  within(path: string): number {
    if (this.collecting) return 0;
    return this.placed.filter((p) => covers(path, p.anchor)).length;
  }

  /** Ends the first pass: places every problem at its closest anchor. */
  place(): void {
    this.collecting = false;
    for (const problem of this.problems) {
      let best: string | undefined;
      for (const anchor of this.anchors)
        if (covers(anchor, problem.path) && (best === undefined || anchor.length > best.length))
          best = anchor;
      const anchor = best ?? this.rootPath;
      this.placed.push({ anchor, problem });
      const list = this.assigned.get(anchor) ?? [];
      list.push(problem);
      this.assigned.set(anchor, list);
    }
  }
}

/** Whether `path` is `anchor` or inside it. */
function covers(anchor: string, path: string): boolean {
  return path === anchor || anchor === '' || path.startsWith(`${anchor}.`) || path.startsWith(`${anchor}[`);
}

export interface Editor {
  page: PageContext;
  doc: Doc;
  problems: ProblemIndex;
}

export function t(e: Editor | PageContext, key: MessageKey, params?: Record<string, unknown>): string {
  return tr('page' in e ? e.page : e, key, params);
}

/** The value at a definition path, or undefined. */
export function valueAt(doc: unknown, path: string): unknown {
  let node: unknown = doc;
  for (const segment of pathSegments(path) ?? []) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** A value as an input shows it. */
export function display(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return '';
}

function messages(e: Editor, path: string): string[] {
  return e.problems.at(path).map((p) => p.message[e.page.lang]);
}

/**
 * The problems at `path`, under an id the input refers to with aria-describedby; `own` when no
 * input has that path, so the summary's link lands on the message itself.
 */
export function ProblemText(props: { e: Editor; path: string; own?: boolean }) {
  const list = messages(props.e, props.path);
  if (list.length === 0) return '';
  return (
    <p
      class="g-field__error"
      id={props.own ? idOf(props.path) : `${idOf(props.path)}-error`}
      tabindex={props.own ? '-1' : undefined}
    >
      {list.map((m) => (
        <span class="d-problem" safe>
          {m}
        </span>
      ))}
    </p>
  );
}

function describedBy(e: Editor, path: string, hint: boolean): string | undefined {
  const ids = [hint ? `${idOf(path)}-hint` : '', e.problems.at(path).length > 0 ? `${idOf(path)}-error` : '']
    .filter(Boolean)
    .join(' ');
  return ids || undefined;
}

export function Hint(props: { id: string; text?: string }) {
  if (!props.text) return '';
  return (
    <p class="g-field__hint" id={props.id} safe>
      {props.text}
    </p>
  );
}

export interface InputProps {
  e: Editor;
  path: string;
  label: string;
  hint?: string;
  /** Overrides the value read from the draft. */
  value?: string;
  width?: 'short' | 'medium';
  type?: 'text' | 'date' | 'url';
  inputmode?: 'numeric' | 'decimal';
  multiline?: boolean;
  /** Hidden part of the label that tells apart inputs with the same visible label. */
  context?: string;
}

export function TextInput(props: InputProps) {
  const { e, path } = props;
  const id = idOf(path);
  const value = props.value ?? display(valueAt(e.doc, path));
  const invalid = e.problems.at(path).length > 0;
  const cls = ['g-input', props.width ? `d-input--${props.width}` : ''].filter(Boolean).join(' ');
  return (
    <div class={invalid ? 'g-field g-field--error' : 'g-field'}>
      <label class="g-field__label" for={id}>
        {props.context ? (
          <span class="d-vh" safe>
            {`${props.context}: `}
          </span>
        ) : (
          ''
        )}
        <span safe>{props.label}</span>
      </label>
      <Hint id={`${id}-hint`} text={props.hint} />
      <ProblemText e={e} path={path} />
      {props.multiline ? (
        <textarea
          class="g-input d-textarea"
          id={id}
          name={path}
          rows="3"
          aria-describedby={describedBy(e, path, Boolean(props.hint))}
          aria-invalid={invalid ? 'true' : undefined}
          safe
        >
          {value}
        </textarea>
      ) : (
        <input
          class={cls}
          id={id}
          name={path}
          type={props.type ?? 'text'}
          inputmode={props.inputmode}
          value={value}
          aria-describedby={describedBy(e, path, Boolean(props.hint))}
          aria-invalid={invalid ? 'true' : undefined}
        />
      )}
    </div>
  );
}

/** Text in Indonesian and English, side by side on a wide screen. */
export function LocalInputs(props: {
  e: Editor;
  path: string;
  label: string;
  hint?: string;
  multiline?: boolean;
}) {
  const { e, path } = props;
  return (
    <fieldset class="d-local" id={idOf(path)}>
      <legend class="g-field__label" safe>
        {props.label}
      </legend>
      <Hint id={`${idOf(path)}-hint`} text={props.hint} />
      <ProblemText e={e} path={path} />
      <div class="d-local__pair">
        <TextInput
          e={e}
          path={`${path}.id`}
          label={t(e, 'designer.lang_id')}
          context={props.label}
          multiline={props.multiline}
        />
        <TextInput
          e={e}
          path={`${path}.en`}
          label={t(e, 'designer.lang_en')}
          context={props.label}
          multiline={props.multiline}
        />
      </div>
    </fieldset>
  );
}

export function Checkbox(props: {
  e: Editor;
  path: string;
  label: string;
  hint?: string;
  checked?: boolean;
}) {
  const { e, path } = props;
  const id = idOf(path);
  const isChecked = props.checked ?? valueAt(e.doc, path) === true;
  return (
    <div class="d-check">
      <input
        type="checkbox"
        id={id}
        name={path}
        value="true"
        checked={isChecked}
        aria-describedby={describedBy(e, path, Boolean(props.hint))}
      />
      <label for={id} safe>
        {props.label}
      </label>
      <Hint id={`${id}-hint`} text={props.hint} />
      <ProblemText e={e} path={path} />
    </div>
  );
}

export interface Choice {
  value: string;
  label: string;
}

export function Select(props: {
  e: Editor;
  path: string;
  label: string;
  choices: readonly Choice[];
  hint?: string;
  value?: string;
  /** A first "— choose —" entry for an empty value. */
  placeholder?: string;
  context?: string;
}) {
  const { e, path } = props;
  const id = idOf(path);
  const value = props.value ?? display(valueAt(e.doc, path));
  const known = props.choices.some((c) => c.value === value);
  const invalid = e.problems.at(path).length > 0;
  return (
    <div class={invalid ? 'g-field g-field--error' : 'g-field'}>
      <label class="g-field__label" for={id}>
        {props.context ? (
          <span class="d-vh" safe>
            {`${props.context}: `}
          </span>
        ) : (
          ''
        )}
        <span safe>{props.label}</span>
      </label>
      <Hint id={`${id}-hint`} text={props.hint} />
      <ProblemText e={e} path={path} />
      <select
        class="g-input d-select"
        id={id}
        name={path}
        aria-describedby={describedBy(e, path, Boolean(props.hint))}
        aria-invalid={invalid ? 'true' : undefined}
      >
        {props.placeholder !== undefined || (!known && value === '') ? (
          <option value="" selected={value === ''} safe>
            {props.placeholder ?? '—'}
          </option>
        ) : (
          ''
        )}
        {!known && value !== '' ? (
          <option value={value} selected safe>
            {value}
          </option>
        ) : (
          ''
        )}
        {props.choices.map((c) => (
          <option value={c.value} selected={c.value === value} safe>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * Checkboxes that post a list under one name. The chosen ones come first in their saved order, so
 * saving without a change keeps the order; a value no longer offered stays listed while chosen.
 */
export function CheckboxGroup(props: {
  e: Editor;
  path: string;
  legend: string;
  hint?: string;
  choices: readonly Choice[];
  selected: readonly string[];
}) {
  const { e, path } = props;
  const byValue = new Map(props.choices.map((c) => [c.value, c]));
  const ordered = [
    ...props.selected.map((v) => byValue.get(v) ?? { value: v, label: v }),
    ...props.choices.filter((c) => !props.selected.includes(c.value)),
  ];
  const itemProblems = props.selected.map((_, i) => `${path}[${i}]`);
  return (
    <fieldset class="d-checks" id={idOf(path)}>
      <legend class="g-field__label" safe>
        {props.legend}
      </legend>
      <Hint id={`${idOf(path)}-hint`} text={props.hint} />
      <ProblemText e={e} path={path} />
      {itemProblems.map((p) => (
        <ProblemText e={e} path={p} own />
      ))}
      {ordered.map((c, i) => {
        const id = `${idOf(path)}-${i}`;
        return (
          <div class="d-check">
            <input
              type="checkbox"
              id={id}
              name={path}
              value={c.value}
              checked={props.selected.includes(c.value)}
            />
            <label for={id} safe>
              {c.label}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

export function Radios(props: { e: Editor; path: string; legend: string; choices: readonly Choice[] }) {
  const { e, path } = props;
  const value = display(valueAt(e.doc, path));
  return (
    <fieldset class="d-checks" id={idOf(path)}>
      <legend class="g-field__label" safe>
        {props.legend}
      </legend>
      <ProblemText e={e} path={path} />
      {props.choices.map((c, i) => {
        const id = `${idOf(path)}-${i}`;
        return (
          <div class="d-check">
            <input type="radio" id={id} name={path} value={c.value} checked={c.value === value} />
            <label for={id} safe>
              {c.label}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

/** A button that saves the part and then runs a command (`_do`). */
export function Command(props: {
  command: string;
  label: string;
  /** Hidden words that say which item the button acts on. */
  context?: string;
  kind?: 'secondary' | 'warning';
}) {
  return (
    <button
      type="submit"
      name="_do"
      value={props.command}
      class={`g-button d-button d-button--${props.kind ?? 'secondary'}`}
    >
      <span safe>{props.label}</span>
      {props.context ? (
        <span class="d-vh" safe>
          {` (${props.context})`}
        </span>
      ) : (
        ''
      )}
    </button>
  );
}

export function Hidden(props: { name: string; value: string }) {
  return <input type="hidden" name={props.name} value={props.value} />;
}
