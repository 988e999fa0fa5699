import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../src/app.ts';
import { markIdentityVerified, takeAction } from '../src/applications/processing.ts';
import { findRow, getApplication, startApplication, submitApplication } from '../src/applications/service.ts';
import { readAttachment, uploadAttachment } from '../src/applications/uploads.ts';
import { fileComplaint } from '../src/complaints/filing.ts';
import { actAsStaff } from '../src/complaints/handling.ts';
import { DERIVED_SECRET_PURPOSES, keyIdOf, PLATFORM_SCOPE } from '../src/crypto/keyring.ts';
import { createMasterKeyFile } from '../src/crypto/master-key-file.ts';
import {
  ENCRYPTED_COLUMNS,
  keyStatus,
  MASTER_SEALED_COLUMNS,
  rewrapKeys,
  rotateKeys,
} from '../src/crypto/rotate.ts';
import type { Db } from '../src/db/database.ts';
import { type DemoAccount, seedDemo } from '../src/demo/seed.ts';
import type { Principal } from '../src/identity/roles.ts';
import { findUserIdByEmail } from '../src/identity/service.ts';
import { activeGrants } from '../src/identity/store.ts';
import { deliverNotification, transportsFor } from '../src/notifications/delivery.ts';
import { markRequestHandled, requestCorrection } from '../src/privacy/requests.ts';
import { answerAsApplicant } from '../src/survey/service.ts';
import { buildServer } from '../src/web/server.ts';
import { aktaKelahiranAnswers } from './fixtures/catalog-definitions.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, openTestContext } from './helpers/engines.ts';
import { apiSignIn } from './helpers/http.ts';
import { runCli } from './helpers/process.ts';

const PDF = Buffer.concat([
  Buffer.from('%PDF-1.4\n'),
  Buffer.from('Kartu Keluarga Budi Santoso '.repeat(40)),
]);

type Snapshot = Map<string, string>;

/** Every stored ciphertext by `table.column:id`, as the raw value (bytes as hex). */
async function ciphertexts(db: Db): Promise<Map<string, string | Buffer>> {
  const out = new Map<string, string | Buffer>();
  for (const c of ENCRYPTED_COLUMNS) {
    const rows = await db
      .selectFrom(c.table)
      // biome-ignore lint/suspicious/noExplicitAny: the column list is data, checked by the introspection test
      .select([`${c.idColumn} as id`, `${c.column} as value`] as any)
      .execute();
    for (const row of rows as { id: string; value: string | Buffer | null }[]) {
      if (row.value !== null) out.set(`${c.table}.${c.column}:${row.id}`, row.value);
    }
  }
  return out;
}

/** Every stored value decrypted, so a rotation can be shown to change no plaintext. */
async function plaintexts(opened: Opened): Promise<Snapshot> {
  const { keyring } = opened.ctx;
  const out: Snapshot = new Map();
  for (const [where, value] of await ciphertexts(opened.ctx.db)) {
    const [name, id] = where.split(':') as [string, string];
    const column = ENCRYPTED_COLUMNS.find((c) => `${c.table}.${c.column}` === name);
    if (!column) throw new Error(`unknown column ${name}`);
    out.set(
      where,
      typeof value === 'string'
        ? await keyring.decrypt(value, column.context(id))
        : (await keyring.decryptBytes(Buffer.from(value), column.context(id))).toString('hex'),
    );
  }
  return out;
}

async function retiredIds(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('data_keys').select('id').where('retired_at', 'is not', null).execute();
  return new Set(rows.map((r) => r.id));
}

async function activeDataKeys(db: Db): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('data_keys')
    .select(['id', 'scope'])
    .where('purpose', '=', 'data')
    .where('retired_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.scope, r.id]));
}

async function blindKeys(db: Db) {
  return db
    .selectFrom('data_keys')
    .select(['id', 'retired_at'])
    .where('purpose', '=', 'blind')
    .orderBy('id')
    .execute();
}

