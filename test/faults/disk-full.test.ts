import { rmSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { mapError } from '../../src/web/errors.ts';
import { checkAudit, checkWrites, openForChecks } from './checks.ts';
import {
  canMountTmpfs,
  fillUp,
  GapuraNode,
  mountTmpfs,
  setImmutable,
  tempDir,
  trace,
  unmount,
} from './helpers.ts';
import { type ApiSession, Load, moreOf, openSessions, SERVICE } from './load.ts';

/*
 * Root ignores permission bits, so a full or unwritable data directory is made with what stops root
 * too: a small tmpfs mounted over the data directory and filled up (when this machine allows
 * mounting, as CI runners do), and the immutable attribute on the database files, which refuses
 * writes even through files SQLite already has open (on ext4; tmpfs ignores it for open files, so
 * the read-only case runs on the ordinary temporary directory).
 */
const mountable = canMountTmpfs();
const TMPFS_MB = 64;

/** A node over a data directory of its own (on a small tmpfs when `onTmpfs`). */
function useNode(name: string, onTmpfs: boolean) {
  let dataDir = '';
  let node: GapuraNode | undefined;
  let env: Record<string, string> = {};
  beforeAll(async () => {
    dataDir = tempDir(name);
    if (onTmpfs) mountTmpfs(dataDir, TMPFS_MB);
    env = {
      GAPURA_DATA_DIR: dataDir,
      GAPURA_MODE: 'demo',
      LOG_LEVEL: 'warn',
      GAPURA_WORKER_INTERVAL_MS: '100',
    };
    node = await GapuraNode.start(name, env);
    trace(`${name}: node started`);
  }, 240_000);
  afterAll(async () => {
    if (!dataDir) return;
    setImmutable(databaseFiles(dataDir), false);
    await node?.stop();
    if (onTmpfs) unmount(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    get dataDir() {
      return dataDir;
    },
    get env() {
      return env;
    },
    get node(): GapuraNode {
      if (!node) throw new Error('the node did not start');
      return node;
    },
  };
}

function databaseFiles(dataDir: string): string[] {
  return ['gapura.db', 'gapura.db-wal'].map((f) => path.join(dataDir, f));
}

async function get(url: string, session?: ApiSession): Promise<number> {
  const response = await fetch(url, {
    headers: session ? { cookie: `gapura_session=${session.cookie}` } : {},
    signal: AbortSignal.timeout(15_000),
  });
  await response.arrayBuffer();
  return response.status;
}

/**
 * Runs a load, makes the data unwritable with `breakIt`, checks that writes fail with 503 +
 * Retry-After and a log line while reads go on, `repair`s it, checks that writes come back by
 * themselves, and that nothing acknowledged is lost and nothing is corrupt.
 */
async function survives(
  setup: ReturnType<typeof useNode>,
  name: string,
  breakIt: () => void,
  repair: () => void,
): Promise<void> {
  const { node, env, dataDir } = setup;
  const load = new Load({
    urls: [node.url],
    sessions: await openSessions(env),
    submitters: 2,
    officers: 1,
    requestTimeoutMs: 15_000,
    keyPrefix: name,
  });
  load.start();
  await moreOf(() => load.submitted.size, 5, 'acknowledged submissions');
  // A session of its own for the reads, opened now: a session in use is touched once a minute.
  const reader = (await openSessions(env)).citizen;
  const [someApplication] = load.submitted.values();

  breakIt();
  try {
    trace(`${name}: broken`);
    await moreOf(() => load.count('submit', 503), 3, 'refused submissions');
    expect(await get(`${node.url}/api/v1/applications/${someApplication}`, reader)).toBe(200);
    expect(await get(`${node.url}/api/v1/applications`, reader)).toBe(200);
    expect(await get(`${node.url}/api/v1/services/${SERVICE}`)).toBe(200);
  } finally {
    repair();
  }
  trace(`${name}: repaired`);
  await moreOf(() => load.submitted.size, 5, 'acknowledged submissions after the repair');
  await load.stop();

  const logged = node
    .output()
    .split('\n')
    .filter((l) => l.includes('"request failed"') && /"code":"SQLITE_(FULL|IOERR|READONLY)/.test(l));
  expect(logged.length).toBeGreaterThan(0);
  const failures = load.answers.filter((a) => typeof a.status !== 'number' || a.status >= 500);
  expect(
    failures.filter(
      (a) => a.status !== 503 || a.retryAfter === undefined || a.code !== 'service.unavailable',
    ),
  ).toEqual([]);
  expect(load.unexpected).toEqual([]);
  expect(load.attemptedKeys.size).toBe(load.submitted.size);

  const opened = await openForChecks(env);
  try {
    expect(await checkWrites(opened, load)).toEqual([]);
    expect(await checkAudit(opened, env)).toEqual([]);
  } finally {
    await opened.handle.close();
  }
  const db = new SqliteDatabase(path.join(dataDir, 'gapura.db'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  } finally {
    db.close();
  }
}

describe('fault: the SQLite data directory fills up', () => {
  const setup = useNode('disk-full', mountable);
  const by = mountable
    ? `a ${TMPFS_MB} MB tmpfs mounted over the data directory, filled up`
    : 'chattr +i on the database files, as this machine cannot mount a tmpfs';

  it(`disk full (${by}): writes answer 503 and are logged, reads go on, nothing is corrupt once space returns`, async () => {
    let filler = '';
    await survives(
      setup,
      'disk-full',
      () => {
        if (mountable) filler = fillUp(setup.dataDir);
        else setImmutable(databaseFiles(setup.dataDir), true);
      },
      () => {
        if (mountable) rmSync(filler, { force: true });
        else setImmutable(databaseFiles(setup.dataDir), false);
      },
    );
  }, 180_000);
});

describe('fault: the SQLite database turns read-only', () => {
  const setup = useNode('read-only', false);

  it('read-only database (chattr +i on the database and its WAL, which stops root too): writes answer 503 and are logged, reads go on, nothing is corrupt afterwards', async () => {
    await survives(
      setup,
      'read-only',
      () => setImmutable(databaseFiles(setup.dataDir), true),
      () => setImmutable(databaseFiles(setup.dataDir), false),
    );
  }, 180_000);
});

describe('fault: the SQLite database reaches its size limit inside a transaction (max_page_count)', () => {
  it('the request fails with SQLITE_FULL, answered 503, not with the ROLLBACK SQLite made pointless', async () => {
    const dir = tempDir('page-count');
    const handle = openDatabase({ databaseUrl: undefined, dataDir: dir });
    try {
      await sql`create table filler (x text)`.execute(handle.db);
      const pages = await sql<{ page_count: number }>`pragma page_count`.execute(handle.db);
      // A few pages more than it has: the next large transaction fills the database.
      await sql.raw(`pragma max_page_count = ${(pages.rows[0]?.page_count ?? 0) + 3}`).execute(handle.db);
      const failed = await handle.db
        .transaction()
        .execute(async (trx) => {
          for (let i = 0; i < 100; i++)
            await sql`insert into filler values (${'x'.repeat(4000)})`.execute(trx);
        })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(failed).toMatchObject({ code: 'SQLITE_FULL' });
      expect(mapError(failed)).toMatchObject({
        status: 503,
        code: 'service.unavailable',
        retryAfterSeconds: 5,
      });
      // The connection is usable again.
      expect((await sql<{ n: number }>`select count(*) as n from filler`.execute(handle.db)).rows[0]?.n).toBe(
        0,
      );
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
