import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine } from '../../test/helpers/engines.ts';
import { type DatabaseHandle, openDatabase } from './database.ts';
import { MigrationFailed, migrate, pendingMigrations } from './migrate.ts';
import { migrations } from './migrations/index.ts';

describe.each(ENGINES)('migrations', (engine) => {
  let fresh: FreshDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    handle = openDatabase({ databaseUrl: fresh.env.DATABASE_URL, dataDir: fresh.dataDir });
  });
  afterAll(async () => {
    await handle.close();
    await fresh.cleanup();
  });

  it(
    onEngine(engine, 'applies every migration once, records it, and a second run applies nothing'),
    async () => {
      expect(await pendingMigrations(handle.db)).toEqual(migrations.map((m) => m.id));
      expect(await migrate(handle.db, handle.engine)).toEqual(migrations.map((m) => m.id));
      expect(await pendingMigrations(handle.db)).toEqual([]);
      expect(await migrate(handle.db, handle.engine)).toEqual([]);
      const recorded = await handle.db.selectFrom('gapura_migrations').select('id').execute();
      expect(recorded.map((r) => r.id)).toEqual(migrations.map((m) => m.id));
    },
  );

  it(onEngine(engine, 'a failing migration leaves the database exactly as it was'), async () => {
    const broken = [
      ...migrations,
      {
        id: '999-broken',
        async up(db: Parameters<(typeof migrations)[number]['up']>[0]) {
          await db.schema.createTable('half_done').addColumn('id', 'text').execute();
          await sql`insert into no_such_table values (1)`.execute(db);
        },
      },
    ];
    await expect(migrate(handle.db, handle.engine, broken)).rejects.toBeInstanceOf(MigrationFailed);
    expect(await pendingMigrations(handle.db, broken)).toEqual(['999-broken']);
    const tables = await handle.db.introspection.getTables();
    expect(tables.map((t) => t.name)).not.toContain('half_done');
  });
});
