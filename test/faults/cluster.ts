/**
 * PostgreSQL clusters of a fault test's own, in temporary directories on free loopback ports, made
 * with Debian's server binaries: never the machine's shared server.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { freePort, tempDir, waitUntil } from './helpers.ts';

const exec = promisify(execFile);

/** Debian's server binaries of the newest installed major version. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, 'bin/initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined)
    throw new Error(
      'the PostgreSQL server binaries (initdb, pg_ctl) are missing: run `bash scripts/system-packages.sh` as root',
    );
  return path.join(root, versions[0], 'bin');
}

const isRoot = process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root, its tools run as the `postgres` account. */
async function pgTool(tool: string, args: string[]): Promise<string> {
  const bin = path.join(postgresBinDir(), tool);
  const [command, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  try {
    const { stdout } = await exec(command, argv, { timeout: 120_000 });
    return stdout;
  } catch (err) {
    const detail = typeof err === 'object' && err !== null && 'stderr' in err ? String(err.stderr) : '';
    throw new Error(
      `${tool} ${args.join(' ')} failed: ${err instanceof Error ? err.message : ''}\n${detail}`,
    );
  }
}

/**
 * One PostgreSQL cluster in a temporary directory on a free loopback port, owned by the `postgres`
 * account when the tests run as root. `destroy()` stops it and removes everything.
 */
export class PgCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
    /** Settings given on the command line, overriding the copied configuration of a standby. */
    private readonly overrides: string[],
  ) {}

  get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  private static async prepare(name: string, port?: number): Promise<{ dir: string; port: number }> {
    const dir = tempDir(`pg-${name}`);
    if (isRoot) {
      const { uid, gid } = postgresAccount();
      chownSync(dir, uid, gid);
    }
    return { dir, port: port ?? (await freePort()) };
  }

  /** A new, running primary. */
  static async create(name: string): Promise<PgCluster> {
    const { dir, port } = await PgCluster.prepare(name);
    const cluster = new PgCluster(dir, port, []);
    await pgTool('initdb', [
      '-D',
      cluster.dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    const conf = [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      'max_connections = 80',
      'shared_buffers = 32MB',
      'wal_level = replica',
      // A standby can be cloned and attached later (pg_basebackup, streaming replication).
      'max_wal_senders = 4',
    ];
    writeFileSync(path.join(cluster.dataDir, 'postgresql.conf'), `${conf.join('\n')}\n`, { flag: 'a' });
    await cluster.start();
    return cluster;
  }

  /**
   * A streaming-replication standby of `primary`, cloned with pg_basebackup, known to the primary
   * by `applicationName` (for synchronous_standby_names), on `port` when given.
   */
  static async standbyOf(
    primary: PgCluster,
    name: string,
    applicationName: string,
    port?: number,
  ): Promise<PgCluster> {
    const prepared = await PgCluster.prepare(name, port);
    const { dir } = prepared;
    // A standby's own synchronous_standby_names must be empty, or after promotion every commit would
    // wait for a standby that does not exist.
    const cluster = new PgCluster(dir, prepared.port, ["synchronous_standby_names=''"]);
    await pgTool('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      'postgres',
      '-D',
      cluster.dataDir,
      '-X',
      'stream',
      '-R',
      // At once, not spread over minutes.
      '--checkpoint=fast',
    ]);
    const conf = [
      `port = ${prepared.port}`,
      `unix_socket_directories = '${dir}'`,
      `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres application_name=${applicationName}'`,
    ];
    writeFileSync(path.join(cluster.dataDir, 'postgresql.auto.conf'), `${conf.join('\n')}\n`, { flag: 'a' });
    await cluster.start();
    return cluster;
  }

  async start(): Promise<void> {
    const options = [`-p ${this.port}`, ...this.overrides.map((o) => `-c ${o}`)].join(' ');
    await pgTool('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      path.join(this.dir, 'server.log'),
      '-o',
      options,
      '-w',
      '-t',
      '60',
      'start',
    ]);
  }

  /** A clean stop (`fast`: running transactions are rolled back, clients disconnected). */
  async stop(): Promise<void> {
    await pgTool('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', '-t', '60', 'stop']);
  }

  /** A stop and a start, the way an operator restarts the database. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Promotes a standby to primary and waits until it accepts writes. */
  async promote(): Promise<void> {
    await pgTool('pg_ctl', ['-D', this.dataDir, '-w', '-t', '60', 'promote']);
  }

  /** The postmaster's process id, from its pid file, or undefined when it is not running. */
  postmasterPid(): number | undefined {
    const file = path.join(this.dataDir, 'postmaster.pid');
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && processExists(pid) ? pid : undefined;
  }

  /** A crash: SIGKILL to the postmaster and every process it started, and waits until all are gone. */
  async kill(): Promise<void> {
    const pid = this.postmasterPid();
    if (pid === undefined) return;
    const pids = [pid, ...childrenOf(pid)];
    for (const p of pids) killQuietly(p);
    await waitUntil(`the processes of ${this.dir} to end`, () => pids.every((p) => !processExists(p)));
  }

  /** Stops the cluster however it is and removes its directory. */
  async destroy(): Promise<void> {
    if (this.postmasterPid() !== undefined) {
      await pgTool('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => this.kill());
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  async createDatabase(name: string): Promise<void> {
    await this.sql('postgres', (sql) => sql.unsafe(`create database ${name}`));
  }

  /** Runs `body` over a one-connection client to `database` and closes it. */
  async sql<T>(database: string, body: (sql: postgres.Sql) => Promise<T>): Promise<T> {
    const sql = postgres(this.url(database), { max: 1, onnotice: () => {}, connect_timeout: 5 });
    try {
      return await body(sql);
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
}

function postgresAccount(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined)
    throw new Error('there is no postgres account: install the PostgreSQL server package');
  return { uid: Number(uid), gid: Number(gid) };
}

function processExists(pid: number): boolean {
  try {
    // A zombie (ended, not yet reaped by its parent) counts as ended.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Every descendant of `pid`, from /proc. */
function childrenOf(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while the list was read.
    }
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of parents.get(queue.shift() ?? -1) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
