/**
 * `gapura services …`: service definitions from the command line.
 *
 * `validate FILE` needs no database and no configuration. `import` and `export` will join it here
 * once the catalogue tables exist: they read a file with `readDefinitionFile`, check it with
 * `validateDefinition` (printing problems with `formatProblems`, exactly as `validate` does), and
 * then call the catalogue service.
 */
import { type Command, Option } from 'commander';
import { readDefinitionFile } from '../catalog/files.ts';
import type { Problem } from '../catalog/problems.ts';
import type { ServiceDefinition } from '../catalog/schemas.ts';
import { validateDefinition } from '../catalog/validate.ts';

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

export function registerServiceCommands(program: Command): void {
  const services = program
    .command('services')
    .description('Service definitions (YAML or JSON): validate; import and export come with the catalogue');
  services
    .command('validate')
    .description('Check a service definition file and print every problem as "path: message"; exit 1 if any')
    .argument('<file>', 'a .yaml, .yml or .json service definition')
    .addOption(
      new Option('--lang <language>', 'language of the messages').choices(OUTPUT_LANGUAGES).default('both'),
    )
    .action((file: string, options: { lang?: unknown }) =>
      emit(validateDefinitionFile(file, isOutputLanguage(options.lang) ? options.lang : 'both')),
    );
}
