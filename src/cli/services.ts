/**
 * `gapura services …`: service definitions from the command line.
 *
 * `validate FILE` needs no database and no configuration. `import FILE` checks the file the same
 * way (printing every problem, exit 1) and stores it as the service's draft, published at once with
 * `--publish`; `export SLUG` prints a version as YAML or JSON.
 */
import { type Command, Option } from 'commander';
import { stringify } from 'yaml';
import { openContext } from '../app.ts';
import { readDefinitionFile } from '../catalog/files.ts';
import type { Problem } from '../catalog/problems.ts';
import type { ServiceDefinition } from '../catalog/schemas.ts';
import { DefinitionProblems, getVersion, importDefinition } from '../catalog/service.ts';
import { validateDefinition } from '../catalog/validate.ts';
import { DomainError } from '../web/domain-error.ts';
import type { CliHelpers } from './audit.ts';

const OUTPUT_LANGUAGES = ['id', 'en', 'both'] as const;
export type OutputLanguage = (typeof OUTPUT_LANGUAGES)[number];

function isOutputLanguage(value: unknown): value is OutputLanguage {
  return OUTPUT_LANGUAGES.some((language) => language === value);
}

/** Exit codes as elsewhere in the CLI: 0 valid, 1 the definition has problems, 2 the invocation is wrong. */
export interface CommandOutcome {
  readonly exitCode: 0 | 1 | 2;
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
}

/** One line per problem: `path: message`, in one language or both (Indonesian first). */
export function formatProblems(problems: readonly Problem[], language: OutputLanguage): string[] {
  return problems.map((p) => {
    const where = p.path === '' ? '(file)' : p.path;
    const text = language === 'both' ? `${p.message.id} — ${p.message.en}` : p.message[language];
    return `${where}: ${text}`;
  });
}

function summaryOf(definition: ServiceDefinition, language: OutputLanguage): string {
  const fields = definition.form.sections.flatMap((s) => s.fields);
  const fieldCount = fields.reduce((n, f) => n + 1 + (f.type === 'group' ? f.fields.length : 0), 0);
  const { states, actions } = definition.workflow;
  const days = definition.standard.completionDays;
  const id = `definisi layanan sah: ${definition.form.sections.length} bagian, ${fieldCount} isian, ${states.length} status, ${actions.length} aksi, ${days} hari kerja`;
  const en = `valid service definition: ${definition.form.sections.length} sections, ${fieldCount} fields, ${states.length} states, ${actions.length} actions, ${days} working days`;
  const text = language === 'both' ? `${id} — ${en}` : language === 'id' ? id : en;
  return `${definition.agency}/${definition.slug}: ${text}`;
}

function problemCount(count: number, language: OutputLanguage): string {
  const id = `${count} masalah`;
  const en = `${count} problem${count === 1 ? '' : 's'}`;
  return language === 'both' ? `${id} — ${en}` : language === 'id' ? id : en;
}

/** The whole `services validate` command as a function of its arguments (no process side effects). */
export function validateDefinitionFile(file: string, language: OutputLanguage): CommandOutcome {
  let parsed: ReturnType<typeof readDefinitionFile>;
  try {
    parsed = readDefinitionFile(file);
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unreadable';
    return { exitCode: 2, stdout: [], stderr: [`gapura: cannot read ${file} (${code})`] };
  }
  const result = parsed.ok ? validateDefinition(parsed.value) : parsed;
  if (result.ok) return { exitCode: 0, stdout: [summaryOf(result.definition, language)], stderr: [] };
  return {
    exitCode: 1,
    stdout: formatProblems(result.problems, language),
    stderr: [`gapura: ${file}: ${problemCount(result.problems.length, language)}`],
  };
}

function emit(outcome: CommandOutcome): void {
  for (const line of outcome.stdout) process.stdout.write(`${line}\n`);
  for (const line of outcome.stderr) process.stderr.write(`${line}\n`);
  process.exitCode = outcome.exitCode;
}

