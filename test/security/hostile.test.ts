import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../../src/app.ts';
import { type DemoAccount, seedDemo } from '../../src/demo/seed.ts';
import type { App } from '../../src/web/server.ts';
import { buildServer } from '../../src/web/server.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, openTestContext } from '../helpers/engines.ts';
import { apiSignIn } from '../helpers/http.ts';

interface Hostile {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  url: string;
  headers?: Record<string, string>;
  payload?: string | object;
  cookies?: Record<string, string>;
}

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, meant literally
  '${7*7}{{7*7}}',
  '\u0000\u202e',
  "admin'--",
  '%27%20OR%201%3D1%3B--',
];

function deepJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Every field of every JSON route gets each injection while the request stays invalid in another way. */
function injectionRequests(): Hostile[] {
  const forms: [string, Record<string, string>][] = [
    ['/api/v1/auth/signin', { contact: 'x', password: 'wrong-password' }],
    ['/api/v1/auth/second-factor', { code: '123456' }],
    ['/api/v1/auth/register', { contact: 'not-a-contact', name: 'N', password: 'short' }],
    ['/api/v1/auth/verify', { contact: 'nobody@sukamaju.example', code: '000000' }],
    [
      '/api/v1/auth/recover/confirm',
      { contact: 'nobody@sukamaju.example', code: '000000', password: 'short' },
    ],
  ];
  const out: Hostile[] = [];
  for (const [url, base] of forms) {
    for (const field of Object.keys(base)) {
      for (const injection of INJECTIONS) {
        out.push({
          name: `${url} ${field}=${JSON.stringify(injection)}`,
          method: 'POST',
          url,
          payload: { ...base, [field]: injection },
        });
      }
    }
  }
  const pageForms: [string, Record<string, string>][] = [
    ['/signin', { contact: 'x', password: 'wrong-password' }],
    ['/register', { contact: 'warga@sukamaju.example', name: 'Warga', password: 'long-enough-password' }],
    ['/register/verify', { contact: 'warga@sukamaju.example', code: '000000' }],
    ['/recover', { contact: 'warga@sukamaju.example' }],
  ];
  for (const [url, base] of pageForms) {
    for (const field of Object.keys(base)) {
      for (const injection of INJECTIONS) {
        // A forged CSRF token: the form must be refused before anything is done with the fields.
        const body = new URLSearchParams({ ...base, [field]: injection, _csrf: 'forged-token' }).toString();
        out.push({
          name: `${url} (form) ${field}=${JSON.stringify(injection)}`,
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: body,
        });
      }
    }
  }
  return out;
}

