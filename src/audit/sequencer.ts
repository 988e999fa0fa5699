import type { AppContext } from '../context.ts';
import type { Db } from '../db/database.ts';
import { nowIso } from '../db/ids.ts';
import { hashLeaf, rootFromNodes, rootKeys, type StoredNode, StreamingRoot } from './merkle.ts';
import { createSigningKey, type SignedHead, STH_KEY_PURPOSE, signHead } from './signing.ts';
import * as store from './store.ts';

/** Leaves given positions per transaction: keeps each lock hold short. */
export const SEQUENCE_BATCH = 500;
/** Batches per {@link sequencePending} call, so one call never runs unbounded. */
const MAX_BATCHES = 200;

export interface SequenceOptions {
  /** Sign a head now if the tree grew since the last one, whatever the schedule says. */
  forceHead?: boolean;
  now?: () => number;
  batchSize?: number;
}

export interface SequenceResult {
  /** Leaves that got a position in this call. */
  sequenced: number;
  treeSize: number;
  /** Heads signed in this call, oldest first. */
  heads: SignedHead[];
  /** True when another node held the sequencer lock, so this call did nothing. */
  busy: boolean;
}

interface BatchResult {
  sequenced: number;
  treeSize: number;
  head: SignedHead | undefined;
}

/**
 * Gives pending leaves their tree positions in commit order: batch by batch, each in one
 * transaction under the sequencer lock, it reads pending leaves by (created_at, id), numbers them
 * from the current tree size, stores their hashes and every perfect subtree they complete, and signs
 * a tree head when one is due. Safe to call from any number of processes at once.
 */
export async function sequencePending(
  ctx: AppContext,
  options: SequenceOptions = {},
): Promise<SequenceResult> {
  const batchSize = options.batchSize ?? SEQUENCE_BATCH;
  const result: SequenceResult = { sequenced: 0, treeSize: 0, heads: [], busy: false };
  for (let i = 0; i < MAX_BATCHES; i++) {
    const batch = await store.withSequencerLock(ctx.db, ctx.engine, (trx) =>
      sequenceBatch(ctx, trx, batchSize, options),
    );
    if (batch === undefined) return { ...result, busy: true };
    result.sequenced += batch.sequenced;
    result.treeSize = batch.treeSize;
    if (batch.head) result.heads.push(batch.head);
    if (batch.sequenced < batchSize) break;
  }
  return result;
}

async function sequenceBatch(
  ctx: AppContext,
  trx: Db,
  batchSize: number,
  options: SequenceOptions,
): Promise<BatchResult> {
  const now = options.now?.() ?? Date.now();
  const size = await store.sequencedSize(trx);
  const pending = await store.pendingLeaves(trx, ctx.engine, batchSize);
  let root: Buffer | undefined;
  if (pending.length > 0) {
    const stream = StreamingRoot.fromNodes(size, await store.getNodes(trx, rootKeys(size)));
    const nodes: StoredNode[] = [];
    for (const leaf of pending) nodes.push(...stream.append(hashLeaf(leaf.content)));
    const positions = pending.map((leaf, i) => ({ id: leaf.id, seq: size + i }));
    await store.assignPositions(trx, ctx.engine, positions, nowIso(now));
    await store.insertNodes(trx, nodes);
    root = stream.root();
  }
  const treeSize = size + pending.length;
  // Forcing applies to the last batch only, so one call signs one head, over everything it sequenced.
  const force = options.forceHead === true && pending.length < batchSize;
  const head = await signHeadIfDue(ctx, trx, treeSize, root, now, force);
  return { sequenced: pending.length, treeSize, head };
}

/** True when the tree grew since `last` and enough leaves or time have passed (or forced). */
export function isHeadDue(
  last: { treeSize: number; timestamp: string } | undefined,
  treeSize: number,
  now: number,
  schedule: { everyLeaves: number; everySeconds: number },
  force: boolean,
): boolean {
  if (treeSize === 0 || (last !== undefined && treeSize <= last.treeSize)) return false;
  if (force || last === undefined) return true;
  return (
    treeSize - last.treeSize >= schedule.everyLeaves ||
    now - Date.parse(last.timestamp) >= schedule.everySeconds * 1000
  );
}

async function signHeadIfDue(
  ctx: AppContext,
  trx: Db,
  treeSize: number,
  knownRoot: Buffer | undefined,
  now: number,
  force: boolean,
): Promise<SignedHead | undefined> {
  const lastRow = await store.latestHead(trx);
  const last = lastRow && { treeSize: lastRow.tree_size, timestamp: lastRow.timestamp };
  if (!isHeadDue(last, treeSize, now, ctx.config.auditHeads, force)) return undefined;
  const root = knownRoot ?? rootFromNodes(treeSize, await store.getNodes(trx, rootKeys(treeSize)));
  // Never earlier than the previous head, even if this node's clock is behind another's.
  const timestamp = last && last.timestamp > nowIso(now) ? last.timestamp : nowIso(now);
  const head = await signHead(trx, ctx.keyring, treeSize, root, timestamp);
  await store.insertHead(trx, {
    tree_size: head.treeSize,
    root_hash: head.rootHash,
    timestamp: head.timestamp,
    signature: head.signature,
    key_id: head.keyId,
  });
  return head;
}

/**
 * The sequencer as a background loop, next to the outbox worker: a pass every interval, and at
 * once again while there is a backlog. `stop()` waits for the pass in hand.
 */
export class AuditSequencer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: { intervalMs: number },
  ) {}

  start(): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      let again = false;
      try {
        const pass = sequencePending(this.ctx);
        this.running = pass;
        const result = await pass;
        again = result.sequenced >= SEQUENCE_BATCH * MAX_BATCHES;
      } catch (err) {
        this.ctx.logger.warn(
          { err: err instanceof Error ? err.message : String(err) },
          'audit sequencer pass failed',
        );
      }
      if (!this.stopped) this.timer = setTimeout(tick, again ? 0 : this.options.intervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}

const LOCK_RETRY_MS = 100;
const LOCK_WAIT_MS = 30_000;

async function untilNotBusy<T extends { busy: boolean }>(attempt: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const result = await attempt();
    if (!result.busy || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
  }
}

/** Sequences everything pending and signs a head now if the tree grew (waits for another node's pass). */
export function signHeadNow(ctx: AppContext): Promise<SequenceResult> {
  return untilNotBusy(() => sequencePending(ctx, { forceHead: true }));
}

/** Replaces the tree-head signing key; the old one stays published, marked retired. */
export async function rotateHeadKey(ctx: AppContext): Promise<string> {
  const result = await untilNotBusy(async () => {
    const id = await store.withSequencerLock(ctx.db, ctx.engine, async (trx) => {
      return (await createSigningKey(trx, ctx.keyring, STH_KEY_PURPOSE)).id;
    });
    return { busy: id === undefined, id };
  });
  if (result.id === undefined) throw new Error('another node kept the audit sequencer busy; try again');
  return result.id;
}
