import type { Template } from '../notifications/templates.ts';
import type { Lang } from '../web/i18n/index.ts';

/** Notification templates of this module, in both languages; spread into the platform's TEMPLATES. */
export const SURVEY_TEMPLATES = {
  'survey.invitation': {
    id: {
      subject: 'Bagaimana layanan {service}? Isi survei kepuasan',
      body: 'Permohonan {service} Anda ({trackingNumber}) sudah selesai. Bantu kami memperbaiki layanan dengan mengisi survei kepuasan masyarakat: sembilan pertanyaan, sekitar dua menit. Petugas hanya melihat hasil gabungan. Isi survei di {url}',
    },
    en: {
      subject: 'How was {service}? Answer the satisfaction survey',
      body: 'Your application for {service} ({trackingNumber}) is finished. Help us improve the service by answering the satisfaction survey: nine questions, about two minutes. Staff only see combined results. Answer it at {url}',
    },
  },
} satisfies Record<string, Record<Lang, Template>>;
