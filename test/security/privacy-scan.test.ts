import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type Opened, openContext } from '../../src/app.ts';
import { type DemoAccount, seedDemo } from '../../src/demo/seed.ts';
import { findUserIdByEmail, totpSecretOf } from '../../src/identity/service.ts';
import { listDemoMailbox } from '../../src/notifications/delivery.ts';
import { aktaKelahiranAnswers } from '../fixtures/catalog-definitions.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, testConfig } from '../helpers/engines.ts';
import { type ServerProcess, startServerProcess } from '../helpers/process.ts';
import { unusedTotp } from '../helpers/totp.ts';

const CITIZEN = {
  name: 'Sekar Ayu Kinanti',
  email: 'sekar.kinanti@warga.sukamaju.example',
  phone: '+6281377441290',
  nik: '3373046811950003',
  password: 'rahasia-sekar-2026',
  newPassword: 'rahasia-baru-sekar-2026',
};

const CHILD_NAME = 'Bintang Kinanti Putri';
const MOTHER_NAME = 'Laksmi Widyaningrum';
const ATTACHMENT_TEXT = 'SURAT-KETERANGAN-LAHIR-RSUD-SUKAMAJU-0042';
/** The NIKs of the fixture's parents and witnesses. */
const KNOWN_NIKS = ['3373041201900001', '3373045203920002', '3373041505800003', '3373045505850004'];

