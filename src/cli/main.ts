import closeWithGrace from 'close-with-grace';
import { Command, Option } from 'commander';
import { findAgencyIdBySlug } from '../agencies/service.ts';
import { createLogger, openContext, ProductionRefused, startServer } from '../app.ts';
import { type Config, ConfigError, loadConfig } from '../config/config.ts';
import { KeyError } from '../crypto/errors.ts';
import { createMasterKeyFile } from '../crypto/master-key-file.ts';
import { MigrationFailed } from '../db/migrate.ts';
import { formatDemoAccounts, isSeeded, seedDemo } from '../demo/seed.ts';
import { MIN_PASSWORD_LENGTH } from '../identity/passwords.ts';
import { isStaffRole } from '../identity/roles.ts';
import { createUser, findUserIdByEmail, totpSecretOf } from '../identity/service.ts';
import { currentTotp } from '../identity/totp.ts';
import { registerAuditCommands } from './audit.ts';
import { registerBackupCommands } from './backup.ts';
import { registerKeyRotation } from './keys-rotate.ts';
import { registerPrivacyCommands } from './privacy.ts';
import { registerServiceCommands } from './services.ts';

/** Exit codes: 0 ok, 1 the command failed, 2 the configuration or invocation is wrong. */
const EXIT_CONFIG = 2;

function fail(lines: string[], code: number): never {
  for (const line of lines) process.stderr.write(`gapura: ${line}\n`);
  process.exit(code);
}

function config(
  options: { checkDirectories?: boolean; checkMasterKey?: boolean; mode?: 'demo' } = {},
): Config {
  try {
    const env = options.mode ? { ...process.env, GAPURA_MODE: options.mode } : process.env;
    return loadConfig(env, options);
  } catch (err) {
    if (err instanceof ConfigError)
      fail(
        err.problems.map((p) => `configuration error: ${p.variable} ${p.message}`),
        EXIT_CONFIG,
      );
    throw err;
  }
}

/** Runs a command body, turning known failures into one clear line each and the right exit code. */
async function run(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (err instanceof ProductionRefused)
      fail(
        err.reasons.map((r) => `production mode refused: ${r}`),
        EXIT_CONFIG,
      );
    if (err instanceof KeyError) fail([`key error: ${err.message}`], EXIT_CONFIG);
    if (err instanceof MigrationFailed) fail([err.message], 1);
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
    if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', '28P01', '3D000', 'CONNECT_TIMEOUT'].includes(code)) {
      fail([`cannot reach the database (${code}): check DATABASE_URL`], EXIT_CONFIG);
    }
    if (code.startsWith('SQLITE_'))
      fail([`the SQLite database cannot be used (${code}): check GAPURA_DATA_DIR`], EXIT_CONFIG);
    fail([err instanceof Error ? err.message : String(err)], 1);
  }
}

const program = new Command();
program
  .name('gapura')
  .description(
    'Gapura: one platform for public services. Configuration comes from environment variables (see README).',
  )
  .showHelpAfterError();

program
  .command('serve')
  .description(
    'Migrate the database, seed demo data on the first demo start, and serve HTTP until SIGINT/SIGTERM',
  )
  .action(() =>
    run(async () => {
      const cfg = config();
      const logger = createLogger(cfg);
      const opened = await openContext(cfg, logger);
      let demoAccounts: string | undefined;
      if (cfg.mode === 'demo' && !(await isSeeded(opened.ctx))) {
        const accounts = await seedDemo(opened.ctx, { history: true });
        demoAccounts = formatDemoAccounts(accounts, cfg.publicUrl);
      }
      const running = await startServer(opened);
      closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
        if (err) logger.error({ err: err.message }, 'stopping after an unexpected error');
        else logger.info({ signal }, 'stopping: finishing requests in flight');
        await running.stop();
      });
      if (demoAccounts) process.stdout.write(`${demoAccounts}\n`);
      process.stdout.write(
        `Gapura (${cfg.mode} mode, ${opened.ctx.engine}) is listening on ${running.url}\n`,
      );
    }),
  );

program
  .command('migrate')
  .description('Apply pending database migrations and exit')
  .action(() =>
    run(async () => {
      const opened = await openContext(config());
      await opened.handle.close();
      process.stdout.write('The database schema is current.\n');
    }),
  );

