import type { FastifyRequest } from 'fastify';
import { DomainError } from './domain-error.ts';

/** A file from a multipart body. */
export interface UploadedFile {
  filename: string;
  type: string;
  bytes: Buffer;
}

/**
 * Reads a whole multipart body with the platform's own form-data parser (the WHATWG `Response`).
 * It runs as the body parser, before the policy and CSRF hook, so the page form's `_csrf` field
 * is checked like any other page form's; @fastify/multipart parses only after that hook, which
 * would refuse every upload for a missing token.
 */
export type MultipartValue = string | UploadedFile;

export async function parseMultipart(
  request: FastifyRequest,
  body: Buffer,
): Promise<Record<string, MultipartValue | MultipartValue[]>> {
  let form: FormData;
  try {
    form = await new Response(body, {
      headers: { 'content-type': String(request.headers['content-type'] ?? '') },
    }).formData();
  } catch {
    throw new DomainError('request.invalid', { reason: 'malformed multipart body' });
  }
  // Repeated names (checkboxes, several files) become lists, as @fastify/formbody makes them.
  const fields: Record<string, MultipartValue | MultipartValue[]> = Object.create(null);
  for (const [name, value] of form) {
    const item: MultipartValue =
      typeof value === 'string'
        ? value
        : { filename: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) };
    const earlier = fields[name];
    fields[name] = earlier === undefined ? item : [...(Array.isArray(earlier) ? earlier : [earlier]), item];
  }
  return { ...fields };
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && 'bytes' in value && Buffer.isBuffer(value.bytes);
}
