import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldErrors } from './domain-error.ts';
import { errorMessage, mapError } from './errors.ts';
import { sendHtml } from './http.ts';

/**
 * Re-renders a form after a domain refusal: field problems go next to their fields, anything else
 * to the top of the form, with the mapped status (and Retry-After when rate-limited). Anything that
 * is not a domain refusal is rethrown to the error handler.
 */
export function renderRefusal(
  request: FastifyRequest,
  reply: FastifyReply,
  err: unknown,
  render: (fieldErrors: Record<string, string>, formError: string | undefined) => string | Promise<string>,
): FastifyReply | Promise<FastifyReply> {
  if (!(err instanceof DomainError)) throw err;
  const mapped = mapError(err);
  if (mapped.retryAfterSeconds !== undefined) reply.header('retry-after', String(mapped.retryAfterSeconds));
  const fieldErrors: Record<string, string> = {};
  if (err instanceof FieldErrors)
    for (const p of err.problems) fieldErrors[p.field] ??= p.message[request.lang];
  const formError = err instanceof FieldErrors ? undefined : errorMessage(request.lang, mapped);
  return sendHtml(reply, render(fieldErrors, formError), mapped.status);
}