function malformedRequests(session: { cookie: string; csrf: string }): Hostile[] {
  const json = { 'content-type': 'application/json' };
  return [
    {
      name: 'oversized JSON body',
      method: 'POST',
      url: '/api/v1/auth/signin',
      headers: json,
      payload: JSON.stringify({ contact: 'a'.repeat(3_000_000), password: 'x' }),
    },
    {
      name: 'oversized form body',
      method: 'POST',
      url: '/signin',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `contact=${'a'.repeat(3_000_000)}`,
    },
    {
      name: 'deeply nested JSON',
      method: 'POST',
      url: '/api/v1/auth/signin',
      headers: json,
      payload: deepJson(5000),
    },
    {
      name: 'truncated JSON',
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: json,
      payload: '{"contact": "a@b.c", "name": ',
    },
    {
      name: 'JSON array instead of object',
      method: 'POST',
      url: '/api/v1/auth/signin',
      headers: json,
      payload: '[1,2,3]',
    },
    { name: 'JSON null', method: 'POST', url: '/api/v1/auth/signin', headers: json, payload: 'null' },
    {
      name: 'wrong types',
      method: 'POST',
      url: '/api/v1/auth/signin',
      headers: json,
      payload: JSON.stringify({ contact: 42, password: ['x'] }),
    },
    {
      name: 'prototype pollution',
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: json,
      payload: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"contact":"bad"}',
    },
    {
      name: 'text/plain to the API',
      method: 'POST',
      url: '/api/v1/auth/signin',
      headers: { 'content-type': 'text/plain' },
      payload: 'contact=a&password=b',
    },
    {
      name: 'form-encoded to the API',
      method: 'POST',
      url: '/api/v1/auth/signin',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'contact=a&password=b',
    },
    {
      name: 'XML to the API',
      method: 'POST',
      url: '/api/v1/auth/register',
      headers: { 'content-type': 'application/xml' },
      payload: '<a>1</a>',
    },
    {
      name: 'multipart without boundary',
      method: 'POST',
      url: '/api/v1/auth/signin',
      headers: { 'content-type': 'multipart/form-data' },
      payload: 'x',
    },
    {
      name: 'charset trickery',
      method: 'POST',
      url: '/api/v1/auth/signin',
      headers: { 'content-type': 'application/json; charset=utf-7' },
      payload: '{"contact":"a","password":"b"}',
    },
    { name: 'path traversal in static', method: 'GET', url: '/static/../../package.json' },
    { name: 'encoded path traversal in static', method: 'GET', url: '/static/%2e%2e/%2e%2e/package.json' },
    { name: 'double-encoded traversal', method: 'GET', url: '/static/%252e%252e/%252e%252e/etc/passwd' },
    { name: 'null byte in path', method: 'GET', url: '/static/gapura.css%00.js' },
    { name: 'very long URL', method: 'GET', url: `/api/v1/agencies?${'x='.repeat(20_000)}` },
    { name: 'unknown API route', method: 'GET', url: '/api/v1/../../etc/passwd' },
    { name: 'unknown method on a route', method: 'DELETE', url: '/api/v1/agencies' },
    { name: 'PUT on a GET route', method: 'PUT', url: '/api/v1/me', headers: json, payload: '{}' },
    { name: 'bad language', method: 'GET', url: '/lang/xx?next=/' },
    {
      name: 'open redirect through the language switch',
      method: 'GET',
      url: '/lang/en?next=//evil.example/',
    },
    {
      name: 'forged session cookie',
      method: 'GET',
      url: '/api/v1/me',
      cookies: { gapura_session: 'forged-token-value' },
    },
    {
      name: 'expired-looking session cookie',
      method: 'GET',
      url: '/api/v1/me',
      cookies: { gapura_session: 'A'.repeat(43) },
    },
    {
      name: 'forged API token',
      method: 'GET',
      url: '/api/v1/inbox',
      headers: { authorization: `Bearer gpr_${'0'.repeat(32)}_${'A'.repeat(43)}` },
    },
    {
      name: 'malformed bearer header',
      method: 'GET',
      url: '/api/v1/inbox',
      headers: { authorization: 'Bearer' },
    },
    {
      name: 'API token with SQL in it',
      method: 'GET',
      url: '/api/v1/inbox',
      headers: { authorization: "Bearer gpr_' OR '1'='1_x" },
    },
    { name: 'huge cookie', method: 'GET', url: '/api/v1/me', cookies: { gapura_session: 'A'.repeat(8000) } },
    {
      name: 'forged pending cookie for the second factor',
      method: 'POST',
      url: '/api/v1/auth/second-factor',
      cookies: { gapura_pending: 'forged' },
      headers: json,
      payload: '{"code":"123456"}',
    },
    {
      name: 'CSRF: API write with a session but no token',
      method: 'POST',
      url: '/api/v1/agencies',
      cookies: { gapura_session: session.cookie },
      headers: json,
      payload: JSON.stringify({
        slug: 'x',
        code: 'XX',
        nameId: 'xxx',
        nameEn: 'xxx',
        timezone: 'Asia/Jakarta',
        units: [],
      }),
    },
    {
      name: 'CSRF: API write with a wrong token',
      method: 'POST',
      url: '/api/v1/auth/signout',
      cookies: { gapura_session: session.cookie },
      headers: { 'x-csrf-token': 'wrong' },
    },
    {
      name: 'CSRF: form without its token',
      method: 'POST',
      url: '/signout',
      cookies: { gapura_session: session.cookie },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'everything=1',
    },
    {
      name: "CSRF: form with another session's token",
      method: 'POST',
      url: '/signout',
      cookies: { gapura_session: session.cookie },
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '_csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    },
    {
      name: 'CSRF: registration form without a token',
      method: 'POST',
      url: '/register',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'contact=warga%40sukamaju.example&name=Warga&password=long-enough-password',
    },
    {
      name: 'negative content length',
      method: 'POST',
      url: '/api/v1/auth/signin',
      headers: { ...json, 'content-length': '-1' },
      payload: '{}',
    },
  ];
}

