/**
 * What the fault tests are built from: real `gapura serve` nodes, nginx in front of them, data
 * directories that fill up or turn read-only, and waiting on conditions (PostgreSQL clusters are
 * in cluster.ts).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, runCli, type ServerProcess, startServerProcess } from '../helpers/process.ts';

/** Thrown by a condition that can no longer come true: waiting stops at once. */
export class GiveUp extends Error {}

const traceStart = Date.now();

/** With GAPURA_FAULT_TRACE=1, prints what a fault test is doing and when (for finding slow steps). */
export function trace(message: string): void {
  if (process.env.GAPURA_FAULT_TRACE === '1')
    process.stderr.write(`[fault ${((Date.now() - traceStart) / 1000).toFixed(1)}s] ${message}\n`);
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      if (err instanceof GiveUp) throw err;
      lastError = err;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** True once something accepts TCP connections on the port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `gapura-fault-${prefix}-`));
}

// ---------------------------------------------------------------------------------------------
// Gapura nodes
// ---------------------------------------------------------------------------------------------

/**
 * One `gapura serve` process on a fixed port (so a restarted node comes back where nginx expects
 * it). Its output is kept across restarts.
 */
export class GapuraNode {
  private current: ServerProcess | undefined;
  private earlierOutput = '';

  private constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  static async start(name: string, env: Record<string, string>): Promise<GapuraNode> {
    const node = new GapuraNode(name, await freePort(), env);
    await node.start();
    return node;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.isRunning ? this.current?.child.pid : undefined;
  }

  get isRunning(): boolean {
    const child = this.current?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  async start(): Promise<void> {
    // A process that ended by itself keeps its output too.
    if (this.current) this.earlierOutput += this.current.output();
    this.current = undefined;
    this.current = await startServerProcess({ ...this.env, PORT: String(this.port) });
  }

  output(): string {
    return this.earlierOutput + (this.current?.output() ?? '');
  }

  /** `kill -9`: no shutdown hooks, requests in flight cut off. */
  async kill9(): Promise<void> {
    await this.end('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.end('SIGTERM');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const running = this.current;
    if (!running || !this.isRunning) return;
    running.child.kill(signal);
    await running.exited;
    this.earlierOutput += running.output();
    this.current = undefined;
  }
}

/**
 * Starts `count` nodes over the same database: the first alone (it migrates and loads the demo
 * data), then the others side by side.
 */
export async function startNodes(env: Record<string, string>, count: number): Promise<GapuraNode[]> {
  const first = await GapuraNode.start('node-1', env);
  const others = await Promise.allSettled(
    Array.from({ length: count - 1 }, (_, i) => GapuraNode.start(`node-${i + 2}`, env)),
  );
  const started = [first, ...others.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))];
  const failed = others.find((o) => o.status === 'rejected');
  if (failed) {
    // No process left behind for a test that never got its nodes.
    for (const node of started) await node.stop();
    throw failed.reason;
  }
  return started;
}

/** The status of a node's /readyz, with its Retry-After header; `timeout` when it does not answer. */
export async function readiness(
  url: string,
): Promise<{ status: number | 'timeout' | 'network'; retryAfter: string | null }> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    return { status: response.status, retryAfter: response.headers.get('retry-after') };
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { status: timedOut ? 'timeout' : 'network', retryAfter: null };
  }
}

/** `gapura audit verify` against the database `env` names: its exit status and output. */
export function auditVerify(env: Record<string, string>): { status: number | null; output: string } {
  const result = runCli(['audit', 'verify'], { ...env, LOG_LEVEL: 'warn' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

// ---------------------------------------------------------------------------------------------
// nginx in front of the nodes
// ---------------------------------------------------------------------------------------------

export interface Nginx {
  url: string;
  /** The master process (its workers are its children). */
  pid: number | undefined;
  stop(): Promise<void>;
}

const NGINX_DIR = path.join(ROOT, 'deploy/nginx');

/**
 * The shipped nginx configuration (deploy/nginx/gapura.conf, run through standalone.conf) with its
 * upstream servers replaced by `nodePorts` and its listen port by `listenPort`: the tests exercise
 * what operators install.
 */
export function nginxConfig(listenPort: number, nodePorts: readonly number[]): string {
  const shipped = readFileSync(path.join(NGINX_DIR, 'gapura.conf'), 'utf8');
  const server = /^(\s*)server 127\.0\.0\.1:\d+( [^;\n]*)?;\n/m.exec(shipped);
  if (!server || !/^\s*listen \d+;$/m.test(shipped))
    throw new Error('deploy/nginx/gapura.conf changed shape: update nginxConfig in test/faults/helpers.ts');
  const [, indent = '', parameters = ''] = server;
  const servers = nodePorts.map((p) => `${indent}server 127.0.0.1:${p}${parameters};\n`).join('');
  return shipped
    .replace(/^\s*server 127\.0\.0\.1:\d+( [^;\n]*)?;\n/gm, '')
    .replace(/(upstream gapura \{[^\n]*\n(?:\s*#[^\n]*\n)*)/, `$1${servers}`)
    .replace(/^(\s*)listen \d+;$/m, `$1listen 127.0.0.1:${listenPort};`);
}

export async function startNginx(nodePorts: readonly number[]): Promise<Nginx> {
  const dir = tempDir('nginx');
  const port = await freePort();
  writeFileSync(path.join(dir, 'gapura.conf'), nginxConfig(port, nodePorts));
  copyFileSync(path.join(NGINX_DIR, 'standalone.conf'), path.join(dir, 'standalone.conf'));
  const child: ChildProcess = spawn(
    existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx',
    ['-p', dir, '-c', path.join(dir, 'standalone.conf'), '-e', 'stderr'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnFailed = false;
  child.once('error', (err) => {
    spawnFailed = true;
    stderr += `${err.message} (install nginx: bash scripts/system-packages.sh)`;
  });
  const hasEnded = () => spawnFailed || child.exitCode !== null || child.signalCode !== null;
  await waitUntil(`nginx to listen on ${port}`, async () => {
    if (hasEnded()) throw new NginxFailed(stderr);
    return isListening(port);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      if (!hasEnded()) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

class NginxFailed extends GiveUp {
  constructor(stderr: string) {
    super(`nginx did not start: ${stderr}`);
    this.name = 'NginxFailed';
  }
}

// ---------------------------------------------------------------------------------------------
// A data directory that fills up or turns read-only, in ways that stop root too
// ---------------------------------------------------------------------------------------------

/** True when this process may mount a tmpfs (root with CAP_SYS_ADMIN, as on CI runners). */
export function canMountTmpfs(): boolean {
  const probe = tempDir('mount-probe');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

export function mountTmpfs(dir: string, sizeMb: number): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', dir]);
}

export function unmount(dir: string): void {
  execFileSync('umount', [dir]);
}

/** The immutable attribute: no write, not even by root or through a file already open. */
export function setImmutable(files: readonly string[], immutable: boolean): void {
  const present = files.filter((f) => existsSync(f));
  if (present.length > 0) execFileSync('chattr', [immutable ? '+i' : '-i', ...present]);
}

/** Writes a file in `dir` until the filesystem is full; returns its path. */
export function fillUp(dir: string): string {
  const file = path.join(dir, 'filler.bin');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(1024 * 1024, 0x5a);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'ENOSPC')) throw err;
    // The last partial megabyte too, a kilobyte at a time.
    try {
      for (;;) writeSync(fd, chunk, 0, 1024);
    } catch {
      // Full.
    }
  } finally {
    closeSync(fd);
  }
  return file;
}