/** Reads and checks a file for `import`: the outcome to print when it cannot be imported, else its value. */
function checkedFile(file: string, language: OutputLanguage): CommandOutcome | { value: unknown } {
  const outcome = validateDefinitionFile(file, language);
  if (outcome.exitCode !== 0) return outcome;
  const parsed = readDefinitionFile(file);
  return parsed.ok ? { value: parsed.value } : outcome;
}

async function importFile(
  helpers: CliHelpers,
  file: string,
  options: { publish: boolean; language: OutputLanguage },
): Promise<CommandOutcome> {
  const checked = checkedFile(file, options.language);
  if ('exitCode' in checked) return checked;
  const opened = await openContext(helpers.config());
  try {
    const result = await importDefinition(opened.ctx, null, checked.value, { publish: options.publish });
    return {
      exitCode: 0,
      stdout: [`${result.slug}: version ${result.version} ${result.status}`],
      stderr: [],
    };
  } catch (err) {
    if (err instanceof DefinitionProblems)
      return { exitCode: 1, stdout: formatProblems(err.problems, options.language), stderr: [] };
    if (err instanceof DomainError)
      return {
        exitCode: 1,
        stdout: [],
        stderr: [`gapura: ${file}: ${err.code} ${JSON.stringify(err.details)}`],
      };
    throw err;
  } finally {
    await opened.handle.close();
  }
}

async function exportService(
  helpers: CliHelpers,
  slug: string,
  options: { version?: number; format: 'yaml' | 'json' },
): Promise<CommandOutcome> {
  const opened = await openContext(helpers.config());
  try {
    const found = await getVersion(opened.ctx, null, slug, options.version);
    const text =
      options.format === 'json'
        ? JSON.stringify(found.definition, null, 2)
        : `# ${slug} version ${found.version} (${found.status})\n${stringify(found.definition, { lineWidth: 100 })}`;
    return { exitCode: 0, stdout: [text.trimEnd()], stderr: [] };
  } catch (err) {
    if (err instanceof DomainError && err.code === 'not_found')
      return {
        exitCode: 1,
        stdout: [],
        stderr: [`gapura: no service ${slug}${options.version ? ` version ${options.version}` : ''}`],
      };
    throw err;
  } finally {
    await opened.handle.close();
  }
}

function languageOption() {
  return new Option('--lang <language>', 'language of the messages')
    .choices(OUTPUT_LANGUAGES)
    .default('both');
}

export function registerServiceCommands(program: Command, helpers: CliHelpers): void {
  const services = program
    .command('services')
    .description('Service definitions (YAML or JSON): validate, import into the catalogue, export');
  services
    .command('validate')
    .description('Check a service definition file and print every problem as "path: message"; exit 1 if any')
    .argument('<file>', 'a .yaml, .yml or .json service definition')
    .addOption(languageOption())
    .action((file: string, options: { lang?: unknown }) =>
      emit(validateDefinitionFile(file, isOutputLanguage(options.lang) ? options.lang : 'both')),
    );
  services
    .command('import')
    .description(
      'Validate a definition file and store it as the service’s draft (a new version); --publish publishes it',
    )
    .argument('<file>', 'a .yaml, .yml or .json service definition')
    .option('--publish', 'publish the imported version at once (it replaces the published one)', false)
    .addOption(languageOption())
    .action((file: string, options: { publish: boolean; lang?: unknown }) =>
      helpers.run(async () =>
        emit(
          await importFile(helpers, file, {
            publish: options.publish,
            language: isOutputLanguage(options.lang) ? options.lang : 'both',
          }),
        ),
      ),
    );
  services
    .command('export')
    .description('Print a service definition: the draft if there is one, else the newest version')
    .argument('<slug>', 'the service’s address, e.g. akta-kelahiran')
    .option('--version <n>', 'a version number', (v) => Number.parseInt(v, 10))
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .action((slug: string, options: { version?: number; format: 'yaml' | 'json' }) =>
      helpers.run(async () => emit(await exportService(helpers, slug, options))),
    );
}
