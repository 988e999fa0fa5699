import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where the process runs: demo (first-start demo data, relaxed keys) or production (strict). */
export type Mode = 'demo' | 'production';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  mode: Mode;
  host: string;
  port: number;
  publicUrl: string;
  /** postgres://… selects PostgreSQL; undefined selects the embedded SQLite file under dataDir. */
  databaseUrl: string | undefined;
  /**
   * A streaming replica of that PostgreSQL database for read-heavy public pages (`ctx.readDb`);
   * undefined reads everything from the primary.
   */
  databaseReplicaUrl: string | undefined;
  dataDir: string;
  masterKeyFile: string;
  /** What holds the key that wraps the data keys: the master key file, or a module (a KMS/HSM). */
  keyProvider: KeyProviderSetting;
  logLevel: LogLevel;
  /** SMTP server for e-mail delivery; without it demo mode delivers to the demo mailbox. */
  smtpUrl: string | undefined;
  /** Sender address of e-mail. */
  mailFrom: string;
  /** SMS/WhatsApp gateway: messages are POSTed to this URL; without it demo mode uses the demo mailbox. */
  smsGateway: SmsGatewayConfig | undefined;
  /** How often background workers look for work, in milliseconds. */
  workerIntervalMs: number;
  /** A new signed tree head once this many leaves or seconds have passed since the last, whichever first. */
  auditHeads: { everyLeaves: number; everySeconds: number };
}

export interface SmsGatewayConfig {
  url: string;
  /** Sent as the Authorization header, e.g. "Bearer …". */
  authorization: string | undefined;
  /** JSON body with {to} and {text} placeholders (filled JSON-escaped). */
  bodyTemplate: string;
}

/**
 * `file`: the master key file at `masterKeyFile`. `module`: the module at `path` exports
 * `createKeyProvider(env)`, given the environment the configuration was read from, so the module
 * reads its own settings (key names, endpoints) the same way.
 */
export type KeyProviderSetting =
  | { kind: 'file' }
  | { kind: 'module'; path: string; env: Readonly<Record<string, string | undefined>> };

export const DEFAULT_SMS_BODY = '{"to":"{to}","text":"{text}"}';

/** One problem with one variable, shown to the operator as one line. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.variable}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

function parsePort(raw: string | undefined, problems: ConfigProblem[]): number {
  if (raw === undefined || raw === '') return 3000;
  const port = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push({ variable: 'PORT', message: `must be a whole number from 0 to 65535, got "${raw}"` });
    return 3000;
  }
  return port;
}

function parseWhole(
  env: NodeJS.ProcessEnv,
  variable: string,
  range: { fallback: number; min: number; max: number },
  problems: ConfigProblem[],
): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return range.fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isSafeInteger(value) && value >= range.min && value <= range.max) return value;
  problems.push({
    variable,
    message: `must be a whole number from ${range.min} to ${range.max}, got "${raw}"`,
  });
  return range.fallback;
}

/**
 * A URL object holds one host, while postgres.js (and libpq) accept a list for failover
 * (`postgres://u@db1:5432,db2:5432/gapura`): such a URL is checked with its first host.
 */
function withFirstHostOnly(raw: string): string {
  return raw.replace(/^([a-z]+:\/\/(?:[^@/]*@)?)([^,/]*),[^/]*/i, '$1$2');
}

function parseDatabaseUrl(
  raw: string | undefined,
  problems: ConfigProblem[],
  variable = 'DATABASE_URL',
): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(withFirstHostOnly(raw));
  } catch {
    problems.push({
      variable,
      message: 'is not a URL; expected postgres://user@host:port/database',
    });
    return undefined;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    problems.push({
      variable,
      message: `must start with postgres:// (got ${url.protocol}//); leave it unset for the embedded SQLite database`,
    });
    return undefined;
  }
  if (url.pathname.length <= 1) {
    problems.push({
      variable,
      message: 'names no database; expected postgres://user@host:port/database',
    });
  }
  return raw;
}

