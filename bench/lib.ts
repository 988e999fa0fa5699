import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');

/** One line of the results table. */
export interface BenchRow {
  scenario: string;
  engine: 'sqlite' | 'postgres' | '-';
  figure: string;
  value: number;
  unit: string;
  /** The baseline measured in the same run, when the figure is a ratio against one. */
  baseline?: number;
  ratio?: number;
  /** Human-readable target, e.g. "≥ 30% of baseline" or "≤ 300 MB". */
  target?: string;
  pass?: boolean;
  note?: string;
  /** Which run measured the row (set by run.ts): `--only` keeps the other scenarios' rows. */
  measured?: { scenario: string; date: string; commit: string; mode: string };
}

export interface BenchOptions {
  quick: boolean;
  databaseUrl: string | undefined;
  engines: ('sqlite' | 'postgres')[];
}

export interface Scenario {
  name: string;
  run(options: BenchOptions): Promise<BenchRow[]>;
}

type Engine = BenchOptions['engines'][number];

/** A scenario measured on each engine the run has, one after the other. */
export function eachEngine(
  name: string,
  measureOn: (engine: Engine, options: BenchOptions) => Promise<BenchRow[]>,
): Scenario {
  return {
    name,
    async run(options) {
      const rows: BenchRow[] = [];
      for (const engine of options.engines) rows.push(...(await measureOn(engine, options)));
      return rows;
    },
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/**
 * Runs autocannon in a separate process (so the load generator does not share the server's
 * event loop or this process's), against `url`, and returns its summary.
 */
export function runLoad(options: {
  url: string;
  connections: number;
  durationSeconds: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  overallRate?: number;
}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(ROOT, 'bench/load-worker.mjs'), [JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.once('message', (message) => resolve(message as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
  });
}

export interface BenchServer {
  child: ChildProcess;
  url: string;
  pid: number;
  /** Where its data lives, to start another server over the same data after this one stops. */
  store: BenchStore;
  stop(): Promise<void>;
  /** Removes the data; the promise settles once a PostgreSQL database is dropped. */
  cleanup(): Promise<void>;
}

/** A data directory and, on PostgreSQL, a database of its own: what a bench server runs over. */
export interface BenchStore {
  dataDir: string;
  /** PostgreSQL database name, dropped by cleanup. */
  dbName: string | undefined;
  /** Environment pointing Gapura at this store (data dir, DATABASE_URL). */
  env: Record<string, string>;
}

export async function newStore(
  engine: 'sqlite' | 'postgres',
  databaseUrl: string | undefined,
): Promise<BenchStore> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gapura-bench-'));
  const env: Record<string, string> = { GAPURA_DATA_DIR: dataDir };
  let dbName: string | undefined;
  if (engine === 'postgres') {
    if (!databaseUrl) throw new Error('postgres bench needs DATABASE_URL');
    const postgres = (await import('postgres')).default;
    dbName = `gapura_bench_${Date.now()}`;
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${dbName}`);
    await admin.end();
    const url = new URL(databaseUrl);
    url.pathname = `/${dbName}`;
    env.DATABASE_URL = url.toString();
  }
  return { dataDir, dbName, env };
}

/** Removes a store: its data directory and, on PostgreSQL, its database. */
export async function removeStore(store: BenchStore, databaseUrl: string | undefined): Promise<void> {
  rmSync(store.dataDir, { recursive: true, force: true });
  if (store.dbName && databaseUrl) {
    const { default: postgres } = await import('postgres');
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${store.dbName} with (force)`);
    await admin.end();
  }
}

/**
 * Starts a real `gapura serve` process over a fresh database (SQLite dir or a new PostgreSQL
 * database), or over `store` when given (a server stopped earlier: its data, accounts and keys).
 */
export async function startGapura(
  engine: 'sqlite' | 'postgres',
  databaseUrl: string | undefined,
  extraEnv: Record<string, string> = {},
  store?: BenchStore,
): Promise<BenchServer & { env: Record<string, string> }> {
  const used = store ?? (await newStore(engine, databaseUrl));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    ...used.env,
    ...extraEnv,
  };
  const profileDir = process.env.GAPURA_BENCH_PROFILE;
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'bin/gapura.js'), 'serve'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gapura did not start:\n${out}`)), 120_000);
    child.stdout?.on('data', () => {
      const m = /is listening on http:\/\/[^:]+:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', () => reject(new Error(`gapura exited:\n${out}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    env,
    store: used,
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    cleanup: () => removeStore(used, databaseUrl),
  };
}

