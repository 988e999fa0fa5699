/**
 * The record of processing activities (UU 27/2022 art. 31), generated from the published service
 * definitions: per service its controller (the agency), purpose, legal basis, data subjects, data
 * categories by classification, recipients inside the agency and the retention period.
 */

import type { Dpo } from '../agencies/schemas.ts';
import { listAgencies } from '../agencies/service.ts';
import type { Classification, FormField, LocalText, ServiceDefinition } from '../catalog/schemas.ts';
import { listPublishedRows } from '../catalog/store.ts';
import type { AppContext } from '../context.ts';
import { type AgencyRole, isAgencyRole } from '../identity/roles.ts';
import { t } from '../web/i18n/index.ts';

export interface RopaEntry {
  /** The controller, with its data protection officer when one is appointed. */
  agency: { slug: string; name: LocalText; dpo: Dpo | null };
  service: { slug: string; name: LocalText; version: number; publishedAt: string | null };
  purpose: LocalText;
  product: LocalText;
  legalBasis: string[];
  /** The applicant, then each part of the form that describes a person. */
  subjects: LocalText[];
  categories: Record<Classification, LocalText[]>;
  recipients: { personal: AgencyRole[]; specific: AgencyRole[] };
  retention: { years: number; basis: string };
  identityAssurance: string;
}

const APPLICANT: LocalText = {
  id: 'Yang mengajukan (pemilik akun atau warga di loket)',
  en: 'The filer (account holder or walk-in citizen)',
};

function labelOf(field: FormField, parent?: FormField): LocalText {
  return parent
    ? { id: `${parent.label.id}: ${field.label.id}`, en: `${parent.label.en}: ${field.label.en}` }
    : field.label;
}

function categoriesOf(definition: ServiceDefinition): Record<Classification, LocalText[]> {
  const out: Record<Classification, LocalText[]> = { public: [], personal: [], specific: [] };
  for (const section of definition.form.sections)
    for (const field of section.fields) {
      if (field.type === 'group')
        for (const inner of field.fields) out[inner.classification].push(labelOf(inner, field));
      else out[field.classification].push(labelOf(field));
    }
  return out;
}

function subjectsOf(definition: ServiceDefinition): LocalText[] {
  const subjects = [APPLICANT];
  for (const section of definition.form.sections) {
    if (section.describesSubject) {
      subjects.push(section.title);
      continue;
    }
    // People named only by a NIK in a repeating group (witnesses) are subjects too.
    for (const field of section.fields)
      if (field.type === 'group' && field.fields.some((f) => f.type === 'nik')) subjects.push(field.label);
  }
  return subjects;
}

function recipientsOf(definition: ServiceDefinition): RopaEntry['recipients'] {
  const personal = new Set<AgencyRole>(['supervisor']);
  for (const action of definition.workflow.actions)
    for (const role of action.roles) if (isAgencyRole(role)) personal.add(role);
  return { personal: [...personal].sort(), specific: [...definition.dataRules.specificFieldRoles].sort() };
}

export function ropaEntryOf(
  definition: ServiceDefinition,
  meta: {
    agencySlug: string;
    agencyName: LocalText;
    dpo: Dpo | null;
    version: number;
    publishedAt: string | null;
  },
): RopaEntry {
  return {
    agency: { slug: meta.agencySlug, name: meta.agencyName, dpo: meta.dpo },
    service: {
      slug: definition.slug,
      name: definition.name,
      version: meta.version,
      publishedAt: meta.publishedAt,
    },
    purpose: {
      id: `Menyelenggarakan layanan ${definition.name.id} hingga terbit ${definition.standard.product.id}`,
      en: `Delivering the service ${definition.name.en}, up to issuing ${definition.standard.product.en}`,
    },
    product: definition.standard.product,
    legalBasis: (definition.standard.legalBasis ?? []).map((r) => `${r.type} ${r.number}/${r.year}`),
    subjects: subjectsOf(definition),
    categories: categoriesOf(definition),
    recipients: recipientsOf(definition),
    retention: definition.dataRules.retention,
    identityAssurance: definition.dataRules.identityAssurance,
  };
}

