/** The form part of the editor: sections, fields of every type, options and conditions. */
import type { MessageKey } from '../../web/i18n/index.ts';
import {
  CLASSIFICATIONS,
  FIELD_TYPES,
  FILE_MIME_TYPES,
  LEAF_FIELD_TYPES,
  REGION_LEVELS,
  RULE_OPS,
} from '../schemas.ts';
import {
  Checkbox,
  CheckboxGroup,
  type Choice,
  Command,
  type Editor,
  Hidden,
  LocalInputs,
  ProblemText,
  Select,
  TextInput,
  t,
  valueAt,
} from './kit.tsx';
import type { Doc } from './mapping.ts';
import { idOf } from './names.ts';
import { conditionPath, type EditableCondition, ruleShape } from './rule-shape.ts';

function record(value: unknown): Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Doc) : {};
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function textIn(e: Editor, value: unknown): string {
  const v = record(value);
  const local = v[e.page.lang];
  const other = v[e.page.lang === 'id' ? 'en' : 'id'];
  return typeof local === 'string' && local !== '' ? local : typeof other === 'string' ? other : '';
}

export function typeName(e: Editor, type: string): string {
  return (FIELD_TYPES as readonly string[]).includes(type)
    ? t(e, `designer.type.${type}` as MessageKey)
    : type;
}

/** A field as people recognise it: its label, else its key, else its position. */
function fieldName(e: Editor, field: Doc, fallback: string): string {
  return textIn(e, field.label) || (typeof field.key === 'string' && field.key) || fallback;
}

interface FieldRef {
  key: string;
  label: string;
  type: string;
}

/** The fields a condition of the field at (s, f[, g]) may look at: every field before it. */
function earlierFields(e: Editor, s: number, f: number, g?: number): FieldRef[] {
  const out: FieldRef[] = [];
  const sections = array(record(e.doc.form).sections);
  sections.forEach((section, si) => {
    array(record(section).fields).forEach((raw, fi) => {
      const field = record(raw);
      const before = si < s || (si === s && fi < f);
      const ref = (x: Doc): FieldRef => ({
        key: typeof x.key === 'string' ? x.key : '',
        label: fieldName(e, x, ''),
        type: typeof x.type === 'string' ? x.type : '',
      });
      if (before && field.type !== 'group') out.push(ref(field));
      if (g !== undefined && si === s && fi === f)
        array(field.fields).forEach((sub, gi) => {
          if (gi < g) out.push(ref(record(sub)));
        });
    });
  });
  return out.filter((r) => r.key !== '');
}

function conditionText(e: Editor, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => conditionText(e, v)).join(', ');
  if (value === true) return t(e, 'designer.rule.yes');
  if (value === false) return t(e, 'designer.rule.no');
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value : '';
}

/** A rule the selects cannot show, in words. */
function ruleInWords(e: Editor, rule: unknown): string {
  const r = record(rule);
  if (Array.isArray(r.all))
    return `(${r.all.map((x) => ruleInWords(e, x)).join(` ${t(e, 'designer.rule.and')} `)})`;
  if (Array.isArray(r.any))
    return `(${r.any.map((x) => ruleInWords(e, x)).join(` ${t(e, 'designer.rule.or')} `)})`;
  if ('not' in r) return `${t(e, 'designer.rule.not_words')} ${ruleInWords(e, r.not)}`;
  const op = typeof r.op === 'string' && (RULE_OPS as readonly string[]).includes(r.op) ? r.op : 'eq';
  return `"${String(r.field)}" ${t(e, `designer.op.${op}` as MessageKey)} ${conditionText(e, r.value)}`;
}

