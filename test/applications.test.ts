import { describe, expect, it } from 'vitest';
import {
  AnswerProblems,
  fileApplication,
  getApplication,
  getReceipt,
  listMyApplications,
  saveAnswers,
  startApplication,
  submitApplication,
  trackApplication,
} from '../src/applications/service.ts';
import { parseTrackingNumber } from '../src/applications/tracking.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import type { Principal } from '../src/identity/roles.ts';
import { findUserIdByEmail } from '../src/identity/service.ts';
import { DomainError } from '../src/web/domain-error.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, onEngine, useTestContext } from './helpers/engines.ts';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DomainError) return err.code;
    throw err;
  }
  return 'no error';
}

describe.each(ENGINES)('applications (citizen side)', (engine) => {
  const test = useTestContext(engine);
  let citizen: Principal;
  let other: Principal;
  const ctx = () => test.opened.ctx;

  const principalOf = async (account: DemoAccount): Promise<Principal> => {
    const userId = await findUserIdByEmail(ctx(), account.email);
    if (!userId) throw new Error('no demo citizen');
    return { userId, kind: 'citizen', sessionId: null, grants: [] };
  };

  it(onEngine(engine, 'a draft keeps what was typed, even when it does not validate yet'), async () => {
    const accounts = await seedDemo(ctx());
    const citizens = accounts.filter((a) => a.role === 'citizen');
    citizen = await principalOf(citizens[0]!);
    other = await principalOf(citizens[1]!);

    const { id } = await startApplication(ctx(), citizen, 'akta-kelahiran');
    const saved = await saveAnswers(ctx(), citizen, id, {
      pelapor_nik: '12345',
      pelapor_nama: 'Budi Santoso',
    });
    expect(saved.errors.map((e) => e.path)).toEqual(['pelapor_nik']);
    const detail = await getApplication(ctx(), citizen, id);
    expect(detail.stage).toBe('draft');
    expect(detail.answers).toEqual({ pelapor_nik: '12345', pelapor_nama: 'Budi Santoso' });
    // Unknown keys are not stored; the answers are not readable in the database.
    await saveAnswers(ctx(), citizen, id, { bukan_isian: 'x' });
    expect(Object.keys((await getApplication(ctx(), citizen, id)).answers)).not.toContain('bukan_isian');
    const stored = await ctx()
      .db.selectFrom('applications')
      .select('answers_enc')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.answers_enc).not.toContain('Budi');
    expect(stored.answers_enc).toMatch(/^g1\./);
  });

  it(onEngine(engine, 'submission needs every answer valid and the consent'), async () => {
    const { id } = await startApplication(ctx(), citizen, 'akta-kelahiran');
    const invalid = submitApplication(ctx(), citizen, id, { consent: true, lang: 'id' });
    await expect(invalid).rejects.toBeInstanceOf(AnswerProblems);
    await saveAnswers(ctx(), citizen, id, aktaKelahiranAnswers());
    expect(await codeOf(submitApplication(ctx(), citizen, id, { consent: false, lang: 'id' }))).toBe(
      'application.consent_required',
    );
    expect((await getApplication(ctx(), citizen, id)).stage).toBe('draft');
  });

  it(onEngine(engine, 'submits once however often it is sent, with a checked tracking number'), async () => {
    const { id } = await startApplication(ctx(), citizen, 'akta-kelahiran', aktaKelahiranAnswers());
    const receipts = await Promise.all(
      Array.from({ length: 5 }, () => submitApplication(ctx(), citizen, id, { consent: true, lang: 'id' })),
    );
    const first = receipts[0]!;
    for (const r of receipts) expect(r).toEqual(first);
    expect(first.trackingNumber).toMatch(/^DKP-\d{2}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(parseTrackingNumber(first.trackingNumber)?.text).toBe(first.trackingNumber);
    expect(first.trackingSecret).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(first.state).toBe('diajukan');
    expect(new Date(first.dueAt).getTime()).toBeGreaterThan(new Date(first.submittedAt).getTime());

    const detail = await getApplication(ctx(), citizen, id);
    expect(detail.stage).toBe('active');
    expect(detail.history.map((h) => h.kind)).toEqual(['created', 'submitted']);
    const leaves = await ctx().db.selectFrom('audit_leaves').select('content').execute();
    const submitted = leaves
      .map((l) => JSON.parse(l.content.toString('utf8')) as { type: string; subject: string })
      .filter((l) => l.type === 'application.submitted' && l.subject === id);
    expect(submitted).toHaveLength(1);
    const notes = await ctx()
      .db.selectFrom('notifications')
      .select(['channel', 'id'])
      .where('user_id', '=', citizen.userId)
      .where('template', '=', 'application.submitted')
      .execute();
    // In the app, and by e-mail through the outbox (the demo citizen registered with an address).
    expect(notes.map((n) => n.channel).sort()).toEqual(['email', 'in_app']);
    const jobs = await ctx().db.selectFrom('outbox').select('payload').execute();
    const emailNote = notes.find((n) => n.channel === 'email');
    expect(jobs.some((j) => String(j.payload).includes(emailNote?.id ?? 'none'))).toBe(true);
    expect(await getReceipt(ctx(), citizen, id)).toEqual(first);
    expect(await codeOf(saveAnswers(ctx(), citizen, id, { pelapor_nama: 'X' }))).toBe(
      'application.not_editable',
    );
  });

  it(onEngine(engine, 'the same Idempotency-Key files one application, even at the same time'), async () => {
    const before = (await listMyApplications(ctx(), citizen)).length;
    const input = { consent: true, lang: 'en' as const, idempotencyKey: 'retry-0001' };
    const receipts = await Promise.all(
      Array.from({ length: 4 }, () =>
        fileApplication(ctx(), citizen, 'akta-kelahiran', aktaKelahiranAnswers(), input),
      ),
    );
    expect(new Set(receipts.map((r) => r.id)).size).toBe(1);
    const after = await listMyApplications(ctx(), citizen);
    // One application filed, and no draft left behind by the requests that lost the race.
    expect(after.length - before).toBe(1);
    expect(after.find((a) => a.id === receipts[0]!.id)?.stage).toBe('active');
    const again = await fileApplication(ctx(), citizen, 'akta-kelahiran', aktaKelahiranAnswers(), input);
    expect(again.id).toBe(receipts[0]!.id);
  });

  it(onEngine(engine, 'nobody else can see or change an application'), async () => {
    const [mine] = await listMyApplications(ctx(), citizen);
    expect(mine).toBeDefined();
    expect(await codeOf(getApplication(ctx(), other, mine!.id))).toBe('not_found');
    expect(await codeOf(saveAnswers(ctx(), other, mine!.id, {}))).toBe('not_found');
    expect(await codeOf(getApplication(ctx(), other, 'not-an-id'))).toBe('not_found');
    expect(await listMyApplications(ctx(), other)).toEqual([]);
  });

  it(
    onEngine(engine, 'public tracking needs the secret and says nothing about unknown numbers'),
    async () => {
      const { id } = await startApplication(ctx(), citizen, 'akta-kelahiran', aktaKelahiranAnswers());
      const receipt = await submitApplication(ctx(), citizen, id, { consent: true, lang: 'id' });
      const status = await trackApplication(ctx(), {
        trackingNumber: receipt.trackingNumber.toLowerCase(),
        secret: receipt.trackingSecret.toLowerCase(),
        client: '10.0.0.1',
      });
      expect(status).toMatchObject({
        trackingNumber: receipt.trackingNumber,
        state: { id: 'Diajukan, menunggu verifikasi', en: 'Submitted, awaiting verification' },
      });
      const wrong = await codeOf(
        trackApplication(ctx(), {
          trackingNumber: receipt.trackingNumber,
          secret: 'AAAAAAAA',
          client: '10.0.0.2',
        }),
      );
      const unknownNumber = receipt.trackingNumber.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
      const unknown = await codeOf(
        trackApplication(ctx(), {
          trackingNumber: unknownNumber,
          secret: receipt.trackingSecret,
          client: '10.0.0.3',
        }),
      );
      expect(wrong).toBe('application.track_failed');
      expect(unknown).toBe('application.track_failed');
      const codes: string[] = [];
      for (let i = 0; i < 12; i++)
        codes.push(
          await codeOf(
            trackApplication(ctx(), {
              trackingNumber: receipt.trackingNumber,
              secret: `WRONG${i}`,
              client: '10.0.0.4',
            }),
          ),
        );
      expect(codes.slice(-2)).toEqual(['auth.too_many_attempts', 'auth.too_many_attempts']);
    },
  );
});
