import type { Lang } from '../web/i18n/index.ts';

interface Template {
  subject: string;
  body: string;
}

/**
 * Message templates in both languages. `{name}` placeholders are filled from the parameters;
 * a template with an unknown placeholder keeps it visibly, which a test catches.
 */
export const TEMPLATES = {
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
