import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoDefinitionFiles, readDefinitionFile } from './files.ts';
import {
  boundedEditDistance,
  buildSearchIndex,
  type SearchDocument,
  searchIndex,
  searchTokens,
  serviceSearchDocument,
} from './search.ts';
import { validateDefinition } from './validate.ts';

function demoDocuments(): SearchDocument[] {
  return demoDefinitionFiles().map((file) => {
    const parsed = readDefinitionFile(file);
    if (!parsed.ok) throw new Error(`${file} does not parse`);
    const result = validateDefinition(parsed.value);
    if (!result.ok) throw new Error(`${file} is not valid: ${JSON.stringify(result.problems)}`);
    const { definition } = result;
    return serviceSearchDocument(definition.slug, definition, {
      id: definition.agency,
      en: definition.agency,
    });
  });
}

const demoIndex = buildSearchIndex(demoDocuments());

function idsFor(query: string): string[] {
  return searchIndex(demoIndex, query).map((hit) => hit.id);
}

/** Plain Damerau–Levenshtein (optimal string alignment) without bounds, to check the bounded one. */
function referenceDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let value = Math.min(
        at(i - 1, j) + 1,
        at(i, j - 1) + 1,
        at(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1);
      }
      const row = d[i];
      if (row !== undefined) row[j] = value;
    }
  }
  return at(a.length, b.length);
}

describe('searchTokens', () => {
  it('lowercases, strips diacritics and splits on anything but letters and digits', () => {
    expect(searchTokens('Pélayanan  Akta-Kelahiran/KK (2024)')).toEqual([
      'pelayanan',
      'akta',
      'kelahiran',
      'kk',
      '2024',
    ]);
  });

  it('returns no tokens for blank or punctuation-only text', () => {
    expect(searchTokens('  -- / ')).toEqual([]);
  });
});

describe('boundedEditDistance', () => {
  it('counts an adjacent transposition as one edit', () => {
    expect(boundedEditDistance('kelahrian', 'kelahiran', 2)).toBe(1);
  });

  it('stops at max + 1 when the words are further apart', () => {
    expect(boundedEditDistance('kelahiran', 'perbaikan', 2)).toBe(3);
    expect(boundedEditDistance('akta', 'aktanya', 2)).toBe(3);
  });

  it('agrees with the unbounded distance wherever that is within the bound', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'k', 'n'), maxLength: 9 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 3 }), (a, b, max) => {
        const exact = referenceDistance(a, b);
        expect(boundedEditDistance(a, b, max)).toBe(exact <= max ? exact : max + 1);
      }),
    );
  });
});

describe('searchIndex over the demo catalogue', () => {
  it('finds the birth certificate despite a typo in Indonesian', () => {
    expect(idsFor('akta kelahran')[0]).toBe('akta-kelahiran');
  });

  it('finds the birth certificate in English', () => {
    expect(idsFor('birth certificate')[0]).toBe('akta-kelahiran');
  });

  it('finds the micro business licence', () => {
    expect(idsFor('izin usaha')[0]).toBe('izin-usaha-mikro');
  });

  it('finds SKTM by its abbreviation', () => {
    expect(idsFor('sktm')[0]).toBe('sktm');
  });

  it('ranks the family card service above services that only mention the family card in a tag', () => {
    const ids = idsFor('kartu keluarga');
    expect(ids[0]).toBe('pembaruan-kartu-keluarga');
    expect(ids).toContain('surat-keterangan-pindah');
  });

  it('matches a prefix of three letters or more', () => {
    expect(idsFor('kelah')).toContain('akta-kelahiran');
    expect(idsFor('pem kartu')).toEqual(['pembaruan-kartu-keluarga']);
  });

  it('returns nothing for a nonsense query', () => {
    expect(idsFor('zzzqqq')).toEqual([]);
  });

  it('requires every query word to match (AND)', () => {
    expect(idsFor('akta')).toContain('akta-kelahiran');
    expect(idsFor('akta zzzqqq')).toEqual([]);
  });

  it('returns nothing for a blank query, so the caller can list the whole catalogue', () => {
    expect(idsFor('')).toEqual([]);
    expect(idsFor('  ,  ')).toEqual([]);
  });

  it('ignores diacritics and case in the query', () => {
    expect(idsFor('Kélahiran')).toEqual(idsFor('kelahiran'));
    expect(idsFor('SURAT KÉTERANGAN PINDAH')[0]).toBe('surat-keterangan-pindah');
  });

  it('does not forgive typos or complete prefixes in words shorter than four letters', () => {
    expect(idsFor('kk')).toEqual(['pembaruan-kartu-keluarga']);
    expect(idsFor('kx')).toEqual([]);
    expect(idsFor('ak')).toEqual([]);
    expect(idsFor('skt')).toEqual(['sktm']);
    expect(idsFor('sxt')).toEqual([]);
  });

  it('returns the same results when a query is repeated', () => {
    const first = searchIndex(demoIndex, 'surat keterangan');
    expect(first.length).toBeGreaterThan(1);
    expect(searchIndex(demoIndex, 'surat keterangan')).toEqual(first);
  });
});

describe('searchIndex scoring', () => {
  const doc = (id: string, text: string, weight = 1): SearchDocument => ({ id, fields: [{ text, weight }] });

  it('ranks an exact match above a prefix match above a fuzzy match', () => {
    const index = buildSearchIndex([doc('fuzzy', 'akte'), doc('prefix', 'aktanya'), doc('exact', 'akta')]);
    expect(searchIndex(index, 'akta').map((hit) => hit.id)).toEqual(['exact', 'prefix', 'fuzzy']);
  });

  it('multiplies by the weight of the field the word is found in', () => {
    const index = buildSearchIndex([
      doc('description', 'izin usaha'),
      { id: 'name', fields: [{ text: 'Izin usaha', weight: 3 }] },
    ]);
    const hits = searchIndex(index, 'izin');
    expect(hits.map((hit) => hit.id)).toEqual(['name', 'description']);
    expect(hits[0]?.score).toBe(3 * (hits[1]?.score ?? 0));
  });

  it('breaks ties by id', () => {
    const index = buildSearchIndex([doc('c', 'izin'), doc('a', 'izin'), doc('b', 'izin')]);
    expect(searchIndex(index, 'izin').map((hit) => hit.id)).toEqual(['a', 'b', 'c']);
  });

  it('allows two edits in long words and one in shorter ones', () => {
    const index = buildSearchIndex([doc('long', 'pencatatan'), doc('short', 'rumah')]);
    expect(searchIndex(index, 'pencattn').map((hit) => hit.id)).toEqual(['long']);
    expect(searchIndex(index, 'ruma').map((hit) => hit.id)).toEqual(['short']);
    expect(searchIndex(index, 'rmuha').map((hit) => hit.id)).toEqual([]);
  });

  it('finds documents whose own text carries diacritics', () => {
    const index = buildSearchIndex([doc('pelayanan', 'Pélayanan Terpadu Satu Pintu')]);
    expect(searchIndex(index, 'pelayanan terpadu').map((hit) => hit.id)).toEqual(['pelayanan']);
  });
});
