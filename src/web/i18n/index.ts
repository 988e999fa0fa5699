import { en } from './en.ts';
import { id, type MessageKey } from './id.ts';

export type Lang = 'id' | 'en';
export type { MessageKey };

const catalogues: Record<Lang, Record<MessageKey, string>> = { id, en };

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(id, key);
}

/** The message for `key` in `lang`, with `{name}` placeholders filled from `params`. */
export function t(lang: Lang, key: MessageKey, params: Record<string, unknown> = {}): string {
  return catalogues[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Picks the language: an explicit choice first, then the browser's Accept-Language, then Indonesian. */
export function chooseLang(chosen: string | undefined, acceptLanguage: string | undefined): Lang {
  if (chosen === 'id' || chosen === 'en') return chosen;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'id' || tag === 'ms') return 'id';
    if (tag === 'en') return 'en';
  }
  return 'id';
}

export const catalogueKeys = { id: Object.keys(id), en: Object.keys(en) };
