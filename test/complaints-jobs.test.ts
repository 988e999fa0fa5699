import { describe, expect, it } from 'vitest';
import { calendarFor } from '../src/calendar/service.ts';
import { seedComplaintsDemo } from '../src/complaints/demo.ts';
import { complaintFigures } from '../src/complaints/figures.ts';
import { fileComplaint } from '../src/complaints/filing.ts';
import { actAsStaff, actWithSecret } from '../src/complaints/handling.ts';
import { runComplaintJobs } from '../src/complaints/jobs.ts';
import { setFollowUpDays } from '../src/complaints/settings.ts';
import { keyIdOf, PLATFORM_SCOPE } from '../src/crypto/keyring.ts';
import { ENCRYPTED_COLUMNS, rotateKeys } from '../src/crypto/rotate.ts';
import { seedDemo } from '../src/demo/seed.ts';
import type { Principal } from '../src/identity/roles.ts';
import { findUserIdByEmail } from '../src/identity/service.ts';
import { activeGrants } from '../src/identity/store.ts';
import { ENGINES, onEngine, useTestContext } from './helpers/engines.ts';

const DOMAIN = 'sukamaju.example';
/** Monday 2 March 2026, 09:00 WIB: a working week with no holiday. */
const MONDAY = new Date('2026-03-02T02:00:00Z');
const at = (base: Date, hours: number) => new Date(base.getTime() + hours * 3600_000);

