import type { HolidayEntry } from './calendar.ts';

/**
 * National holidays and cuti bersama (collective leave) for 2026, as decided by SKB 3 Menteri
 * No. 1497/2025, No. 2/2025, No. 5/2025. This list is authoritative for 2026: the `date-holidays`
 * fallback is not consulted for a year that has a configured list.
 */
export const HOLIDAYS_2026: readonly HolidayEntry[] = [
  { date: '2026-01-01', kind: 'national', name: { id: 'Tahun Baru 2026 Masehi', en: "New Year's Day" } },
  {
    date: '2026-01-16',
    kind: 'national',
    name: { id: 'Isra Mikraj Nabi Muhammad SAW', en: "Isra Mi'raj of the Prophet Muhammad" },
  },
  { date: '2026-02-17', kind: 'national', name: { id: 'Tahun Baru Imlek', en: 'Chinese New Year' } },
  {
    date: '2026-03-19',
    kind: 'national',
    name: { id: 'Hari Suci Nyepi (Tahun Baru Saka)', en: 'Day of Silence (Saka New Year)' },
  },
  {
    date: '2026-03-21',
    kind: 'national',
    name: { id: 'Idul Fitri 1447 Hijriah (hari pertama)', en: 'Eid al-Fitr 1447 AH (first day)' },
  },
  {
    date: '2026-03-22',
    kind: 'national',
    name: { id: 'Idul Fitri 1447 Hijriah (hari kedua)', en: 'Eid al-Fitr 1447 AH (second day)' },
  },
  { date: '2026-04-03', kind: 'national', name: { id: 'Wafat Yesus Kristus', en: 'Good Friday' } },
  {
    date: '2026-04-05',
    kind: 'national',
    name: { id: 'Kebangkitan Yesus Kristus (Paskah)', en: 'Easter Sunday' },
  },
  { date: '2026-05-01', kind: 'national', name: { id: 'Hari Buruh Internasional', en: 'Labour Day' } },
  {
    date: '2026-05-14',
    kind: 'national',
    name: { id: 'Kenaikan Yesus Kristus', en: 'Ascension of Jesus Christ' },
  },
  { date: '2026-05-27', kind: 'national', name: { id: 'Idul Adha 1447 Hijriah', en: 'Eid al-Adha 1447 AH' } },
  { date: '2026-05-31', kind: 'national', name: { id: 'Hari Raya Waisak', en: 'Vesak Day' } },
  { date: '2026-06-01', kind: 'national', name: { id: 'Hari Lahir Pancasila', en: 'Pancasila Day' } },
  {
    date: '2026-06-16',
    kind: 'national',
    name: { id: '1 Muharam Tahun Baru Islam 1448 Hijriah', en: 'Islamic New Year 1448 AH' },
  },
  {
    date: '2026-08-17',
    kind: 'national',
    name: { id: 'Proklamasi Kemerdekaan Republik Indonesia', en: 'Independence Day' },
  },
  {
    date: '2026-08-25',
    kind: 'national',
    name: { id: 'Maulid Nabi Muhammad SAW', en: "Prophet Muhammad's Birthday" },
  },
  {
    date: '2026-12-25',
    kind: 'national',
    name: { id: 'Kelahiran Yesus Kristus (Natal)', en: 'Christmas Day' },
  },
  {
    date: '2026-02-16',
    kind: 'cuti_bersama',
    name: { id: 'Cuti bersama Tahun Baru Imlek', en: 'Collective leave: Chinese New Year' },
  },
  {
    date: '2026-03-18',
    kind: 'cuti_bersama',
    name: { id: 'Cuti bersama Hari Suci Nyepi', en: 'Collective leave: Day of Silence' },
  },
  {
    date: '2026-03-20',
    kind: 'cuti_bersama',
    name: { id: 'Cuti bersama Idul Fitri 1447 Hijriah', en: 'Collective leave: Eid al-Fitr' },
  },
  {
    date: '2026-03-23',
    kind: 'cuti_bersama',
    name: { id: 'Cuti bersama Idul Fitri 1447 Hijriah', en: 'Collective leave: Eid al-Fitr' },
  },
  {
    date: '2026-03-24',
    kind: 'cuti_bersama',
    name: { id: 'Cuti bersama Idul Fitri 1447 Hijriah', en: 'Collective leave: Eid al-Fitr' },
  },
  {
    date: '2026-05-15',
    kind: 'cuti_bersama',
    name: { id: 'Cuti bersama Kenaikan Yesus Kristus', en: 'Collective leave: Ascension of Jesus Christ' },
  },
  {
    date: '2026-05-28',
    kind: 'cuti_bersama',
    name: { id: 'Cuti bersama Idul Adha 1447 Hijriah', en: 'Collective leave: Eid al-Adha' },
  },
  {
    date: '2026-12-24',
    kind: 'cuti_bersama',
    name: { id: 'Cuti bersama Kelahiran Yesus Kristus (Natal)', en: 'Collective leave: Christmas' },
  },
];
