/**
 * Indonesian administrative regions (Kemendagri codes) from the `idn-area-data` package.
 *
 * The CSV files shipped in `node_modules/idn-area-data/data/` are read directly (not through the
 * package's JavaScript entry point). Everything is loaded lazily, once, on first use:
 *  - provinces, regencies/cities and districts (~7.8k rows) are parsed together into maps;
 *  - villages (~84k rows) are only *indexed* on first village lookup: the file is kept as one string
 *    and each district's block of lines is located, then parsed on demand and cached. This keeps the
 *    first village lookup cheap (no 250k-string allocation up front).
 *
 * Codes are returned dotted (`33.73.04.1001`); every function accepts dotted or plain-digit codes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseCsv } from './csv.ts';

export type RegionLevel = 'province' | 'regency' | 'district' | 'village';

export interface Region {
  readonly level: RegionLevel;
  /** Dotted code, e.g. `33.73.04.1001`. */
  readonly code: string;
  readonly name: string;
  /** Dotted code of the parent region; `null` for provinces. */
  readonly parentCode: string | null;
}

export type VillageKind = 'kelurahan' | 'desa' | 'desa-adat';

export interface RegionCounts {
  readonly provinces: number;
  readonly regencies: number;
  readonly districts: number;
  readonly villages: number;
}

/**
 * Province codes that no longer exist, with their historical names. Kemendagri province codes have
 * been stable: new provinces received new codes and no current code was reused. The only code that
 * disappeared is 54 (Timor Timur, 1976–1999). Regencies moved to the 2022 Papua provinces did change
 * codes (e.g. Merauke 91.01 → 93.01), but that is a regency-level change: their province code 91
 * remains current.
 */
export const FORMER_PROVINCE_CODES: ReadonlyMap<string, string> = new Map([['54', 'Timor Timur']]);

const LEVEL_BY_DIGITS: ReadonlyMap<number, RegionLevel> = new Map([
  [2, 'province'],
  [4, 'regency'],
  [6, 'district'],
  [10, 'village'],
]);

const DOTTED_CODE = /^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$/;
const PLAIN_CODE = /^(?:\d{2}|\d{4}|\d{6}|\d{10})$/;

/**
 * Normalises a region code to its dotted form. Accepts dotted (`33.73.04`) or plain digits
 * (`337304`) of 2, 4, 6 or 10 digits, with surrounding whitespace. Returns `undefined` otherwise.
 */
export function normaliseRegionCode(code: unknown): string | undefined {
  if (typeof code !== 'string') return undefined;
  const trimmed = code.trim();
  if (DOTTED_CODE.test(trimmed)) return trimmed;
  if (!PLAIN_CODE.test(trimmed)) return undefined;
  const parts = [trimmed.slice(0, 2), trimmed.slice(2, 4), trimmed.slice(4, 6), trimmed.slice(6)];
  return parts.filter((p) => p.length > 0).join('.');
}

function levelOf(dotted: string): RegionLevel | undefined {
  return LEVEL_BY_DIGITS.get(dotted.replaceAll('.', '').length);
}

/** Normalised codes by level and input; bounded, since inputs can come from anyone. */
const codeCache = new Map<string, string | null>();
const CODE_CACHE_LIMIT = 50_000;

function codeAt(code: unknown, level: RegionLevel): string | undefined {
  if (typeof code !== 'string') return undefined;
  const key = `${level}:${code}`;
  const cached = codeCache.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const dotted = normaliseRegionCode(code);
  const result = dotted !== undefined && levelOf(dotted) === level ? dotted : undefined;
  if (codeCache.size < CODE_CACHE_LIMIT) codeCache.set(key, result ?? null);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Loading

function dataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('idn-area-data/package.json')), 'data');
}

function readData(file: string): string {
  return readFileSync(join(dataDir(), file), 'utf8');
}

function rowsOf(file: string, header: readonly string[]): string[][] {
  const [head, ...rows] = parseCsv(readData(file));
  if (head === undefined || head.join(',') !== header.join(',')) {
    throw new Error(`idn-area-data: unexpected header in ${file}: ${head?.join(',') ?? '(empty)'}`);
  }
  return rows;
}

interface AreaIndex {
  readonly byCode: Map<string, Region>;
  readonly provinces: Region[];
  readonly children: Map<string, Region[]>;
  readonly counts: { provinces: number; regencies: number; districts: number };
}