const YAML_BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...Array.from({ length: 9 }, (_, i) => {
    const prev = String.fromCharCode(97 + i);
    const next = String.fromCharCode(98 + i);
    return `${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`;
  }),
].join('\n');

/** The catalogue as an agency admin would attack it: bad documents, other agencies' services, odd queries. */
function catalogueRequests(admin: { cookie: string; csrf: string }): Hostile[] {
  const auth = { cookies: { gapura_session: admin.cookie } };
  const json = { 'content-type': 'application/json', 'x-csrf-token': admin.csrf };
  const yaml = { 'content-type': 'application/yaml', 'x-csrf-token': admin.csrf };
  const out: Hostile[] = [
    {
      name: 'YAML alias bomb',
      method: 'POST',
      url: '/api/v1/admin/services',
      headers: yaml,
      payload: YAML_BOMB,
      ...auth,
    },
    {
      name: 'YAML with a custom tag',
      method: 'POST',
      url: '/api/v1/admin/services',
      headers: yaml,
      payload: 'slug: !!js/function "function(){}"',
      ...auth,
    },
    {
      name: 'definition nested 5000 deep',
      method: 'POST',
      url: '/api/v1/admin/services',
      headers: json,
      payload: deepJson(5000),
      ...auth,
    },
    {
      name: 'definition with prototype pollution',
      method: 'POST',
      url: '/api/v1/admin/services',
      headers: json,
      payload: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"slug":"x"}',
      ...auth,
    },
    {
      name: 'draft of another agency’s service',
      method: 'PUT',
      url: '/api/v1/admin/services/sktm/draft',
      headers: json,
      payload: '{"agency":"dinsos","slug":"sktm"}',
      ...auth,
    },
    {
      name: 'draft that moves a service to another agency',
      method: 'PUT',
      url: '/api/v1/admin/services/akta-kelahiran/draft',
      headers: json,
      payload: '{"agency":"dinsos","slug":"akta-kelahiran"}',
      ...auth,
    },
    {
      name: 'publish another agency’s service',
      method: 'POST',
      url: '/api/v1/admin/services/sktm/retire',
      headers: { 'x-csrf-token': admin.csrf },
      ...auth,
    },
    {
      name: 'definition as a JSON string',
      method: 'PUT',
      url: '/api/v1/admin/services/akta-kelahiran/draft',
      headers: json,
      payload: '"just a string"',
      ...auth,
    },
    {
      name: 'version number out of range',
      method: 'GET',
      url: '/api/v1/admin/services/akta-kelahiran/versions/99999999999',
      ...auth,
    },
    {
      name: 'negative version',
      method: 'GET',
      url: '/api/v1/admin/services/akta-kelahiran/versions/-1',
      ...auth,
    },
    {
      name: 'diff without versions',
      method: 'GET',
      url: '/api/v1/admin/services/akta-kelahiran/diff',
      ...auth,
    },
    { name: 'search page zero', method: 'GET', url: '/api/v1/services?page=0' },
    { name: 'search perPage huge', method: 'GET', url: '/api/v1/services?perPage=100000' },
    { name: 'search query too long', method: 'GET', url: `/api/v1/services?q=${'a'.repeat(500)}` },
    { name: 'slug with traversal', method: 'GET', url: '/api/v1/services/..%2F..%2Fetc%2Fpasswd' },
    { name: 'slug with upper case', method: 'GET', url: '/api/v1/services/AKTA' },
  ];
  for (const injection of INJECTIONS) {
    out.push({
      name: `catalogue search q=${JSON.stringify(injection)} with a bad page`,
      method: 'GET',
      url: `/api/v1/services?q=${encodeURIComponent(injection)}&page=x`,
    });
    out.push({
      name: `service slug ${JSON.stringify(injection)}`,
      method: 'GET',
      url: `/api/v1/services/${encodeURIComponent(injection)}`,
    });
  }
  return out;
}

