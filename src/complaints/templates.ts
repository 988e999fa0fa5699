import type { Template } from '../notifications/templates.ts';
import type { Lang } from '../web/i18n/index.ts';

/** Notification templates of this module, in both languages; spread into the platform's TEMPLATES. */
export const COMPLAINT_TEMPLATES = {
  'complaint.filed': {
    id: {
      subject: 'Laporan {number} diterima',
      body: 'Laporan Anda diterima dengan nomor {number}. Admin pengaduan memverifikasinya paling lambat {dueDate}. Pantau perkembangannya di Gapura dengan nomor dan kode rahasia pada tanda terima.',
    },
    en: {
      subject: 'Report {number} received',
      body: 'Your report was received as {number}. The complaint admin verifies it by {dueDate}. Follow it on Gapura with the number and the secret code on your receipt.',
    },
  },
  'complaint.state_changed': {
    id: {
      subject: 'Laporan {number}: {state}',
      body: 'Laporan Anda ({number}) kini berstatus "{state}". Catatan: {note}. Lihat rinciannya di Gapura.',
    },
    en: {
      subject: 'Report {number}: {state}',
      body: 'Your report ({number}) is now "{state}". Note: {note}. See the details on Gapura.',
    },
  },
  'complaint.followed_up': {
    id: {
      subject: 'Tindak lanjut laporan {number}',
      body: '{agency} menindaklanjuti laporan Anda ({number}): {note}. Terima tindak lanjut ini atau ajukan keberatan di Gapura sebelum {closeDate}; setelah itu laporan ditutup otomatis.',
    },
    en: {
      subject: 'Follow-up on report {number}',
      body: '{agency} followed up on your report ({number}): {note}. Accept it or appeal on Gapura before {closeDate}; after that the report closes itself.',
    },
  },
  'complaint.assigned': {
    id: {
      subject: 'Laporan {number} didisposisikan ke instansi Anda',
      body: 'Admin pengaduan meneruskan laporan {number} kepada instansi Anda. Kirim tindak lanjutnya paling lambat {deadline}. Buka kotak masuk pengaduan di Gapura.',
    },
    en: {
      subject: 'Report {number} forwarded to your agency',
      body: 'The complaint admin forwarded report {number} to your agency. Post the follow-up by {deadline}. Open the complaint inbox on Gapura.',
    },
  },
  'complaint.appealed': {
    id: {
      subject: 'Keberatan atas tindak lanjut laporan {number}',
      body: 'Pelapor mengajukan keberatan atas tindak lanjut laporan {number}. Kirim tindak lanjut baru paling lambat {deadline}.',
    },
    en: {
      subject: 'Appeal against the follow-up on report {number}',
      body: 'The complainant appealed against the follow-up on report {number}. Post a new follow-up by {deadline}.',
    },
  },
  'complaint.returned': {
    id: {
      subject: 'Laporan {number} dikembalikan oleh instansi',
      body: 'Instansi mengembalikan laporan {number} kepada admin pengaduan: {note}. Disposisikan kembali ke instansi yang berwenang.',
    },
    en: {
      subject: 'Report {number} returned by the agency',
      body: 'The agency returned report {number} to the complaint admin: {note}. Forward it to the agency responsible.',
    },
  },
  'complaint.escalated': {
    id: {
      subject: 'Eskalasi: laporan {number} {level}',
      body: 'Laporan {number} pada tahap "{state}" {level}: batas waktu {deadline}. Periksa antrean pengaduan.',
    },
    en: {
      subject: 'Escalation: report {number} {level}',
      body: 'Report {number} in "{state}" is {level}: deadline {deadline}. Check the complaint queue.',
    },
  },
} satisfies Record<string, Record<Lang, Template>>;
