import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.ts';
import {
  districtName,
  districts,
  FORMER_PROVINCE_CODES,
  findRegion,
  isCurrentOrFormerProvince,
  isKnownProvince,
  isKnownRegency,
  normaliseRegionCode,
  preloadRegions,
  provinceName,
  provinces,
  regencies,
  regencyName,
  regionCounts,
  villageKind,
  villages,
} from './store.ts';

describe('parseCsv', () => {
  it('parses plain, quoted, escaped-quote, comma-in-quotes, CRLF and BOM input', () => {
    const text = '\uFEFFcode,name\r\n1,"Ra""as"\n2,"Lubuk Pakam I,II"\n\n3,plain\n4,"multi\nline"';
    expect(parseCsv(text)).toEqual([
      ['code', 'name'],
      ['1', 'Ra"as'],
      ['2', 'Lubuk Pakam I,II'],
      ['3', 'plain'],
      ['4', 'multi\nline'],
    ]);
  });

  it('keeps empty fields', () => {
    expect(parseCsv('a,,c\n,"",\n')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
  });
});

describe('normaliseRegionCode', () => {
  it('accepts dotted and plain-digit codes of every level', () => {
    expect(normaliseRegionCode('33')).toBe('33');
    expect(normaliseRegionCode('3373')).toBe('33.73');
    expect(normaliseRegionCode('337304')).toBe('33.73.04');
    expect(normaliseRegionCode('3373041001')).toBe('33.73.04.1001');
    expect(normaliseRegionCode(' 33.73.04.1001 ')).toBe('33.73.04.1001');
  });

  it('rejects other shapes and non-strings', () => {
    for (const bad of ['', '3', '337', '33.7304', '33-73', '33730410', '33.73.04.100', 'ab', null, 33, {}]) {
      expect(normaliseRegionCode(bad)).toBeUndefined();
    }
  });
});

describe('regions from idn-area-data', () => {
  it('loads quickly and lazily', () => {
    const started = performance.now();
    preloadRegions();
    // Cold load is typically ~50–100 ms; the bound is generous for slow CI machines.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('has the row counts of idn-area-data 4.0.1', () => {
    expect(regionCounts()).toEqual({ provinces: 38, regencies: 514, districts: 7285, villages: 83762 });
    expect(provinces()).toHaveLength(38);
  });

  it('lists the 38 current province codes', () => {
    expect(provinces().map((p) => p.code)).toEqual([
      ...['11', '12', '13', '14', '15', '16', '17', '18', '19', '21'],
      ...['31', '32', '33', '34', '35', '36', '51', '52', '53'],
      ...['61', '62', '63', '64', '65', '71', '72', '73', '74', '75', '76', '81', '82'],
      ...['91', '92', '93', '94', '95', '96'],
    ]);
  });

  it('walks the hierarchy down to every village, consistently', () => {
    // Collect inconsistencies and assert once: ~100k expect() calls would make the test slow.
    const problems: string[] = [];
    const counts = { regencies: 0, districts: 0, villages: 0 };
    for (const province of provinces()) {
      if (province.level !== 'province' || province.parentCode !== null) problems.push(province.code);
      for (const regency of regencies(province.code)) {
        counts.regencies += 1;
        // Code ranges match names: 01–69 kabupaten, 71–99 kota; 00 and 70 unused.
        const cityCode = Number(regency.code.slice(3)) >= 71;
        if (regency.parentCode !== province.code || regency.name.startsWith('Kota ') !== cityCode) {
          problems.push(regency.code);
        }
        if (/\.(00|70)$/.test(regency.code)) problems.push(regency.code);
        for (const district of districts(regency.code)) {
          counts.districts += 1;
          if (district.parentCode !== regency.code || district.code.endsWith('.00'))
            problems.push(district.code);
          for (const village of villages(district.code)) {
            counts.villages += 1;
            if (village.parentCode !== district.code || villageKind(village.code) === undefined) {
              problems.push(village.code);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(counts).toEqual({ regencies: 514, districts: 7285, villages: 83762 });
  });

  it('finds Kelurahan Kecandran, Sidomukti, Kota Salatiga, Jawa Tengah (33.73.04.1001)', () => {
    expect(findRegion('33.73.04.1001')).toEqual({
      level: 'village',
      code: '33.73.04.1001',
      name: 'Kecandran',
      parentCode: '33.73.04',
    });
    expect(findRegion('3373041001')).toEqual(findRegion('33.73.04.1001'));
    expect(findRegion('337304')).toEqual({
      level: 'district',
      code: '33.73.04',
      name: 'Sidomukti',
      parentCode: '33.73',
    });
    expect(findRegion('3373')).toEqual({
      level: 'regency',
      code: '33.73',
      name: 'Kota Salatiga',
      parentCode: '33',
    });
    expect(findRegion('33')).toEqual({
      level: 'province',
      code: '33',
      name: 'Jawa Tengah',
      parentCode: null,
    });
    expect(districts('3373').map((d) => d.name)).toEqual(['Sidorejo', 'Tingkir', 'Argomulyo', 'Sidomukti']);
    expect(villages('33.73.04').map((v) => v.name)).toEqual([
      'Kecandran',
      'Dukuh',
      'Mangunsari',
      'Kalicacing',
    ]);
    expect(regencies('33')).toHaveLength(35);
  });

  it('returns nothing for unknown or malformed codes', () => {
    expect(findRegion('99')).toBeUndefined();
    expect(findRegion('33.00')).toBeUndefined();
    expect(findRegion('33.73.99')).toBeUndefined();
    expect(findRegion('33.73.04.9999')).toBeUndefined();
    expect(findRegion('nonsense')).toBeUndefined();
    expect(regencies('99')).toEqual([]);
    expect(regencies('3373')).toEqual([]); // a regency code is not a province code
    expect(districts('33.00')).toEqual([]);
    expect(villages('33.73.99')).toEqual([]);
    expect(villages('x')).toEqual([]);
  });

  it('decodes quoted names', () => {
    expect(findRegion('12.07.28.1007')?.name).toBe('Lubuk Pakam I,II');
    // The data spells the apostrophe of Ra'as as a double quote ("Ra""as" in the CSV).
    expect(districtName('35.29.22')).toBe('Ra"as');
    expect(findRegion('53.07.01.2021')?.name).toBe('Regapu’u');
  });

  it('names provinces, regencies and districts at the right level only', () => {
    expect(provinceName('33')).toBe('Jawa Tengah');
    expect(provinceName('96')).toBe('Papua Barat Daya');
    expect(provinceName('3373')).toBeUndefined();
    expect(regencyName('31.71')).toBe('Kota Administrasi Jakarta Pusat');
    expect(regencyName('9301')).toBe('Kabupaten Merauke');
    expect(regencyName('33')).toBeUndefined();
    expect(districtName('337304')).toBe('Sidomukti');
  });

  it('knows current and former provinces and regencies', () => {
    expect(isKnownProvince('11')).toBe(true);
    expect(isKnownProvince('96')).toBe(true);
    for (const code of ['00', '10', '20', '54', '97', '99']) expect(isKnownProvince(code)).toBe(false);
    expect([...FORMER_PROVINCE_CODES.keys()]).toEqual(['54']);
    expect(isCurrentOrFormerProvince('54')).toBe(true);
    expect(isCurrentOrFormerProvince('33')).toBe(true);
    expect(isCurrentOrFormerProvince('99')).toBe(false);
    for (const code of FORMER_PROVINCE_CODES.keys()) expect(isKnownProvince(code)).toBe(false);
    expect(isKnownRegency('3373')).toBe(true);
    expect(isKnownRegency('33.70')).toBe(false);
    // Merauke moved from Papua (91.01) to Papua Selatan (93.01) in 2022.
    expect(isKnownRegency('9101')).toBe(false);
    expect(isKnownRegency('9301')).toBe(true);
  });

  it('classifies villages by the first digit of their own code', () => {
    expect(villageKind('33.73.04.1001')).toBe('kelurahan');
    expect(villageKind('1101012001')).toBe('desa');
    expect(villageKind('91.03.01.3007')).toBe('desa-adat');
    expect(findRegion('91.03.01.3007')?.name).toBe('Desa Adat Yoboi');
    expect(villageKind('33.73.04.4001')).toBeUndefined();
    expect(villageKind('33.73.04')).toBeUndefined();
  });
});
