import type { AppContext } from '../context.ts';
import { type ClaimedJob, claimJobs, markDone, markFailed } from './outbox.ts';

export type JobHandler = (ctx: AppContext, payload: unknown) => Promise<void>;

export interface WorkerOptions {
  intervalMs: number;
  batchSize?: number;
  leaseMs?: number;
}

/**
 * Delivers outbox jobs: claims a batch, runs each topic's handler, marks it done or schedules a
 * retry. A failing handler never affects the change that queued the job. `stop()` waits for the
 * batch in hand to finish.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly handlers: ReadonlyMap<string, JobHandler>,
    private readonly options: WorkerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      try {
        this.running = this.runOnce();
        const handled = await this.running;
        if (this.stopped) return;
        this.timer = setTimeout(tick, handled > 0 ? 0 : this.options.intervalMs);
      } catch (err) {
        this.ctx.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'outbox worker pass failed',
        );
        if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs);
      }
    };
    this.timer = setTimeout(tick, 0);
  }

  /** One pass: claims and handles a batch; returns how many jobs it handled. */
  async runOnce(): Promise<number> {
    const jobs = await claimJobs(
      this.ctx.db,
      this.ctx.engine,
      this.options.batchSize ?? 20,
      this.options.leaseMs ?? 60_000,
    );
    // Side by side, not one after another: a stalled gateway then costs one timeout per batch
    // instead of one per job (20 × 15 s, far past the lease, so other nodes claimed the same jobs
    // again meanwhile). The pass ends once every job has; a job whose outcome could not be
    // recorded (the database gone) fails the pass.
    const handled = await Promise.allSettled(jobs.map((job) => this.handle(job)));
    const failed = handled.find((h) => h.status === 'rejected');
    if (failed) throw failed.reason;
    return jobs.length;
  }

  private async handle(job: ClaimedJob): Promise<void> {
    const handler = this.handlers.get(job.topic);
    try {
      if (!handler) throw new Error(`no handler for topic ${job.topic}`);
      await handler(this.ctx, job.payload);
      await markDone(this.ctx.db, job.id);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.ctx.logger.warn(
        { job: job.id, topic: job.topic, attempts: job.attempts },
        'outbox job failed; will retry',
      );
      await markFailed(this.ctx.db, job, message);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => 0);
  }
}
