/**
 * Answers written for people: choice labels instead of values, region names instead of codes, Ya/Tidak,
 * dates in words, and group items as small lists. Used by the review page and the status page.
 */

import { fieldInputId } from '../../catalog/pages/citizen-form.tsx';
import { compileRule, type Predicate, type Scope } from '../../catalog/rules.ts';
import type {
  FormSection,
  GroupField,
  LeafField,
  LocalText,
  Rule,
  ServiceDefinition,
} from '../../catalog/schemas.ts';
import { findRegion, normaliseRegionCode } from '../../regions/store.ts';
import type { Lang } from '../../web/i18n/index.ts';
import { type PageContext, tr } from '../../web/pages/layout.tsx';

const DATE_LOCALES: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };
const REGION_PREFIXES = [2, 5, 8, 13];

/** A calendar date or an instant in words, as seen in Jakarta ("12 Mei 2026"); '' when not a date. */
export function dateText(
  lang: Lang,
  iso: string | null | undefined,
  style: 'long' | 'full' = 'long',
): string {
  if (!iso) return '';
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00+07:00` : iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(DATE_LOCALES[lang], { dateStyle: style, timeZone: 'Asia/Jakarta' }).format(
    date,
  );
}

/** Date and time in Jakarta ("12 Mei 2026 09.30 WIB"). */
export function dateTimeText(lang: Lang, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const text = new Intl.DateTimeFormat(DATE_LOCALES[lang], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  }).format(date);
  return `${text} WIB`;
}

export function local(page: PageContext, text: LocalText): string {
  return text[page.lang];
}

const predicates = new WeakMap<Rule, Predicate>();
function holds(rule: Rule | undefined, scope: Scope): boolean {
  if (rule === undefined) return true;
  let predicate = predicates.get(rule);
  if (predicate === undefined) {
    predicate = compileRule(rule);
    predicates.set(rule, predicate);
  }
  return predicate(scope);
}

function isUnanswered(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

/**
 * Which top-level fields are shown for these answers (rules see the answers of the fields shown
 * before them, as the form does). Drafts can hold answers that do not validate yet; rules then see
 * them as typed, which at worst shows a field the form would hide.
 */
export function shownFields(definition: ServiceDefinition, answers: Readonly<Record<string, unknown>>) {
  const values: Record<string, unknown> = {};
  const scope: Scope = { values };
  const shown = new Set<string>();
  for (const field of definition.form.sections.flatMap((s) => s.fields)) {
    if (!holds(field.visibleWhen, scope)) continue;
    shown.add(field.key);
    const value = answers[field.key];
    if (!isUnanswered(value)) values[field.key] = value;
  }
  return { shown, scope };
}

function regionText(value: unknown): string | undefined {
  const code = normaliseRegionCode(value);
  if (code === undefined) return undefined;
  const names: string[] = [];
  for (const length of REGION_PREFIXES) {
    if (code.length < length) break;
    const region = findRegion(code.slice(0, length));
    if (region) names.unshift(region.name);
  }
  return names.length > 0 ? names.join(', ') : code;
}

/** One answer as text, or undefined when unanswered. */
export function answerText(page: PageContext, field: LeafField, value: unknown): string | undefined {
  if (isUnanswered(value)) return undefined;
  switch (field.type) {
    case 'choice': {
      const option = field.options.find((o) => o.value === value);
      return option ? local(page, option.label) : String(value);
    }
    case 'multichoice': {
      const chosen = Array.isArray(value) ? value : [value];
      return chosen
        .map((v) => {
          const option = field.options.find((o) => o.value === v);
          return option ? local(page, option.label) : String(v);
        })
        .join(', ');
    }
    case 'yesno':
      if (value === true || value === 'true') return tr(page, 'applications.yes');
      if (value === false || value === 'false') return tr(page, 'applications.no');
      return String(value);
    case 'region':
      return regionText(value);
    case 'date':
      return typeof value === 'string' ? dateText(page.lang, value) || value : String(value);
    case 'number': {
      const text = typeof value === 'number' ? value.toLocaleString(DATE_LOCALES[page.lang]) : String(value);
      return field.unit ? `${text} ${local(page, field.unit)}` : text;
    }
    case 'file': {
      const count = Array.isArray(value) ? value.length : 1;
      return tr(page, count === 1 ? 'applications.files_one' : 'applications.files', { count });
    }
    default:
      return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
  }
}

function Unanswered(props: { page: PageContext }) {
  return <span class="g-answers__none">{tr(props.page, 'applications.not_answered')}</span>;
}

function GroupAnswer(props: { page: PageContext; group: GroupField; value: unknown; outer: Scope }) {
  const { page, group } = props;
  const items = Array.isArray(props.value) ? props.value : [];
  if (items.length === 0) return <Unanswered page={page} />;
  const itemLabel = local(page, group.itemLabel ?? group.label);
  return (
    <ol class="g-answers__items">
      {items.map((item: unknown, i) => {
        const record = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
        const values: Record<string, unknown> = {};
        const scope: Scope = { values, ownKeys: new Set(group.fields.map((f) => f.key)), outer: props.outer };
        const lines: JSX.Element[] = [];
        for (const field of group.fields) {
          if (!holds(field.visibleWhen, scope)) continue;
          const raw = record[field.key];
          if (!isUnanswered(raw)) values[field.key] = raw;
          const text = answerText(page, field, raw);
          lines.push(
            <li>
              <span class="g-answers__inner-label" safe>
                {`${local(page, field.label)}: `}
              </span>
              {text === undefined ? <Unanswered page={page} /> : <span safe>{text}</span>}
            </li>,
          );
        }
        return (
          <li>
            <span class="g-answers__item-title" safe>{`${itemLabel} ${i + 1}`}</span>
            <ul class="g-answers__item">{lines}</ul>
          </li>
        );
      })}
    </ol>
  );
}

/** The answers of one section as a description list; hidden fields are left out. */
export function SectionAnswers(props: {
  page: PageContext;
  definition: ServiceDefinition;
  section: FormSection;
  answers: Readonly<Record<string, unknown>>;
  /** Paths with a problem get their message next to the answer. */
  problems?: ReadonlyMap<string, string>;
}) {
  const { page, section, answers } = props;
  const { shown, scope } = shownFields(props.definition, answers);
  return (
    <dl class="g-answers">
      {section.fields
        .filter((f) => shown.has(f.key))
        .map((field) => {
          const value = answers[field.key];
          const problem = [...(props.problems ?? new Map<string, string>())].find(
            ([path]) => path === field.key || path.startsWith(`${field.key}[`),
          );
          let shownValue: JSX.Element;
          if (field.type === 'group') {
            shownValue = <GroupAnswer page={page} group={field} value={value} outer={scope} />;
          } else {
            const text = answerText(page, field, value);
            shownValue =
              text === undefined ? (
                <Unanswered page={page} />
              ) : (
                <span class="g-answers__text" safe>
                  {text}
                </span>
              );
          }
          return (
            <div class="g-answers__row" id={`review-${fieldInputId(field.key)}`}>
              <dt safe>{local(page, field.label)}</dt>
              <dd>
                {shownValue}
                {problem ? (
                  <p class="g-field__error" safe>
                    {problem[1]}
                  </p>
                ) : (
                  ''
                )}
              </dd>
            </div>
          );
        })}
    </dl>
  );
}
