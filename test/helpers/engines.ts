import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { createLogger, type Opened, openContext } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config/config.ts';
import type { Engine } from '../../src/db/database.ts';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl && process.env.CI === 'true') {
  throw new Error('CI=true but DATABASE_URL is not set: the PostgreSQL half of the storage tests cannot run');
}

/** The engines every storage test runs on: SQLite always, PostgreSQL when DATABASE_URL is set. */
export const ENGINES: readonly Engine[] = databaseUrl ? ['sqlite', 'postgres'] : ['sqlite'];

export interface FreshDatabase {
  engine: Engine;
  dataDir: string;
  /** Environment variables that point Gapura at this database. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * An empty database of its own for one test file: a temporary data directory, plus on PostgreSQL a
 * new database on the server DATABASE_URL names, dropped afterwards.
 */
export async function freshDatabase(engine: Engine): Promise<FreshDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gapura-test-'));
  const env: Record<string, string> = { GAPURA_DATA_DIR: dataDir, LOG_LEVEL: 'silent', GAPURA_MODE: 'demo' };
  if (engine === 'sqlite') {
    return { engine, dataDir, env, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  if (!databaseUrl) throw new Error('PostgreSQL tests need DATABASE_URL');
  const name = `gapura_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  env.DATABASE_URL = url.toString();
  return {
    engine,
    dataDir,
    env,
    cleanup: async () => {
      const admin2 = postgres(databaseUrl, { max: 1, onnotice: () => {} });
      await admin2.unsafe(`drop database if exists ${name} with (force)`);
      await admin2.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function testConfig(fresh: FreshDatabase, extra: Record<string, string> = {}): Config {
  return loadConfig({
    ...fresh.env,
    PORT: '0',
    HOST: '127.0.0.1',
    GAPURA_WORKER_INTERVAL_MS: '50',
    ...extra,
  });
}

/** A migrated database with keys loaded, for service-level tests. */
export async function openTestContext(
  fresh: FreshDatabase,
  extra: Record<string, string> = {},
): Promise<Opened> {
  const config = testConfig(fresh, extra);
  return openContext(config, createLogger(config));
}

/** Names a test with its engine, so the reporter can count tests per engine. */
export function onEngine(engine: Engine, name: string): string {
  return `[${engine}] ${name}`;
}

/**
 * A migrated database with keys for the tests of one `describe` block: created before them,
 * closed and dropped after them. Read `.opened` inside the tests.
 */
export function useTestContext(
  engine: Engine,
  extra: Record<string, string> = {},
): { readonly opened: Opened } {
  let fresh: FreshDatabase | undefined;
  let opened: Opened | undefined;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh, extra);
  });
  afterAll(async () => {
    await opened?.handle.close();
    await fresh?.cleanup();
  });
  return {
    get opened(): Opened {
      if (!opened) throw new Error('the test database is not open yet');
      return opened;
    },
  };
}