/** One entry per published service, ordered by agency then service. */
export async function recordOfProcessing(ctx: AppContext): Promise<RopaEntry[]> {
  const rows = await listPublishedRows(ctx.db);
  const dpos = new Map((await listAgencies(ctx)).map((a) => [a.id, a.dpo]));
  const entries = rows.map((row) =>
    ropaEntryOf(JSON.parse(row.definition) as ServiceDefinition, {
      agencySlug: row.agency_slug,
      agencyName: { id: row.agency_name_id, en: row.agency_name_en },
      dpo: dpos.get(row.agency_id) ?? null,
      version: row.version,
      publishedAt: row.published_at,
    }),
  );
  return entries.sort(
    (a, b) => a.agency.slug.localeCompare(b.agency.slug) || a.service.slug.localeCompare(b.service.slug),
  );
}

const HEADINGS = {
  id: {
    title: 'Catatan Kegiatan Pemrosesan Data Pribadi',
    lead: 'Dibuat dari definisi layanan yang diterbitkan (UU 27/2022 pasal 31).',
    generated: 'Dibuat',
    services: 'layanan',
    controller: 'Pengendali',
    dpo: 'Pejabat pelindungan data pribadi',
    noDpo: 'belum ditunjuk',
    purpose: 'Tujuan',
    basis: 'Dasar hukum',
    subjects: 'Subjek data',
    personal: 'Data pribadi umum',
    specific: 'Data pribadi spesifik',
    public: 'Data bukan pribadi',
    recipientsPersonal: 'Penerima di instansi (data pribadi)',
    recipientsSpecific: 'Penerima di instansi (data spesifik)',
    retention: 'Masa retensi',
    years: 'tahun setelah permohonan selesai',
    security: 'Pengamanan',
    securityText:
      'dienkripsi AES-256-GCM dengan kunci instansi; setiap pembukaan oleh petugas dicatat dan dapat dilihat subjek data',
    none: '—',
  },
  en: {
    title: 'Record of Processing Activities',
    lead: 'Generated from the published service definitions (UU 27/2022 art. 31).',
    generated: 'Generated',
    services: 'services',
    controller: 'Controller',
    dpo: 'Data protection officer',
    noDpo: 'not appointed yet',
    purpose: 'Purpose',
    basis: 'Legal basis',
    subjects: 'Data subjects',
    personal: 'Personal data',
    specific: 'Specific personal data',
    public: 'Non-personal data',
    recipientsPersonal: 'Recipients in the agency (personal data)',
    recipientsSpecific: 'Recipients in the agency (specific data)',
    retention: 'Retention',
    years: 'years after the application closes',
    security: 'Safeguards',
    securityText:
      'encrypted with AES-256-GCM under the agency key; every view by staff is logged and shown to the data subjects',
    none: '—',
  },
} as const;

/** The record as Markdown, in one language. */
export function ropaMarkdown(
  entries: readonly RopaEntry[],
  lang: 'id' | 'en',
  generatedAt = new Date(),
): string {
  const h = HEADINGS[lang];
  const list = (items: readonly string[]) => (items.length > 0 ? items.join('; ') : h.none);
  const lines = [
    `# ${h.title}`,
    '',
    h.lead,
    '',
    `${h.generated}: ${generatedAt.toISOString()} — ${entries.length} ${h.services}`,
  ];
  let agency = '';
  for (const e of entries) {
    if (e.agency.slug !== agency) {
      agency = e.agency.slug;
      lines.push('', `## ${e.agency.name[lang]} (${e.agency.slug})`);
    }
    lines.push(
      '',
      `### ${e.service.name[lang]} (\`${e.service.slug}\`, v${e.service.version})`,
      '',
      `- **${h.controller}**: ${e.agency.name[lang]}`,
      `- **${h.dpo}**: ${e.agency.dpo ? [e.agency.dpo.name, e.agency.dpo.email, e.agency.dpo.phone].filter(Boolean).join(', ') : h.noDpo}`,
      `- **${h.purpose}**: ${e.purpose[lang]}`,
      `- **${h.basis}**: ${list(e.legalBasis)}`,
      `- **${h.subjects}**: ${list(e.subjects.map((s) => s[lang]))}`,
      `- **${h.personal}**: ${list(e.categories.personal.map((s) => s[lang]))}`,
      `- **${h.specific}**: ${list(e.categories.specific.map((s) => s[lang]))}`,
      `- **${h.public}**: ${list(e.categories.public.map((s) => s[lang]))}`,
      `- **${h.recipientsPersonal}**: ${list(e.recipients.personal.map((r) => t(lang, `role.${r}`)))}`,
      `- **${h.recipientsSpecific}**: ${list(e.recipients.specific.map((r) => t(lang, `role.${r}`)))}`,
      `- **${h.retention}**: ${e.retention.years} ${h.years} — ${e.retention.basis}`,
      `- **${h.security}**: ${h.securityText}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
