import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BenchOptions, type BenchRow, ROOT, type Scenario } from './lib.ts';
import { actionsScenario } from './scenarios/actions.ts';
import { auditScenario } from './scenarios/audit.ts';
import { auditlogScenario } from './scenarios/auditlog.ts';
import { catalogueScenario } from './scenarios/catalogue.ts';
import { encryptionScenario } from './scenarios/encryption.ts';
import { opendataScenario } from './scenarios/opendata.ts';
import { scaleoutScenario } from './scenarios/scaleout.ts';
import { serverScenario } from './scenarios/server.ts';
import { slownetScenario } from './scenarios/slownet.ts';
import { submitScenario } from './scenarios/submit.ts';
import { validationScenario } from './scenarios/validation.ts';
import { workflowScenario } from './scenarios/workflow.ts';

/** Every scenario, in the order they run. */
const SCENARIOS: Scenario[] = [
  validationScenario,
  workflowScenario,
  auditScenario,
  serverScenario,
  catalogueScenario,
  submitScenario,
  encryptionScenario,
  auditlogScenario,
  actionsScenario,
  opendataScenario,
  slownetScenario,
  scaleoutScenario,
];

function parseArgs(argv: string[]): {
  quick: boolean;
  only: string | undefined;
  profile: string | undefined;
} {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  return { quick: argv.includes('--quick'), only: value('--only'), profile: value('--profile') };
}

function format(value: number | undefined): string {
  if (value === undefined) return '';
  return Number.isInteger(value)
    ? value.toLocaleString('en-US')
    : value.toFixed(Math.abs(value) < 10 ? 3 : 1);
}

function markdown(rows: BenchRow[], meta: Record<string, string>): string {
  const lines = [
    '# Benchmark results',
    '',
    ...Object.entries(meta).map(([k, v]) => `- ${k}: ${v}`),
    '',
    '| Scenario | Engine | Figure | Value | Baseline | Ratio | Target | Result | Note | Measured |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.engine} | ${r.figure} | ${format(r.value)} ${r.unit} | ${format(r.baseline)} | ${format(r.ratio)} | ${r.target ?? ''} | ${r.pass === undefined ? '' : r.pass ? 'pass' : '**FAIL**'} | ${r.note ?? ''} | ${r.measured ? `${r.measured.date.slice(0, 10)} ${r.measured.commit} ${r.measured.mode}` : ''} |`,
    ),
    '',
  ];
  return lines.join('\n');
}

const args = parseArgs(process.argv.slice(2));
if (args.profile) {
  // Re-run one scenario with the server under --cpu-prof; the profile lands in bench/results.
  process.env.GAPURA_BENCH_PROFILE = path.join(ROOT, 'bench/results');
}
const databaseUrl = process.env.DATABASE_URL || undefined;
const options: BenchOptions = {
  quick: args.quick,
  databaseUrl,
  engines: databaseUrl ? ['sqlite', 'postgres'] : ['sqlite'],
};
const selected = SCENARIOS.filter(
  (s) => (args.only ?? args.profile) === undefined || s.name === (args.only ?? args.profile),
);
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const meta = {
  date: new Date().toISOString(),
  commit,
  machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  mode: args.quick ? 'quick' : 'full',
};
const latestFile = path.join(ROOT, 'bench/results/latest.json');

/** The rows of the results file, each with the run that measured it. */
function previousRows(): BenchRow[] {
  if (!existsSync(latestFile)) return [];
  const previous = JSON.parse(readFileSync(latestFile, 'utf8')) as {
    date?: string;
    commit?: string;
    mode?: string;
    rows?: BenchRow[];
  };
  return (previous.rows ?? []).map((row) => ({
    ...row,
    measured: row.measured ?? {
      scenario: '',
      date: previous.date ?? '',
      commit: previous.commit ?? '',
      mode: previous.mode ?? '',
    },
  }));
}

/**
 * Writes the results after every scenario: the scenarios measured so far replace their rows, the
 * others (of scenarios that still exist) keep theirs with the run that measured them, so a run
 * that stops half-way loses nothing.
 */
function writeResults(rows: BenchRow[]): BenchRow[] {
  const done = new Set(rows.map((r) => r.measured?.scenario));
  const kept = previousRows().filter(
    (row) => !done.has(row.measured?.scenario) && SCENARIOS.some((s) => s.name === row.measured?.scenario),
  );
  const all = [...kept, ...rows];
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(latestFile, `${JSON.stringify({ ...meta, rows: all }, null, 2)}\n`);
  writeFileSync(path.join(ROOT, 'bench/results/latest.md'), markdown(all, meta));
  return all;
}

const measured: BenchRow[] = [];
let rows: BenchRow[] = [];
for (const scenario of selected) {
  process.stderr.write(`bench: ${scenario.name}…\n`);
  for (const row of await scenario.run(options))
    measured.push({
      ...row,
      measured: { scenario: scenario.name, date: meta.date, commit, mode: meta.mode },
    });
  rows = writeResults(measured);
}
process.stdout.write(markdown(rows, meta));
const failing = rows.filter((r) => r.pass === false).length;
process.stdout.write(`\n${rows.length} figures, ${failing} below target.\n`);
