/**
 * The load the fault tests put on Gapura: citizens filing applications in one request (with an
 * Idempotency-Key, retried on failure until acknowledged) and officers moving them through the
 * workflow, over real HTTP. Every answer is recorded so a test can say what clients saw.
 */
import { createLogger, openContext } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { findUserIdByEmail, openSession, sessionIdOf } from '../../src/identity/service.ts';
import { csrfTokenFor } from '../../src/web/http.ts';
import { PINDAH_SERVICE, pindahAnswers } from '../fixtures/catalog-definitions.ts';

export const SERVICE = PINDAH_SERVICE;
export const CITIZEN_EMAIL = 'budi.santoso@warga.sukamaju.example';
export const VERIFIER_EMAIL = 'verifikator.disdukcapil@sukamaju.example';
export const COUNTER_EMAIL = 'loket.disdukcapil@sukamaju.example';

export interface ApiSession {
  cookie: string;
  csrf: string;
}

export interface Sessions {
  citizenId: string;
  citizen: ApiSession;
  verifier: ApiSession;
  counter: ApiSession;
}

/** Signed-in API sessions for the demo citizen and two officers, made directly in the database. */
export async function openSessions(env: Record<string, string>): Promise<Sessions> {
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
  const opened = await openContext(config, createLogger(config));
  try {
    const { ctx } = opened;
    const session = async (email: string): Promise<ApiSession> => {
      const userId = await findUserIdByEmail(ctx, email);
      if (!userId) throw new Error(`no demo account ${email}`);
      const token = await openSession(ctx, userId, 'active');
      return { cookie: token, csrf: csrfTokenFor(ctx.keyring.derivedSecret('csrf'), sessionIdOf(token)) };
    };
    const citizenId = await findUserIdByEmail(ctx, CITIZEN_EMAIL);
    if (!citizenId) throw new Error('no demo citizen');
    return {
      citizenId,
      citizen: await session(CITIZEN_EMAIL),
      verifier: await session(VERIFIER_EMAIL),
      counter: await session(COUNTER_EMAIL),
    };
  } finally {
    await opened.handle.close();
  }
}

/** The officers' loop through the workflow: verify, return for revision, resubmit at the counter. */
const STEPS: Record<
  string,
  { action: string; as: 'verifier' | 'counter'; comment?: string; flaggedFields?: string[] }
> = {
  diajukan: { action: 'verifikasi', as: 'verifier' },
  diverifikasi: {
    action: 'kembalikan',
    as: 'verifier',
    comment: 'Foto Kartu Keluarga kurang jelas, mohon unggah ulang.',
    flaggedFields: ['dok_kk'],
  },
  perlu_perbaikan: { action: 'ajukan_ulang', as: 'counter' },
};
/** Actions per application: a few, so the load spreads over many applications. */
const MAX_STEPS = 3;

export type RequestKind = 'submit' | 'action' | 'read';

/** One answer a client saw, or why it saw none. */
export interface Answer {
  kind: RequestKind;
  status: number | 'timeout' | 'network';
  /** The JSON error code, for an error answer. */
  code?: string;
  retryAfter?: string;
  /** When the answer came (epoch ms) and how long it took. */
  at: number;
  ms: number;
}

export interface AcknowledgedAction {
  id: string;
  action: string;
  /** The row version and state the server answered with. */
  rowVersion: number;
  state: string;
}

