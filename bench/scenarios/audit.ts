import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, openContext } from '../../src/app.ts';
import { appendAuditLeaf } from '../../src/audit/log.ts';
import { sequencePending } from '../../src/audit/sequencer.ts';
import { inclusionProof } from '../../src/audit/service.ts';
import { verifyLog } from '../../src/audit/verify.ts';
import { localSource } from '../../src/audit/verify-local.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { Db } from '../../src/db/database.ts';
import { type BenchOptions, type BenchRow, ratioRow, type Scenario } from '../lib.ts';

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same log. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The baseline: exactly the hashing the verifier must do — every stored leaf with its prefix and
 * every interior node — with node:crypto over the same bytes, in memory. Leaves per second.
 */
async function rawHashingRate(db: Db, leaves: number): Promise<number> {
  const contents = (await db.selectFrom('audit_leaves').select('content').orderBy('seq').execute()).map((r) =>
    Buffer.from(r.content),
  );
  const start = performance.now();
  let level: Buffer[] = contents.map((c) => createHash('sha256').update(LEAF_PREFIX).update(c).digest());
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      next.push(
        createHash('sha256')
          .update(NODE_PREFIX)
          .update(level[i]!)
          .update(level[i + 1]!)
          .digest(),
      );
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return leaves / ((performance.now() - start) / 1000);
}

/**
 * Builds a log of N leaves on SQLite, then measures: sequencing, whole-log verification against
 * the raw SHA-256 work it implies (every leaf with its prefix and every interior node, hashed with
 * node:crypto over the same bytes in memory), and inclusion-proof latency at that size.
 */
export const auditScenario: Scenario = {
  name: 'audit',
  async run(options: BenchOptions): Promise<BenchRow[]> {
    const leaves = options.quick ? 20_000 : 1_000_000;
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gapura-bench-audit-'));
    const config = loadConfig({ GAPURA_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const { ctx, handle } = await openContext(config, createLogger(config));
    try {
      const random = seeded(9162);
      const types = [
        'application.submitted',
        'application.verified',
        'application.approved',
        'staff.signed_in',
      ];
      for (let done = 0; done < leaves; done += 1000) {
        await ctx.db.transaction().execute(async (trx) => {
          for (let i = done; i < Math.min(leaves, done + 1000); i++) {
            await appendAuditLeaf(trx, {
              type: types[i % types.length] ?? 'event',
              actorId: `actor-${Math.floor(random() * 500)}`,
              agencyId: `agency-${i % 3}`,
              subjectId: `subject-${i}`,
              facts: { state: 'diverifikasi', version: 3 },
              ...(i % 2 === 0 ? { personal: { nik: `33730412019000${i % 100}` } } : {}),
            });
          }
        });
      }
      const sequenceStart = performance.now();
      for (;;) {
        const result = await sequencePending(ctx, { forceHead: true });
        if (result.sequenced === 0) break;
      }
      const sequenceSeconds = (performance.now() - sequenceStart) / 1000;

      // Verification first, with nothing else in memory: the baseline below holds every leaf and
      // hash of the log at once, which would slow the collector under the verifier.
      const verifyStart = performance.now();
      const outcome = await verifyLog(localSource(ctx.db));
      const verifyPerSecond = leaves / ((performance.now() - verifyStart) / 1000);
      if (!outcome.ok) throw new Error('the benchmark log does not verify');
      const baselinePerSecond = await rawHashingRate(ctx.db, leaves);

      const latencies: number[] = [];
      for (let i = 0; i < (options.quick ? 500 : 5000); i++) {
        const index = Math.floor(random() * leaves);
        const start = performance.now();
        await inclusionProof(ctx, index, leaves);
        latencies.push(performance.now() - start);
      }
      latencies.sort((a, b) => a - b);
      const p50 = latencies[Math.floor(latencies.length * 0.5)] ?? 0;
      const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
      const size = leaves.toLocaleString('en-US');
      return [
        {
          scenario: `Audit sequencing (${size} leaves, batches of 500, SQLite)`,
          engine: 'sqlite',
          figure: 'leaves/s',
          value: Math.round(leaves / sequenceSeconds),
          unit: 'leaves/s',
        },
        ratioRow(
          {
            scenario: `Audit log verification (${size} leaves, SQLite)`,
            engine: 'sqlite',
            figure: 'leaves/s',
            value: Math.round(verifyPerSecond),
            unit: 'leaves/s',
            baseline: Math.round(baselinePerSecond),
            target: '≥ 50% of raw SHA-256',
          },
          0.5,
        ),
        {
          scenario: `Inclusion proof at ${size} leaves (service call with its database reads)`,
          engine: 'sqlite',
          figure: 'p99 latency',
          value: Math.round(p99 * 1000) / 1000,
          unit: 'ms',
          target: '< 5 ms',
          pass: p99 < 5,
          note: `p50 ${Math.round(p50 * 1000) / 1000} ms`,
        },
      ];
    } finally {
      await handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