program
  .command('seed')
  .description('Load data into the database')
  .addOption(new Option('--demo', 'the demo agencies and one account per role').makeOptionMandatory())
  .action(() =>
    run(async () => {
      const cfg = config();
      if (cfg.mode === 'production') fail(['seed --demo is refused in production mode'], EXIT_CONFIG);
      const opened = await openContext(cfg);
      try {
        if (await isSeeded(opened.ctx))
          fail(['the database already holds agencies; demo data is loaded only once'], 1);
        process.stdout.write(
          `${formatDemoAccounts(await seedDemo(opened.ctx, { history: true }), cfg.publicUrl)}\n`,
        );
      } finally {
        await opened.handle.close();
      }
    }),
  );

const admin = program.command('admin').description('Manage administrator accounts');
admin
  .command('create')
  .description('Create a platform admin, or an agency admin with --agency; prints the TOTP enrolment secret')
  .requiredOption('--email <email>', 'sign-in e-mail address')
  .requiredOption('--name <name>', 'full name')
  .option('--agency <slug>', 'make an agency admin of this agency instead of a platform admin')
  .option('--role <role>', 'the role to grant', undefined)
  .action((options: { email: string; name: string; agency?: string; role?: string }) =>
    run(async () => {
      const password = process.env.GAPURA_ADMIN_PASSWORD;
      if (!password || password.length < MIN_PASSWORD_LENGTH) {
        fail(
          [
            `set GAPURA_ADMIN_PASSWORD to the new account's password (at least ${MIN_PASSWORD_LENGTH} characters)`,
          ],
          EXIT_CONFIG,
        );
      }
      const role = options.role ?? (options.agency ? 'agency_admin' : 'platform_admin');
      if (!isStaffRole(role)) fail([`unknown role "${role}"`], EXIT_CONFIG);
      const opened = await openContext(config());
      try {
        const agencyId = options.agency ? await findAgencyIdBySlug(opened.ctx, options.agency) : null;
        if (options.agency && !agencyId) fail([`no agency with slug "${options.agency}"`], 1);
        if (await findUserIdByEmail(opened.ctx, options.email))
          fail([`an account with e-mail ${options.email} exists`], 1);
        const created = await createUser(opened.ctx, {
          kind: 'staff',
          email: options.email,
          name: options.name,
          password,
          grants: [{ role, agencyId: agencyId ?? null }],
        });
        process.stdout.write(`Created ${role} ${options.email} (${created.id}).\n`);
        process.stdout.write(
          `At the first sign-in (${opened.ctx.config.publicUrl}/signin) they set up their authenticator app.\n`,
        );
      } finally {
        await opened.handle.close();
      }
    }),
  );

const demo = program.command('demo').description('Helpers for the demo');
demo
  .command('totp')
  .description('Print the current TOTP code of a demo staff account (demo mode only)')
  .argument('<email>', 'the demo account')
  .action((email: string) =>
    run(async () => {
      const cfg = config();
      if (cfg.mode !== 'demo') fail(['demo totp works only in demo mode'], EXIT_CONFIG);
      const opened = await openContext(cfg);
      try {
        const userId = await findUserIdByEmail(opened.ctx, email);
        const secret = userId ? await totpSecretOf(opened.ctx, userId) : undefined;
        if (!secret) fail([`no staff account with e-mail ${email}`], 1);
        process.stdout.write(`${currentTotp(secret)}\n`);
      } finally {
        await opened.handle.close();
      }
    }),
  );

const keys = program.command('keys').description('Encryption keys');
keys
  .command('init')
  .description('Create a new production master key file at GAPURA_MASTER_KEY_FILE (never overwrites)')
  .action(() =>
    run(async () => {
      // Only the key file's path matters here; the rest of a production configuration may not exist yet.
      const cfg = config({ checkDirectories: false, checkMasterKey: false, mode: 'demo' });
      try {
        createMasterKeyFile(cfg.masterKeyFile, false);
      } catch (err) {
        const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : '';
        fail(
          [
            code === 'EEXIST'
              ? `${cfg.masterKeyFile} exists; it is never overwritten`
              : `cannot write ${cfg.masterKeyFile}`,
          ],
          1,
        );
      }
      process.stdout.write(
        `Created ${cfg.masterKeyFile} (mode 0600). Back it up: without it no personal data can be read.\n`,
      );
    }),
  );

const helpers = { run, config: () => config() };
registerServiceCommands(program, helpers);
registerAuditCommands(program, helpers);
registerBackupCommands(program, helpers);
registerPrivacyCommands(program, helpers);
registerKeyRotation(keys, helpers);

await program.parseAsync(process.argv);
