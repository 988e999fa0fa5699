import { COMPLAINT_TEMPLATES } from '../complaints/templates.ts';
import { SURVEY_TEMPLATES } from '../survey/templates.ts';
import type { Lang } from '../web/i18n/index.ts';

export interface Template {
  subject: string;
  body: string;
}

/**
 * Message templates in both languages. `{name}` placeholders are filled from the parameters;
 * a template with an unknown placeholder keeps it visibly, which a test catches.
 */
export const TEMPLATES = {
  ...COMPLAINT_TEMPLATES,
  ...SURVEY_TEMPLATES,
  'account.verification_code': {
    id: {
      subject: 'Kode verifikasi Gapura: {code}',
      body: 'Kode verifikasi Anda adalah {code}. Kode berlaku {minutes} menit. Jangan berikan kode ini kepada siapa pun, termasuk petugas.',
    },
    en: {
      subject: 'Your Gapura verification code: {code}',
      body: 'Your verification code is {code}. It is valid for {minutes} minutes. Never share it with anyone, officers included.',
    },
  },
  'account.recovery_code': {
    id: {
      subject: 'Pemulihan akun Gapura',
      body: 'Kode untuk memulihkan akun Anda adalah {code}, berlaku {minutes} menit. Jika Anda tidak memintanya, abaikan pesan ini.',
    },
    en: {
      subject: 'Gapura account recovery',
      body: 'The code to recover your account is {code}, valid for {minutes} minutes. If you did not ask for it, ignore this message.',
    },
  },
  'application.submitted': {
    id: {
      subject: 'Permohonan {trackingNumber} diterima',
      body: 'Permohonan {service} Anda telah diterima dengan nomor {trackingNumber}. Batas waktu penyelesaian: {dueDate}. Pantau prosesnya di Gapura.',
    },
    en: {
      subject: 'Application {trackingNumber} received',
      body: 'Your application for {service} was received as {trackingNumber}. It is due by {dueDate}. Follow its progress on Gapura.',
    },
  },
  'application.state_changed': {
    id: {
      subject: 'Status permohonan {trackingNumber}: {state}',
      body: 'Permohonan {service} Anda ({trackingNumber}) kini berstatus "{state}". Catatan petugas: {comment}. Lihat rinciannya di Gapura.',
    },
    en: {
      subject: 'Application {trackingNumber}: {state}',
      body: 'Your application for {service} ({trackingNumber}) is now "{state}". Officer\'s note: {comment}. See the details on Gapura.',
    },
  },
  'application.returned': {
    id: {
      subject: 'Permohonan {trackingNumber} perlu diperbaiki',
      body: 'Petugas mengembalikan permohonan {service} Anda ({trackingNumber}) untuk diperbaiki: {comment}. Perbaiki isian yang ditandai lalu kirim ulang di Gapura. Batas waktu layanan berhenti sampai Anda mengirim ulang.',
    },
    en: {
      subject: 'Application {trackingNumber} needs changes',
      body: 'An officer returned your application for {service} ({trackingNumber}) for revision: {comment}. Fix the flagged answers and resubmit on Gapura. The service deadline is paused until you resubmit.',
    },
  },
  'application.rejected': {
    id: {
      subject: 'Permohonan {trackingNumber} ditolak',
      body: 'Permohonan {service} Anda ({trackingNumber}) ditolak dengan alasan: {comment}. Anda dapat mengajukan keberatan kepada instansi.',
    },
    en: {
      subject: 'Application {trackingNumber} rejected',
      body: 'Your application for {service} ({trackingNumber}) was rejected. Reason: {comment}. You may appeal to the agency.',
    },
  },
  'application.escalated': {
    id: {
      subject: 'Eskalasi: permohonan {trackingNumber} {level}',
      body: 'Permohonan {service} ({trackingNumber}) pada tahap "{state}" {level}: batas waktu {deadline} ({deadlineKind}). Periksa kotak masuk instansi.',
    },
    en: {
      subject: 'Escalation: application {trackingNumber} {level}',
      body: 'Application for {service} ({trackingNumber}) in "{state}" is {level}: deadline {deadline} ({deadlineKind}). Check the agency inbox.',
    },
  },
} satisfies Record<string, Record<Lang, Template>>;

export type TemplateName = keyof typeof TEMPLATES;

export function renderTemplate(
  name: TemplateName,
  lang: Lang,
  params: Record<string, string | number>,
): Template {
  const fill = (text: string) =>
    text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
  const template = TEMPLATES[name][lang];
  return { subject: fill(template.subject), body: fill(template.body) };
}
