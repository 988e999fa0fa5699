import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { PgCluster } from '../../test/faults/cluster.ts';
import {
  type GapuraNode,
  type Nginx,
  readiness,
  startNginx,
  startNodes,
  tempDir,
  waitUntil,
} from '../../test/faults/helpers.ts';
import { openSessions } from '../../test/faults/load.ts';
import { pindahAnswers } from '../../test/fixtures/catalog-definitions.ts';
import { type ApiSession, type BenchOptions, type BenchRow, runPlannedLoad, type Scenario } from '../lib.ts';
import { CONNECTIONS, otherAnswers, SERVICE, submitRequest, successes } from './submit.ts';

const NODE_COUNTS = [1, 2, 3] as const;

/**
 * Files applications one after another, each with a fresh Idempotency-Key, and keeps the times of
 * the ones that succeeded: a probe for "when did requests succeed again" after a fault.
 */
class Prober {
  private readonly successes: number[] = [];
  private stopped = false;
  private readonly running: Promise<void>;
  private n = 0;
  private readonly prefix = `probe-${randomBytes(4).toString('hex')}-`;

  constructor(
    private readonly url: string,
    private readonly citizen: ApiSession,
  ) {
    this.running = this.loop();
  }

  private async loop(): Promise<void> {
    const body = JSON.stringify({
      service: SERVICE,
      answers: pindahAnswers(),
      submit: true,
      consent: true,
    });
    while (!this.stopped) {
      const startedAt = performance.now();
      const ok = await fetch(`${this.url}/api/v1/applications`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: `gapura_session=${this.citizen.cookie}`,
          'x-csrf-token': this.citizen.csrf,
          'idempotency-key': `${this.prefix}${this.n++}`,
        },
        body,
        signal: AbortSignal.timeout(10_000),
      })
        .then(async (r) => {
          await r.arrayBuffer();
          return r.status === 201;
        })
        .catch(() => false);
      if (ok) this.successes.push(startedAt);
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /**
   * Milliseconds from `faultAt` (the fault began) to the start of the first successful request
   * among those sent once the fault had taken effect (`downAt`): earlier ones may have been served
   * before it.
   */
  async recoveredAfter(faultAt: number, downAt: number): Promise<number> {
    const first = await waitUntil(
      'a request to succeed after the fault',
      () => this.successes.find((t) => t >= downAt),
      120_000,
      10,
    );
    return Math.round(first - faultAt);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}

/** CPU ticks (user + system) and parent of every process on the machine, from /proc. */
function sampleProcesses(): Map<number, { ticks: number; ppid: number }> {
  const samples = new Map<number, { ticks: number; ppid: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the command name (which may hold spaces) start after its closing parenthesis.
      const fields = readFileSync(`/proc/${name}/stat`, 'latin1').split(') ')[1]?.split(' ') ?? [];
      samples.set(Number(name), {
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // The process ended while being read.
    }
  }
  return samples;
}

/**
 * Where the CPU went between two samples, as each group's share of the machine: a process counts
 * for the group of its nearest ancestor among `roots` (pid → group), else for "other".
 */
function cpuShares(
  before: ReadonlyMap<number, { ticks: number }>,
  after: ReadonlyMap<number, { ticks: number; ppid: number }>,
  roots: ReadonlyMap<number, string>,
  seconds: number,
): string {
  const ticksPerSecond = 100; // USER_HZ on Linux
  const groupOf = (pid: number): string => {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = after.get(at)?.ppid) {
      const group = roots.get(at);
      if (group) return group;
    }
    return 'other';
  };
  const used = new Map<string, number>();
  for (const [pid, { ticks }] of after) {
    const delta = ticks - (before.get(pid)?.ticks ?? 0);
    if (delta > 0) used.set(groupOf(pid), (used.get(groupOf(pid)) ?? 0) + delta / ticksPerSecond);
  }
  const capacity = seconds * availableParallelism();
  const parts = [...used]
    .sort((a, b) => b[1] - a[1])
    .filter(([, cpu]) => cpu / capacity >= 0.005)
    .map(([group, cpu]) => `${group} ${Math.round((100 * cpu) / capacity)} %`);
  return `CPU of ${availableParallelism()} cores: ${parts.join(', ')}`;
}

/** Submissions per second through nginx at saturation (10 connections), and where the CPU went. */
async function throughput(
  url: string,
  citizen: ApiSession,
  seconds: number,
  roots: ReadonlyMap<number, string>,
): Promise<{ perSecond: number; note: string }> {
  const before = sampleProcesses();
  const started = performance.now();
  const load = await runPlannedLoad({
    url,
    connections: CONNECTIONS,
    durationSeconds: seconds,
    plan: 'uniqueHeader',
    args: submitRequest(citizen),
  });
  const shares = cpuShares(before, sampleProcesses(), roots, (performance.now() - started) / 1000);
  return {
    perSecond: Math.round(successes(load, 201) / load.durationSeconds),
    note: `p99 ${load.p99} ms${otherAnswers(load, 201)}; ${shares}`,
  };
}

async function measure(options: BenchOptions): Promise<BenchRow[]> {
  const cluster = await PgCluster.create('bench-scaleout');
  const dataDir = tempDir('bench-scaleout');
  const nodes: GapuraNode[] = [];
  let nginx: Nginx | undefined;
  const rows: BenchRow[] = [];
  const row = (figure: string, value: number, unit: string, note: string): BenchRow => ({
    scenario: 'Scale-out: nodes behind nginx over one PostgreSQL, and recovery from faults',
    engine: 'postgres',
    figure,
    value,
    unit,
    note,
  });
  try {
    await cluster.createDatabase('gapura');
    const env = {
      DATABASE_URL: cluster.url('gapura'),
      GAPURA_DATA_DIR: dataDir,
      GAPURA_MODE: 'demo',
      LOG_LEVEL: 'warn',
    };
    nodes.push(...(await startNodes(env, 1)));
    const { citizen } = await openSessions(env);
    const seconds = options.quick ? 4 : 15;
    for (const count of NODE_COUNTS) {
      while (nodes.length < count) nodes.push(...(await startNodes(env, 1)));
      await nginx?.stop();
      nginx = await startNginx(nodes.map((n) => n.port));
      const roots = new Map<number, string>([[process.pid, 'load generator']]);
      for (const node of nodes) if (node.pid) roots.set(node.pid, 'Gapura nodes');
      const postmaster = cluster.postmasterPid();
      if (postmaster) roots.set(postmaster, 'PostgreSQL');
      if (nginx.pid) roots.set(nginx.pid, 'nginx');
      const { perSecond, note } = await throughput(nginx.url, citizen, seconds, roots);
      rows.push(row(`submissions/s, ${count} node${count > 1 ? 's' : ''}`, perSecond, 'submissions/s', note));
    }
    if (!nginx) throw new Error('nginx did not start');

    // A node crash behind nginx: the others take over.
    const [first, victim] = nodes;
    if (!first || !victim) throw new Error('the nodes did not start');
    let prober = new Prober(nginx.url, citizen);
    let faultAt = performance.now();
    await victim.kill9();
    rows.push(
      row(
        'recovery after a node crash (3 nodes)',
        await prober.recoveredAfter(faultAt, performance.now()),
        'ms',
        'kill -9 of one node → first submission through nginx that succeeds',
      ),
    );
    await prober.stop();
    await victim.start();

    // A lone node crashes and is started again at once (as systemd would).
    prober = new Prober(first.url, citizen);
    faultAt = performance.now();
    await first.kill9();
    let downAt = performance.now();
    await first.start();
    rows.push(
      row(
        'recovery after a node crash (1 node, restarted at once)',
        await prober.recoveredAfter(faultAt, downAt),
        'ms',
        'kill -9 → process restarted → first submission to it that succeeds',
      ),
    );
    await prober.stop();

    // The database restarts (fast shutdown, then start): seen by one node, then through nginx,
    // which also stops sending to nodes that answered 503 (max_fails) for a while.
    for (const [where, url] of [
      ['1 node, asked directly', first.url],
      ['3 nodes, through nginx', nginx.url],
    ] as const) {
      await Promise.all(
        nodes.map((n) =>
          waitUntil(`${n.name} to be ready`, async () => (await readiness(n.url)).status === 200),
        ),
      );
      prober = new Prober(url, citizen);
      faultAt = performance.now();
      await cluster.stop();
      downAt = performance.now();
      await cluster.start();
      rows.push(
        row(
          `recovery after a database restart (${where})`,
          await prober.recoveredAfter(faultAt, downAt),
          'ms',
          'pg_ctl stop -m fast + start → first submission that succeeds',
        ),
      );
      await prober.stop();
    }
    return rows;
  } finally {
    await nginx?.stop();
    for (const node of nodes) await node.stop();
    await cluster.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Filing throughput with 1, 2 and 3 nodes behind nginx over one PostgreSQL (a cluster of its own,
 * so that it can be restarted), and how long requests fail after a node crash and after a
 * database restart.
 */
export const scaleoutScenario: Scenario = {
  name: 'scaleout',
  run: (options: BenchOptions) => measure(options),
};