describe.each(ENGINES)('no personal data or secret in clear', (engine) => {
  let fresh: FreshDatabase;
  let server: ServerProcess;
  let reader: Opened;
  let accounts: DemoAccount[];
  const secrets: string[] = [];

  async function call(
    path: string,
    body?: object | FormData,
    cookie?: string,
    csrf?: string,
    method?: string,
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    const isForm = body instanceof FormData;
    if (body && !isForm) headers['content-type'] = 'application/json';
    if (cookie) headers.cookie = cookie;
    if (csrf) headers['x-csrf-token'] = csrf;
    return fetch(`${server.url}${path}`, {
      method: method ?? (body ? 'POST' : 'GET'),
      headers,
      body: isForm ? body : body ? JSON.stringify(body) : null,
      redirect: 'manual',
    });
  }

  function cookieOf(response: Response): string {
    const pairs = response.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
    const pair =
      pairs.find((p) => p.startsWith('gapura_session=') && p.length > 'gapura_session='.length) ??
      pairs.find((p) => p.startsWith('gapura_pending=') && p.length > 'gapura_pending='.length) ??
      '';
    secrets.push(pair.split('=')[1] ?? '');
    return pair;
  }

  async function codeSentTo(to: string): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const mail = (await listDemoMailbox(reader.ctx)).find((m) => m.to === to);
      const code = mail?.body.match(/\b(\d{6})\b/)?.[1];
      if (code) return code;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no code reached ${to}`);
  }

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    const config = testConfig(fresh);
    reader = await openContext(config, createLogger(config));
    accounts = await seedDemo(reader.ctx);
    server = await startServerProcess({ ...fresh.env, LOG_LEVEL: 'trace', GAPURA_WORKER_INTERVAL_MS: '50' });
  });
  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    await reader.handle.close();
    await fresh.cleanup();
  });

  it(
    onEngine(
      engine,
      'an account and application journey leaves no password, token, code, NIK, name, contact or attachment in the JSON log, the database file or a dump',
    ),
    async () => {
      // Register, activate, sign in, recover the password — as a citizen would.
      expect(
        (
          await call('/api/v1/auth/register', {
            contact: CITIZEN.email,
            name: CITIZEN.name,
            password: CITIZEN.password,
            nik: CITIZEN.nik,
          })
        ).status,
      ).toBe(202);
      const code = await codeSentTo(CITIZEN.email);
      secrets.push(code);
      const verified = await call('/api/v1/auth/verify', { contact: CITIZEN.email, code });
      expect(verified.status).toBe(204);
      expect((await call('/api/v1/me', undefined, cookieOf(verified))).status).toBe(200);
      expect(
        (
          await call('/api/v1/auth/register', {
            contact: '0813-7744-1290',
            name: CITIZEN.name,
            password: CITIZEN.password,
          })
        ).status,
      ).toBe(202);
      expect((await call('/api/v1/auth/recover', { contact: CITIZEN.email })).status).toBe(202);
      const recoveryCode = await (async () => {
        for (let i = 0; i < 100; i++) {
          const mail = (await listDemoMailbox(reader.ctx)).filter((m) => m.to === CITIZEN.email);
          const found = mail
            .map((m) => m.body.match(/\b(\d{6})\b/)?.[1])
            .find((c) => c !== undefined && c !== code);
          if (found) return found;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error('no recovery code');
      })();
      secrets.push(recoveryCode);
      expect(
        (
          await call('/api/v1/auth/recover/confirm', {
            contact: CITIZEN.email,
            code: recoveryCode,
            password: CITIZEN.newPassword,
          })
        ).status,
      ).toBe(204);
      const signedIn = await call('/api/v1/auth/signin', {
        contact: CITIZEN.email,
        password: CITIZEN.newPassword,
      });
      expect(signedIn.status).toBe(200);
      const citizenSession = cookieOf(signedIn);
      const citizenCsrf = ((await signedIn.json()) as { csrfToken: string }).csrfToken;

      // The citizen files a birth certificate application with an attachment.
      const draft = await call(
        '/api/v1/applications',
        { service: 'akta-kelahiran' },
        citizenSession,
        citizenCsrf,
      );
      expect(draft.status).toBe(201);
      const { id } = (await draft.json()) as { id: string };
      const form = new FormData();
      form.append(
        'file',
        new Blob([`%PDF-1.4\n${ATTACHMENT_TEXT}`], { type: 'application/pdf' }),
        'lahir.pdf',
      );
      const uploaded = await call(
        `/api/v1/applications/${id}/uploads?field=dok_surat_lahir`,
        form,
        citizenSession,
        citizenCsrf,
      );
      expect(uploaded.status).toBe(201);
      const upload = (await uploaded.json()) as { id: string };
      const answers = {
        ...aktaKelahiranAnswers(),
        pelapor_nama: CITIZEN.name,
        anak_nama: CHILD_NAME,
        ibu_nama: MOTHER_NAME,
        dok_surat_lahir: [upload.id],
      };
      expect(
        (await call(`/api/v1/applications/${id}/answers`, { answers }, citizenSession, citizenCsrf, 'PATCH'))
          .status,
      ).toBe(200);
      const submitted = await call(
        `/api/v1/applications/${id}/submit`,
        { consent: true },
        citizenSession,
        citizenCsrf,
      );
      expect(submitted.status).toBe(200);
      const receipt = (await submitted.json()) as { trackingSecret: string };
      secrets.push(receipt.trackingSecret);

      // A staff member signs in with password and TOTP.
      const staff = accounts.find((a) => a.role === 'verifier')!;
      const first = await call('/api/v1/auth/signin', { contact: staff.email, password: staff.password });
      const pending = cookieOf(first);
      const userId = await findUserIdByEmail(reader.ctx, staff.email);
      const totp = await unusedTotp((await totpSecretOf(reader.ctx, userId ?? '')) ?? '');
      secrets.push(totp);
      const second = await call('/api/v1/auth/second-factor', { code: totp }, pending);
      expect(second.status).toBe(200);
      const staffSession = cookieOf(second);
      expect((await call('/api/v1/me', undefined, staffSession)).status).toBe(200);
      // … and opens the application in the inbox: its answers are decrypted for them.
      const detail = await call(`/api/v1/inbox/${id}`, undefined, staffSession);
      expect(detail.status).toBe(200);
      expect(await detail.text()).toContain(CHILD_NAME);
      // A wrong password must not be logged either.
      await call('/api/v1/auth/signin', { contact: CITIZEN.email, password: 'typo-rahasia-sekar' });

      const forbidden = [
        CITIZEN.name,
        CITIZEN.email,
        CITIZEN.phone,
        '081377441290',
        CITIZEN.nik,
        CITIZEN.password,
        CITIZEN.newPassword,
        'typo-rahasia-sekar',
        staff.password,
        staff.name,
        CHILD_NAME,
        MOTHER_NAME,
        ATTACHMENT_TEXT,
        ...KNOWN_NIKS,
        ...secrets.filter((s) => s.length > 0),
      ];

      const jsonLog = server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'));
      expect(jsonLog.length).toBeGreaterThan(20);
      expect(jsonLog.some((line) => line.includes('"path":"/api/v1/auth/signin"'))).toBe(true);
      const inLog = forbidden.filter((secret) => jsonLog.some((line) => line.includes(secret)));
      expect(inLog, 'found in the JSON log').toEqual([]);

      let stored: string;
      if (engine === 'sqlite') {
        const file = `${fresh.dataDir}/gapura.db`;
        stored = [file, `${file}-wal`]
          .filter(existsSync)
          .map((f) => readFileSync(f).toString('latin1'))
          .join('');
      } else {
        stored = execFileSync('pg_dump', ['--data-only', fresh.env.DATABASE_URL ?? ''], {
          encoding: 'latin1',
          maxBuffer: 256 * 1024 * 1024,
        });
      }
      expect(stored.length).toBeGreaterThan(10_000);
      const personal = [
        CITIZEN.name,
        CITIZEN.email,
        CITIZEN.phone,
        CITIZEN.nik,
        CITIZEN.newPassword,
        staff.name,
        staff.email,
        CHILD_NAME,
        MOTHER_NAME,
        ATTACHMENT_TEXT,
        ...KNOWN_NIKS,
      ];
      expect(
        personal.filter((p) => stored.includes(p)),
        'found in the stored data',
      ).toEqual([]);
    },
  );
});
