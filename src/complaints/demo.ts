/**
 * Demo complaints: with history, a few dozen reports over the past five months across the three
 * demo agencies, in every state — most closed after a follow-up (accepted, or closed by the system
 * when nobody replied), some appealed, some still with the agency or the complaint admin, a few
 * archived or outside the platform's authority — so the queues, the public list and the open-data
 * figures have something to show. Every report goes through the real filing and workflow functions
 * with a clock set in the past. Without history: nothing.
 */
import type { AppContext } from '../context.ts';
import type { Principal } from '../identity/roles.ts';
import { findUserIdByEmail } from '../identity/service.ts';
import { activeGrants } from '../identity/store.ts';
import { fileComplaint } from './filing.ts';
import { actAsStaff, actAsSystem, actWithSecret, type ComplaintActionInput } from './handling.ts';
import type { ComplaintCategory, ReportType } from './schemas.ts';
import * as store from './store.ts';

const DOMAIN = 'sukamaju.example';
const DAY_MS = 24 * 3600_000;
const COUNT = 36;

interface Story {
  service: string;
  agency: string;
  type: ReportType;
  category: ComplaintCategory;
  /** `{name}` is a staff member's name in the original, removed from the published text. */
  text: string;
  answer: string;
  region: string;
}

const STORIES: readonly Story[] = [
  {
    service: 'akta-kelahiran',
    agency: 'disdukcapil',
    type: 'pengaduan',
    category: 'completion_time',
    text: 'Akta kelahiran anak saya belum selesai padahal sudah lewat 14 hari kerja. Petugas loket {name} hanya meminta saya kembali minggu depan.',
    answer:
      'Berkas terhambat karena data ayah belum padan di SIAK. Data telah diperbaiki dan akta dapat diambil di loket 3 atau diunduh di Gapura.',
    region: '33.73.01',
  },
  {
    service: 'pembaruan-kartu-keluarga',
    agency: 'disdukcapil',
    type: 'pengaduan',
    category: 'fees',
    text: 'Saat mengurus pembaruan KK saya diminta membayar Rp50.000 oleh {name} agar cepat selesai, padahal layanan ini gratis.',
    answer:
      'Terima kasih atas laporannya. Petugas yang bersangkutan telah diperiksa Inspektorat dan diberi sanksi; uang telah dikembalikan. Layanan KK tidak dipungut biaya.',
    region: '33.73.02',
  },
  {
    service: 'surat-keterangan-pindah',
    agency: 'disdukcapil',
    type: 'permintaan_informasi',
    category: 'requirements',
    text: 'Apakah surat pengantar RT/RW masih diperlukan untuk surat keterangan pindah antarkota? Informasi di kantor dan di situs berbeda.',
    answer:
      'Surat pengantar RT/RW tidak lagi diperlukan. Persyaratan yang berlaku adalah yang tercantum pada standar pelayanan di Gapura; papan informasi di kantor telah diperbarui.',
    region: '33.73.03',
  },
  {
    service: 'izin-usaha-mikro',
    agency: 'dpmptsp',
    type: 'aspirasi',
    category: 'information',
    text: 'Mohon ditambahkan panduan bergambar untuk mengisi formulir izin usaha mikro. Banyak pedagang pasar kesulitan memahami istilah di formulir.',
    answer:
      'Usulan diterima. Panduan bergambar tersedia di Gapura dan di loket, dan petugas pendamping hadir setiap Selasa di Pasar Raya.',
    region: '33.73.04',
  },
  {
    service: 'persetujuan-bangunan-gedung',
    agency: 'dpmptsp',
    type: 'pengaduan',
    category: 'staff_conduct',
    text: 'Petugas survei lapangan {name} datang terlambat dua jam tanpa kabar dan berbicara kasar kepada keluarga kami.',
    answer:
      'Kami mohon maaf. Petugas telah dibina oleh atasannya, dan jadwal survei kini dikirim lewat notifikasi sehari sebelumnya.',
    region: '33.73.01',
  },
  {
    service: 'sktm',
    agency: 'dinsos',
    type: 'pengaduan',
    category: 'service_quality',
    text: 'Permohonan SKTM saya ditolak tanpa alasan yang jelas. Saya sudah melampirkan semua dokumen yang diminta.',
    answer:
      'Penolakan disebabkan data DTKS yang belum diperbarui. Data telah dimutakhirkan; silakan mengajukan kembali, permohonan akan diproses dalam 2 hari kerja.',
    region: '33.73.02',
  },
  {
    service: 'sktm',
    agency: 'dinsos',
    type: 'aspirasi',
    category: 'facilities',
    text: 'Ruang tunggu Dinas Sosial sempit dan panas, tidak ada kursi untuk lansia dan ibu hamil. Mohon diperbaiki.',
    answer:
      'Ruang tunggu telah ditambah kipas angin dan kursi prioritas untuk lansia, penyandang disabilitas, dan ibu hamil.',
    region: '33.73.04',
  },
  {
    service: 'akta-kelahiran',
    agency: 'disdukcapil',
    type: 'pengaduan',
    category: 'information',
    text: 'Status permohonan di Gapura tidak berubah selama seminggu, padahal menurut petugas {name} berkas sudah ditandatangani.',
    answer:
      'Terjadi keterlambatan pencatatan status. Status telah diperbarui dan prosedur pencatatan diperketat agar status selalu sesuai.',
    region: '33.73.03',
  },
];

