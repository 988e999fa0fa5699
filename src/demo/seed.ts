import { randomBytes } from 'node:crypto';
import { createAgency } from '../agencies/service.ts';
import { countAgencies } from '../agencies/store.ts';
import { demoDefinitionFiles, readDefinitionFile } from '../catalog/files.ts';
import { importDefinition } from '../catalog/service.ts';
import { seedComplaintsDemo } from '../complaints/demo.ts';
import type { AppContext } from '../context.ts';
import type { StaffRole } from '../identity/roles.ts';
import { createUser } from '../identity/service.ts';
import { seedOpenDataDemo } from '../opendata/demo.ts';
import { seedSurveyDemo } from '../survey/demo.ts';

export interface DemoAccount {
  role: StaffRole | 'citizen';
  email: string;
  name: string;
  password: string;
  agencySlug: string | null;
}

const DOMAIN = 'sukamaju.example';

/** Three offices of the fictional Kota Sukamaju, with units. */
const AGENCIES = [
  {
    slug: 'disdukcapil',
    code: 'DKP',
    nameId: 'Dinas Kependudukan dan Pencatatan Sipil Kota Sukamaju',
    nameEn: 'Sukamaju City Population and Civil Registration Office',
    units: [
      {
        slug: 'pendaftaran-penduduk',
        nameId: 'Bidang Pelayanan Pendaftaran Penduduk',
        nameEn: 'Population Registration Division',
      },
      {
        slug: 'pencatatan-sipil',
        nameId: 'Bidang Pelayanan Pencatatan Sipil',
        nameEn: 'Civil Registration Division',
      },
    ],
    staff: {
      counter_officer: 'Rina Wulandari',
      verifier: 'Agus Prasetyo',
      approver: 'Dra. Sri Mulyani Hartono',
      supervisor: 'Bambang Sutrisno, S.Sos.',
      agency_admin: 'Dewi Kartika Sari',
      complaint_handler: 'Yusuf Hidayat',
    },
  },
  {
    slug: 'dpmptsp',
    code: 'PTS',
    nameId: 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Sukamaju',
    nameEn: 'Sukamaju City Investment and One-Stop Integrated Service Office',
    units: [
      { slug: 'perizinan-usaha', nameId: 'Bidang Perizinan Berusaha', nameEn: 'Business Licensing Division' },
      {
        slug: 'perizinan-bangunan',
        nameId: 'Bidang Perizinan Bangunan Gedung',
        nameEn: 'Building Approval Division',
      },
    ],
    staff: {
      counter_officer: 'Fitri Handayani',
      verifier: 'Hendra Gunawan, S.T.',
      approver: 'Ir. Joko Santoso, M.T.',
      supervisor: 'Lestari Ningsih, S.E.',
      agency_admin: 'Rizky Maulana',
      complaint_handler: 'Nur Aini',
    },
  },
  {
    slug: 'dinsos',
    code: 'DSO',
    nameId: 'Dinas Sosial Kota Sukamaju',
    nameEn: 'Sukamaju City Social Affairs Office',
    units: [
      {
        slug: 'perlindungan-jaminan-sosial',
        nameId: 'Bidang Perlindungan dan Jaminan Sosial',
        nameEn: 'Social Protection Division',
      },
      {
        slug: 'rehabilitasi-sosial',
        nameId: 'Bidang Rehabilitasi Sosial',
        nameEn: 'Social Rehabilitation Division',
      },
    ],
    staff: {
      counter_officer: 'Siti Rahmawati',
      verifier: 'Eko Wahyudi',
      approver: 'Drs. Hadi Purnomo, M.Si.',
      supervisor: 'Indah Permatasari, S.Sos.',
      agency_admin: 'Teguh Firmansyah',
      complaint_handler: 'Ayu Lestari',
    },
  },
] as const;

const LOCAL_PART: Record<StaffRole, string> = {
  counter_officer: 'loket',
  verifier: 'verifikator',
  approver: 'penandatangan',
  supervisor: 'atasan',
  agency_admin: 'admin',
  complaint_handler: 'pengaduan',
  platform_admin: 'admin.platform',
  complaint_admin: 'admin.pengaduan',
};

