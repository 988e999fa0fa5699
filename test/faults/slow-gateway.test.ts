import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_SCOPE } from '../../src/crypto/keyring.ts';
import { DELIVER_TOPIC } from '../../src/notifications/service.ts';
import { checkNothingLost, openForChecks } from './checks.ts';
import { GapuraNode, tempDir, trace, waitUntil } from './helpers.ts';
import { Load, moreOf, openSessions } from './load.ts';
import { type SmsSink, type SmtpSink, startSmsSink, startSmtpSink } from './sinks.ts';

/** A failed attempt as the node logged it, and the retry time the outbox stored for it. */
interface Retry {
  job: string;
  attempts: number;
  failedAt: number;
  retryAt: number;
}

/** The node's "outbox job failed; will retry" lines: job, attempt and when. */
function loggedFailures(output: string): { job: string; attempts: number; at: number }[] {
  const out: { job: string; attempts: number; at: number }[] = [];
  for (const line of output.split('\n')) {
    if (!line.includes('outbox job failed')) continue;
    const entry: unknown = JSON.parse(line);
    if (typeof entry !== 'object' || entry === null) continue;
    const job = Reflect.get(entry, 'job');
    const attempts = Reflect.get(entry, 'attempts');
    const time = Reflect.get(entry, 'time');
    if (typeof job === 'string' && typeof attempts === 'number' && typeof time === 'string')
      out.push({ job, attempts, at: Date.parse(time) });
  }
  return out;
}

describe('fault: the SMTP server and the SMS gateway stall', () => {
  let dataDir: string;
  let smtp: SmtpSink;
  let sms: SmsSink;
  let node: GapuraNode;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = tempDir('slow-gateway');
    smtp = await startSmtpSink();
    sms = await startSmsSink();
    env = {
      GAPURA_DATA_DIR: dataDir,
      GAPURA_MODE: 'demo',
      LOG_LEVEL: 'warn',
      GAPURA_WORKER_INTERVAL_MS: '100',
      SMTP_URL: smtp.url,
      SMS_GATEWAY_URL: sms.url,
    };
    node = await GapuraNode.start('sqlite', env);
    trace('node started');
  }, 240_000);

  afterAll(async () => {
    await node?.stop();
    await smtp?.close();
    await sms?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('status changes are answered while no message can leave; deliveries are retried after exponential, jittered delays; nothing is lost', async () => {
    const sessions = await openSessions(env);
    const opened = await openForChecks(env);
    const seen = new Map<string, number>();
    try {
      // The citizen gets a mobile number, so every change goes out by e-mail and by SMS.
      await opened.ctx.db
        .updateTable('users')
        .set({ phone_enc: opened.ctx.keyring.encrypt(PLATFORM_SCOPE, '+6281234567890', 'users.phone') })
        .where('id', '=', sessions.citizenId)
        .execute();
      const load = new Load({
        urls: [node.url],
        sessions,
        submitters: 1,
        officers: 1,
        requestTimeoutMs: 15_000,
        keyPrefix: 'slow-gateway',
      });
      load.start();
      await moreOf(() => load.actions.length, 3, 'acknowledged actions before the stall');

      smtp.stall();
      sms.stall();
      trace('gateways stalled');
      // From here no message can leave: deliveries reach the servers and are held, and those that
      // were under way when the servers stalled have ended.
      await waitUntil(
        'deliveries to be held by the stalled servers',
        () =>
          smtp.stalledConnections > 0 &&
          sms.stalledConnections > 0 &&
          smtp.inFlight === 0 &&
          sms.inFlight === 0,
      );
      const deliveredBefore = { mail: smtp.received.length, sms: sms.received.length };
      const actionsBefore = load.actions.length;
      await moreOf(() => load.actions.length, 6, 'acknowledged actions during the stall');
      await load.stop();
      trace(`load stopped: ${load.actions.length - actionsBefore} actions while stalled`);
      expect({ mail: smtp.received.length, sms: sms.received.length }).toEqual(deliveredBefore);

      // Watch the retries: each failed attempt's stored retry time, until a few were seen.
      const retries: Retry[] = [];
      await waitUntil(
        'failed deliveries to be scheduled again',
        async () => {
          const rows = await opened.ctx.db
            .selectFrom('outbox')
            .select(['id', 'attempts', 'available_at'])
            .where('topic', '=', DELIVER_TOPIC)
            .where('status', '=', 'pending')
            .where('lease_until', 'is', null)
            .where('attempts', '>', 0)
            .execute();
          for (const r of rows) {
            const key = `${r.id} ${r.attempts}`;
            if (!seen.has(key)) seen.set(key, Date.parse(r.available_at));
          }
          const failures = loggedFailures(node.output());
          retries.splice(0);
          for (const f of failures) {
            const retryAt = seen.get(`${f.job} ${f.attempts}`);
            if (retryAt !== undefined)
              retries.push({ job: f.job, attempts: f.attempts, failedAt: f.at, retryAt });
          }
          return retries.length >= 6;
        },
        120_000,
        100,
      );
      smtp.release();
      sms.release();
      trace(`gateways released after ${retries.length} observed retries`);

      // Every retry waits 2 s × 2^(attempt − 1), ±25 % (which attempt this is depends on how long
      // the stall lasted); the log line and the stored time are a few milliseconds apart.
      for (const r of retries) {
        const base = 2000 * 2 ** (r.attempts - 1);
        const delay = r.retryAt - r.failedAt;
        expect(delay, `${r.job} attempt ${r.attempts}`).toBeGreaterThanOrEqual(base * 0.75 - 100);
        expect(delay, `${r.job} attempt ${r.attempts}`).toBeLessThanOrEqual(base * 1.25 + 100);
      }
      // Jitter: the delays, as fractions of their base, are spread out rather than all equal.
      const fractions = retries.map((r) => (r.retryAt - r.failedAt) / (2000 * 2 ** (r.attempts - 1)));
      expect(Math.max(...fractions) - Math.min(...fractions)).toBeGreaterThan(0.05);

      expect(load.unexpected).toEqual([]);
      const failedActions = load.answers.filter(
        (a) => a.kind === 'action' && (typeof a.status !== 'number' || a.status >= 500),
      );
      expect(failedActions).toEqual([]);
      expect(await checkNothingLost(env, load, { mail: smtp.received, sms: sms.received })).toEqual([]);
    } finally {
      await opened.handle.close();
    }
  }, 240_000);
});
