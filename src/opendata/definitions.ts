/**
 * Every published figure: its key (as the CSV names it), its unit, and its name and definition in
 * both languages (the messages live in src/web/i18n/opendata.ts).
 */
import { isMessageKey, type MessageKey, t } from '../web/i18n/index.ts';
import type { Definition } from './schemas.ts';

export const FIGURE_KEYS = [
  'applications.received',
  'applications.completed',
  'applications.pending',
  'applications.processingDaysMedian',
  'applications.processingDaysP90',
  'applications.slaCompliance',
  'satisfaction.respondents',
  'satisfaction.population',
  'satisfaction.minimumSample',
  'satisfaction.ikm',
  'satisfaction.score',
  'satisfaction.grade',
  'satisfaction.elements',
  'complaints.received',
  'complaints.resolved',
  'complaints.medianResolutionDays',
] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];

export type Unit =
  | 'applications'
  | 'working_days'
  | 'percent'
  | 'respondents'
  | 'people'
  | 'index'
  | 'score'
  | 'grade'
  | 'complaints';

export const UNITS: Record<FigureKey, Unit> = {
  'applications.received': 'applications',
  'applications.completed': 'applications',
  'applications.pending': 'applications',
  'applications.processingDaysMedian': 'working_days',
  'applications.processingDaysP90': 'working_days',
  'applications.slaCompliance': 'percent',
  'satisfaction.respondents': 'respondents',
  'satisfaction.population': 'people',
  'satisfaction.minimumSample': 'respondents',
  'satisfaction.ikm': 'index',
  'satisfaction.score': 'score',
  'satisfaction.grade': 'grade',
  'satisfaction.elements': 'index',
  'complaints.received': 'complaints',
  'complaints.resolved': 'complaints',
  'complaints.medianResolutionDays': 'working_days',
};

export function figureName(key: FigureKey): MessageKey {
  return `opendata.fig.${key}`;
}

function both(key: MessageKey): { id: string; en: string } {
  return { id: t('id', key), en: t('en', key) };
}

/** The definitions as published in the JSON, in both languages. */
export function definitions(): Definition[] {
  return FIGURE_KEYS.map((key) => ({
    key,
    unit: UNITS[key],
    name: both(figureName(key)),
    definition: both(`opendata.def.${key}`),
  }));
}

/** A survey element's name, as the survey names it (its key when the survey has no name for it). */
export function elementName(key: string): { id: string; en: string } {
  const message = `survey.element.${key}`;
  return isMessageKey(message) ? both(message) : { id: key, en: key };
}

export function bothLanguages(key: MessageKey, params?: Record<string, unknown>): { id: string; en: string } {
  return { id: t('id', key, params), en: t('en', key, params) };
}
