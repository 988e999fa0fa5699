/**
 * Typo-tolerant search over the catalogue, held in memory: a catalogue has at most a few thousand
 * services, so an index rebuilt when the catalogue changes beats a database full-text index that
 * behaves differently on SQLite and PostgreSQL and knows no Indonesian.
 *
 * Every query token must match some token of a document (AND), exactly, as a prefix or within a small
 * Damerau–Levenshtein distance; the document scores the best match of each query token times the
 * weight of the field it was found in.
 */
import type { LocalText } from './schemas.ts';

export interface SearchField {
  readonly text: string;
  /** How much a match in this field counts, e.g. 3 for the name, 2 for tags, 1 for the description. */
  readonly weight: number;
}

export interface SearchDocument {
  readonly id: string;
  readonly fields: readonly SearchField[];
}

export interface SearchHit {
  readonly id: string;
  readonly score: number;
}

interface Posting {
  readonly doc: number;
  /** The largest weight of a field of this document that holds the term. */
  readonly weight: number;
}

interface TermMatch {
  readonly term: number;
  readonly quality: number;
}

/** Built once by {@link buildSearchIndex}; only {@link searchIndex} reads it. */
export interface SearchIndex {
  readonly ids: readonly string[];
  /** Distinct tokens of all documents, sorted, so prefixes are a contiguous run. */
  readonly vocabulary: readonly string[];
  /** For each vocabulary term (same position), the documents holding it. */
  readonly postings: readonly (readonly Posting[])[];
  /** Vocabulary positions by token length: fuzzy matching only looks at lengths within the distance. */
  readonly termsByLength: ReadonlyMap<number, readonly number[]>;
  /** Matching terms per query token; users type the same few words over and over. */
  readonly matchCache: Map<string, readonly TermMatch[]>;
}

/** Match qualities: exact beats any prefix, a prefix beats any fuzzy match. */
const EXACT = 1;
const PREFIX_BASE = 0.5;
const PREFIX_COVERAGE = 0.3;
const FUZZY_BY_DISTANCE = [EXACT, 0.4, 0.25] as const;

const MIN_PREFIX_LENGTH = 3;
const MIN_FUZZY_LENGTH = 4;
const LONG_TOKEN_LENGTH = 8;
/** Past this many cached query tokens the cache starts again, so odd queries cannot grow it forever. */
const MATCH_CACHE_LIMIT = 5000;

const COMBINING_MARKS = /\p{M}+/gu;
const SEPARATORS = /[^\p{L}\p{N}]+/u;

/**
 * Lowercase tokens without diacritics: "Pélayanan Akta-Kelahiran" → ["pelayanan", "akta", "kelahiran"].
 * Hyphens and slashes split words, so "izin-usaha" and "izin usaha" search alike.
 */
export function searchTokens(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .split(SEPARATORS)
    .filter((token) => token !== '');
}

export function buildSearchIndex(docs: readonly SearchDocument[]): SearchIndex {
  const weightsByTerm = new Map<string, Map<number, number>>();
  docs.forEach((doc, docIndex) => {
    for (const field of doc.fields) {
      for (const token of searchTokens(field.text)) {
        let weights = weightsByTerm.get(token);
        if (weights === undefined) {
          weights = new Map();
          weightsByTerm.set(token, weights);
        }
        weights.set(docIndex, Math.max(weights.get(docIndex) ?? 0, field.weight));
      }
    }
  });
  const vocabulary = [...weightsByTerm.keys()].sort();
  const postings = vocabulary.map((term) =>
    [...(weightsByTerm.get(term) ?? new Map<number, number>())].map(([doc, weight]) => ({ doc, weight })),
  );
  const termsByLength = new Map<number, number[]>();
  vocabulary.forEach((term, index) => {
    const sameLength = termsByLength.get(term.length);
    if (sameLength === undefined) termsByLength.set(term.length, [index]);
    else sameLength.push(index);
  });
  return {
    ids: docs.map((doc) => doc.id),
    vocabulary,
    postings,
    termsByLength,
    matchCache: new Map(),
  };
}

/**
 * Documents matching every token of `query`, best first (equal scores by id, so pages are stable).
 * A blank query returns nothing: the caller lists the whole catalogue instead.
 */
