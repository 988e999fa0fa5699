import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENGINES,
  type FreshDatabase,
  freshDatabase,
  onEngine,
  openTestContext,
} from '../../test/helpers/engines.ts';
import { type ApiSession, apiSignIn } from '../../test/helpers/http.ts';
import type { Opened } from '../app.ts';
import { seedDemo } from '../demo/seed.ts';
import { type App, buildServer } from '../web/server.ts';
import { calendarFor } from './service.ts';

interface Item {
  id: string | null;
  date: string;
  kind: string;
  source: string;
}

describe.each(ENGINES)('holidays managed by the platform admin', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  let admin: ApiSession;
  const list = async (query: string) =>
    (await app.inject(`/api/v1/holidays?${query}`)).json<{ items: Item[] }>().items;
  const add = (payload: object) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/holidays',
      payload,
      cookies: { gapura_session: admin.cookie },
      headers: { 'x-csrf-token': admin.csrf },
    });

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    const accounts = await seedDemo(opened.ctx);
    app = await buildServer(opened.ctx);
    const a = accounts.find((x) => x.role === 'platform_admin')!;
    admin = await apiSignIn(app, opened, a.email, a.password);
  });
  afterAll(async () => {
    await app.close();
    await opened.handle.close();
    await fresh.cleanup();
  });

  it(onEngine(engine, 'publishes the shipped 2026 SKB list'), async () => {
    const items = await list('year=2026');
    expect(items.filter((h) => h.kind === 'national')).toHaveLength(17);
    expect(items.filter((h) => h.kind === 'cuti_bersama').map((h) => h.date)).toEqual([
      '2026-02-16',
      '2026-03-18',
      '2026-03-20',
      '2026-03-23',
      '2026-03-24',
      '2026-05-15',
      '2026-05-28',
      '2026-12-24',
    ]);
    expect(items.every((h) => h.source === 'shipped' && h.id === null)).toBe(true);
  });

  it(
    onEngine(engine, 'an added cuti bersama day moves deadlines; a regional day applies to its agency only'),
    async () => {
      const before = await calendarFor(opened.ctx, null);
      expect(before.isWorkingDay('2026-12-31')).toBe(true);
      const added = await add({
        date: '2026-12-31',
        kind: 'cuti_bersama',
        nameId: 'Cuti bersama akhir tahun',
        nameEn: 'Year-end collective leave',
      });
      expect(added.statusCode).toBe(201);
      const after = await calendarFor(opened.ctx, null);
      expect(after.isWorkingDay('2026-12-31')).toBe(false);
      // 30 Dec + 1 working day: 31 Dec is now leave, 1 Jan a holiday, 2–3 Jan the weekend → Monday 4 Jan.
      expect(after.addWorkingDays('2026-12-30', 1)).toBe('2027-01-04');
      expect((await list('year=2026')).find((h) => h.date === '2026-12-31')).toMatchObject({
        source: 'added',
        kind: 'cuti_bersama',
      });

      const regional = await add({
        date: '2026-10-05',
        kind: 'regional',
        nameId: 'Hari Jadi Kota Sukamaju',
        nameEn: 'Sukamaju City Anniversary',
        agency: 'dinsos',
      });
      expect(regional.statusCode).toBe(201);
      expect((await list('year=2026&agency=dinsos')).some((h) => h.date === '2026-10-05')).toBe(true);
      expect((await list('year=2026')).some((h) => h.date === '2026-10-05')).toBe(false);
      const agencyId = (
        await opened.ctx.db
          .selectFrom('agencies')
          .select('id')
          .where('slug', '=', 'dinsos')
          .executeTakeFirstOrThrow()
      ).id;
      expect((await calendarFor(opened.ctx, agencyId)).isWorkingDay('2026-10-05')).toBe(false);
      expect((await calendarFor(opened.ctx, null)).isWorkingDay('2026-10-05')).toBe(true);

      const leaves = await opened.ctx.db.selectFrom('audit_leaves').select('content').execute();
      expect(
        leaves.filter((l) => Buffer.from(l.content).toString().includes('"type":"holiday.added"')),
      ).toHaveLength(2);
    },
  );

  it(
    onEngine(engine, 'adding a day to a year without a shipped list keeps the fallback holidays'),
    async () => {
      expect(
        (
          await add({
            date: '2027-02-08',
            kind: 'cuti_bersama',
            nameId: 'Cuti bersama',
            nameEn: 'Collective leave',
          })
        ).statusCode,
      ).toBe(201);
      const calendar = await calendarFor(opened.ctx, null);
      expect(calendar.isWorkingDay('2027-02-08')).toBe(false);
      expect(calendar.isWorkingDay('2027-08-17')).toBe(false);
    },
  );

  it(onEngine(engine, 'refuses impossible input and removes added days'), async () => {
    expect(
      (await add({ date: '2026-02-30', kind: 'national', nameId: 'Tidak ada', nameEn: 'None' })).json().error
        .code,
    ).toBe('holiday.invalid_date');
    expect(
      (
        await add({ date: '2026-11-02', kind: 'regional', nameId: 'Tanpa instansi', nameEn: 'No agency' })
      ).json().error.code,
    ).toBe('holiday.regional_needs_agency');
    expect(
      (
        await add({
          date: '2026-11-02',
          kind: 'regional',
          nameId: 'Tidak dikenal',
          nameEn: 'Unknown',
          agency: 'nope',
        })
      ).statusCode,
    ).toBe(404);
    const added = (await list('year=2026')).find((h) => h.date === '2026-12-31');
    const removed = await app.inject({
      method: 'DELETE',
      url: `/api/v1/holidays/${added?.id}`,
      cookies: { gapura_session: admin.cookie },
      headers: { 'x-csrf-token': admin.csrf },
    });
    expect(removed.statusCode).toBe(204);
    expect((await calendarFor(opened.ctx, null)).isWorkingDay('2026-12-31')).toBe(true);
  });
});