const STAFF_NAMES = ['Pak Heru', 'Bu Ratna', 'Mas Dimas', 'Pak Slamet'];
const GUESTS = [
  { name: 'Rahmat Hidayat', contact: `rahmat.hidayat@warga.${DOMAIN}` },
  { name: 'Siti Nurhaliza', contact: '081234567890' },
  { name: 'Yohanes Kristanto', contact: `yohanes.k@warga.${DOMAIN}` },
];

/** How each demo report ends, in rotation: most resolved, the rest in every other state. */
const ENDINGS = [
  'accepted',
  'auto_closed',
  'accepted',
  'appealed_then_accepted',
  'accepted',
  'answered',
  'disposed',
  'accepted',
  'auto_closed',
  'archived',
  'accepted',
  'not_authority',
  'appealed',
  'accepted',
  'received',
  'postponed',
  'accepted',
  'verified',
] as const;
type Ending = (typeof ENDINGS)[number];

/** A small deterministic PRNG: the same demo every time. */
function prng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % n;
  };
}

async function principalOf(ctx: AppContext, email: string): Promise<Principal | undefined> {
  const userId = await findUserIdByEmail(ctx, email);
  if (!userId) return undefined;
  return { userId, kind: 'staff', sessionId: null, grants: await activeGrants(ctx.db, userId) };
}

/** The moment `days` (fractional) after `start`, never in the future. */
function after(start: Date, days: number, now: Date): Date {
  return new Date(Math.min(start.getTime() + days * DAY_MS, now.getTime() - 60_000));
}

export async function seedComplaintsDemo(ctx: AppContext, options: { history: boolean }): Promise<void> {
  if (!options.history) return;
  const admin = await principalOf(ctx, `admin.pengaduan@${DOMAIN}`);
  if (!admin) return;
  const citizens = [
    await principalOf(ctx, `budi.santoso@warga.${DOMAIN}`),
    await principalOf(ctx, `ani.suryani@warga.${DOMAIN}`),
  ].flatMap((p) => (p ? [{ ...p, kind: 'citizen' as const }] : []));
  const random = prng(9);
  const now = new Date();
  for (let i = 0; i < COUNT; i++) {
    const story = STORIES[i % STORIES.length] ?? STORIES[0];
    const ending: Ending = ENDINGS[i % ENDINGS.length] ?? 'accepted';
    if (!story) continue;
    // Spread over five months; the ones still open are the most recent.
    const open = ['received', 'postponed', 'verified', 'disposed', 'answered', 'appealed'].includes(ending);
    const daysAgo = open ? 1 + random(12) : 20 + random(130);
    const filedAt = new Date(now.getTime() - daysAgo * DAY_MS - random(8 * 60) * 60_000);
    const name = STAFF_NAMES[random(STAFF_NAMES.length)] ?? '';
    await seedOne(ctx, { admin, citizens, story, ending, filedAt, now, name, index: i, random });
  }
}

interface Seed {
  admin: Principal;
  citizens: Principal[];
  story: Story;
  ending: Ending;
  filedAt: Date;
  now: Date;
  name: string;
  index: number;
  random: (n: number) => number;
}

