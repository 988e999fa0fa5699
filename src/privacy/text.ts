/** Plain-language sentences of the privacy pages and API, shared by both. */
import type { Lang } from '../web/i18n/index.ts';
import { t } from '../web/i18n/index.ts';
import type { AccessEntry } from './access.ts';

const LOCALES: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };
const ZONE_NAMES: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

/** "29 November 2026 14.05 WIB": an instant in the agency's time zone. */
export function whenText(lang: Lang, iso: string, timeZone = 'Asia/Jakarta'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const zone = ZONE_NAMES[timeZone] ? timeZone : 'Asia/Jakarta';
  const text = new Intl.DateTimeFormat(LOCALES[lang], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: zone,
  }).format(date);
  return `${text} ${ZONE_NAMES[zone]}`;
}

/** "29 November 2036": a date without the time (retention ends). */
export function dateOnlyText(lang: Lang, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: 'Asia/Jakarta' }).format(date);
}

function joinWords(lang: Lang, items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${t(lang, 'privacy.and')} ${items[items.length - 1]}`;
}

export function classesText(lang: Lang, classes: readonly string[]): string {
  const words = [];
  if (classes.includes('personal')) words.push(t(lang, 'privacy.class_personal'));
  if (classes.includes('specific')) words.push(t(lang, 'privacy.class_specific'));
  return words.length > 0 ? joinWords(lang, words) : t(lang, 'privacy.class_none');
}

export function rolesText(lang: Lang, roles: readonly string[]): string {
  if (roles.length === 0) return t(lang, 'privacy.role_unknown');
  return joinWords(
    lang,
    roles.map((r) => {
      const key = `role.${r}`;
      return key === 'role.counter_officer' ||
        key === 'role.verifier' ||
        key === 'role.approver' ||
        key === 'role.supervisor' ||
        key === 'role.agency_admin' ||
        key === 'role.complaint_handler'
        ? t(lang, key)
        : r;
    }),
  );
}

/** "Siti Rahayu, Verifikator di Dinas …, membuka permohonan Akta Kelahiran DKP-26-… (data pribadi) pada …". */
export function accessSentence(lang: Lang, entry: AccessEntry): string {
  return t(lang, 'privacy.access_sentence', {
    name: entry.viewer.name,
    roles: rolesText(lang, entry.viewer.roles),
    agency: entry.agency[lang],
    service: entry.service[lang],
    number: entry.trackingNumber ?? t(lang, 'privacy.no_number'),
    classes: classesText(lang, entry.classes),
    when: whenText(lang, entry.viewedAt, entry.timezone),
  });
}