/** The replica is of the PostgreSQL primary; the embedded SQLite file has none. */
function parseReplicaUrl(
  raw: string | undefined,
  databaseUrl: string | undefined,
  problems: ConfigProblem[],
): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (databaseUrl === undefined) {
    problems.push({
      variable: 'DATABASE_REPLICA_URL',
      message: 'is set but DATABASE_URL is not: a replica needs a PostgreSQL primary (SQLite has none)',
    });
    return undefined;
  }
  return parseDatabaseUrl(raw, problems, 'DATABASE_REPLICA_URL');
}

const MODULE_PREFIX = 'module:';

function parseKeyProvider(env: NodeJS.ProcessEnv, problems: ConfigProblem[]): KeyProviderSetting {
  const raw = env.GAPURA_KEY_PROVIDER;
  if (raw === undefined || raw === '' || raw === 'file') return { kind: 'file' };
  if (!raw.startsWith(MODULE_PREFIX)) {
    problems.push({
      variable: 'GAPURA_KEY_PROVIDER',
      message: `must be "file" or "module:/absolute/path/to/provider.js", got "${raw}"`,
    });
    return { kind: 'file' };
  }
  const modulePath = raw.slice(MODULE_PREFIX.length);
  if (!path.isAbsolute(modulePath)) {
    problems.push({
      variable: 'GAPURA_KEY_PROVIDER',
      message: `must name an absolute path after "module:", got "${raw}"`,
    });
  } else if (!existsSync(modulePath) || !statSync(modulePath).isFile()) {
    problems.push({ variable: 'GAPURA_KEY_PROVIDER', message: `names ${modulePath}, which is not a file` });
  }
  return { kind: 'module', path: modulePath, env: Object.freeze({ ...env }) };
}

function parsePublicUrl(raw: string | undefined, fallback: string, problems: ConfigProblem[]): string {
  const value = raw === undefined || raw === '' ? fallback : raw;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    return value.replace(/\/+$/, '');
  } catch {
    problems.push({ variable: 'PUBLIC_URL', message: `must be an http:// or https:// URL, got "${value}"` });
    return fallback;
  }
}

/**
 * Checks that the data directory exists (creating it if needed) and is writable, by creating and
 * removing a probe file — the only check that also holds for root, whom permission bits do not stop.
 */