/** Waits until the server answers /readyz. */
export async function waitReady(url: string): Promise<void> {
  for (;;) {
    const ready = await fetch(`${url}/readyz`).catch(() => undefined);
    if (ready?.status === 200) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resident set size of a process in MB, from /proc. */
export async function rssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

export function ratioRow(row: Omit<BenchRow, 'ratio' | 'pass'>, minRatio: number): BenchRow {
  const ratio = row.baseline ? row.value / row.baseline : 0;
  return { ...row, ratio: Math.round(ratio * 1000) / 1000, pass: ratio >= minRatio };
}

/** Peak resident set size of a process in MB over its life so far (VmHWM), from /proc. */
export async function peakRssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round((kb / 1024) * 10) / 10;
}

/** The value at quantile `q` (0–1) of numbers sorted ascending. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Loads whose requests change from one request to the next (a unique Idempotency-Key, the next
// application to act on). autocannon builds such requests with functions, which cannot cross a
// process boundary, so the load process builds them itself from a named plan and plain data.

/** A session as the API takes it: the cookie value and the CSRF token bound to it. */
export interface ApiSession {
  cookie: string;
  csrf: string;
}

/** One workflow action an officer takes, and as whom. */
export interface ActionStep {
  action: string;
  as: string;
  comment?: string;
  flaggedFields?: string[];
}

export interface PlanArgs {
  /**
   * The same request every time except for one header, unique per request (`prefix` + a counter):
   * an `Idempotency-Key`, so every request files a new application.
   */
  uniqueHeader: {
    path: string;
    headers: Record<string, string>;
    body: string;
    header: string;
    prefix: string;
  };
  /**
   * Workflow actions: a share (`hot.share`) of the requests goes to a few hot applications with the
   * row version last seen for them (stale while another request on them is in flight, so some
   * conflict), the rest each to a new application of `cold.ids`, which takes `cold.step` once.
   * Answers are counted by kind (`hot`, `cold`) and by status, with the error code for a 409.
   */
  workflowActions: {
    sessions: Record<string, ApiSession>;
    cold: { ids: string[]; rowVersion: number; step: ActionStep };
    hot: {
      share: number;
      applications: { id: string; state: string; rowVersion: number }[];
      /** The action to take from each state the hot applications pass through. */
      steps: Record<string, ActionStep>;
    };
    seed: number;
  };
}

export type PlanName = keyof PlanArgs;

export interface PlannedLoadResult extends LoadResult {
  /** Responses by status code. */
  statusCodes: Record<string, number>;
  durationSeconds: number;
  /** What the plan counted itself (by kind of request), and one answer that was not 2xx, if any. */
  plan: Record<string, unknown>;
}

/** Runs autocannon in its own process with requests built there by the plan `name`. */
export function runPlannedLoad<N extends PlanName>(options: {
  url: string;
  connections: number;
  durationSeconds?: number;
  /** A fixed number of requests instead of a duration. */
  amount?: number;
  overallRate?: number;
  plan: N;
  args: PlanArgs[N];
}): Promise<PlannedLoadResult> {
  return new Promise((resolve, reject) => {
    // This module is also the load process (see its last line), so plans and runner stay together.
    // The options go over IPC: a plan's arguments (thousands of application ids) outgrow argv.
    const child = fork(import.meta.filename, [], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, GAPURA_BENCH_LOAD_PLAN: '1' },
    });
    // It asks for them once it listens (a message sent earlier could arrive before its listener).
    child.on('message', (message) => {
      if (message === 'ready') child.send(options);
      else resolve(message as PlannedLoadResult);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
  });
}

type Built = { method: 'POST'; path: string; headers: Record<string, string>; body: string };
interface Plan {
  /** The next request, and the kind it is counted under. */
  next(): { request: Built; kind: string };
  onResponse(kind: string, status: number, body: string): void;
  summary(): Record<string, unknown>;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run picks the same hot applications. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sessionHeaders(session: ApiSession | undefined): Record<string, string> {
  if (!session) throw new Error('the plan names a session it was not given');
  return {
    'content-type': 'application/json',
    cookie: `gapura_session=${session.cookie}`,
    'x-csrf-token': session.csrf,
  };
}

/** How a request that lost the race to another officer is answered. */
export const CONFLICT = '409 application.changed';

function errorCode(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : 'unknown';
  } catch {
    return 'unknown';
  }
}

const PLANS: { [N in PlanName]: (args: PlanArgs[N]) => Plan } = {
  uniqueHeader(args) {
    let n = 0;
    const counts: Record<string, number> = {};
    let sample: string | undefined;
    return {
      next: () => ({
        request: {
          method: 'POST',
          path: args.path,
          headers: { ...args.headers, [args.header]: `${args.prefix}${n++}` },
          body: args.body,
        },
        kind: 'all',
      }),
      onResponse(_kind, status, body) {
        counts[status] = (counts[status] ?? 0) + 1;
        if (status >= 300 && sample === undefined) sample = `${status} ${body.slice(0, 300)}`;
      },
      summary: () => ({ built: n, counts, sample }),
    };
  },

  workflowActions(args) {
    const random = seeded(args.seed);
    const hot = new Map(args.hot.applications.map((a) => [a.id, { ...a }]));
    const hotIds = [...hot.keys()];
    let sent = 0;
    let nextCold = 0;
    let coldExhausted = 0;
    const counts: Record<string, Record<string, number>> = { hot: {}, cold: {} };
    let sample: string | undefined;
    const request = (id: string, rowVersion: number, step: ActionStep): Built => ({
      method: 'POST',
      path: `/api/v1/applications/${id}/actions`,
      headers: sessionHeaders(args.sessions[step.as]),
      body: JSON.stringify({
        action: step.action,
        rowVersion,
        ...(step.comment ? { comment: step.comment } : {}),
        ...(step.flaggedFields ? { flaggedFields: step.flaggedFields } : {}),
      }),
    });
    const hotRequest = () => {
      const id = hotIds[Math.floor(random() * hotIds.length)] ?? '';
      const known = hot.get(id);
      const step = known ? args.hot.steps[known.state] : undefined;
      if (!known || !step) throw new Error(`no step from the hot application's state ${known?.state}`);
      return { request: request(id, known.rowVersion, step), kind: 'hot' };
    };
    return {
      next() {
        const n = sent++;
        // Exactly `share` of the requests, spread evenly: request n is hot when it crosses a step.
        if (Math.floor((n + 1) * args.hot.share) > Math.floor(n * args.hot.share)) return hotRequest();
        const id = args.cold.ids[nextCold++];
        if (id === undefined) {
          coldExhausted++;
          return hotRequest();
        }
        return { request: request(id, args.cold.rowVersion, args.cold.step), kind: 'cold' };
      },
      onResponse(kind, status, body) {
        const byAnswer = counts[kind] ?? {};
        counts[kind] = byAnswer;
        // A stale version and an action the state does not allow are both 409: tell them apart.
        const answer = status === 409 ? `409 ${errorCode(body)}` : String(status);
        byAnswer[answer] = (byAnswer[answer] ?? 0) + 1;
        if (status === 200 && kind === 'hot') {
          const result = JSON.parse(body) as { id: string; state: string; rowVersion: number };
          const known = hot.get(result.id);
          // Answers can arrive out of order: only a newer version replaces what is known.
          if (known && result.rowVersion > known.rowVersion) {
            known.rowVersion = result.rowVersion;
            known.state = result.state;
          }
        } else if (status !== 200 && answer !== CONFLICT && sample === undefined) {
          sample = `${status} ${body.slice(0, 300)}`;
        }
      },
      summary: () => ({ built: sent, counts, coldExhausted, sample }),
    };
  },
};

/** The load process: builds the plan's requests and runs autocannon with them. */
async function plannedLoadWorker(): Promise<void> {
  const options = await new Promise<Parameters<typeof runPlannedLoad>[0]>((resolve) => {
    process.once('message', (message) => resolve(message as Parameters<typeof runPlannedLoad>[0]));
    process.send?.('ready');
  });
  const { default: autocannon } = await import('autocannon');
  const plan = (PLANS[options.plan] as (args: unknown) => Plan)(options.args);
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount === undefined
      ? { duration: options.durationSeconds ?? 10 }
      : { amount: options.amount }),
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
    requests: [
      {
        // With one request in flight per connection, the context holds the kind of that request.
        setupRequest: (_request, context) => {
          const { request, kind } = plan.next();
          (context as { kind?: string }).kind = kind;
          return request;
        },
        onResponse: (status, body, context) => {
          plan.onResponse((context as { kind?: string }).kind ?? 'unknown', status, body);
        },
      },
    ],
  });
  const statusCodes = Object.fromEntries(
    Object.entries(
      (result as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats,
    ).map(([code, { count }]) => [code, count]),
  );
  const message: PlannedLoadResult = {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    durationSeconds: result.duration,
    plan: plan.summary(),
  };
  process.send?.(message, () => process.exit(0));
}

if (process.env.GAPURA_BENCH_LOAD_PLAN === '1' && process.send) await plannedLoadWorker();
