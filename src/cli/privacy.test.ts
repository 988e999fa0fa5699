import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aktaKelahiranAnswers, VALID } from '../../test/fixtures/catalog-definitions.ts';
import {
  ENGINES,
  type FreshDatabase,
  freshDatabase,
  onEngine,
  openTestContext,
} from '../../test/helpers/engines.ts';
import { runCli } from '../../test/helpers/process.ts';
import { getInboxDetail } from '../applications/inbox.ts';
import { startApplication, submitApplication } from '../applications/service.ts';
import { createUser, findUserIdByEmail } from '../identity/service.ts';
import { activeGrants } from '../identity/store.ts';

const DOMAIN = 'sukamaju.example';
/** Tests that start the command several times (a few seconds each on a busy machine). */
const SPAWNS_TIMEOUT = 180_000;

describe.each(ENGINES)('gapura privacy (as a process)', (engine) => {
  let fresh: FreshDatabase;
  let trackingNumber = '';
  let applicantId = '';
  let subjectId = '';
  const cli = (...args: string[]) => runCli(['privacy', ...args], fresh.env);

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    const seeded = runCli(['seed', '--demo'], fresh.env);
    expect(seeded.status).toBe(0);
    // One application filed and opened by a verifier, its mother registered with her NIK.
    const opened = await openTestContext(fresh);
    try {
      const ctx = opened.ctx;
      subjectId = (
        await createUser(ctx, {
          kind: 'citizen',
          email: `ani.lestari@warga.${DOMAIN}`,
          name: 'Ani Lestari',
          nik: VALID.nikFemale,
          password: 'kata-sandi-ani-lestari-2026',
        })
      ).id;
      applicantId = (await findUserIdByEmail(ctx, `budi.santoso@warga.${DOMAIN}`)) ?? '';
      const applicant = { userId: applicantId, kind: 'citizen' as const, sessionId: null, grants: [] };
      const { id } = await startApplication(ctx, applicant, 'akta-kelahiran', aktaKelahiranAnswers());
      trackingNumber = (await submitApplication(ctx, applicant, id, { consent: true, lang: 'id' }))
        .trackingNumber;
      const recorded = await ctx.db
        .selectFrom('application_subjects')
        .select('nik_bidx')
        .where('application_id', '=', id)
        .execute();
      expect(recorded.length).toBeGreaterThan(0);
      const verifierId = (await findUserIdByEmail(ctx, `verifikator.disdukcapil@${DOMAIN}`)) ?? '';
      await getInboxDetail(
        ctx,
        {
          userId: verifierId,
          kind: 'staff',
          sessionId: null,
          grants: await activeGrants(ctx.db, verifierId),
        },
        id,
      );
    } finally {
      await opened.handle.close();
    }
  });
  afterAll(async () => {
    await fresh?.cleanup();
  });

  it(onEngine(engine, 'ropa prints the record of processing of every published service as Markdown'), () => {
    const result = cli('ropa');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^# Catatan Kegiatan Pemrosesan Data Pribadi\n/);
    expect(out).toContain('— 6 layanan');
    expect(out).toContain('## Dinas Kependudukan dan Pencatatan Sipil Kota Sukamaju (disdukcapil)');
    expect(out).toContain('### Akta Kelahiran (`akta-kelahiran`, v1)');
    expect(out).toContain(
      '- **Subjek data**: Yang mengajukan (pemilik akun atau warga di loket); Data anak; Data ibu;',
    );
    expect(out).toMatch(/- \*\*Data pribadi spesifik\*\*: Nama lengkap anak; Jenis kelamin;/);
    expect(out).toContain(
      '- **Penerima di instansi (data spesifik)**: Pejabat penandatangan; Petugas loket; Verifikator',
    );
    expect(out).toContain(
      '- **Masa retensi**: 10 tahun setelah permohonan selesai — JRA Perwali Kota Sukamaju',
    );
    expect(cli('ropa', '--lang', 'en').stdout).toContain(
      '- **Retention**: 10 years after the application closes',
    );
  });

  it(onEngine(engine, 'ropa --json gives the same record as data'), () => {
    const result = cli('ropa', '--json');
    expect(result.status).toBe(0);
    const { services } = JSON.parse(result.stdout) as {
      services: {
        service: { slug: string };
        retention: { years: number };
        categories: { specific: { id: string }[] };
        recipients: { specific: string[] };
      }[];
    };
    expect(services).toHaveLength(6);
    const akta = services.find((s) => s.service.slug === 'akta-kelahiran');
    expect(akta?.retention.years).toBe(10);
    expect(akta?.recipients.specific).toEqual(['approver', 'counter_officer', 'verifier']);
    expect(akta?.categories.specific.map((c) => c.id)).toContain('Nama lengkap anak');
  });

  it(
    onEngine(
      engine,
      'breach-report lists the applications and people affected, without NIK or contact values',
    ),
    () => {
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const to = new Date(Date.now() + 3_600_000).toISOString();
      const result = cli('breach-report', '--from', from, '--to', to);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const out = result.stdout;
      expect(out).toContain('Affected applications: 1\n');
      expect(out).toContain('People with an account to notify: 2\n');
      // Reporter and father share a NIK; the two witnesses and the father have no account.
      expect(out).toContain("Subjects without an account (reach through the agency's records): 3\n");
      expect(out).toMatch(/TRACKING +AGENCY +SERVICE +ACCESSED +CHANGED +FILES +APPLICANT +SUBJECTS/);
      const row = out.split('\n').find((line) => line.startsWith(trackingNumber));
      expect(row).toMatch(
        new RegExp(
          `^${trackingNumber} +disdukcapil +akta-kelahiran +1 +2 +0 +${applicantId} \\(in_app,email\\) +${subjectId} \\(in_app,email\\); 3 without account$`,
        ),
      );
      for (const secret of [
        VALID.nik,
        VALID.nikFemale,
        'Siti Aminah',
        'Ani Lestari',
        `budi.santoso@warga.${DOMAIN}`,
      ])
        expect(out).not.toContain(secret);

      const json = JSON.parse(cli('breach-report', '--from', from, '--to', to, '--json').stdout) as {
        counts: { applications: number };
        notifyBy: string;
      };
      expect(json.counts.applications).toBe(1);
      expect(Date.parse(json.notifyBy) - Date.now()).toBeGreaterThan(71 * 3_600_000);

      expect(cli('breach-report', '--from', from, '--to', to, '--category', 'specific').stdout).toContain(
        'Affected applications: 1\n',
      );
      expect(cli('breach-report', '--from', from, '--to', to, '--agency', 'dinsos').stdout).toContain(
        'Affected applications: 0\n',
      );
      const before = cli('breach-report', '--from', '2020-01-01', '--to', '2020-02-01');
      expect(before.status).toBe(0);
      expect(before.stdout).toContain('Affected applications: 0\n');
    },
  );

  it(
    onEngine(engine, 'breach-report refuses a wrong window, category or agency with exit code 2'),
    () => {
      const bad = cli('breach-report', '--from', 'yesterday', '--to', '2026-12-01');
      expect(bad.status).toBe(2);
      expect(bad.stderr).toBe('gapura: --from "yesterday" is not an ISO-8601 date or time\n');
      expect(cli('breach-report', '--from', '2026-12-02', '--to', '2026-12-01').stderr).toBe(
        'gapura: --from must be before --to\n',
      );
      expect(
        cli('breach-report', '--from', '2026-12-01', '--to', '2026-12-02', '--category', 'all').status,
      ).toBe(2);
      const unknown = cli('breach-report', '--from', '2026-12-01', '--to', '2026-12-02', '--agency', 'nope');
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toBe('gapura: no agency with slug "nope"\n');
    },
    SPAWNS_TIMEOUT,
  );
});