function checkDataDir(dir: string, problems: ConfigProblem[]): void {
  try {
    if (existsSync(dir) && !statSync(dir).isDirectory()) {
      problems.push({ variable: 'GAPURA_DATA_DIR', message: `${dir} exists but is not a directory` });
      return;
    }
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.R_OK | constants.W_OK);
    const probe = path.join(dir, `.write-probe-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (err) {
    const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unknown error';
    problems.push({
      variable: 'GAPURA_DATA_DIR',
      message: `${dir} cannot be created or written (${reason})`,
    });
  }
}

/**
 * Reads the whole configuration once from the environment and validates it. Every problem is
 * collected so the operator sees them all at once; nothing else in the code reads process.env.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  options: { checkDirectories?: boolean; checkMasterKey?: boolean } = {},
): Config {
  const problems: ConfigProblem[] = [];
  const modeRaw = env.GAPURA_MODE ?? 'demo';
  if (modeRaw !== 'demo' && modeRaw !== 'production') {
    problems.push({ variable: 'GAPURA_MODE', message: `must be "demo" or "production", got "${modeRaw}"` });
  }
  const mode: Mode = modeRaw === 'production' ? 'production' : 'demo';
  const host = env.HOST && env.HOST !== '' ? env.HOST : '0.0.0.0';
  const port = parsePort(env.PORT, problems);
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL, problems);
  const databaseReplicaUrl = parseReplicaUrl(env.DATABASE_REPLICA_URL, databaseUrl, problems);
  const dataDir = path.resolve(
    env.GAPURA_DATA_DIR && env.GAPURA_DATA_DIR !== '' ? env.GAPURA_DATA_DIR : 'data',
  );
  const masterKeyFile = path.resolve(
    env.GAPURA_MASTER_KEY_FILE && env.GAPURA_MASTER_KEY_FILE !== ''
      ? env.GAPURA_MASTER_KEY_FILE
      : path.join(dataDir, 'master.key'),
  );
  const keyProvider = parseKeyProvider(env, problems);
  const logLevelRaw = env.LOG_LEVEL && env.LOG_LEVEL !== '' ? env.LOG_LEVEL : 'info';
  if (!isLogLevel(logLevelRaw)) {
    problems.push({
      variable: 'LOG_LEVEL',
      message: `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevelRaw}"`,
    });
  }
  const logLevel: LogLevel = isLogLevel(logLevelRaw) ? logLevelRaw : 'info';
  const publicUrl = parsePublicUrl(env.PUBLIC_URL, `http://localhost:${port}`, problems);
  const smtpUrl = env.SMTP_URL && env.SMTP_URL !== '' ? env.SMTP_URL : undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\//.test(smtpUrl)) {
    problems.push({ variable: 'SMTP_URL', message: 'must start with smtp:// or smtps://' });
  }
  const mailFrom = env.MAIL_FROM && env.MAIL_FROM !== '' ? env.MAIL_FROM : 'Gapura <no-reply@gapura.invalid>';
  let smsGateway: SmsGatewayConfig | undefined;
  if (env.SMS_GATEWAY_URL && env.SMS_GATEWAY_URL !== '') {
    const bodyTemplate =
      env.SMS_GATEWAY_BODY && env.SMS_GATEWAY_BODY !== '' ? env.SMS_GATEWAY_BODY : DEFAULT_SMS_BODY;
    if (!/^https?:\/\//.test(env.SMS_GATEWAY_URL)) {
      problems.push({ variable: 'SMS_GATEWAY_URL', message: 'must be an http:// or https:// URL' });
    }
    if (!bodyTemplate.includes('{to}') || !bodyTemplate.includes('{text}')) {
      problems.push({
        variable: 'SMS_GATEWAY_BODY',
        message: 'must contain the {to} and {text} placeholders',
      });
    }
    smsGateway = {
      url: env.SMS_GATEWAY_URL,
      authorization: env.SMS_GATEWAY_AUTHORIZATION || undefined,
      bodyTemplate,
    };
  }
  const intervalRaw = env.GAPURA_WORKER_INTERVAL_MS ?? '500';
  const workerIntervalMs = Number(intervalRaw);
  if (!Number.isInteger(workerIntervalMs) || workerIntervalMs < 10 || workerIntervalMs > 60_000) {
    problems.push({
      variable: 'GAPURA_WORKER_INTERVAL_MS',
      message: `must be a whole number of milliseconds from 10 to 60000, got "${intervalRaw}"`,
    });
  }
  const auditHeads = {
    everyLeaves: parseWhole(
      env,
      'GAPURA_AUDIT_HEAD_EVERY_LEAVES',
      { fallback: 1000, min: 1, max: 1_000_000 },
      problems,
    ),
    everySeconds: parseWhole(
      env,
      'GAPURA_AUDIT_HEAD_EVERY_SECONDS',
      { fallback: 60, min: 1, max: 86_400 },
      problems,
    ),
  };
  if (options.checkDirectories !== false && databaseUrl === undefined) checkDataDir(dataDir, problems);
  if (mode === 'production' && !publicUrl.startsWith('https://')) {
    problems.push({ variable: 'PUBLIC_URL', message: 'must be an https:// URL in production mode' });
  }
  if (
    mode === 'production' &&
    keyProvider.kind === 'file' &&
    options.checkMasterKey !== false &&
    !existsSync(masterKeyFile)
  ) {
    problems.push({
      variable: 'GAPURA_MASTER_KEY_FILE',
      message: `${masterKeyFile} does not exist; production mode never generates a master key (create one with "gapura keys init")`,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    mode,
    host,
    port,
    publicUrl,
    databaseUrl,
    databaseReplicaUrl,
    dataDir,
    masterKeyFile,
    keyProvider,
    logLevel,
    smtpUrl,
    mailFrom,
    smsGateway,
    workerIntervalMs,
    auditHeads,
  };
}
