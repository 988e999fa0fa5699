/**
 * The survey's and the complaints' figures as published: their counts suppressed against the
 * totals they belong to, and every figure computed from a hidden count hidden with it.
 */
import type { ComplaintFigures } from '../complaints/figures.ts';
import type { IkmFigures } from '../survey/figures.ts';
import { agencySeries, PLATFORM, serviceSeries } from './cube.ts';
import { elementName } from './definitions.ts';
import type { ComplaintsFigures, SatisfactionFigures } from './schemas.ts';
import { type Group, publishCount, publishDerived, suppressCells } from './suppression.ts';

export interface Voice {
  ikm: IkmFigures;
  complaints: ComplaintFigures;
}

export interface PublishedVoice {
  satisfaction: SatisfactionFigures;
  complaints: ComplaintsFigures;
}

const VOICE_COUNTS = ['respondents', 'population', 'received', 'resolved'] as const;
type VoiceCount = (typeof VOICE_COUNTS)[number];

function voiceCount(voice: Voice, measure: VoiceCount): number {
  switch (measure) {
    case 'respondents':
      return voice.ikm.respondents;
    case 'population':
      return voice.ikm.population ?? 0;
    case 'received':
      return voice.complaints.received;
    case 'resolved':
      return voice.complaints.resolved;
  }
}

/**
 * Suppression of the survey and complaint counts of one period: agencies against the platform
 * first, then the services of one agency against it with the agencies' cells settled — so what is
 * hidden at agency level is the same on every page, whichever agency's services it also shows.
 * (Complaints need not add up: a complaint may name no service. The groups are applied anyway,
 * which can only hide more.)
 */
function suppressVoice(
  voices: ReadonlyMap<string, Voice>,
  agencies: readonly { id: string }[],
  services: readonly { id: string; agencyId: string }[],
): Set<string> {
  const key = (measure: VoiceCount, series: string) => `${measure}|${series}`;
  const records = (series: readonly string[]) => {
    const map = new Map<string, number>();
    for (const s of series) {
      const voice = voices.get(s);
      if (voice) for (const m of VOICE_COUNTS) map.set(key(m, s), voiceCount(voice, m));
    }
    return map;
  };
  const agencySeriesList = agencies.map((a) => agencySeries(a.id));
  const top: Group[] = VOICE_COUNTS.map((m) => ({
    total: key(m, PLATFORM),
    members: agencySeriesList.map((s) => key(m, s)),
  }));
  const upper = records([PLATFORM, ...agencySeriesList]);
  const hidden = suppressCells(upper, top);
  const owner = services[0]?.agencyId;
  if (owner === undefined) return hidden;
  const serviceSeriesList = services.map((s) => serviceSeries(s.id));
  const below: Group[] = VOICE_COUNTS.map((m) => ({
    total: key(m, agencySeries(owner)),
    members: serviceSeriesList.map((s) => key(m, s)),
  }));
  const all = records([PLATFORM, ...agencySeriesList, ...serviceSeriesList]);
  return suppressCells(all, below, { cells: upper.keys(), hidden });
}

/** Rounds half away from zero to `digits` decimals: what is published is what the page shows. */
function rounded(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const factor = 10 ** digits;
  return Math.sign(value) * (Math.round(Math.abs(value) * factor + 1e-9) / factor);
}

function satisfactionFigures(ikm: IkmFigures, isHidden: (m: VoiceCount) => boolean): SatisfactionFigures {
  const hidden = isHidden('respondents');
  const derived = <T>(value: T | null) => publishDerived(value, ikm.respondents, hidden);
  const index = (value: number | null) => derived(rounded(value, 2));
  return {
    respondents: publishCount(ikm.respondents, hidden),
    population: ikm.population === null ? null : publishCount(ikm.population, isHidden('population')),
    minimumSample: publishDerived(ikm.minimumSample, ikm.population ?? 0, isHidden('population')),
    ikm: index(ikm.ikm),
    score: index(ikm.score),
    grade: derived(ikm.grade),
    elements: ikm.elements.map((e) => ({ key: e.key, name: elementName(e.key), nrr: index(e.nrr) })),
  };
}

function voiceFigures(voice: Voice, series: string, hidden: ReadonlySet<string>): PublishedVoice {
  const isHidden = (m: VoiceCount) => hidden.has(`${m}|${series}`);
  const resolvedHidden = isHidden('resolved');
  return {
    satisfaction: satisfactionFigures(voice.ikm, isHidden),
    complaints: {
      received: publishCount(voice.complaints.received, isHidden('received')),
      resolved: publishCount(voice.complaints.resolved, resolvedHidden),
      medianResolutionDays: publishDerived(
        rounded(voice.complaints.medianResolutionDays, 1),
        voice.complaints.resolved,
        resolvedHidden,
      ),
    },
  };
}

/**
 * The published survey and complaint figures of every series given (`platform`, `agency:<id>`,
 * `service:<id>`); `services` are those of one agency, checked against that agency's figures.
 */
export function publishVoices(
  voices: ReadonlyMap<string, Voice>,
  agencies: readonly { id: string }[],
  services: readonly { id: string; agencyId: string }[],
): Map<string, PublishedVoice> {
  const hidden = suppressVoice(voices, agencies, services);
  const out = new Map<string, PublishedVoice>();
  for (const [series, voice] of voices) out.set(series, voiceFigures(voice, series, hidden));
  return out;
}
