import { compileDefinition } from '../../src/catalog/compile.ts';
import { demoDefinitionFiles, readDefinitionFile } from '../../src/catalog/files.ts';
import type { ServiceDefinition } from '../../src/catalog/schemas.ts';
import { validateDefinition } from '../../src/catalog/validate.ts';
import { aktaKelahiranAnswers } from '../../test/fixtures/catalog-definitions.ts';
import type { BenchOptions, BenchRow, Scenario } from '../lib.ts';

function countFields(fields: readonly { type: string; fields?: readonly unknown[] }[]): number {
  return fields.reduce(
    (n, f) => n + 1 + (f.type === 'group' && Array.isArray(f.fields) ? f.fields.length : 0),
    0,
  );
}

function loadDemo(): { name: string; definition: ServiceDefinition; fields: number }[] {
  return demoDefinitionFiles().map((file) => {
    const parsed = readDefinitionFile(file);
    const checked = parsed.ok ? validateDefinition(parsed.value) : undefined;
    if (!checked?.ok) throw new Error(`${file} does not validate`);
    const fields = checked.definition.form.sections.reduce((n, s) => n + countFields(s.fields), 0);
    return { name: checked.definition.slug, definition: checked.definition, fields };
  });
}

/** How long compiling a definition takes, and how many submissions per second the compiled validator checks. */
export const validationScenario: Scenario = {
  name: 'validation',
  async run(options: BenchOptions): Promise<BenchRow[]> {
    const demo = loadDemo().sort((a, b) => b.fields - a.fields);
    const largest = demo[0]!;
    const firstStart = performance.now();
    compileDefinition(largest.definition);
    const firstCompileMs = performance.now() - firstStart;
    const compiles: number[] = [];
    for (let i = 0; i < (options.quick ? 10 : 50); i++) {
      const start = performance.now();
      compileDefinition(largest.definition);
      compiles.push(performance.now() - start);
    }
    compiles.sort((a, b) => a - b);
    const form = compileDefinition(largest.definition);
    const answers = largest.name === 'akta-kelahiran' ? aktaKelahiranAnswers() : {};
    const check = form.validate(answers, { today: '2026-11-29' });
    if (!check.ok) throw new Error(`the sample answers do not validate: ${JSON.stringify(check.errors)}`);
    for (let i = 0; i < 2000; i++) form.validate(answers, { today: '2026-11-29' });
    const seconds = options.quick ? 0.5 : 3;
    let count = 0;
    const start = performance.now();
    while (performance.now() - start < seconds * 1000) {
      for (let i = 0; i < 100; i++) form.validate(answers, { today: '2026-11-29' });
      count += 100;
    }
    const perSecond = Math.round(count / ((performance.now() - start) / 1000));
    return [
      {
        scenario: `Compile the largest demo form (${largest.name}, ${largest.fields} fields)`,
        engine: '-',
        figure: 'compile time',
        value: Math.round((compiles[Math.floor(compiles.length / 2)] ?? 0) * 10) / 10,
        unit: 'ms (median)',
        note: `first compile in the process ${Math.round(firstCompileMs)} ms`,
      },
      {
        scenario: `Form validation alone (${largest.name}, valid answers)`,
        engine: '-',
        figure: 'validations/s',
        value: perSecond,
        unit: '/s',
        target: '≥ 50,000/s',
        pass: perSecond >= 50_000,
      },
    ];
  },
};