/** Applications attacked by a signed-in citizen and by anyone through public tracking. */
function applicationRequests(citizen: { cookie: string; csrf: string }): Hostile[] {
  const auth = { cookies: { gapura_session: citizen.cookie } };
  const json = { 'content-type': 'application/json', 'x-csrf-token': citizen.csrf };
  const someone = '0190f5a2-3c4d-7e8f-9a0b-1c2d3e4f5a6b';
  const out: Hostile[] = [
    {
      name: 'submit-at-once without consent',
      method: 'POST',
      url: '/api/v1/applications',
      headers: { ...json, 'idempotency-key': 'hostile-0001' },
      payload: JSON.stringify({ service: 'sktm', answers: {}, submit: true }),
      ...auth,
    },
    {
      name: 'idempotency key with control characters',
      method: 'POST',
      url: '/api/v1/applications',
      headers: { ...json, 'idempotency-key': 'a\u0000b; drop table' },
      payload: JSON.stringify({ service: 'sktm', submit: true, consent: true }),
      ...auth,
    },
    {
      name: 'application for a service that does not exist',
      method: 'POST',
      url: '/api/v1/applications',
      headers: json,
      payload: JSON.stringify({ service: 'tidak-ada' }),
      ...auth,
    },
    {
      name: 'answers into somebody else’s application',
      method: 'PATCH',
      url: `/api/v1/applications/${someone}/answers`,
      headers: json,
      payload: JSON.stringify({ answers: { nama: 'x' } }),
      ...auth,
    },
    {
      name: 'answers with prototype pollution',
      method: 'PATCH',
      url: `/api/v1/applications/${someone}/answers`,
      headers: json,
      payload: '{"answers":{"__proto__":{"admin":true}}}',
      ...auth,
    },
    {
      name: 'answers as an array',
      method: 'PATCH',
      url: `/api/v1/applications/${someone}/answers`,
      headers: json,
      payload: '{"answers":[1,2,3]}',
      ...auth,
    },
    {
      name: 'application id with traversal',
      method: 'GET',
      url: '/api/v1/applications/..%2F..%2Fetc',
      ...auth,
    },
    {
      name: 'submit without a session',
      method: 'POST',
      url: `/api/v1/applications/${someone}/submit`,
      headers: { 'content-type': 'application/json' },
      payload: '{"consent":true}',
    },
    {
      name: 'upload larger than any field allows',
      method: 'POST',
      url: `/api/v1/applications/${someone}/uploads?field=dok`,
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'x-csrf-token': citizen.csrf },
      payload: `--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-${'a'.repeat(21 * 1024 * 1024)}\r\n--x--\r\n`,
      ...auth,
    },
    {
      name: 'upload with a broken multipart body',
      method: 'POST',
      url: `/api/v1/applications/${someone}/uploads?field=dok`,
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'x-csrf-token': citizen.csrf },
      payload: '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nno end',
      ...auth,
    },
    {
      name: 'track with an empty body',
      method: 'POST',
      url: '/api/v1/track',
      headers: { 'content-type': 'application/json' },
      payload: '{}',
    },
  ];
  for (const injection of INJECTIONS) {
    out.push({
      name: `track number=${JSON.stringify(injection)}`,
      method: 'POST',
      url: '/api/v1/track',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ trackingNumber: injection, secret: injection }),
    });
  }
  return out;
}