function RuleEditor(props: {
  e: Editor;
  fieldPath: string;
  address: string;
  which: 'visibleWhen' | 'requiredWhen';
  earlier: FieldRef[];
  fieldLabel: string;
}) {
  const { e, which } = props;
  const path = `${props.fieldPath}.${which}`;
  const rule = valueAt(e.doc, path);
  const shape = ruleShape(rule);
  const legend = t(e, which === 'visibleWhen' ? 'designer.rule.visible' : 'designer.rule.required');
  const context = `${props.fieldLabel}, ${legend}`;
  if (!shape) {
    return (
      <fieldset class="d-rule" id={idOf(path)}>
        <legend class="g-field__label" safe>
          {legend}
        </legend>
        <ProblemText e={e} path={path} />
        <p safe>{ruleInWords(e, rule)}</p>
        <p class="g-field__hint">{t(e, 'designer.rule.kept')}</p>
        <Hidden name={`${path}.mode`} value="keep" />
        <Hidden name={`${path}.raw`} value={JSON.stringify(rule)} />
        <Command
          command={`removeCondition:${props.address}:${which}:0`}
          label={t(e, 'designer.rule.remove_all')}
          context={context}
          kind="warning"
        />
      </fieldset>
    );
  }
  const rows: EditableCondition[] = [...shape.conditions, { field: '', op: 'eq', value: '' }];
  const fieldChoices: Choice[] = props.earlier.map((f) => ({
    value: f.key,
    label: `${f.label} (${typeName(e, f.type)})`,
  }));
  const opChoices: Choice[] = RULE_OPS.map((op) => ({
    value: op,
    label: t(e, `designer.op.${op}` as MessageKey),
  }));
  return (
    <fieldset class="d-rule" id={idOf(path)}>
      <legend class="g-field__label" safe>
        {legend}
      </legend>
      <p class="g-field__hint">{t(e, 'designer.rule.hint')}</p>
      <ProblemText e={e} path={path} />
      <div class="d-row">
        <Select
          e={e}
          path={`${path}.mode`}
          label={t(e, 'designer.rule.mode')}
          context={context}
          value={shape.mode}
          choices={[
            { value: 'all', label: t(e, 'designer.rule.all') },
            { value: 'any', label: t(e, 'designer.rule.any') },
          ]}
        />
        <Checkbox e={e} path={`${path}.not`} label={t(e, 'designer.rule.not')} checked={shape.not} />
      </div>
      {rows.map((c, i) => {
        const base = `${path}.conditions[${i}]`;
        const problemPath = i < shape.conditions.length ? conditionPath(path, shape, i) : base;
        const rowContext = `${context} ${i + 1}`;
        const isBlank = i === shape.conditions.length;
        return (
          <div class="d-condition">
            {problemPath === path ? '' : <ProblemText e={e} path={problemPath} own />}
            <Select
              e={e}
              path={`${base}.field`}
              label={t(e, 'designer.rule.field')}
              context={rowContext}
              value={c.field}
              choices={fieldChoices}
              placeholder={t(e, 'designer.choose')}
            />
            <ProblemText e={e} path={`${problemPath}.field`} own />
            <Select
              e={e}
              path={`${base}.op`}
              label={t(e, 'designer.rule.op')}
              context={rowContext}
              value={c.op}
              choices={opChoices}
            />
            <ProblemText e={e} path={`${problemPath}.op`} own />
            <TextInput
              e={e}
              path={`${base}.value`}
              label={t(e, 'designer.rule.value')}
              context={rowContext}
              value={conditionText(e, c.value)}
            />
            <ProblemText e={e} path={`${problemPath}.value`} own />
            {isBlank ? (
              ''
            ) : (
              <Command
                command={`removeCondition:${props.address}:${which}:${i}`}
                label={t(e, 'designer.remove')}
                context={rowContext}
                kind="warning"
              />
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

function OptionsEditor(props: { e: Editor; fieldPath: string; address: string; fieldLabel: string }) {
  const { e, fieldPath } = props;
  const options = array(valueAt(e.doc, `${fieldPath}.options`));
  return (
    <fieldset class="d-list" id={idOf(`${fieldPath}.options`)}>
      <legend class="g-field__label">{t(e, 'designer.options')}</legend>
      <p class="g-field__hint">{t(e, 'designer.options_hint')}</p>
      <ProblemText e={e} path={`${fieldPath}.options`} />
      {options.map((_, o) => {
        const path = `${fieldPath}.options[${o}]`;
        const context = `${props.fieldLabel}, ${t(e, 'designer.option')} ${o + 1}`;
        return (
          <div class="d-option" id={idOf(path)}>
            <ProblemText e={e} path={path} />
            <LocalInputs e={e} path={`${path}.label`} label={`${t(e, 'designer.option')} ${o + 1}`} />
            <TextInput
              e={e}
              path={`${path}.value`}
              label={t(e, 'designer.option_value')}
              context={context}
              width="medium"
            />
            <Command
              command={`removeOption:${props.address}:${o}`}
              label={t(e, 'designer.remove_option')}
              context={context}
              kind="warning"
            />
          </div>
        );
      })}
      <Command
        command={`addOption:${props.address}`}
        label={t(e, 'designer.add_option')}
        context={props.fieldLabel}
      />
    </fieldset>
  );
}

function TypeSettings(props: {
  e: Editor;
  field: Doc;
  path: string;
  address: string;
  name: string;
  s: number;
  f: number;
}) {
  const { e, field, path, address, name } = props;
  const num = (key: string, label: MessageKey, hint?: MessageKey) => (
    <TextInput
      e={e}
      path={`${path}.${key}`}
      label={t(e, label)}
      hint={hint ? t(e, hint) : undefined}
      context={name}
      width="short"
      inputmode="numeric"
    />
  );
  switch (field.type) {
    case 'text':
    case 'textarea':
      return num('maxLength', 'designer.max_length', 'designer.max_length_hint');
    case 'number':
      return (
        <div>
          <div class="d-row">
            {num('min', 'designer.min_number')}
            {num('max', 'designer.max_number')}
          </div>
          <Checkbox e={e} path={`${path}.integer`} label={t(e, 'designer.integer')} />
          <LocalInputs
            e={e}
            path={`${path}.unit`}
            label={t(e, 'designer.unit')}
            hint={t(e, 'designer.unit_hint')}
          />
        </div>
      );
    case 'date': {
      const dateInput = (key: 'min' | 'max', label: MessageKey) => {
        const value = valueAt(e.doc, `${path}.${key}`);
        const iso = value === undefined || (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value));
        return (
          <TextInput
            e={e}
            path={`${path}.${key}`}
            label={t(e, label)}
            context={name}
            type={iso ? 'date' : 'text'}
            width="medium"
          />
        );
      };
      return (
        <div>
          <div class="d-row">
            {dateInput('min', 'designer.min_date')}
            {dateInput('max', 'designer.max_date')}
          </div>
          <Checkbox e={e} path={`${path}.notInFuture`} label={t(e, 'designer.not_in_future')} />
        </div>
      );
    }
    case 'choice':
      return <OptionsEditor e={e} fieldPath={path} address={address} fieldLabel={name} />;
    case 'multichoice':
      return (
        <div>
          <OptionsEditor e={e} fieldPath={path} address={address} fieldLabel={name} />
          <div class="d-row">
            {num('minItems', 'designer.min_choices')}
            {num('maxItems', 'designer.max_choices')}
          </div>
        </div>
      );
    case 'region':
      return (
        <Select
          e={e}
          path={`${path}.level`}
          label={t(e, 'designer.region_level')}
          context={name}
          choices={REGION_LEVELS.map((l) => ({
            value: l,
            label: t(e, `designer.region.${l}` as MessageKey),
          }))}
        />
      );
    case 'file':
      return (
        <div>
          <CheckboxGroup
            e={e}
            path={`${path}.accept`}
            legend={t(e, 'designer.accept')}
            choices={FILE_MIME_TYPES.map((m) => ({
              value: m,
              label: t(e, `designer.mime.${m.split('/')[1]}` as MessageKey),
            }))}
            selected={array(field.accept).filter((x): x is string => typeof x === 'string')}
          />
          <div class="d-row">
            {num('maxSizeKb', 'designer.max_size', 'designer.max_size_hint')}
            {num('maxFiles', 'designer.max_files')}
          </div>
        </div>
      );
    case 'group': {
      const subfields = array(field.fields);
      return (
        <div>
          <p class="g-field__hint">{t(e, 'designer.group_hint')}</p>
          <LocalInputs
            e={e}
            path={`${path}.itemLabel`}
            label={t(e, 'designer.item_label')}
            hint={t(e, 'designer.item_label_hint')}
          />
          <div class="d-row">
            {num('minItems', 'designer.min_items')}
            {num('maxItems', 'designer.max_items')}
          </div>
          <div class="d-subfields" id={idOf(`${path}.fields`)}>
            <h4>{t(e, 'designer.subfields', { name })}</h4>
            <ProblemText e={e} path={`${path}.fields`} />
            {subfields.map((sub, g) => (
              <FieldEditor
                e={e}
                field={record(sub)}
                path={`${path}.fields[${g}]`}
                address={`${address}.${g}`}
                number={g + 1}
                count={subfields.length}
                s={props.s}
                f={props.f}
                g={g}
              />
            ))}
            <AddField e={e} address={address} nested context={name} />
          </div>
        </div>
      );
    }
    default:
      return '';
  }
}

function AddField(props: { e: Editor; address: string; nested?: boolean; context: string }) {
  const { e, address } = props;
  const name = `_newType.${address}`;
  const id = idOf(`new-${address}`);
  const types = props.nested ? LEAF_FIELD_TYPES : FIELD_TYPES;
  return (
    <div class="d-add">
      <label class="g-field__label" for={id}>
        <span safe>{t(e, props.nested ? 'designer.new_subfield_type' : 'designer.new_field_type')}</span>
        <span class="d-vh" safe>{` (${props.context})`}</span>
      </label>
      <select class="g-input d-select" id={id} name={name}>
        {types.map((type) => (
          <option value={type} safe>
            {typeName(e, type)}
          </option>
        ))}
      </select>
      <Command
        command={`addField:${address}`}
        label={t(e, props.nested ? 'designer.add_subfield' : 'designer.add_field')}
        context={props.context}
      />
    </div>
  );
}

function FieldEditor(props: {
  e: Editor;
  field: Doc;
  path: string;
  address: string;
  number: number;
  count: number;
  s: number;
  f: number;
  g?: number;
}) {
  const { e, field, path, address } = props;
  const type = typeof field.type === 'string' ? field.type : '';
  const nested = props.g !== undefined;
  const name = fieldName(e, field, `${t(e, 'designer.field')} ${props.number}`);
  const earlier = earlierFields(e, props.s, props.f, props.g);
  const hasRule = field.visibleWhen !== undefined || field.requiredWhen !== undefined;
  const ruleProblems = e.problems.within(`${path}.visibleWhen`) + e.problems.within(`${path}.requiredWhen`);
  const types = nested ? LEAF_FIELD_TYPES : FIELD_TYPES;
  return (
    <fieldset class={nested ? 'd-item d-item--nested' : 'd-item'} id={idOf(path)}>
      <legend class="d-item__title">
        <span
          safe
        >{`${t(e, nested ? 'designer.subfield' : 'designer.field')} ${props.number}: ${name}`}</span>
        <span class="d-tag" safe>
          {typeName(e, type)}
        </span>
      </legend>
      <ProblemText e={e} path={path} />
      <Hidden name={`${path}.shownType`} value={type} />
      <Hidden name={`${path}.keyWas`} value={typeof field.key === 'string' ? field.key : ''} />
      <LocalInputs
        e={e}
        path={`${path}.label`}
        label={t(e, 'designer.field_label')}
        hint={t(e, 'designer.field_label_hint')}
      />
      <div class="d-row">
        <Select
          e={e}
          path={`${path}.type`}
          label={t(e, 'designer.field_type')}
          context={name}
          hint={t(e, 'designer.field_type_hint')}
          choices={types.map((x) => ({ value: x, label: typeName(e, x) }))}
        />
        <Select
          e={e}
          path={`${path}.classification`}
          label={t(e, 'designer.classification')}
          context={name}
          hint={t(e, 'designer.classification_hint')}
          choices={CLASSIFICATIONS.map((c) => ({
            value: c,
            label: t(e, `designer.classification.${c}` as MessageKey),
          }))}
        />
      </div>
      <Checkbox e={e} path={`${path}.required`} label={t(e, 'designer.required')} />
      <TypeSettings e={e} field={field} path={path} address={address} name={name} s={props.s} f={props.f} />
      <details class="d-details" open={hasRule || ruleProblems > 0}>
        <summary>{t(e, 'designer.more_settings', { name })}</summary>
        <LocalInputs
          e={e}
          path={`${path}.help`}
          label={t(e, 'designer.help')}
          hint={t(e, 'designer.help_hint')}
          multiline
        />
        <TextInput
          e={e}
          path={`${path}.key`}
          label={t(e, 'designer.key')}
          hint={t(e, 'designer.key_hint')}
          context={name}
          width="medium"
        />
        <RuleEditor
          e={e}
          fieldPath={path}
          address={address}
          which="visibleWhen"
          earlier={earlier}
          fieldLabel={name}
        />
        <RuleEditor
          e={e}
          fieldPath={path}
          address={address}
          which="requiredWhen"
          earlier={earlier}
          fieldLabel={name}
        />
      </details>
      <div class="d-actions">
        {props.number > 1 ? (
          <Command command={`moveField:${address}:up`} label={t(e, 'designer.move_up')} context={name} />
        ) : (
          ''
        )}
        {props.number < props.count ? (
          <Command command={`moveField:${address}:down`} label={t(e, 'designer.move_down')} context={name} />
        ) : (
          ''
        )}
        <Command
          command={`removeField:${address}`}
          label={t(e, 'designer.remove_field')}
          context={name}
          kind="warning"
        />
      </div>
    </fieldset>
  );
}

export function FormPart(props: { e: Editor }) {
  const { e } = props;
  const sections = array(record(e.doc.form).sections);
  return (
    <div id={idOf('form')}>
      <ProblemText e={e} path="form" />
      <ProblemText e={e} path="form.sections" own />
      {sections.map((raw, s) => {
        const section = record(raw);
        const path = `form.sections[${s}]`;
        const title = textIn(e, section.title) || `${t(e, 'designer.section')} ${s + 1}`;
        const fields = array(section.fields);
        return (
          <section class="d-section" id={idOf(path)} aria-labelledby={`${idOf(path)}-title`}>
            <h2 id={`${idOf(path)}-title`} safe>
              {`${t(e, 'designer.section')} ${s + 1}: ${title}`}
            </h2>
            <ProblemText e={e} path={path} />
            {section.describesSubject === true ? (
              <Hidden name={`${path}.describesSubject`} value="true" />
            ) : (
              ''
            )}
            <LocalInputs e={e} path={`${path}.title`} label={t(e, 'designer.section_title')} />
            <TextInput
              e={e}
              path={`${path}.key`}
              label={t(e, 'designer.key')}
              hint={t(e, 'designer.key_hint')}
              context={title}
              width="medium"
            />
            <div class="d-actions">
              {s > 0 ? (
                <Command
                  command={`moveSection:${s}:up`}
                  label={t(e, 'designer.move_section_up')}
                  context={title}
                />
              ) : (
                ''
              )}
              {s < sections.length - 1 ? (
                <Command
                  command={`moveSection:${s}:down`}
                  label={t(e, 'designer.move_section_down')}
                  context={title}
                />
              ) : (
                ''
              )}
              <Command
                command={`removeSection:${s}`}
                label={t(e, 'designer.remove_section')}
                context={title}
                kind="warning"
              />
            </div>
            <div id={idOf(`${path}.fields`)}>
              <ProblemText e={e} path={`${path}.fields`} />
              {fields.map((field, f) => (
                <FieldEditor
                  e={e}
                  field={record(field)}
                  path={`${path}.fields[${f}]`}
                  address={`${s}.${f}`}
                  number={f + 1}
                  count={fields.length}
                  s={s}
                  f={f}
                />
              ))}
            </div>
            <AddField e={e} address={String(s)} context={title} />
          </section>
        );
      })}
      <Command command="addSection" label={t(e, 'designer.add_section')} />
    </div>
  );
}