export function searchIndex(index: SearchIndex, query: string): SearchHit[] {
  const tokens = [...new Set(searchTokens(query))];
  if (tokens.length === 0) return [];
  let scores: Map<number, number> | undefined;
  for (const token of tokens) {
    const tokenScores = new Map<number, number>();
    for (const match of matchingTerms(index, token)) {
      for (const posting of index.postings[match.term] ?? []) {
        if (scores !== undefined && !scores.has(posting.doc)) continue;
        const score = match.quality * posting.weight;
        if (score > (tokenScores.get(posting.doc) ?? 0)) tokenScores.set(posting.doc, score);
      }
    }
    if (scores === undefined) {
      scores = tokenScores;
    } else {
      for (const [doc, score] of tokenScores) scores.set(doc, (scores.get(doc) ?? 0) + score);
      for (const doc of scores.keys()) if (!tokenScores.has(doc)) scores.delete(doc);
    }
    if (scores.size === 0) return [];
  }
  const hits = [...(scores ?? [])].map(([doc, score]) => ({ id: index.ids[doc] ?? '', score }));
  return hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The largest edit distance forgiven for a query token: none for short tokens, where a typo is a new word. */
function allowedDistance(token: string): number {
  if (token.length < MIN_FUZZY_LENGTH) return 0;
  return token.length >= LONG_TOKEN_LENGTH ? 2 : 1;
}

function matchingTerms(index: SearchIndex, token: string): readonly TermMatch[] {
  const cached = index.matchCache.get(token);
  if (cached !== undefined) return cached;
  const best = new Map<number, number>();
  const offer = (term: number, quality: number) => {
    if (quality > (best.get(term) ?? 0)) best.set(term, quality);
  };
  const { vocabulary } = index;
  const first = lowerBound(vocabulary, token);
  if (vocabulary[first] === token) offer(first, EXACT);
  if (token.length >= MIN_PREFIX_LENGTH) {
    for (let i = first; i < vocabulary.length; i++) {
      const term = vocabulary[i] ?? '';
      if (!term.startsWith(token)) break;
      if (term !== token) offer(i, PREFIX_BASE + (PREFIX_COVERAGE * token.length) / term.length);
    }
  }
  const maxDistance = allowedDistance(token);
  for (let length = token.length - maxDistance; length <= token.length + maxDistance; length++) {
    for (const term of index.termsByLength.get(length) ?? []) {
      const distance = boundedEditDistance(token, vocabulary[term] ?? '', maxDistance);
      if (distance > 0 && distance <= maxDistance) offer(term, FUZZY_BY_DISTANCE[distance] ?? 0);
    }
  }
  const matches = [...best].map(([term, quality]) => ({ term, quality }));
  if (index.matchCache.size >= MATCH_CACHE_LIMIT) index.matchCache.clear();
  index.matchCache.set(token, matches);
  return matches;
}

/** First position in sorted `items` whose value is not below `value`. */
function lowerBound(items: readonly string[], value: string): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((items[middle] ?? '') < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Damerau–Levenshtein distance (optimal string alignment: adjacent transpositions count as one edit)
 * between `a` and `b`, or `max + 1` as soon as it is known to exceed `max`, which for most vocabulary
 * terms is after the first row or two.
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  const tooFar = max + 1;
  if (Math.abs(a.length - b.length) > max) return tooFar;
  const width = b.length + 1;
  let beforePrevious = new Int32Array(width);
  let previous = Int32Array.from({ length: width }, (_, j) => j);
  let current = new Int32Array(width);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMinimum = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j < width; j++) {
      const cb = b.charCodeAt(j - 1);
      let cost = Math.min(
        (previous[j] ?? tooFar) + 1,
        (current[j - 1] ?? tooFar) + 1,
        (previous[j - 1] ?? tooFar) + (ca === cb ? 0 : 1),
      );
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        cost = Math.min(cost, (beforePrevious[j - 2] ?? tooFar) + 1);
      }
      current[j] = cost;
      if (cost < rowMinimum) rowMinimum = cost;
    }
    if (rowMinimum > max) return tooFar;
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  const distance = previous[b.length] ?? tooFar;
  return distance > max ? tooFar : distance;
}

/** Field weights for a catalogue entry: the name counts most, then tags, then the rest. */
export const SEARCH_WEIGHTS = { name: 3, tags: 2, description: 1, agency: 1 } as const;

/** The search document of a service: both languages of its name and description, its tags and agency. */
export function serviceSearchDocument(
  id: string,
  service: {
    readonly name: LocalText;
    readonly description: LocalText;
    readonly tags?: readonly string[] | undefined;
  },
  agencyName?: LocalText,
): SearchDocument {
  const fields: SearchField[] = [
    { text: service.name.id, weight: SEARCH_WEIGHTS.name },
    { text: service.name.en, weight: SEARCH_WEIGHTS.name },
    ...(service.tags ?? []).map((text) => ({ text, weight: SEARCH_WEIGHTS.tags })),
    { text: service.description.id, weight: SEARCH_WEIGHTS.description },
    { text: service.description.en, weight: SEARCH_WEIGHTS.description },
  ];
  if (agencyName !== undefined) {
    fields.push(
      { text: agencyName.id, weight: SEARCH_WEIGHTS.agency },
      { text: agencyName.en, weight: SEARCH_WEIGHTS.agency },
    );
  }
  return { id, fields };
}