describe.each(ENGINES)('complaint jobs and figures, with a clock', (engine) => {
  const test = useTestContext(engine);
  const ctx = () => test.opened.ctx;
  const people: Record<string, Principal> = {};
  let n = 0;

  const staffOf = async (email: string): Promise<Principal> => {
    const userId = await findUserIdByEmail(ctx(), email);
    if (!userId) throw new Error(`no demo account ${email}`);
    return { userId, kind: 'staff', sessionId: null, grants: await activeGrants(ctx().db, userId) };
  };

  const file = (now: Date, subject = 'akta-kelahiran') =>
    fileComplaint(
      ctx(),
      null,
      {
        mode: 'anonymous',
        reportType: 'pengaduan',
        category: 'service_quality',
        subject: { kind: 'service', ref: subject },
        text: `Antrean di loket sangat panjang dan tidak ada nomor antrean (${n++}).`,
        mayPublish: false,
        files: [],
        lang: 'id',
        client: `10.50.0.${n}`,
      },
      now,
    );

  const row = (id: string) =>
    ctx().db.selectFrom('complaints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** Filed at `filedAt`, disposed to the agency and answered by its handler at `answeredAt`. */
  const answered = async (
    filedAt: Date,
    answeredAt: Date,
    agency = 'disdukcapil',
    subject = 'akta-kelahiran',
  ) => {
    const receipt = await file(filedAt, subject);
    const handler = agency === 'disdukcapil' ? people.handler! : people.dinsosHandler!;
    await actAsStaff(
      ctx(),
      people.admin!,
      receipt.id,
      { action: 'dispose', rowVersion: 1, agency },
      at(filedAt, 1),
    );
    await actAsStaff(
      ctx(),
      handler,
      receipt.id,
      { action: 'follow_up', rowVersion: 2, comment: 'Nomor antrean kini tersedia.' },
      answeredAt,
    );
    return receipt;
  };

  it(
    onEngine(engine, 'an answered report nobody replies to closes itself 10 working days later, once'),
    async () => {
      await seedDemo(ctx());
      people.admin = await staffOf(`admin.pengaduan@${DOMAIN}`);
      people.handler = await staffOf(`pengaduan.disdukcapil@${DOMAIN}`);
      people.dinsosHandler = await staffOf(`pengaduan.dinsos@${DOMAIN}`);

      const quiet = await answered(MONDAY, at(MONDAY, 3));
      const replied = await answered(MONDAY, at(MONDAY, 3));
      const closeAt = (await row(quiet.id)).auto_close_at;
      // Ten working days after Monday 2 March: Monday 16 March, end of day in WIB.
      expect(closeAt).toBe('2026-03-16T16:59:59.999Z');
      await actWithSecret(
        ctx(),
        { number: replied.number, secret: replied.secret, client: '10.50.1.1' },
        {
          action: 'accept',
          rowVersion: 3,
        },
      );

      const early = await runComplaintJobs(ctx(), new Date('2026-03-16T16:00:00Z'));
      expect(early.closed).toBe(0);
      expect((await row(quiet.id)).state).toBe('answered');
      const due = await runComplaintJobs(ctx(), new Date('2026-03-17T01:00:00Z'));
      expect(due.closed).toBe(1);
      const closed = await row(quiet.id);
      expect([closed.state, closed.closed_at]).toEqual(['closed', '2026-03-17T01:00:00.000Z']);
      const last = await ctx()
        .db.selectFrom('complaint_events')
        .select(['action', 'actor_role', 'actor_id'])
        .where('complaint_id', '=', quiet.id)
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow();
      expect(last).toEqual({ action: 'auto_close', actor_role: 'system', actor_id: null });
      expect((await runComplaintJobs(ctx(), new Date('2026-03-18T01:00:00Z'))).closed).toBe(0);
      // The one the complainant accepted was closed by them, not by the job.
      expect((await row(replied.id)).closed_at).not.toBe('2026-03-17T01:00:00.000Z');
    },
  );

  it(
    onEngine(
      engine,
      'overdue deadlines escalate once: to complaint admins, then to the agency’s supervisors',
    ),
    async () => {
      const waiting = await file(MONDAY);
      const due = (await row(waiting.id)).state_due_at;
      // Three working days for the admin's verification: Thursday 5 March.
      expect(due).toBe('2026-03-05T16:59:59.999Z');
      const after = new Date('2026-03-06T02:00:00Z');
      const escalations = () =>
        ctx()
          .db.selectFrom('notifications')
          .select(['user_id'])
          .where('template', '=', 'complaint.escalated')
          .execute();
      const before = (await escalations()).length;
      const first = await runComplaintJobs(ctx(), after);
      expect(first.escalated).toBeGreaterThanOrEqual(1);
      const sent = await escalations();
      expect(sent.map((s) => s.user_id)).toContain(people.admin!.userId);
      expect((await runComplaintJobs(ctx(), after)).escalated).toBe(0);
      expect((await escalations()).length).toBe(sent.length);
      expect(sent.length).toBeGreaterThan(before);

      await actAsStaff(
        ctx(),
        people.admin!,
        waiting.id,
        { action: 'dispose', rowVersion: 1, agency: 'disdukcapil' },
        after,
      );
      const supervisor = await staffOf(`atasan.disdukcapil@${DOMAIN}`);
      await runComplaintJobs(ctx(), new Date('2026-03-20T02:00:00Z'));
      const toSupervisor = (await escalations()).filter((s) => s.user_id === supervisor.userId);
      expect(toSupervisor.length).toBeGreaterThanOrEqual(1);
    },
  );

  it(
    onEngine(engine, 'an agency’s own follow-up time sets the deadline of reports disposed to it'),
    async () => {
      await setFollowUpDays(ctx(), people.admin!, 'dinsos', 2);
      const receipt = await file(MONDAY, 'sktm');
      await actAsStaff(
        ctx(),
        people.admin!,
        receipt.id,
        { action: 'dispose', rowVersion: 1, agency: 'dinsos' },
        MONDAY,
      );
      expect((await row(receipt.id)).state_due_at).toBe('2026-03-04T16:59:59.999Z');
      await expect(setFollowUpDays(ctx(), people.handler!, 'dinsos', 3)).rejects.toMatchObject({
        code: 'auth.forbidden',
      });
      await expect(setFollowUpDays(ctx(), people.admin!, 'dinsos', 99)).rejects.toMatchObject({
        code: 'request.fields',
      });
    },
  );

  it(
    onEngine(
      engine,
      'figures: received in the period, resolved after a follow-up, median working days per the agency calendar',
    ),
    async () => {
      // A month of its own (May 2026), with holidays on 14, 15, 27, 28 May.
      const may = (day: number) => new Date(`2026-05-${String(day).padStart(2, '0')}T02:00:00Z`);
      const a = await answered(may(4), may(5));
      const b = await answered(may(11), may(12));
      const c = await answered(may(18), may(19), 'dinsos', 'sktm');
      await file(may(20));
      const close = async (receipt: { number: string; secret: string }, rowVersion: number, when: Date) =>
        actWithSecret(ctx(), { ...receipt, client: '10.50.2.1' }, { action: 'accept', rowVersion }, when);
      await close(a, 3, may(6)); // Mon 4 → Wed 6: 2 working days
      await close(b, 3, may(18)); // Mon 11 → Mon 18, over Ascension (14) and cuti bersama (15): 3 working days
      await close(c, 3, may(29)); // Mon 18 → Fri 29, over 27 and 28 May: 7 working days
      const period = { from: '2026-05-01T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z' };
      expect(await complaintFigures(ctx(), { agencyId: null, serviceId: null }, period)).toEqual({
        received: 4,
        resolved: 3,
        medianResolutionDays: 3,
      });
      const disdukcapil = await ctx()
        .db.selectFrom('agencies')
        .select('id')
        .where('slug', '=', 'disdukcapil')
        .executeTakeFirstOrThrow();
      expect(await complaintFigures(ctx(), { agencyId: disdukcapil.id, serviceId: null }, period)).toEqual({
        received: 3,
        resolved: 2,
        medianResolutionDays: 2.5,
      });
      const sktm = await ctx()
        .db.selectFrom('services')
        .select('id')
        .where('slug', '=', 'sktm')
        .executeTakeFirstOrThrow();
      expect(await complaintFigures(ctx(), { agencyId: null, serviceId: sktm.id }, period)).toEqual({
        received: 1,
        resolved: 1,
        medianResolutionDays: 7,
      });
      expect(
        await complaintFigures(
          ctx(),
          { agencyId: null, serviceId: null },
          { from: '2030-01-01T00:00:00.000Z', to: '2030-02-01T00:00:00.000Z' },
        ),
      ).toEqual({ received: 0, resolved: 0, medianResolutionDays: null });
      // The working days are the calendar's, not the wall clock's.
      const calendar = await calendarFor(ctx(), disdukcapil.id);
      expect(calendar.workingDaysBetween(may(11), may(18), 'Asia/Jakarta')).toBe(3);
    },
  );
});

describe.each(ENGINES)('demo complaints', (engine) => {
  const test = useTestContext(engine);

  it(
    onEngine(
      engine,
      'history makes a few dozen reports in every state across the agencies; without it, none',
    ),
    async () => {
      const ctx = test.opened.ctx;
      await seedDemo(ctx);
      expect(await ctx.db.selectFrom('complaints').select('id').execute()).toEqual([]);
      await seedComplaintsDemo(ctx, { history: true });
      const rows = await ctx.db
        .selectFrom('complaints')
        .select(['state', 'agency_id', 'mode', 'created_at'])
        .execute();
      expect(rows.length).toBeGreaterThanOrEqual(30);
      const states = new Set(rows.map((r) => r.state));
      for (const state of [
        'received',
        'postponed',
        'verified',
        'disposed',
        'answered',
        'appealed',
        'closed',
        'archived',
        'not_authority',
      ])
        expect(states, state).toContain(state);
      expect(new Set(rows.flatMap((r) => (r.agency_id ? [r.agency_id] : []))).size).toBe(3);
      expect(new Set(rows.map((r) => r.mode))).toEqual(new Set(['anonymous', 'confidential', 'named']));
      const months = new Set(rows.map((r) => r.created_at.slice(0, 7)));
      expect(months.size).toBeGreaterThanOrEqual(4);
      expect(rows.every((r) => r.created_at < new Date().toISOString())).toBe(true);
      const figures = await complaintFigures(
        ctx,
        { agencyId: null, serviceId: null },
        {
          from: '2000-01-01T00:00:00.000Z',
          to: '2100-01-01T00:00:00.000Z',
        },
      );
      expect(figures.received).toBe(rows.length);
      expect(figures.resolved).toBeGreaterThanOrEqual(10);
      expect(figures.medianResolutionDays).not.toBeNull();
    },
  );

  it(
    onEngine(
      engine,
      'key rotation re-encrypts every complaint column under the new key, plaintexts unchanged',
    ),
    async () => {
      const ctx = test.opened.ctx;
      await fileComplaint(ctx, null, {
        mode: 'anonymous',
        reportType: 'aspirasi',
        category: 'facilities',
        subject: { kind: 'agency', ref: 'dinsos' },
        text: 'Mohon disediakan tempat parkir sepeda di kantor Dinas Sosial.',
        mayPublish: true,
        files: [Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('lampiran')])],
        lang: 'id',
        client: '10.51.0.1',
      });
      const columns = ENCRYPTED_COLUMNS.filter((c) => c.table.startsWith('complaint'));
      expect(new Set(columns.map((c) => c.table))).toEqual(
        new Set(['complaints', 'complaint_events', 'complaint_attachments']),
      );
      const read = async () => {
        const out = new Map<string, { key: string | undefined; plain: string }>();
        for (const c of columns) {
          const rows = await ctx.db
            .selectFrom(c.table)
            // biome-ignore lint/suspicious/noExplicitAny: the column list is data
            .select([`${c.idColumn} as id`, `${c.column} as value`] as any)
            .execute();
          for (const row of rows as { id: string; value: string | Buffer | null }[]) {
            if (row.value === null) continue;
            const plain =
              typeof row.value === 'string'
                ? await ctx.keyring.decrypt(row.value, c.context(row.id))
                : (await ctx.keyring.decryptBytes(Buffer.from(row.value), c.context(row.id))).toString('hex');
            out.set(`${c.table}.${c.column}:${row.id}`, { key: keyIdOf(row.value), plain });
          }
        }
        return out;
      };
      const before = await read();
      // Every column holds something, so the rotation below is shown on each.
      for (const c of columns)
        expect(
          [...before.keys()].some((k) => k.startsWith(`${c.table}.${c.column}:`)),
          c.column,
        ).toBe(true);
      const result = await rotateKeys(ctx.db, ctx.keyring, { scopes: [PLATFORM_SCOPE] });
      const fresh = result.created.get(PLATFORM_SCOPE);
      expect(fresh).toBeDefined();
      const after = await read();
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
      for (const [where, value] of after) {
        expect(value.key, where).toBe(fresh);
        expect(value.plain, where).toBe(before.get(where)?.plain);
      }
    },
  );
});
