import type { AppContext } from '../context.ts';
import { deliverNotification, type Transports, transportsFor } from '../notifications/delivery.ts';
import { DELIVER_TOPIC } from '../notifications/service.ts';
import type { JobHandler } from './worker.ts';

function payloadId(payload: unknown, key: string): string {
  const value: unknown =
    typeof payload === 'object' && payload !== null ? Reflect.get(payload, key) : undefined;
  if (typeof value === 'string') return value;
  throw new Error(`outbox payload has no ${key}`);
}

/**
 * Every outbox topic and the function that delivers it, for one process. A topic without a
 * handler is retried and, after the last attempt, kept as dead for an operator to see.
 */
export function outboxHandlers(ctx: AppContext): ReadonlyMap<string, JobHandler> {
  const transports: Transports = transportsFor(ctx);
  return new Map<string, JobHandler>([
    [
      DELIVER_TOPIC,
      (jobCtx, payload) => deliverNotification(jobCtx, transports, payloadId(payload, 'notificationId')),
    ],
  ]);
}
