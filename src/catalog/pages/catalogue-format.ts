/** How the catalogue pages write money, working days, dates, categories and regulations. */
import type { Lang } from '../../web/i18n/index.ts';
import { type PageContext, tr } from '../../web/pages/layout.tsx';
import type { Category, LocalText, Regulation } from '../schemas.ts';

/** The text of `value` in the page language. */
export function local(page: PageContext, value: LocalText): string {
  return value[page.lang];
}

/** "Rp 150.000": Indonesian thousand separators in both languages, as the amount appears on receipts. */
export function formatRupiah(amount: number): string {
  const digits = String(Math.trunc(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `Rp ${digits}`;
}

/** "Gratis" / "Free" for 0, else the amount in rupiah. */
export function feeText(page: PageContext, amountRupiah: number): string {
  return amountRupiah === 0 ? tr(page, 'catalogue.free') : formatRupiah(amountRupiah);
}

export function daysText(page: PageContext, days: number): string {
  return days === 1 ? tr(page, 'catalogue.days_one') : tr(page, 'catalogue.days', { count: days });
}

export function categoryLabel(page: PageContext, category: Category): string {
  return tr(page, `catalogue.category.${category}`);
}

const DATE_LOCALES: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };

/** A calendar date in words ("12 Mei 2025"), as seen in Jakarta; empty when `iso` is not a date. */
export function formatDate(lang: Lang, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(DATE_LOCALES[lang], { dateStyle: 'long', timeZone: 'Asia/Jakarta' }).format(
    date,
  );
}

/** "UU Nomor 23 Tahun 2006", the way Indonesian regulations are cited. */
export function regulationCitation(page: PageContext, regulation: Regulation): string {
  return tr(page, 'catalogue.regulation', {
    type: regulation.type,
    number: regulation.number,
    year: regulation.year,
  });
}

/**
 * The steps of a procedure written as one paragraph ("1. … 2. … 3. …", as YAML folds it), or
 * undefined when the text is not numbered 1, 2, 3… in order.
 */
export function numberedSteps(text: string): string[] | undefined {
  const parts = text.trim().split(/\s+(?=\d{1,2}\.\s)/);
  if (parts.length < 2) return undefined;
  const steps: string[] = [];
  for (const [i, part] of parts.entries()) {
    const match = /^(\d{1,2})\.\s+([\s\S]+)$/.exec(part);
    if (!match || Number(match[1]) !== i + 1 || match[2] === undefined) return undefined;
    steps.push(match[2]);
  }
  return steps;
}