/** A password that is easy to type from a printout and strong enough (about 80 random bits). */
function demoPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}-${chars.slice(12, 16)}`;
}

export async function isSeeded(ctx: AppContext): Promise<boolean> {
  return (await countAgencies(ctx.db)) > 0;
}

/**
 * Demo agencies and one account per role (every staff role in every agency, the platform roles,
 * and two citizens). Returns the accounts with their passwords, which exist nowhere else.
 */
/**
 * Loads the demo agencies, accounts and services. `history` (the first demo start and
 * `gapura seed --demo`) adds months of generated applications, survey answers and complaints so the
 * dashboards look alive; tests leave it out.
 */
export async function seedDemo(ctx: AppContext, options: { history?: boolean } = {}): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [];
  const add = async (account: Omit<DemoAccount, 'password'>, agencyId: string | null) => {
    const password = demoPassword();
    await createUser(ctx, {
      kind: account.role === 'citizen' ? 'citizen' : 'staff',
      email: account.email,
      name: account.name,
      password,
      isDemo: true,
      totpEnrolled: true,
      grants: account.role === 'citizen' ? [] : [{ role: account.role, agencyId }],
    });
    accounts.push({ ...account, password });
  };
  await add(
    { role: 'platform_admin', email: `admin.platform@${DOMAIN}`, name: 'Andi Saputra', agencySlug: null },
    null,
  );
  await add(
    { role: 'complaint_admin', email: `admin.pengaduan@${DOMAIN}`, name: 'Maya Anggraini', agencySlug: null },
    null,
  );
  for (const agency of AGENCIES) {
    const agencyId = await createAgency(
      ctx,
      {
        slug: agency.slug,
        code: agency.code,
        nameId: agency.nameId,
        nameEn: agency.nameEn,
        timezone: 'Asia/Jakarta',
        dpo: {
          name: 'Pejabat Pelindungan Data Pribadi',
          email: `ppdp.${agency.slug}@${DOMAIN}`,
          phone: '(0271) 555 0100',
        },
        units: [...agency.units],
      },
      null,
    );
    for (const [role, name] of Object.entries(agency.staff) as [StaffRole, string][]) {
      await add(
        { role, email: `${LOCAL_PART[role]}.${agency.slug}@${DOMAIN}`, name, agencySlug: agency.slug },
        agencyId,
      );
    }
  }
  await add(
    { role: 'citizen', email: `budi.santoso@warga.${DOMAIN}`, name: 'Budi Santoso', agencySlug: null },
    null,
  );
  await add(
    { role: 'citizen', email: `ani.suryani@warga.${DOMAIN}`, name: 'Ani Suryani', agencySlug: null },
    null,
  );
  for (const file of demoDefinitionFiles()) {
    const parsed = readDefinitionFile(file);
    if (!parsed.ok) throw new Error(`demo service ${file} cannot be read`);
    await importDefinition(ctx, null, parsed.value, { publish: true });
  }
  const history = options.history === true;
  // Order matters: survey answers and complaints refer to the generated applications.
  await seedOpenDataDemo(ctx, { history });
  await seedSurveyDemo(ctx, { history });
  await seedComplaintsDemo(ctx, { history });
  return accounts;
}

/** The printout shown once at first start (standard output, never the JSON log). */
export function formatDemoAccounts(accounts: readonly DemoAccount[], url: string): string {
  const width = Math.max(...accounts.map((a) => a.email.length));
  const lines = accounts.map(
    (a) => `  ${a.email.padEnd(width)}  ${a.password}  ${a.role}${a.agencySlug ? ` (${a.agencySlug})` : ''}`,
  );
  return [
    '',
    `Gapura demo is ready at ${url}`,
    'Demo accounts (shown only now; staff sign in with a TOTP code from "npx gapura demo totp EMAIL"):',
    ...lines,
    '',
  ].join('\n');
}