/** Appointing a data protection officer and closing an account, with what must be refused. */
function accountRequests(
  platform: { cookie: string; csrf: string },
  citizen: { cookie: string; csrf: string },
): Hostile[] {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  const out: Hostile[] = [];
  for (const injection of INJECTIONS) {
    // Each body has one field that cannot be accepted, so nothing may be stored.
    out.push({
      name: `dpo API email=${JSON.stringify(injection)}`,
      method: 'PUT',
      url: '/api/v1/agencies/disdukcapil/dpo',
      headers: { 'content-type': 'application/json', 'x-csrf-token': platform.csrf },
      payload: JSON.stringify({ name: injection, email: injection }),
      cookies: { gapura_session: platform.cookie },
    });
    out.push({
      name: `dpo form email=${JSON.stringify(injection)}`,
      method: 'POST',
      url: '/admin/platform/dpo',
      headers: form,
      payload: new URLSearchParams({
        _csrf: platform.csrf,
        dpoagency: 'disdukcapil',
        dponame: injection,
        dpoemail: injection,
        dpophone: injection,
      }).toString(),
      cookies: { gapura_session: platform.cookie },
    });
    out.push({
      name: `close account with password=${JSON.stringify(injection)}`,
      method: 'POST',
      url: '/account/privacy/close',
      headers: form,
      payload: new URLSearchParams({ _csrf: citizen.csrf, password: injection, confirm: '1' }).toString(),
      cookies: { gapura_session: citizen.cookie },
    });
  }
  out.push(
    {
      name: 'close account without a CSRF token',
      method: 'POST',
      url: '/account/privacy/close',
      headers: form,
      payload: 'password=x&confirm=1',
      cookies: { gapura_session: citizen.cookie },
    },
    {
      name: 'close account with an oversized password',
      method: 'POST',
      url: '/account/privacy/close',
      headers: form,
      payload: new URLSearchParams({
        _csrf: citizen.csrf,
        password: 'x'.repeat(5000),
        confirm: '1',
      }).toString(),
      cookies: { gapura_session: citizen.cookie },
    },
    {
      name: 'dpo API with an array body',
      method: 'PUT',
      url: '/api/v1/agencies/disdukcapil/dpo',
      headers: { 'content-type': 'application/json', 'x-csrf-token': platform.csrf },
      payload: '[{"name":"Pejabat","email":"a@b.example"}]',
      cookies: { gapura_session: platform.cookie },
    },
  );
  return out;
}