async function seedOne(ctx: AppContext, seed: Seed): Promise<void> {
  const { admin, story, ending, filedAt, now, index, random } = seed;
  const mode = (['anonymous', 'confidential', 'named'] as const)[index % 3] ?? 'anonymous';
  const citizen = seed.citizens[index % Math.max(1, seed.citizens.length)];
  const guest = GUESTS[index % GUESTS.length];
  const asCitizen = mode === 'named' || (mode === 'confidential' && index % 2 === 0);
  const original = story.text.replaceAll('{name}', seed.name);
  const mayPublish = index % 4 !== 3;
  const receipt = await fileComplaint(
    ctx,
    asCitizen && citizen ? citizen : null,
    {
      mode: asCitizen && !citizen ? 'confidential' : mode,
      reportType: story.type,
      category: story.category,
      subject:
        index % 5 === 4 ? { kind: 'agency', ref: story.agency } : { kind: 'service', ref: story.service },
      text: `${original} (${filedAt.toISOString().slice(0, 10)})`,
      regionCode: story.region,
      mayPublish,
      reporterName: guest?.name,
      reporterContact: guest?.contact,
      files: [],
      lang: 'id',
      client: `demo-${index}`,
    },
    filedAt,
  );
  let rowVersion = 1;
  let clock = filedAt;
  const step = async (
    who: Principal | 'complainant' | 'system',
    input: Omit<ComplaintActionInput, 'rowVersion'>,
    days: number,
  ) => {
    clock = after(clock, days, now);
    const full = { ...input, rowVersion };
    if (who === 'complainant')
      await actWithSecret(
        ctx,
        { number: receipt.number, secret: receipt.secret, client: `demo-${index}` },
        full,
        clock,
      );
    else if (who === 'system') await actAsSystem(ctx, receipt.id, full, clock);
    else await actAsStaff(ctx, who, receipt.id, full, clock);
    rowVersion += 1;
  };
  if (ending === 'received') return;
  if (ending === 'postponed')
    return step(
      admin,
      { action: 'postpone', comment: 'Mohon tunggu, kami meminta keterangan tambahan dari instansi.' },
      1,
    );
  if (ending === 'archived')
    return step(
      admin,
      { action: 'archive', comment: 'Laporan sama dengan laporan lain yang sedang ditangani.' },
      1.2,
    );
  if (ending === 'not_authority')
    return step(
      admin,
      {
        action: 'not_authority',
        comment: 'Layanan ini kewenangan pemerintah provinsi; silakan melapor ke kanal provinsi.',
      },
      1.5,
    );
  const publicText = story.text.replaceAll('{name}', '[nama petugas disamarkan]');
  await step(admin, { action: 'verify', ...(mayPublish ? { publicText } : {}) }, 0.5 + random(2));
  if (ending === 'verified') return;
  await step(admin, { action: 'dispose', agency: story.agency }, 0.3);
  if (ending === 'disposed') return;
  const handler = await principalOf(ctx, `pengaduan.${story.agency}@${DOMAIN}`);
  const supervisor = await principalOf(ctx, `atasan.${story.agency}@${DOMAIN}`);
  if (!handler || !supervisor) return;
  await step(handler, { action: 'follow_up', comment: story.answer }, 1 + random(5));
  if (ending === 'answered') return;
  if (ending === 'auto_closed') {
    const row = await store.findById(ctx.db, receipt.id);
    const closeAt = row?.auto_close_at ? new Date(row.auto_close_at) : undefined;
    if (!closeAt || closeAt.getTime() >= now.getTime()) return;
    clock = new Date(closeAt.getTime() + 60_000);
    return step('system', { action: 'auto_close' }, 0);
  }
  if (ending === 'appealed' || ending === 'appealed_then_accepted') {
    await step(
      'complainant',
      { action: 'appeal', comment: 'Tindak lanjut belum menyelesaikan masalah saya.' },
      1,
    );
    if (ending === 'appealed') return;
    await step(
      supervisor,
      { action: 'answer_appeal', comment: `Atasan telah meninjau kembali: ${story.answer}` },
      2 + random(3),
    );
  }
  await step('complainant', { action: 'accept' }, 1 + random(3));
}
