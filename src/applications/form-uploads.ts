import type { Principal } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import { errorMessage, mapError } from '../web/errors.ts';
import type { Lang } from '../web/i18n/index.ts';
import { isUploadedFile } from '../web/multipart.ts';
import type { RouteDeps } from '../web/server.ts';
import { uploadAttachment } from './uploads.ts';

/**
 * Stores the files of a multipart section form for the uploader and puts their upload ids where
 * the form had the files, beside the ids kept. A refused file is reported at its field; the rest
 * of the section is still saved.
 */
export async function storeFormUploads(
  deps: Pick<RouteDeps, 'ctx'>,
  lang: Lang,
  uploader: Principal,
  applicationId: string,
  body: Record<string, unknown>,
): Promise<{ body: Record<string, unknown>; errors: Map<string, string> }> {
  const out: Record<string, unknown> = { ...body };
  const errors = new Map<string, string>();
  for (const [name, value] of Object.entries(body)) {
    const items: unknown[] = Array.isArray(value) ? value : [value];
    if (!items.some(isUploadedFile)) continue;
    const ids = items.filter((v): v is string => typeof v === 'string');
    // `key` or `group[1].key`: the field key is the last part of the path.
    const fieldKey = name.slice(name.lastIndexOf('.') + 1);
    for (const file of items.filter(isUploadedFile)) {
      if (file.bytes.length === 0) continue; // a file input left empty
      try {
        ids.push((await uploadAttachment(deps.ctx, uploader, applicationId, fieldKey, file.bytes)).id);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        errors.set(name, errorMessage(lang, mapError(err)));
      }
    }
    out[name] = ids;
  }
  return { body: out, errors };
}