/** Complaints attacked by anyone (filing, following) and by a citizen (staff steps, others' reports). */
function complaintRequests(citizen: { cookie: string; csrf: string }): Hostile[] {
  const json = { 'content-type': 'application/json' };
  const auth = { cookies: { gapura_session: citizen.cookie } };
  const someone = '0190f5a2-3c4d-7e8f-9a0b-1c2d3e4f5a6b';
  // Valid but for one thing each time, so nothing may ever be filed.
  const base = {
    mode: 'anonymous',
    reportType: 'pengaduan',
    category: 'other',
    subject: { kind: 'service', ref: 'sktm' },
    text: 'Laporan yang cukup panjang untuk diterima sebagai isi laporan.',
    mayPublish: true,
  };
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.alloc(5_300_000),
  ]);
  const out: Hostile[] = [
    {
      name: 'complaint: named without a session',
      method: 'POST',
      url: '/api/v1/complaints',
      headers: json,
      payload: { ...base, mode: 'named' },
    },
    {
      name: 'complaint: unknown mode',
      method: 'POST',
      url: '/api/v1/complaints',
      headers: json,
      payload: { ...base, mode: 'secret' },
    },
    {
      name: 'complaint: text too long',
      method: 'POST',
      url: '/api/v1/complaints',
      headers: json,
      payload: { ...base, text: 'x'.repeat(30_000) },
    },
    {
      name: 'complaint: text just over the limit',
      method: 'POST',
      url: '/api/v1/complaints',
      headers: json,
      payload: { ...base, text: 'x'.repeat(5001) },
    },
    {
      name: 'complaint: four attachments',
      method: 'POST',
      url: '/api/v1/complaints',
      headers: json,
      payload: { ...base, attachments: Array(4).fill({ contentBase64: 'iVBORw0KGgo=' }) },
    },
    {
      name: 'complaint: attachment over 5 MB',
      method: 'POST',
      url: '/api/v1/complaints',
      headers: json,
      payload: { ...base, attachments: [{ contentBase64: png.toString('base64') }] },
    },
    {
      name: 'complaint: attachment that is not base64',
      method: 'POST',
      url: '/api/v1/complaints',
      headers: json,
      payload: { ...base, attachments: [{ contentBase64: '<script>alert(1)</script>' }] },
    },
    {
      name: 'complaint: an executable as attachment',
      method: 'POST',
      url: '/api/v1/complaints',
      headers: json,
      payload: { ...base, attachments: [{ contentBase64: Buffer.from('MZ\x90\x00').toString('base64') }] },
    },
    {
      name: 'complaint: prototype pollution',
      method: 'POST',
      url: '/api/v1/complaints',
      headers: json,
      payload: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"mode":"anonymous"}',
    },
    {
      name: 'complaint: somebody else’s application',
      method: 'POST',
      url: '/api/v1/complaints',
      headers: { ...json, 'x-csrf-token': citizen.csrf },
      payload: { ...base, mode: 'confidential', subject: { kind: 'application', ref: someone } },
      ...auth,
    },
    {
      name: 'complaint: a citizen takes the admin’s step',
      method: 'POST',
      url: `/api/v1/complaints/queue/${someone}/actions`,
      headers: { ...json, 'x-csrf-token': citizen.csrf },
      payload: { action: 'verify', rowVersion: 1 },
      ...auth,
    },
    {
      name: 'complaint: a citizen acts on a report that is not theirs',
      method: 'POST',
      url: `/api/v1/complaints/mine/${someone}/actions`,
      headers: { ...json, 'x-csrf-token': citizen.csrf },
      payload: { action: 'accept', rowVersion: 1 },
      ...auth,
    },
    {
      name: 'complaint: a citizen redacts',
      method: 'PUT',
      url: `/api/v1/complaints/queue/${someone}/redaction`,
      headers: { ...json, 'x-csrf-token': citizen.csrf },
      payload: { publicText: '', rowVersion: 1 },
      ...auth,
    },
    { name: 'complaint: page zero', method: 'GET', url: '/api/v1/complaints?page=0' },
    { name: 'complaint: huge page size', method: 'GET', url: '/api/v1/complaints?perPage=100000' },
    {
      name: 'complaint: staff page with traversal',
      method: 'GET',
      url: '/complaints/staff/..%2F..%2Fetc',
      ...auth,
    },
    {
      name: 'complaint: form without its CSRF token',
      method: 'POST',
      url: '/complaints/new',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        mode: 'anonymous',
        subject: 'service:sktm',
        reportType: 'pengaduan',
        category: 'other',
        text: base.text,
      }).toString(),
    },
    {
      name: 'complaint: broken multipart form',
      method: 'POST',
      url: '/complaints/new',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="text"\r\n\r\nno end',
    },
    {
      name: 'complaint: track with an empty body',
      method: 'POST',
      url: '/api/v1/complaints/track',
      headers: json,
      payload: '{}',
    },
  ];
  for (const injection of INJECTIONS) {
    out.push(
      {
        name: `complaint text=${JSON.stringify(injection)} with an unknown category`,
        method: 'POST',
        url: '/api/v1/complaints',
        headers: json,
        payload: { ...base, category: 'nope', text: `${injection} ${base.text}` },
      },
      {
        name: `complaint subject=${JSON.stringify(injection)}`,
        method: 'POST',
        url: '/api/v1/complaints',
        headers: json,
        payload: { ...base, subject: { kind: 'agency', ref: injection } },
      },
      {
        name: `complaint region=${JSON.stringify(injection)}`,
        method: 'POST',
        url: '/api/v1/complaints',
        headers: json,
        payload: { ...base, regionCode: injection.slice(0, 20) },
      },
      {
        name: `complaint reporter=${JSON.stringify(injection)}`,
        method: 'POST',
        url: '/api/v1/complaints',
        headers: json,
        payload: { ...base, mode: 'confidential', reporter: { name: injection, contact: injection } },
      },
      {
        name: `complaint track number=${JSON.stringify(injection)}`,
        method: 'POST',
        url: '/api/v1/complaints/track/actions',
        headers: json,
        payload: { number: injection, secret: injection, action: 'accept', rowVersion: 1 },
      },
      {
        name: `complaint page number=${JSON.stringify(injection)}`,
        method: 'GET',
        url: `/complaints/${encodeURIComponent(injection)}`,
      },
      {
        name: `complaint form text=${JSON.stringify(injection)} with a forged token`,
        method: 'POST',
        url: '/complaints/new',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: 'forged', mode: 'anonymous', text: injection }).toString(),
      },
    );
  }
  return out;
}

