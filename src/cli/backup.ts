import type { Command } from 'commander';
import { createBackup, restoreBackup } from '../backup/service.ts';
import type { CliHelpers } from './audit.ts';

function rowsIn(tables: Record<string, number>): number {
  return Object.values(tables).reduce((sum, n) => sum + n, 0);
}

/** Registers `gapura backup --out FILE` and `gapura restore FILE [--force]`. */
export function registerBackupCommands(program: Command, helpers: CliHelpers): void {
  program
    .command('backup')
    .description(
      'Write a consistent backup of the database (attachments included) while the server runs; the master key is NOT in it',
    )
    .requiredOption('--out <file>', 'the backup file to create (never overwritten)')
    .action((options: { out: string }) =>
      helpers.run(async () => {
        const { file, manifest } = await createBackup(helpers.config(), options.out);
        const head = manifest.auditHead;
        process.stdout.write(
          `Backed up the ${manifest.engine} database to ${file}: ${Object.keys(manifest.tables).length} tables, ${rowsIn(manifest.tables)} rows, schema ${manifest.migrations.at(-1) ?? 'empty'}.\n`,
        );
        process.stdout.write(
          head
            ? `Latest signed tree head: size ${head.treeSize}, ${head.timestamp}.\n`
            : 'No signed tree head yet.\n',
        );
        process.stdout.write(
          'The master key is not in the backup: keep a copy of it apart from the backups, or nothing restored can be decrypted.\n',
        );
      }),
    );
  program
    .command('restore')
    .description(
      'Restore a backup into an empty database after checking that the configured master key opens its keys; stop every node first',
    )
    .argument('<file>', 'a file written by "gapura backup"')
    .option('--force', 'drop the tables of a database that is not empty, then restore')
    .action((file: string, options: { force?: boolean }) =>
      helpers.run(async () => {
        const { manifest, rows } = await restoreBackup(helpers.config(), file, {
          force: options.force === true,
        });
        const head = manifest.auditHead;
        process.stdout.write(
          `Restored the backup of ${manifest.createdAt}: ${Object.keys(manifest.tables).length} tables, ${rows} rows, as the manifest lists.\n`,
        );
        process.stdout.write(
          head
            ? `The audit log matches its latest signed tree head (size ${head.treeSize}); "gapura audit verify" checks every leaf.\n`
            : 'The backup holds no signed tree head.\n',
        );
      }),
    );
}