/** The stored rows of the platform's secrets (CSRF, API token and code hashes). */
async function secretKeys(db: Db) {
  return db
    .selectFrom('data_keys')
    .select(['id', 'purpose', 'wrapped', 'retired_at'])
    .where('purpose', 'like', 'secret:%')
    .orderBy('id')
    .execute();
}

/** Every secret of a keyring, by purpose, as hex. */
function secretsOf(opened: Opened): Map<string, string> {
  return new Map(
    DERIVED_SECRET_PURPOSES.map((p) => [p, opened.ctx.keyring.derivedSecret(p).toString('hex')]),
  );
}

describe.each(ENGINES)('gapura keys rotate (service level)', (engine) => {
  let fresh: FreshDatabase;
  /** The running server, with the keys it loaded at start. */
  let server: Opened;
  /** The rotating command, a separate process with its own keyring and connections. */
  let rotator: Opened;
  let accounts: DemoAccount[];
  let before: Snapshot;
  let applicationId: string;
  let citizen: Principal;

  const account = (role: DemoAccount['role']) => {
    const found = accounts.find(
      (a) => a.role === role && (a.agencySlug === null || a.agencySlug === 'disdukcapil'),
    );
    if (!found) throw new Error(`no demo ${role}`);
    return found;
  };
  const staff = async (role: DemoAccount['role']): Promise<Principal> => {
    const userId = await findUserIdByEmail(server.ctx, account(role).email);
    if (!userId) throw new Error(`no demo ${role}`);
    return { userId, kind: 'staff', sessionId: null, grants: await activeGrants(server.ctx.db, userId) };
  };
  const act = async (actor: Principal, id: string, action: string, extra: Record<string, unknown> = {}) => {
    const row = await findRow(server.ctx.db, id);
    await takeAction(server.ctx, actor, id, {
      action,
      rowVersion: row?.row_version ?? 0,
      lang: 'id',
      ...extra,
    });
  };
  /** A filed birth-certificate application with an upload, a comment, a document and mail. */
  const fileApplication = async (): Promise<string> => {
    const { id } = await startApplication(server.ctx, citizen, 'akta-kelahiran', aktaKelahiranAnswers());
    await uploadAttachment(server.ctx, citizen, id, 'dok_kk', PDF);
    await submitApplication(server.ctx, citizen, id, { consent: true, lang: 'id' });
    const verifier = await staff('verifier');
    await markIdentityVerified(server.ctx, verifier, id);
    await act(verifier, id, 'verifikasi', { comment: 'Dokumen lengkap, NIK Budi Santoso cocok.' });
    await act(await staff('approver'), id, 'setujui');
    const request = await requestCorrection(server.ctx, citizen, {
      applicationId: id,
      details: 'Tanggal lahir anak seharusnya 2 Juni 2025, bukan 1 Juni 2025.',
    });
    await markRequestHandled(server.ctx, await staff('agency_admin'), request.id, 'Sudah diperbaiki.');
    await answerAsApplicant(server.ctx, citizen, id, {
      answers: {
        requirements: 4,
        procedure: 4,
        time: 3,
        cost: 4,
        product: 4,
        competence: 4,
        behaviour: 4,
        complaints: 3,
        facilities: 3,
      },
      comment: 'Petugas Budi Santoso ramah.',
    });
    // A confidential complaint with a file, verified with a public text and postponed with a reason.
    const complaint = await fileComplaint(server.ctx, citizen, {
      mode: 'confidential',
      reportType: 'pengaduan',
      category: 'service_quality',
      subject: { kind: 'service', ref: 'akta-kelahiran' },
      text: 'Budi Santoso menunggu tiga jam di loket tanpa nomor antrean.',
      mayPublish: true,
      files: [PDF],
      lang: 'id',
      client: '10.60.0.1',
    });
    const complaintAdmin = await staff('complaint_admin');
    await actAsStaff(server.ctx, complaintAdmin, complaint.id, {
      action: 'verify',
      rowVersion: 1,
      publicText: 'Seorang warga menunggu tiga jam di loket tanpa nomor antrean.',
    });
    await actAsStaff(server.ctx, complaintAdmin, complaint.id, {
      action: 'postpone',
      rowVersion: 2,
      comment: 'Menunggu keterangan tambahan dari pelapor.',
    });
    return id;
  };

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    server = await openTestContext(fresh);
    accounts = await seedDemo(server.ctx);
    const userId = await findUserIdByEmail(server.ctx, account('citizen').email);
    citizen = { userId: userId ?? '', kind: 'citizen', sessionId: null, grants: [] };
    applicationId = await fileApplication();
    // Deliver what the journey queued, so the demo mailbox holds ciphertexts too.
    const pending = await server.ctx.db
      .selectFrom('notifications')
      .select('id')
      .where('status', '=', 'pending')
      .execute();
    for (const n of pending) await deliverNotification(server.ctx, transportsFor(server.ctx), n.id);
    rotator = await openTestContext(fresh);
    before = await plaintexts(rotator);
  }, 120_000);
  afterAll(async () => {
    await rotator?.handle.close();
    await server?.handle.close();
    await fresh?.cleanup();
  });

  it(onEngine(engine, 'the column list names every *_enc column of the database'), async () => {
    const tables = await server.ctx.db.introspection.getTables();
    const found = tables.flatMap((t) =>
      t.columns.filter((c) => c.name.endsWith('_enc')).map((c) => `${t.name}.${c.name}`),
    );
    const listed = [
      ...ENCRYPTED_COLUMNS.map((c) => `${c.table}.${c.column}`),
      ...MASTER_SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`),
    ];
    expect(found.length).toBeGreaterThan(10);
    for (const column of found) expect(listed, `${column} is not rotated`).toContain(column);
    // The journey left ciphertexts in every table, so the checks below cannot pass on empty tables.
    const tablesWithData = new Set(
      [...(await ciphertexts(server.ctx.db)).keys()].map((k) => k.split('.')[0]),
    );
    expect([...tablesWithData].sort()).toEqual([...new Set(ENCRYPTED_COLUMNS.map((c) => c.table))].sort());
  });

  it(onEngine(
    engine,
    'rotation puts every ciphertext under a new key with the same plaintext; the server keeps working',
  ), async () => {
    const oldKeys = await activeDataKeys(rotator.ctx.db);
    const blindBefore = await blindKeys(rotator.ctx.db);
    const secretsBefore = await secretKeys(rotator.ctx.db);
    expect(secretsBefore).toHaveLength(DERIVED_SECRET_PURPOSES.length);
    const progress: string[] = [];
    const result = await rotateKeys(rotator.ctx.db, rotator.ctx.keyring, {
      batchSize: 3,
      onProgress: (p) => progress.push(`${p.table} ${p.done}/${p.total}`),
    });
    expect(result.resumed).toBeUndefined();
    expect([...result.created.keys()].sort()).toEqual([...oldKeys.keys()].sort());
    expect(result.remaining).toBe(0);
    expect(result.unreadable).toEqual([]);
    expect(result.reencrypted).toBe(before.size);
    expect(progress).toContain('applications 0/1');
    expect(progress.some((p) => /^users (\d+)\/\1$/.test(p))).toBe(true);

    const newKeys = new Set(result.created.values());
    for (const [where, value] of await ciphertexts(rotator.ctx.db))
      expect(newKeys.has(keyIdOf(value) ?? ''), where).toBe(true);
    expect(await plaintexts(rotator)).toEqual(before);

    // Old keys are retired, kept, and (nothing naming them) marked destroyable; blind keys are untouched.
    expect(await retiredIds(rotator.ctx.db)).toEqual(new Set(oldKeys.values()));
    expect(new Set(result.destroyable)).toEqual(new Set(oldKeys.values()));
    expect(await blindKeys(rotator.ctx.db)).toEqual(blindBefore);
    // Stored secrets are never rotated: a new one would invalidate every API token and code.
    expect(await secretKeys(rotator.ctx.db)).toEqual(secretsBefore);
    const status = await keyStatus(rotator.ctx.db);
    expect(status.columns.every((c) => c.underRetired === 0)).toBe(true);
    expect(status.rotation).toBeUndefined();
    expect(status.retiredKeys.every((k) => k.ciphertexts === 0 && k.markedDestroyableAt)).toBe(true);

    // The running server still signs staff in (TOTP secret under the new key) and finds
    // accounts by e-mail (blind index), without a restart.
    const app = await buildServer(server.ctx);
    try {
      await apiSignIn(app, server, account('verifier').email, account('verifier').password);
      const session = await apiSignIn(app, server, account('citizen').email, account('citizen').password);
      expect(session.cookie).not.toBe('');
    } finally {
      await app.close();
    }
    const detail = await getApplication(server.ctx, citizen, applicationId);
    expect(detail.answers).toMatchObject({ pelapor_nama: 'Budi Santoso' });
    const [upload] = await server.ctx.db
      .selectFrom('attachments')
      .select('id')
      .where('application_id', '=', applicationId)
      .execute();
    const read = await readAttachment(server.ctx, applicationId, upload?.id ?? '');
    expect(Buffer.from(read.bytes).equals(PDF)).toBe(true);

    // Once it reloads its keys, the server writes under the new ones; its secrets stay.
    const serverSecrets = secretsOf(server);
    await server.ctx.keyring.refreshActive();
    const written = server.ctx.keyring.encrypt(PLATFORM_SCOPE, 'x', 'users.name');
    expect(keyIdOf(written)).toBe(result.created.get(PLATFORM_SCOPE));
    expect(secretsOf(server)).toEqual(serverSecrets);
    expect(await secretKeys(server.ctx.db)).toEqual(secretsBefore);
  }, 120_000);

  it(onEngine(
    engine,
    'a rotation that crashes after its first batch is continued by running it again',
  ), async () => {
    let batches = 0;
    const crashed = rotateKeys(rotator.ctx.db, rotator.ctx.keyring, {
      batchSize: 2,
      hooks: {
        afterBatch: () => {
          batches++;
          throw new Error('power cut');
        },
      },
    });
    await expect(crashed).rejects.toThrow('power cut');
    expect(batches).toBe(1);
    const keysOfCrashedRun = await activeDataKeys(rotator.ctx.db);

    // --status counts exactly what a scan of the tables finds under retired keys.
    const status = await keyStatus(rotator.ctx.db);
    const retired = await retiredIds(rotator.ctx.db);
    const stored = await ciphertexts(rotator.ctx.db);
    const scanned = new Map<string, number>();
    for (const [where, value] of stored) {
      const table = where.split('.')[0] ?? '';
      if (retired.has(keyIdOf(value) ?? '')) scanned.set(table, (scanned.get(table) ?? 0) + 1);
    }
    const counted = new Map<string, number>();
    for (const c of status.columns)
      if (c.underRetired > 0) counted.set(c.table, (counted.get(c.table) ?? 0) + c.underRetired);
    expect(counted).toEqual(scanned);
    const left = [...scanned.values()].reduce((a, b) => a + b, 0);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(stored.size);
    expect(status.rotation).toBeDefined();
    expect(status.columns.reduce((n, c) => n + c.ciphertexts, 0)).toBe(stored.size);

    // A new process (a fresh keyring) continues with the keys the crashed run created.
    const again = await openTestContext(fresh);
    try {
      const result = await rotateKeys(again.ctx.db, again.ctx.keyring, { batchSize: 2 });
      expect(result.resumed).toBeDefined();
      expect(result.created.size).toBe(0);
      expect(result.reencrypted).toBe(left);
      expect(result.remaining).toBe(0);
      expect(await activeDataKeys(again.ctx.db)).toEqual(keysOfCrashedRun);
      const active = new Set(keysOfCrashedRun.values());
      for (const [where, value] of await ciphertexts(again.ctx.db))
        expect(active.has(keyIdOf(value) ?? ''), where).toBe(true);
      expect(await plaintexts(again)).toEqual(before);
      expect((await keyStatus(again.ctx.db)).rotation).toBeUndefined();
    } finally {
      await again.handle.close();
    }
  }, 120_000);

  it(onEngine(
    engine,
    'a write by the running server during the rotation is kept, and re-encrypted if under an old key',
  ), async () => {
    const citizenId = citizen.userId;
    const stale = await openTestContext(fresh);
    try {
      let wrote = 0;
      const result = await rotateKeys(rotator.ctx.db, rotator.ctx.keyring, {
        batchSize: 500,
        hooks: {
          beforeWrite: async (table, ids) => {
            if (table !== 'users' || wrote > 0 || !ids.includes(citizenId)) return;
            wrote++;
            // A server that loaded its keys before this rotation renames the citizen meanwhile.
            await stale.ctx.db
              .updateTable('users')
              .set({ name_enc: stale.ctx.keyring.encrypt(PLATFORM_SCOPE, 'Budi Santoso Baru', 'users.name') })
              .where('id', '=', citizenId)
              .execute();
          },
        },
      });
      expect(wrote).toBe(1);
      expect(result.concurrent).toBe(1);
      expect(result.remaining).toBe(0);
      const row = await rotator.ctx.db
        .selectFrom('users')
        .select('name_enc')
        .where('id', '=', citizenId)
        .executeTakeFirstOrThrow();
      expect(await rotator.ctx.keyring.decrypt(row.name_enc, 'users.name')).toBe('Budi Santoso Baru');
      expect(keyIdOf(row.name_enc)).toBe(result.created.get(PLATFORM_SCOPE));
      const after = await plaintexts(rotator);
      expect(after.get(`users.name_enc:${citizenId}`)).toBe('Budi Santoso Baru');
      after.set(`users.name_enc:${citizenId}`, before.get(`users.name_enc:${citizenId}`) ?? '');
      expect(after).toEqual(before);
      await rotator.ctx.db
        .updateTable('users')
        .set({ name_enc: rotator.ctx.keyring.encrypt(PLATFORM_SCOPE, 'Budi Santoso', 'users.name') })
        .where('id', '=', citizenId)
        .execute();
    } finally {
      await stale.handle.close();
    }
  }, 120_000);

  it(onEngine(engine, '--scope rotates one agency only; --no-new-keys creates nothing'), async () => {
    const agency = await rotator.ctx.db
      .selectFrom('agencies')
      .select('id')
      .where('slug', '=', 'disdukcapil')
      .executeTakeFirstOrThrow();
    const keysBefore = await activeDataKeys(rotator.ctx.db);
    const result = await rotateKeys(rotator.ctx.db, rotator.ctx.keyring, { scopes: [agency.id] });
    expect([...result.created.keys()]).toEqual([agency.id]);
    const keysAfter = await activeDataKeys(rotator.ctx.db);
    for (const [scope, id] of keysBefore) {
      if (scope === agency.id) expect(keysAfter.get(scope)).not.toBe(id);
      else expect(keysAfter.get(scope)).toBe(id);
    }
    const answers = await rotator.ctx.db
      .selectFrom('applications')
      .select('answers_enc')
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow();
    expect(keyIdOf(answers.answers_enc)).toBe(keysAfter.get(agency.id));

    const nothing = await rotateKeys(rotator.ctx.db, rotator.ctx.keyring, { newKeys: false });
    expect(nothing.created.size).toBe(0);
    expect(nothing.reencrypted).toBe(0);
    expect(await activeDataKeys(rotator.ctx.db)).toEqual(keysAfter);
  }, 120_000);

  it(onEngine(
    engine,
    'a ciphertext that cannot be decrypted is reported and keeps the rotation unfinished',
  ), async () => {
    const citizenId = citizen.userId;
    const good = await rotator.ctx.db
      .selectFrom('users')
      .select('name_enc')
      .where('id', '=', citizenId)
      .executeTakeFirstOrThrow();
    // Sealed for another column: its associated data does not match, as after tampering.
    const tampered = rotator.ctx.keyring.encrypt(PLATFORM_SCOPE, 'Mallory', 'users.email');
    await rotator.ctx.db
      .updateTable('users')
      .set({ name_enc: tampered })
      .where('id', '=', citizenId)
      .execute();
    const result = await rotateKeys(rotator.ctx.db, rotator.ctx.keyring, { scopes: [PLATFORM_SCOPE] });
    expect(result.unreadable).toEqual([
      expect.objectContaining({ table: 'users', column: 'name_enc', id: citizenId }),
    ]);
    expect(result.remaining).toBe(1);
    expect(result.destroyable).not.toContain(keyIdOf(tampered));
    expect((await keyStatus(rotator.ctx.db)).rotation).toBeDefined();

    // Put right, the next run continues and finishes.
    const readable = rotator.ctx.keyring.encrypt(
      PLATFORM_SCOPE,
      await rotator.ctx.keyring.decrypt(good.name_enc, 'users.name'),
      'users.name',
    );
    await rotator.ctx.db
      .updateTable('users')
      .set({ name_enc: readable })
      .where('id', '=', citizenId)
      .execute();
    const again = await rotateKeys(rotator.ctx.db, rotator.ctx.keyring);
    expect(again.resumed).toBeDefined();
    expect(again.remaining).toBe(0);
    expect((await keyStatus(rotator.ctx.db)).rotation).toBeUndefined();
    expect(await plaintexts(rotator)).toEqual(before);
  }, 120_000);

  it(onEngine(
    engine,
    '--rewrap moves every key under a new master key; running it again changes nothing',
  ), async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gapura-rewrap-'));
    try {
      // An API token and a signed-in session (with its CSRF token), made under the old master key.
      const admin = account('agency_admin');
      const oldApp = await buildServer(server.ctx);
      let session: { cookie: string; csrf: string };
      let apiToken: string;
      try {
        session = await apiSignIn(oldApp, server, admin.email, admin.password);
        const created = await oldApp.inject({
          method: 'POST',
          url: '/api/v1/admin/tokens',
          cookies: { gapura_session: session.cookie },
          headers: { 'x-csrf-token': session.csrf },
          payload: { name: 'SIAK integrasi', scopes: ['applications:read'], expiresInDays: 30 },
        });
        expect(created.statusCode, created.body).toBe(201);
        apiToken = created.json<{ token: string }>().token;
      } finally {
        await oldApp.close();
      }
      const secretsBefore = secretsOf(rotator);
      // The token's service account added ciphertexts of its own.
      const stored = await plaintexts(rotator);
      expect(stored.size).toBeGreaterThan(before.size);

      const file = path.join(dir, 'new-master.key');
      const next = createMasterKeyFile(file, true);
      const keyCount = Number(
        (
          await rotator.ctx.db
            .selectFrom('data_keys')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      const signingCount = (await rotator.ctx.db.selectFrom('signing_keys').select('id').execute()).length;
      expect(signingCount).toBeGreaterThan(0);
      const first = await rewrapKeys(rotator.ctx.db, rotator.ctx.keyring, next);
      expect(first).toEqual({ rewrapped: keyCount + signingCount, already: 0 });
      expect(await rewrapKeys(rotator.ctx.db, rotator.ctx.keyring, next)).toEqual({
        rewrapped: 0,
        already: keyCount + signingCount,
      });

      // A process started with the new master key reads everything and signs people in.
      const restarted = await openTestContext(fresh, { GAPURA_MASTER_KEY_FILE: file });
      try {
        expect(await plaintexts(restarted)).toEqual(stored);
        const app = await buildServer(restarted.ctx);
        try {
          await apiSignIn(app, restarted, account('verifier').email, account('verifier').password);
        } finally {
          await app.close();
        }
        const signing = await restarted.ctx.db.selectFrom('signing_keys').selectAll().execute();
        for (const key of signing)
          await expect(
            restarted.ctx.keyring.openWithMaster(Buffer.from(key.private_key_enc), `signing-key:${key.id}`),
          ).resolves.toBeInstanceOf(Buffer);

        // The secrets are the ones stored before, not what the new master key would derive, so
        // the token, the session's CSRF token and unused codes made before keep working.
        expect(secretsOf(restarted)).toEqual(secretsBefore);
        for (const purpose of DERIVED_SECRET_PURPOSES)
          expect(restarted.ctx.keyring.derivedSecret(purpose)).not.toEqual(await next.deriveSecret(purpose));
        const newApp = await buildServer(restarted.ctx);
        try {
          const inbox = await newApp.inject({
            method: 'GET',
            url: '/api/v1/inbox',
            headers: { authorization: `Bearer ${apiToken}` },
          });
          expect(inbox.statusCode, inbox.body).toBe(200);
          const another = await newApp.inject({
            method: 'POST',
            url: '/api/v1/admin/tokens',
            cookies: { gapura_session: session.cookie },
            headers: { 'x-csrf-token': session.csrf },
            payload: { name: 'Sistem antrean', scopes: ['applications:read'], expiresInDays: 30 },
          });
          expect(another.statusCode, another.body).toBe(201);
          const forged = await newApp.inject({
            method: 'POST',
            url: '/api/v1/admin/tokens',
            cookies: { gapura_session: session.cookie },
            headers: {
              'x-csrf-token': `${session.csrf.startsWith('A') ? 'B' : 'A'}${session.csrf.slice(1)}`,
            },
            payload: { name: 'Sistem lain', scopes: ['applications:read'], expiresInDays: 30 },
          });
          expect(forged.statusCode).toBe(403);
        } finally {
          await newApp.close();
        }
      } finally {
        await restarted.handle.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.each(ENGINES)('gapura keys rotate (the command)', (engine) => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
  });
  afterAll(() => fresh?.cleanup());

  it(onEngine(
    engine,
    'rotates with progress on stderr, exits 0, and --status reports per table',
  ), async () => {
    expect(runCli(['seed', '--demo'], fresh.env).status).toBe(0);
    const help = runCli(['keys', 'rotate', '--help'], fresh.env);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: gapura keys rotate');
    expect(help.stdout).toContain('Blind-index keys');

    const rotated = runCli(['keys', 'rotate', '--batch-size', '4'], fresh.env);
    expect(rotated.stderr).toMatch(/re-encrypting users: \d+\/\d+ rows \(\d+%\), ETA/);
    expect(rotated.stdout).toMatch(/New data key for platform: [0-9a-f-]{36}/);
    expect(rotated.stdout).toContain('No ciphertext remains under a retired data key.');
    expect(rotated.status).toBe(0);

    const status = runCli(['keys', 'rotate', '--status'], fresh.env);
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/^ {2}users +0 of \d+$/m);
    expect(status.stdout).toMatch(/no ciphertext left: can be destroyed \(marked /);

    const wrong = runCli(['keys', 'rotate', '--rewrap'], fresh.env);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--rewrap needs --new-master-key FILE');
    const unknown = runCli(['keys', 'rotate', '--scope', 'nowhere'], fresh.env);
    expect(unknown.status).toBe(2);

    // --rewrap: the secrets stay what they were, so tokens and codes issued before keep working.
    const old = await openTestContext(fresh);
    const secretsBefore = secretsOf(old);
    await old.handle.close();
    const file = path.join(fresh.dataDir, 'next-master.key');
    const rewrapped = runCli(
      ['keys', 'rotate', '--no-new-keys', '--rewrap', '--new-master-key', file],
      fresh.env,
    );
    expect(rewrapped.status, rewrapped.stderr).toBe(0);
    expect(rewrapped.stdout).toMatch(/^Re-wrapped \d+ keys under /m);
    expect(rewrapped.stdout).toContain(
      'API tokens, open sign-in forms and unused verification or recovery codes keep working',
    );
    const restarted = await openTestContext(fresh, { GAPURA_MASTER_KEY_FILE: file });
    try {
      expect(secretsOf(restarted)).toEqual(secretsBefore);
    } finally {
      await restarted.handle.close();
    }
  }, 180_000);
});