/** A fingerprint of every table that holds accounts, agencies or personal data. */
async function fingerprint(opened: Opened): Promise<string> {
  const { db } = opened.ctx;
  const parts = await Promise.all([
    db.selectFrom('users').selectAll().orderBy('id').execute(),
    db.selectFrom('agencies').selectAll().orderBy('id').execute(),
    db.selectFrom('units').selectAll().orderBy('id').execute(),
    db.selectFrom('role_grants').selectAll().orderBy('id').execute(),
    db.selectFrom('notifications').selectAll().orderBy('id').execute(),
    db.selectFrom('verification_codes').selectAll().orderBy('id').execute(),
    db.selectFrom('data_keys').selectAll().orderBy('id').execute(),
    db.selectFrom('services').selectAll().orderBy('id').execute(),
    db.selectFrom('service_versions').selectAll().orderBy('id').execute(),
    db.selectFrom('applications').selectAll().orderBy('id').execute(),
    db.selectFrom('application_events').selectAll().orderBy('id').execute(),
    db.selectFrom('complaints').selectAll().orderBy('id').execute(),
    db.selectFrom('complaint_events').selectAll().orderBy('id').execute(),
    db.selectFrom('complaint_attachments').selectAll().orderBy('id').execute(),
    db.selectFrom('complaint_agency_settings').selectAll().orderBy('agency_id').execute(),
  ]);
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

describe.each(ENGINES)('hostile requests against the server', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  let accounts: DemoAccount[];
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    accounts = await seedDemo(opened.ctx);
    app = await buildServer(opened.ctx);
  });
  afterAll(async () => {
    await app.close();
    await opened.handle.close();
    await fresh.cleanup();
  });

  it(
    onEngine(
      engine,
      'answers every one with a 4xx (JSON shape on the API), never a 5xx, and changes nothing',
    ),
    async () => {
      const admin = accounts.find((a) => a.role === 'platform_admin')!;
      const session = await apiSignIn(app, opened, admin.email, admin.password);
      const agencyAdmin = accounts.find((a) => a.email === 'admin.disdukcapil@sukamaju.example')!;
      const agencySession = await apiSignIn(app, opened, agencyAdmin.email, agencyAdmin.password);
      const citizen = accounts.find((a) => a.role === 'citizen')!;
      const citizenSession = await apiSignIn(app, opened, citizen.email, citizen.password);
      const requests = [
        ...injectionRequests(),
        ...malformedRequests(session),
        ...catalogueRequests(agencySession),
        ...applicationRequests(citizenSession),
        ...accountRequests(session, citizenSession),
        ...complaintRequests(citizenSession),
      ];
      expect(requests.length).toBeGreaterThanOrEqual(200);
      const before = await fingerprint(opened);
      const problems: string[] = [];
      let n = 0;
      for (const r of requests) {
        const response = await app.inject({
          method: r.method,
          url: r.url,
          ...(r.headers ? { headers: r.headers } : {}),
          ...(r.payload !== undefined ? { payload: r.payload } : {}),
          ...(r.cookies ? { cookies: r.cookies } : {}),
          remoteAddress: `10.77.${Math.floor(n / 250)}.${n++ % 250}`,
        });
        const isRedirectHome = response.statusCode === 302 && response.headers.location === '/';
        if ((response.statusCode < 400 || response.statusCode >= 500) && !isRedirectHome) {
          problems.push(`${r.name}: ${response.statusCode}`);
        }
        const isApi = new URL(r.url, 'http://gapura.test').pathname.startsWith('/api/');
        if (isApi && response.statusCode >= 400) {
          let body: { error?: { code?: unknown; message?: unknown; details?: unknown } } = {};
          try {
            body = response.json();
          } catch {
            // not JSON: reported just below
          }
          if (
            typeof body.error?.code !== 'string' ||
            typeof body.error.message !== 'string' ||
            typeof body.error.details !== 'object'
          ) {
            problems.push(`${r.name}: not the JSON error shape: ${response.body.slice(0, 100)}`);
          }
        }
        // SQL as a database error would show it (an HTML <select> element is not SQL).
        if (/at .*\.ts:\d+|\bSELECT\b[^<>]*\bFROM\b|\bINSERT\s+INTO\b|sqlite|postgres/i.test(response.body))
          problems.push(`${r.name}: leaks internals`);
        if (response.body.includes('<script>alert(1)</script>') || response.body.includes('<img src=x')) {
          problems.push(`${r.name}: reflects markup unescaped`);
        }
      }
      expect(problems).toEqual([]);
      expect(await fingerprint(opened)).toBe(before);
      // The session used for the CSRF attempts is still valid: none of them signed it out.
      expect(
        (await app.inject({ url: '/api/v1/me', cookies: { gapura_session: session.cookie } })).statusCode,
      ).toBe(200);
    },
  );
});
