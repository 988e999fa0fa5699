import type { LightMyRequestResponse } from 'fastify';
import type { Opened } from '../../src/app.ts';
import { findUserIdByEmail, totpSecretOf } from '../../src/identity/service.ts';
import type { App } from '../../src/web/server.ts';
import { unusedTotp } from './totp.ts';

/** The cookies a response sets, as name → value. */
export function setCookies(response: LightMyRequestResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of response.cookies) out[c.name] = c.value;
  return out;
}

export interface ApiSession {
  cookie: string;
  csrf: string;
}

/** Signs in through the JSON API (with the TOTP step for staff) and returns the session. */
export async function apiSignIn(
  app: App,
  opened: Opened,
  email: string,
  password: string,
): Promise<ApiSession> {
  const first = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/signin',
    payload: { contact: email, password },
  });
  if (first.statusCode !== 200) throw new Error(`sign-in failed: ${first.statusCode} ${first.body}`);
  let token = setCookies(first).gapura_session ?? setCookies(first).gapura_pending ?? '';
  let body = first.json<{ stage: string; csrfToken: string }>();
  if (body.stage === 'second_factor') {
    const userId = await findUserIdByEmail(opened.ctx, email);
    const secret = userId ? await totpSecretOf(opened.ctx, userId) : undefined;
    if (!secret) throw new Error(`no TOTP secret for ${email}`);
    const second = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/second-factor',
      cookies: { gapura_pending: token },
      payload: { code: await unusedTotp(secret) },
    });
    if (second.statusCode !== 200)
      throw new Error(`second factor failed: ${second.statusCode} ${second.body}`);
    token = setCookies(second).gapura_session ?? '';
    body = second.json();
  }
  return { cookie: token, csrf: body.csrfToken };
}

/** A multipart body as a browser would send it. */
export async function multipart(
  fields: Record<string, string | { name: string; type: string; bytes: Buffer }>,
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([value.bytes], { type: value.type }), value.name);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await request.arrayBuffer()),
    headers: { 'content-type': request.headers.get('content-type') ?? '' },
  };
}
