import type { JobHandler } from './worker.ts';

/**
 * Every outbox topic and the function that delivers it. A topic without a handler is retried
 * and, after the last attempt, kept as dead for an operator to see. Modules add their topics here.
 */
export const outboxHandlers: ReadonlyMap<string, JobHandler> = new Map<string, JobHandler>();