function addChild(children: Map<string, Region[]>, region: Region): void {
  if (region.parentCode === null) return;
  const list = children.get(region.parentCode);
  if (list === undefined) children.set(region.parentCode, [region]);
  else list.push(region);
}

const ROW_CODE: Readonly<Record<RegionLevel, RegExp>> = {
  province: /^\d{2}$/,
  regency: /^\d{2}\.\d{2}$/,
  district: /^\d{2}\.\d{2}\.\d{2}$/,
  village: /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/,
};

/** Builds a region from a CSV row, checking the code's shape and that the parent code is its prefix. */
function toRegion(level: RegionLevel, fields: string[], file: string): Region {
  const [code, second, third] = fields;
  const name = level === 'province' ? second : third;
  const parentCode = level === 'province' ? null : second;
  const wellFormed =
    code !== undefined &&
    name !== undefined &&
    name.length > 0 &&
    parentCode !== undefined &&
    fields.length === (level === 'province' ? 2 : 3) &&
    ROW_CODE[level].test(code) &&
    (parentCode === null || code.startsWith(`${parentCode}.`));
  if (!wellFormed) throw new Error(`idn-area-data: malformed row in ${file}: ${fields.join(',')}`);
  return Object.freeze({ level, code, name, parentCode });
}

function loadAreas(): AreaIndex {
  const byCode = new Map<string, Region>();
  const children = new Map<string, Region[]>();
  const provinces: Region[] = [];
  const load = (file: string, level: RegionLevel, header: readonly string[]): number => {
    const rows = rowsOf(file, header);
    for (const fields of rows) {
      const region = toRegion(level, fields, file);
      byCode.set(region.code, region);
      if (level === 'province') provinces.push(region);
      addChild(children, region);
    }
    return rows.length;
  };
  const counts = {
    provinces: load('provinces.csv', 'province', ['code', 'name']),
    regencies: load('regencies.csv', 'regency', ['code', 'province_code', 'name']),
    districts: load('districts.csv', 'district', ['code', 'regency_code', 'name']),
  };
  return { byCode, provinces, children, counts };
}

interface VillageIndex {
  readonly text: string;
  /** District code → [start, end) offsets of its lines in `text` (several if not contiguous). */
  readonly ranges: Map<string, Array<[number, number]>>;
  readonly parsed: Map<string, readonly Region[]>;
  readonly count: number;
}

const VILLAGE_HEADER = 'code,district_code,name';

/**
 * Scans villages.csv once without splitting it into fields: for each line, only the district code
 * (second column) is compared with the previous one, so a new string is allocated per district rather
 * than per row. Codes are never quoted and names contain no line breaks in this data set; a line that
 * does not start with `code,district,` aborts loading rather than mis-indexing.
 */
function indexVillages(): VillageIndex {
  const text = readData('villages.csv');
  const ranges = new Map<string, Array<[number, number]>>();
  const headerEnd = text.indexOf('\n');
  if (
    headerEnd === -1 ||
    text
      .slice(0, headerEnd)
      .replace(/^\uFEFF/, '')
      .trimEnd() !== VILLAGE_HEADER
  ) {
    throw new Error('idn-area-data: unexpected header in villages.csv');
  }
  let count = 0;
  let current = '';
  let currentRange: [number, number] | undefined;
  let pos = headerEnd + 1;
  const n = text.length;
  while (pos < n) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = n;
    if (eol - pos > 1 || (eol - pos === 1 && text.charCodeAt(pos) !== 13)) {
      const c1 = text.indexOf(',', pos);
      const c2 = c1 === -1 ? -1 : text.indexOf(',', c1 + 1);
      if (c1 === -1 || c2 === -1 || c2 > eol) {
        throw new Error(`idn-area-data: malformed line in villages.csv at offset ${pos}`);
      }
      const sameDistrict =
        currentRange !== undefined && c2 - c1 - 1 === current.length && text.startsWith(current, c1 + 1);
      if (sameDistrict && currentRange !== undefined) {
        currentRange[1] = eol;
      } else {
        current = text.slice(c1 + 1, c2);
        currentRange = [pos, eol];
        const list = ranges.get(current);
        if (list === undefined) ranges.set(current, [currentRange]);
        else list.push(currentRange);
      }
      count += 1;
    }
    pos = eol + 1;
  }
  return { text, ranges, parsed: new Map(), count };
}

