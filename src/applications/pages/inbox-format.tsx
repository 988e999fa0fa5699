import type { SlaStatus } from '../../calendar/calendar.ts';
import type { FormField, LeafField, LocalText } from '../../catalog/schemas.ts';
import type { Lang, MessageKey } from '../../web/i18n/index.ts';
import { type PageContext, tr } from '../../web/pages/layout.tsx';

const LOCALES: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };

export function local(page: PageContext, text: LocalText): string {
  return text[page.lang];
}

/** A date in words as seen in Jakarta ("27 Maret 2026"). */
export function dayText(page: PageContext, iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(LOCALES[page.lang], { dateStyle: 'long', timeZone: 'Asia/Jakarta' }).format(
    date,
  );
}

export function momentText(page: PageContext, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const text = new Intl.DateTimeFormat(LOCALES[page.lang], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  }).format(date);
  return `${text} WIB`;
}

const SLA_KEYS: Record<SlaStatus, MessageKey> = {
  on_track: 'inbox.on_track',
  due_soon: 'inbox.due_soon',
  overdue: 'inbox.overdue',
};

/** The SLA state as words (never colour alone). */
export function slaText(page: PageContext, status: SlaStatus | null, paused: boolean): string {
  if (paused) return tr(page, 'inbox.paused');
  return status ? tr(page, SLA_KEYS[status]) : '';
}

function leafText(page: PageContext, field: LeafField, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0))
    return undefined;
  switch (field.type) {
    case 'choice':
      return field.options.find((o) => o.value === value)?.label[page.lang] ?? String(value);
    case 'multichoice':
      return (Array.isArray(value) ? value : [value])
        .map((v) => field.options.find((o) => o.value === v)?.label[page.lang] ?? String(v))
        .join(', ');
    case 'yesno':
      return value === true || value === 'true' ? tr(page, 'inbox.yes') : tr(page, 'inbox.no');
    case 'file':
      return tr(page, 'inbox.files', { count: Array.isArray(value) ? value.length : 1 });
    default:
      return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
  }
}

/** One answer as lines of text (a group gives one line per item); empty when unanswered. */
export function answerLines(page: PageContext, field: FormField, value: unknown): string[] {
  if (field.type !== 'group') {
    const text = leafText(page, field, value);
    return text === undefined ? [] : [text];
  }
  if (!Array.isArray(value)) return [];
  return value.map((item: unknown, i) => {
    const record = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const parts = field.fields.flatMap((f) => {
      const text = leafText(page, f, record[f.key]);
      return text === undefined ? [] : [`${local(page, f.label)}: ${text}`];
    });
    return `${local(page, field.itemLabel ?? field.label)} ${i + 1} — ${parts.join('; ')}`;
  });
}
