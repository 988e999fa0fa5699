import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine } from './helpers/engines.ts';
import { runCli, startServerProcess } from './helpers/process.ts';

describe('configuration errors stop the process before it listens', () => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase('sqlite');
  });
  afterAll(() => fresh.cleanup());

  const expectConfigFailure = (env: Record<string, string>, expected: RegExp[]) => {
    const result = runCli(['serve'], { ...fresh.env, ...env });
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(expected.length);
    for (const [i, re] of expected.entries()) expect(lines[i]).toMatch(re);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).not.toContain('listening');
  };

  it('a port out of range', () => {
    expectConfigFailure({ PORT: '70000' }, [
      /^gapura: configuration error: PORT must be a whole number from 0 to 65535, got "70000"$/,
    ]);
  });

  it('a DATABASE_URL that is not PostgreSQL', () => {
    expectConfigFailure({ DATABASE_URL: 'mysql://root@localhost/gapura' }, [
      /^gapura: configuration error: DATABASE_URL must start with postgres:\/\//,
    ]);
  });

  it('a DATABASE_URL that is not a URL', () => {
    expectConfigFailure({ DATABASE_URL: 'not a url' }, [
      /^gapura: configuration error: DATABASE_URL is not a URL/,
    ]);
  });

  it('a data directory that is a file (unusable even for root)', () => {
    const file = path.join(fresh.dataDir, 'not-a-dir');
    writeFileSync(file, 'x');
    expectConfigFailure({ GAPURA_DATA_DIR: file }, [
      /^gapura: configuration error: GAPURA_DATA_DIR .*not-a-dir exists but is not a directory$/,
    ]);
  });

  it('a data directory below a file (cannot be created)', () => {
    const file = path.join(fresh.dataDir, 'blocker');
    writeFileSync(file, 'x');
    expectConfigFailure({ GAPURA_DATA_DIR: path.join(file, 'data') }, [
      /^gapura: configuration error: GAPURA_DATA_DIR .* cannot be created or written \(ENOTDIR\)$/,
    ]);
  });

  it('every problem at once, one line each', () => {
    expectConfigFailure({ PORT: 'abc', DATABASE_URL: 'mysql://x/y', LOG_LEVEL: 'loud' }, [
      /PORT/,
      /DATABASE_URL/,
      /LOG_LEVEL/,
    ]);
  });

  it('production mode with plain HTTP and no master key, saying exactly which', () => {
    expectConfigFailure({ GAPURA_MODE: 'production', PUBLIC_URL: 'http://gapura.sukamaju.example' }, [
      /PUBLIC_URL must be an https:\/\/ URL in production mode/,
      /GAPURA_MASTER_KEY_FILE .* does not exist/,
    ]);
  });

  it('production mode refuses a database that holds demo accounts and keys', () => {
    expect(runCli(['seed', '--demo'], fresh.env).status).toBe(0);
    const keyFile = path.join(fresh.dataDir, 'production.key');
    expect(
      runCli(['keys', 'init'], { ...fresh.env, GAPURA_MODE: 'production', GAPURA_MASTER_KEY_FILE: keyFile })
        .status,
    ).toBe(0);
    const result = runCli(['serve'], {
      ...fresh.env,
      GAPURA_MODE: 'production',
      PUBLIC_URL: 'https://gapura.sukamaju.example',
      GAPURA_MASTER_KEY_FILE: keyFile,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('gapura: production mode refused: the database holds demo accounts');
    expect(result.stderr).toContain(
      'gapura: production mode refused: the database holds data keys made in demo mode',
    );
  });

  it('a master key that does not belong to the database', () => {
    const keyFile = path.join(fresh.dataDir, 'other.key');
    expect(runCli(['keys', 'init'], { ...fresh.env, GAPURA_MASTER_KEY_FILE: keyFile }).status).toBe(0);
    const result = runCli(['migrate'], { ...fresh.env, GAPURA_MASTER_KEY_FILE: keyFile });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^gapura: key error: the master key cannot unwrap data key .*GAPURA_MASTER_KEY_FILE/,
    );
  });
});

describe('the gapura CLI', () => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase('sqlite');
  });
  afterAll(() => fresh.cleanup());

  it('has --help on every command', () => {
    for (const args of [
      [],
      ['serve'],
      ['migrate'],
      ['seed'],
      ['admin', 'create'],
      ['demo', 'totp'],
      ['keys', 'init'],
    ]) {
      const result = runCli([...args, '--help'], fresh.env);
      expect(result.status, args.join(' ')).toBe(0);
      expect(result.stdout).toContain('Usage: gapura');
    }
  });

  it('migrates, seeds demo data once, prints a demo TOTP code and creates an admin', () => {
    expect(runCli(['migrate'], fresh.env)).toMatchObject({
      status: 0,
      stdout: 'The database schema is current.\n',
    });
    const seeded = runCli(['seed', '--demo'], fresh.env);
    expect(seeded.status).toBe(0);
    expect(seeded.stdout).toMatch(
      /verifikator\.disdukcapil@sukamaju\.example\s+\S{4}-\S{4}-\S{4}-\S{4}\s+verifier \(disdukcapil\)/,
    );
    expect(runCli(['seed', '--demo'], fresh.env).status).toBe(1);
    const code = runCli(['demo', 'totp', 'verifikator.disdukcapil@sukamaju.example'], fresh.env);
    expect(code).toMatchObject({ status: 0, stdout: expect.stringMatching(/^\d{6}\n$/) });
    expect(runCli(['demo', 'totp', 'nobody@sukamaju.example'], fresh.env).status).toBe(1);
    const noPassword = runCli(
      ['admin', 'create', '--email', 'kepala@dinkes.example', '--name', 'Ratna Dewi'],
      fresh.env,
    );
    expect(noPassword.status).toBe(2);
    const created = runCli(
      ['admin', 'create', '--email', 'kepala@dinkes.example', '--name', 'Ratna Dewi', '--agency', 'dinsos'],
      {
        ...fresh.env,
        GAPURA_ADMIN_PASSWORD: 'a-long-enough-password',
      },
    );
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/^Created agency_admin kepala@dinkes\.example/);
    expect(created.stdout).toContain('set up their authenticator app');
    expect(created.stdout).not.toContain('otpauth://');
  });
});

describe.each(ENGINES)('the server process', (engine) => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
  });
  afterAll(() => fresh.cleanup());

  it(onEngine(engine, 'finishes a request in flight when SIGTERM arrives, then exits 0'), async () => {
    const server = await startServerProcess(fresh.env);
    expect(server.output()).toContain('Demo accounts');
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);

    const body = JSON.stringify({
      contact: 'budi.santoso@warga.sukamaju.example',
      password: 'wrong-password-1',
    });
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let response = '';
    socket.on('data', (d) => {
      response += d.toString();
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      `POST /api/v1/auth/signin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    socket.write(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 200));
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 700));
    expect(response).toBe(''); // the request is still in flight: no answer yet
    socket.write(body.slice(10));
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 401 /);
    expect(response).toContain('auth.invalid_credentials');
    expect(await server.exited, server.output().slice(-3000)).toBe(0);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
