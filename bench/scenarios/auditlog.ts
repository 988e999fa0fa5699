/**
 * What the audit log costs on the submit path: the same filings (`fileApplication`, in process, no
 * HTTP) with the log's writes and without them, in the same run and database.
 */

import {
  InsertQueryNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  RawNode,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { createLogger, openContext } from '../../src/app.ts';
import { fileApplication } from '../../src/applications/service.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { AppContext } from '../../src/context.ts';
import type { Db } from '../../src/db/database.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import type { Principal } from '../../src/identity/roles.ts';
import { findUserIdByEmail } from '../../src/identity/service.ts';
import { pindahAnswers } from '../../test/fixtures/catalog-definitions.ts';
import { type BenchOptions, type BenchRow, newStore, removeStore, type Scenario } from '../lib.ts';
import { CITIZEN_EMAIL, SERVICE } from './submit.ts';

/** The tables the audit log writes on the submit path: its leaves and the salts of their personal hashes. */
const AUDIT_TABLES: ReadonlySet<string> = new Set(['audit_leaves', 'audit_salts']);
/** Filings of each kind before measuring, so that both run warm. */
const WARM_UP = 20;
/** Turns of (a) then (b): alternating keeps a drift of the machine or a growing table from favouring one. */
const ROUNDS = 4;

/**
 * Only for measuring, never used by the application: every INSERT into an audit table becomes
 * `insert into <table> (<its columns>) select null, … where 1 = 0`, which both engines accept and
 * which writes no row (Kysely wants an insert back for an insert). Everything else passes unchanged.
 */
const withoutAuditWrites: KyselyPlugin = {
  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (node.kind !== 'InsertQueryNode' || !AUDIT_TABLES.has(node.into?.table.identifier.name ?? ''))
      return node;
    const nulls = (node.columns ?? []).map(() => 'null').join(', ');
    return InsertQueryNode.cloneWith(node, { values: RawNode.createWithSql(`select ${nulls} where 1 = 0`) });
  },
  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  },
};

async function rowCount(db: Db, table: 'audit_leaves' | 'audit_salts'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Leaves and salts stored so far. */
async function auditRows(db: Db): Promise<{ leaves: number; salts: number }> {
  return { leaves: await rowCount(db, 'audit_leaves'), salts: await rowCount(db, 'audit_salts') };
}

/** Filings one after another for `seconds`, counting them and the time they took. */
async function fileFor(
  file: (i: number) => Promise<unknown>,
  seconds: number,
  from: number,
): Promise<{ count: number; seconds: number }> {
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) await file(from + count++);
  return { count, seconds: (performance.now() - start) / 1000 };
}

interface Tally {
  filings: number;
  seconds: number;
}

function add(tally: Tally, turn: { count: number; seconds: number }): void {
  tally.filings += turn.count;
  tally.seconds += turn.seconds;
}

/** One engine: (a) with the log and (b) without it, in alternating turns over one database. */
async function measure(
  ctx: AppContext,
  citizen: Principal,
  seconds: number,
): Promise<{ logged: Tally; unlogged: Tally; leaves: number }> {
  const unloggedCtx: AppContext = { ...ctx, db: ctx.db.withPlugin(withoutAuditWrites) };
  const file = (on: AppContext, tag: string) => (i: number) =>
    fileApplication(on, citizen, SERVICE, pindahAnswers(), {
      consent: true,
      lang: 'id',
      idempotencyKey: `bench-auditlog-${tag}-${i}`,
    });
  const logged = file(ctx, 'logged');
  const unlogged = file(unloggedCtx, 'unlogged');
  for (let i = 0; i < WARM_UP; i++) {
    await logged(-1 - i);
    await unlogged(-1 - i);
  }
  const a: Tally = { filings: 0, seconds: 0 };
  const b: Tally = { filings: 0, seconds: 0 };
  let leaves = 0;
  const turn = seconds / ROUNDS;
  for (let round = 0; round < ROUNDS; round++) {
    const beforeA = await auditRows(ctx.db);
    add(a, await fileFor(logged, turn, a.filings));
    leaves += (await auditRows(ctx.db)).leaves - beforeA.leaves;
    const beforeB = await auditRows(ctx.db);
    add(b, await fileFor(unlogged, turn, b.filings));
    const afterB = await auditRows(ctx.db);
    if (afterB.leaves !== beforeB.leaves || afterB.salts !== beforeB.salts)
      throw new Error(
        `the filings without the audit log still wrote ${afterB.leaves - beforeB.leaves} leaves and ${afterB.salts - beforeB.salts} salts`,
      );
  }
  if (leaves < a.filings)
    throw new Error(`${a.filings} filings with the audit log added only ${leaves} leaves`);
  return { logged: a, unlogged: b, leaves };
}

export const auditlogScenario: Scenario = {
  name: 'auditlog',
  async run(options: BenchOptions): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    const seconds = options.quick ? 2 : 8;
    for (const engine of options.engines) {
      const store = await newStore(engine, options.databaseUrl);
      const config = loadConfig({ ...store.env, LOG_LEVEL: 'silent', GAPURA_MODE: 'demo' });
      const opened = await openContext(config, createLogger(config));
      try {
        await seedDemo(opened.ctx);
        const userId = await findUserIdByEmail(opened.ctx, CITIZEN_EMAIL);
        if (!userId) throw new Error('the demo seed is missing');
        const citizen: Principal = { userId, kind: 'citizen', sessionId: null, grants: [] };
        const { logged, unlogged, leaves } = await measure(opened.ctx, citizen, seconds);
        const loggedRate = logged.filings / logged.seconds;
        const unloggedRate = unlogged.filings / unlogged.seconds;
        rows.push(
          {
            scenario:
              'Audit leaves appended inside the submit path (in process, no HTTP, filings one after another)',
            engine,
            figure: 'leaves/s',
            value: Math.round(leaves / logged.seconds),
            unit: 'leaves/s',
            note: `${leaves} leaves from ${logged.filings} filings (${Math.round((leaves / logged.filings) * 100) / 100} per filing)`,
          },
          {
            scenario:
              'Cost of the audit log on the submit path: filings/s with its writes vs the same filings with them removed',
            engine,
            figure: 'filings/s with the log',
            value: Math.round(loggedRate),
            unit: 'filings/s',
            baseline: Math.round(unloggedRate),
            ratio: Math.round((loggedRate / unloggedRate) * 1000) / 1000,
            note: `${Math.round((1 - loggedRate / unloggedRate) * 100)} % of the filing rate goes to the audit log (${logged.filings} and ${unlogged.filings} filings)`,
          },
        );
      } finally {
        await opened.handle.close();
        await removeStore(store, options.databaseUrl);
      }
    }
    return rows;
  },
};
