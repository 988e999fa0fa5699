/** Small pieces the open-data pages share: numbers and months in the page's language, scrolling tables. */
import type { PageContext } from '../web/pages/layout.tsx';
import { tr } from '../web/pages/layout.tsx';
import { type Published, WITHHELD } from './suppression.ts';

type Text = { id: string; en: string };

export const LOCALES = { id: 'id-ID', en: 'en-GB' } as const;

export function local(page: PageContext, text: Text): string {
  return page.lang === 'id' ? text.id : text.en;
}

/**
 * A figure as the page writes it: the number in the page's language, "< 5" (from 1–4 records),
 * "×" (hidden to protect another figure; the JSON's "suppressed"), or a dash.
 */
export function figureText(page: PageContext, value: Published<number | string>): string {
  if (value === null) return tr(page, 'opendata.no_data');
  if (value === WITHHELD) return tr(page, 'opendata.withheld');
  if (typeof value === 'string') return value;
  return new Intl.NumberFormat(LOCALES[page.lang], { maximumFractionDigits: 2 }).format(value);
}

export function monthName(page: PageContext, month: string, style: 'long' | 'short'): string {
  return new Intl.DateTimeFormat(LOCALES[page.lang], {
    month: style,
    ...(style === 'long' ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(new Date(`${month}-15T00:00:00Z`));
}

/** A table that scrolls sideways on a narrow screen, reachable by keyboard. */
export function Scroll(props: { label: string; children: JSX.Element | JSX.Element[] }) {
  return (
    <section class="g-od-scroll" aria-label={props.label} tabindex="0">
      {props.children as 'safe'}
    </section>
  );
}