let areas: AreaIndex | undefined;
let villageIndex: VillageIndex | undefined;

function areaIndex(): AreaIndex {
  areas ??= loadAreas();
  return areas;
}

function villageIdx(): VillageIndex {
  villageIndex ??= indexVillages();
  return villageIndex;
}

function villagesOf(district: string): readonly Region[] {
  const index = villageIdx();
  const cached = index.parsed.get(district);
  if (cached !== undefined) return cached;
  const ranges = index.ranges.get(district);
  if (ranges === undefined) return [];
  const list: Region[] = [];
  for (const [start, end] of ranges) {
    for (const fields of parseCsv(index.text.slice(start, end))) {
      list.push(toRegion('village', fields, 'villages.csv'));
    }
  }
  const frozen = Object.freeze(list);
  index.parsed.set(district, frozen);
  return frozen;
}

// ---------------------------------------------------------------------------------------------
// Public API

/** Loads provinces, regencies, districts and the village index now (e.g. at server start). */
export function preloadRegions(): void {
  areaIndex();
  villageIdx();
}

export function provinces(): readonly Region[] {
  return areaIndex().provinces;
}

/** Regencies and cities (kabupaten/kota) of a province; empty if the province is unknown. */
export function regencies(provinceCode: string): readonly Region[] {
  const code = codeAt(provinceCode, 'province');
  return (code && areaIndex().children.get(code)) || [];
}

/** Districts (kecamatan) of a regency/city; empty if unknown. */
export function districts(regencyCode: string): readonly Region[] {
  const code = codeAt(regencyCode, 'regency');
  return (code && areaIndex().children.get(code)) || [];
}

/** Villages (kelurahan/desa) of a district; empty if unknown. */
export function villages(districtCode: string): readonly Region[] {
  const code = codeAt(districtCode, 'district');
  return code === undefined ? [] : villagesOf(code);
}

/** Looks up a region of any level by dotted or plain-digit code. */
export function findRegion(code: string): Region | undefined {
  const dotted = normaliseRegionCode(code);
  if (dotted === undefined) return undefined;
  if (levelOf(dotted) !== 'village') return areaIndex().byCode.get(dotted);
  return villagesOf(dotted.slice(0, 8)).find((v) => v.code === dotted);
}

function nameAt(code: string, level: RegionLevel): string | undefined {
  const dotted = codeAt(code, level);
  return dotted === undefined ? undefined : areaIndex().byCode.get(dotted)?.name;
}

/** Name of a current province (`'33'` → `'Jawa Tengah'`); `undefined` if unknown. */
export function provinceName(code: string): string | undefined {
  return nameAt(code, 'province');
}

/** Name of a current regency/city (`'33.73'` or `'3373'` → `'Kota Salatiga'`). */
export function regencyName(code: string): string | undefined {
  return nameAt(code, 'regency');
}

/** Name of a current district (`'33.73.04'` → `'Sidomukti'`). */
export function districtName(code: string): string | undefined {
  return nameAt(code, 'district');
}

/** True if the code is a province in the current data. */
export function isKnownProvince(code: string): boolean {
  return nameAt(code, 'province') !== undefined;
}

/** True if the code is a current province or one listed in {@link FORMER_PROVINCE_CODES}. */
export function isCurrentOrFormerProvince(code: string): boolean {
  const dotted = codeAt(code, 'province');
  return dotted !== undefined && (isKnownProvince(dotted) || FORMER_PROVINCE_CODES.has(dotted));
}

/** True if the code is a regency/city in the current data. */
export function isKnownRegency(code: string): boolean {
  return nameAt(code, 'regency') !== undefined;
}

/**
 * Kind of village from the first digit of its 4-digit code: 1 kelurahan (urban, led by a civil
 * servant), 2 desa (rural, elected head), 3 desa adat (customary village; occurs in Papua, e.g. 91.03).
 * Works on the code alone; does not check that the village exists.
 */
export function villageKind(code: string): VillageKind | undefined {
  const dotted = codeAt(code, 'village');
  switch (dotted?.charAt(9)) {
    case '1':
      return 'kelurahan';
    case '2':
      return 'desa';
    case '3':
      return 'desa-adat';
    default:
      return undefined;
  }
}

/** Row counts of the data set (loads the village index). */
export function regionCounts(): RegionCounts {
  const { counts } = areaIndex();
  return { ...counts, villages: villageIdx().count };
}
