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
  stop(): Promise<void>;
  cleanup(): void;
}

/** Starts a real `gapura serve` process over a fresh database (SQLite dir or a new PostgreSQL database). */
export async function startGapura(
  engine: 'sqlite' | 'postgres',
  databaseUrl: string | undefined,
  extraEnv: Record<string, string> = {},
): Promise<BenchServer & { env: Record<string, string> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gapura-bench-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GAPURA_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    PORT: '0',
    HOST: '127.0.0.1',
    ...extraEnv,
  };
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
    url: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
    cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
      if (dbName && databaseUrl) {
        void import('postgres').then(async ({ default: postgres }) => {
          const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
          await admin.unsafe(`drop database if exists ${dbName} with (force)`);
          await admin.end();
        });
      }
    },
  };
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
