import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { type Logger, pino } from 'pino';
import { checkEscalations } from './applications/escalation.ts';
import { AuditSequencer } from './audit/sequencer.ts';
import { runComplaintJobs } from './complaints/jobs.ts';
import type { Config } from './config/config.ts';
import type { AppContext } from './context.ts';
import { loadKeyProvider } from './crypto/key-provider.ts';
import { Keyring, PLATFORM_SCOPE } from './crypto/keyring.ts';
import { type DatabaseHandle, type Db, openDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { pruneExpired } from './identity/housekeeping.ts';
import { outboxHandlers } from './outbox/handlers.ts';
import { runIfDue } from './outbox/periodic.ts';
import { OutboxWorker } from './outbox/worker.ts';
import { type App, buildServer } from './web/server.ts';

export function createLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'gapura' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Request lines carry the method, the path without its query string (queries can hold
    // contacts or tracking numbers) and the request id; never headers, cookies or bodies.
    serializers: {
      req: (req: { id?: unknown; method?: unknown; url?: unknown }) => ({
        id: req.id,
        method: req.method,
        path: typeof req.url === 'string' ? req.url.split('?')[0] : undefined,
      }),
    },
  });
}

/** Problems that stop production mode from starting; demo mode ignores them. */
export class ProductionRefused extends Error {
  constructor(readonly reasons: string[]) {
    super(reasons.join('\n'));
    this.name = 'ProductionRefused';
  }
}

export interface Opened {
  ctx: AppContext;
  handle: DatabaseHandle;
}

/**
 * The primary's handle, and the handle for lag-tolerant reads: a replica's when
 * DATABASE_REPLICA_URL is set (closed together with the primary), else the primary itself.
 */
function openWithReplica(config: Config): { handle: DatabaseHandle; readDb: Db } {
  const primary = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  if (config.databaseReplicaUrl === undefined) return { handle: primary, readDb: primary.db };
  const replica = openDatabase({ databaseUrl: config.databaseReplicaUrl, dataDir: config.dataDir });
  const close = async () => {
    await Promise.all([replica.close(), primary.close()]);
  };
  return { handle: { ...primary, close }, readDb: replica.db };
}

/** Opens the database, applies migrations and loads keys: everything a command needs. */
export async function openContext(config: Config, logger: Logger = createLogger(config)): Promise<Opened> {
  const provider = await loadKeyProvider(config);
  const { handle, readDb } = openWithReplica(config);
  try {
    await migrate(handle.db, handle.engine);
    const keyring = await Keyring.open(handle.db, provider);
    const ctx: AppContext = { config, db: handle.db, readDb, engine: handle.engine, keyring, logger };
    if (config.mode === 'production') await refuseDemoLeftovers(ctx);
    const agencyIds = (await handle.db.selectFrom('agencies').select('id').limit(10_000).execute()).map(
      (a) => a.id,
    );
    await keyring.prepare([PLATFORM_SCOPE, ...agencyIds]);
    return { ctx, handle };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

async function refuseDemoLeftovers(ctx: AppContext): Promise<void> {
  const reasons: string[] = [];
  if (ctx.keyring.isDemo)
    reasons.push(
      `the ${ctx.keyring.keyName} (${ctx.keyring.keySetting}) is a demo key: use a production key (for a master key file, "gapura keys init" creates one)`,
    );
  const demoUsers = await ctx.db.selectFrom('users').select('id').where('is_demo', '=', 1).limit(1).execute();
  if (demoUsers.length > 0)
    reasons.push('the database holds demo accounts; use a fresh database for production');
  const demoKeys = await ctx.db
    .selectFrom('data_keys')
    .select('id')
    .where('is_demo', '=', 1)
    .limit(1)
    .execute();
  if (demoKeys.length > 0) reasons.push('the database holds data keys made in demo mode');
  if (reasons.length > 0) throw new ProductionRefused(reasons);
}

export interface Running {
  app: App;
  ctx: AppContext;
  url: string;
  /** Stops accepting requests, finishes the ones in flight, stops workers, closes the database. */
  stop(): Promise<void>;
}

/** Runs `task` every `intervalMs` until stopped; a failure is logged and the task runs again next time. */
function startPeriodic(
  ctx: AppContext,
  name: string,
  intervalMs: number,
  task: () => Promise<unknown>,
): () => void {
  const timer = setInterval(() => {
    task().catch((err: unknown) => {
      ctx.logger.warn({ err: err instanceof Error ? err.message : String(err) }, `${name} failed`);
    });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** How often each node asks whether a cluster-wide periodic job is due (at most). */
const CLAIM_CHECK_MS = 60_000;

/**
 * Jobs the cluster runs once per period whatever the number of nodes. Both stay idempotent,
 * should a run that outlasts its lease overlap the next.
 */
export const CLUSTER_JOBS = [
  { name: 'housekeeping', everyMs: 10 * 60_000, task: (ctx: AppContext) => pruneExpired(ctx) },
  { name: 'sla-escalation', everyMs: 5 * 60_000, task: (ctx: AppContext) => checkEscalations(ctx) },
  // Closes answered complaints nobody replied to, and escalates complaint deadlines.
  { name: 'complaints', everyMs: 5 * 60_000, task: (ctx: AppContext) => runComplaintJobs(ctx) },
] as const;
export type ClusterJob = (typeof CLUSTER_JOBS)[number];

/**
 * Runs a cluster job if this node claims its current run (`outbox/periodic.ts`). The lease is one
 * period: the run of a node that crashed mid-run is taken over by the next node to check after it
 * expires.
 */
export function runClusterJob(ctx: AppContext, node: string, job: ClusterJob, now?: () => number) {
  const { name, everyMs, task } = job;
  return runIfDue(ctx.db, name, node, { everyMs, leaseMs: everyMs, now }, () => task(ctx));
}

/** Names this node in job claims: host, process and a random part (two starts never share one). */
function nodeName(): string {
  return `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
}

/** Starts the HTTP server and background workers over an opened context. */
export async function startServer(opened: Opened): Promise<Running> {
  const { ctx, handle } = opened;
  const app = await buildServer(ctx);
  const worker = new OutboxWorker(ctx, outboxHandlers(ctx), { intervalMs: ctx.config.workerIntervalMs });
  const sequencer = new AuditSequencer(ctx, { intervalMs: ctx.config.workerIntervalMs });
  await app.listen({ host: ctx.config.host, port: ctx.config.port });
  worker.start();
  sequencer.start();
  // The outbox worker and the audit sequencer claim their own work (leases with SKIP LOCKED, an
  // advisory lock); the cluster jobs are claimed per run, checked on each node's own timer.
  const node = nodeName();
  const stopPeriodic = [
    ...CLUSTER_JOBS.map((job) =>
      startPeriodic(ctx, job.name, Math.min(job.everyMs, CLAIM_CHECK_MS), () =>
        runClusterJob(ctx, node, job),
      ),
    ),
    // Every node, not once per cluster: it refreshes this process's own key cache, so a rotation
    // by `gapura keys rotate` (another process) takes effect here within a minute.
    startPeriodic(ctx, 'key refresh', 60_000, () => ctx.keyring.refreshActive()),
  ];
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : ctx.config.port;
  let stopping: Promise<void> | undefined;
  return {
    app,
    ctx,
    url: `http://${ctx.config.host === '0.0.0.0' ? 'localhost' : ctx.config.host}:${port}`,
    stop() {
      stopping ??= (async () => {
        await app.close();
        for (const stop of stopPeriodic) stop();
        await worker.stop();
        await sequencer.stop();
        await handle.close();
      })();
      return stopping;
    },
  };
}