export interface LoadOptions {
  /** Where requests go, in turn (one URL: nginx or a single node). */
  urls: string[];
  sessions: Sessions;
  submitters: number;
  officers: number;
  /** A client gives up on one request after this long (and retries it, for a submission). */
  requestTimeoutMs: number;
  /** Unique per test: the Idempotency-Keys start with it. */
  keyPrefix: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry delay of a client: short and jittered, so a test's outage is crossed quickly. */
function clientBackoff(attempt: number): number {
  return Math.min(100 * 2 ** attempt, 800) * (0.5 + Math.random() / 2);
}

/** A property of a JSON value, or undefined. */
function field(json: unknown, key: string): unknown {
  return typeof json === 'object' && json !== null ? Reflect.get(json, key) : undefined;
}

function errorCodeOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = body.error;
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export class Load {
  readonly answers: Answer[] = [];
  /** Idempotency-Key → application id, for every submission a client saw acknowledged. */
  readonly submitted = new Map<string, string>();
  /** Every key a client sent, acknowledged or not. */
  readonly attemptedKeys = new Set<string>();
  readonly actions: AcknowledgedAction[] = [];
  /** Answers no client should ever get (a 4xx the load did not provoke), with their bodies. */
  readonly unexpected: string[] = [];
  private readonly steps = new Map<string, number>();
  private readonly busy = new Set<string>();
  private readonly workers: Promise<void>[] = [];
  private stopping = false;
  /** Retrying stops at this time (set by stop: until then a submission is retried until acknowledged). */
  private giveUpAt = Number.POSITIVE_INFINITY;
  private turn = 0;
  private picked = 0;

  constructor(private readonly options: LoadOptions) {}

  get citizenId(): string {
    return this.options.sessions.citizenId;
  }

  start(): void {
    for (let w = 0; w < this.options.submitters; w++) this.workers.push(this.submitter(w));
    for (let w = 0; w < this.options.officers; w++) this.workers.push(this.officer());
  }

  /** Stops starting new work and waits for the work in hand (a submission until it is acknowledged). */
  async stop(graceMs = 60_000): Promise<void> {
    this.stopping = true;
    this.giveUpAt = Date.now() + graceMs;
    await Promise.all(this.workers);
  }

  count(kind: RequestKind, status?: Answer['status']): number {
    return this.answers.filter((a) => a.kind === kind && (status === undefined || a.status === status))
      .length;
  }

  private nextUrl(): string {
    const urls = this.options.urls;
    const url = urls[this.turn++ % urls.length];
    if (url === undefined) throw new Error('the load has no URL');
    return url;
  }

  private headers(session: ApiSession): Record<string, string> {
    return {
      'content-type': 'application/json',
      cookie: `gapura_session=${session.cookie}`,
      'x-csrf-token': session.csrf,
    };
  }

  private async request(
    kind: RequestKind,
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<{ status: Answer['status']; json: unknown }> {
    const started = performance.now();
    let answer: Answer;
    let json: unknown;
    try {
      const response = await fetch(`${this.nextUrl()}${path}`, {
        method,
        headers: method === 'GET' ? { cookie: headers.cookie ?? '' } : headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      const text = await response.text();
      json = text.startsWith('{') ? JSON.parse(text) : undefined;
      const retryAfter = response.headers.get('retry-after');
      const code = response.ok ? undefined : errorCodeOf(json);
      answer = {
        kind,
        status: response.status,
        at: Date.now(),
        ms: performance.now() - started,
        ...(code === undefined ? {} : { code }),
        ...(retryAfter === null ? {} : { retryAfter }),
      };
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      answer = {
        kind,
        status: timedOut ? 'timeout' : 'network',
        at: Date.now(),
        ms: performance.now() - started,
      };
    }
    this.answers.push(answer);
    return { status: answer.status, json };
  }

  private async submitter(worker: number): Promise<void> {
    for (let n = 0; !this.stopping; n++)
      await this.submitUntilAcknowledged(`${this.options.keyPrefix}-${worker}-${n}`);
  }

  private async submitUntilAcknowledged(key: string): Promise<void> {
    this.attemptedKeys.add(key);
    const body = JSON.stringify({ service: SERVICE, answers: pindahAnswers(), submit: true, consent: true });
    const headers = { ...this.headers(this.options.sessions.citizen), 'idempotency-key': key };
    for (let attempt = 0; ; attempt++) {
      const { status, json } = await this.request('submit', 'POST', '/api/v1/applications', headers, body);
      if (status === 201) {
        const id = typeof json === 'object' && json !== null && 'id' in json ? String(json.id) : '';
        this.submitted.set(key, id);
        return;
      }
      if (typeof status === 'number' && status < 500) {
        this.unexpected.push(`submit ${key}: ${status} ${JSON.stringify(json)}`);
        return;
      }
      if (Date.now() > this.giveUpAt) return;
      await sleep(clientBackoff(attempt));
    }
  }

  /** The next acknowledged application with steps left that no officer is working on. */
  private pick(): string | undefined {
    const ids = [...this.submitted.values()];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[(this.picked + i) % ids.length];
      if (id !== undefined && !this.busy.has(id) && (this.steps.get(id) ?? 0) < MAX_STEPS) {
        this.picked = (this.picked + i + 1) % ids.length;
        return id;
      }
    }
    return undefined;
  }

  private async officer(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      const id = this.pick();
      if (id === undefined) {
        // Nothing to act on yet: the submitters are behind.
        await sleep(20);
        continue;
      }
      this.busy.add(id);
      try {
        failures = (await this.step(id)) ? 0 : failures + 1;
      } finally {
        this.busy.delete(id);
      }
      if (failures > 0) await sleep(clientBackoff(failures));
    }
  }

  /** Reads the application's state and takes the next action; false when the server failed. */
  private async step(id: string): Promise<boolean> {
    const { sessions } = this.options;
    const read = await this.request(
      'read',
      'GET',
      `/api/v1/applications/${id}`,
      this.headers(sessions.citizen),
    );
    if (read.status !== 200) return this.isExpectedFailure('read', id, read);
    const state = field(field(read.json, 'state'), 'key');
    const step = typeof state === 'string' ? STEPS[state] : undefined;
    if (!step) {
      this.steps.set(id, MAX_STEPS);
      return true;
    }
    const payload = {
      action: step.action,
      rowVersion: Number(field(read.json, 'rowVersion')),
      ...(step.comment === undefined ? {} : { comment: step.comment }),
      ...(step.flaggedFields === undefined ? {} : { flaggedFields: step.flaggedFields }),
    };
    const done = await this.request(
      'action',
      'POST',
      `/api/v1/applications/${id}/actions`,
      this.headers(sessions[step.as]),
      JSON.stringify(payload),
    );
    if (done.status === 200) {
      this.actions.push({
        id,
        action: step.action,
        rowVersion: Number(field(done.json, 'rowVersion')),
        state: String(field(done.json, 'state')),
      });
      this.steps.set(id, (this.steps.get(id) ?? 0) + 1);
      return true;
    }
    // An earlier attempt whose answer was lost may have moved it already: read again next time.
    if (done.status === 409 && errorCodeOf(done.json) === 'application.changed') return true;
    return this.isExpectedFailure('action', id, done);
  }

  /** A server failure or lost connection is expected during a fault; anything else is recorded. */
  private isExpectedFailure(
    kind: RequestKind,
    id: string,
    answer: { status: Answer['status']; json: unknown },
  ): false {
    if (typeof answer.status === 'number' && answer.status < 500)
      this.unexpected.push(`${kind} ${id}: ${answer.status} ${JSON.stringify(answer.json)}`);
    return false;
  }
}

/** Waits until `count()` has grown by `more` from now. */
export async function moreOf(
  count: () => number,
  more: number,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const target = count() + more;
  const deadline = Date.now() + timeoutMs;
  while (count() < target) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${more} more ${what} (at ${count()} of ${target})`);
    await sleep(20);
  }
}
