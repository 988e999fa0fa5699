import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine } from '../../test/helpers/engines.ts';
import { runCli } from '../../test/helpers/process.ts';
import { formatProblems, validateDefinitionFile } from '../cli/services.ts';
import { DEMO_DEFINITIONS_DIR, readDefinitionFile } from './files.ts';

const BROKEN = path.resolve(import.meta.dirname, '../../test/fixtures/broken-service.yaml');
const AKTA = path.join(DEMO_DEFINITIONS_DIR, 'akta-kelahiran.yaml');
const BROKEN_PATHS = [
  'standard.product',
  'form.sections[0].fields[1].visibleWhen.field',
  'form.sections[0].fields[2].type',
  'form.sections[0].fields[3].options',
  'form.sections[0].fields[4].requiredWhen.field',
  'form.sections[1].fields[0].key',
  'workflow.actions[0].roles[1]',
  'workflow.actions[1].to',
  'workflow.states',
  'workflow.states[2]',
  'workflow.states[3]',
  'output.printedFields[1]',
  'dataRules.specificFieldRoles[1]',
];

const scratch = mkdtempSync(path.join(tmpdir(), 'gapura-services-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('gapura services validate (as a process)', () => {
  it('exits 0 with a summary line for a demo definition', () => {
    const result = runCli(['services', 'validate', AKTA], {});
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^disdukcapil\/akta-kelahiran: definisi layanan sah: .* — valid service definition: 6 sections, 33 fields, 6 states, 6 actions, 3 working days\n$/,
    );
  });

  it('exits 1 and prints every problem as "path: message", one per line', () => {
    const result = runCli(['services', 'validate', BROKEN, '--lang', 'en'], {});
    expect(result.status).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines.map((line) => line.slice(0, line.indexOf(': ')))).toEqual(BROKEN_PATHS);
    expect(lines).toContain(
      'workflow.states: Per-state SLAs exceed the completion time: diajukan → diverifikasi → disetujui: 3 > 2 working days.',
    );
    expect(result.stderr).toBe(`gapura: ${BROKEN}: 13 problems\n`);
  });
});

describe('validateDefinitionFile', () => {
  it('prints both languages by default, Indonesian first', () => {
    const outcome = validateDefinitionFile(BROKEN, 'both');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout[0]).toBe(
      'standard.product: Komponen penyampaian pelayanan "Produk pelayanan" wajib diisi sebelum layanan diterbitkan (UU 25/2009 pasal 21). — The service-delivery component "Service product" is required to publish (Law 25/2009 art. 21).',
    );
    expect(validateDefinitionFile(BROKEN, 'id').stderr).toEqual([`gapura: ${BROKEN}: 13 masalah`]);
  });

  it('reads JSON as well as YAML', () => {
    const parsed = readDefinitionFile(AKTA);
    const file = path.join(scratch, 'akta.json');
    writeFileSync(file, JSON.stringify(parsed.ok ? parsed.value : null));
    expect(validateDefinitionFile(file, 'en')).toMatchObject({ exitCode: 0, stderr: [] });
  });

  it('reports a file that does not parse with its line, and one that cannot be read', () => {
    const file = path.join(scratch, 'bad.yaml');
    writeFileSync(file, 'schemaVersion: 1\nslug: [unclosed\n');
    const outcome = validateDefinitionFile(file, 'en');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.stdout[0]).toMatch(
      /^\(file\): The file cannot be parsed \(baris\/line \d+, kolom\/column \d+\): /,
    );
    const json = path.join(scratch, 'bad.json');
    writeFileSync(json, '{"schemaVersion": 1,');
    expect(validateDefinitionFile(json, 'en').stdout[0]).toMatch(
      /^\(file\): The file cannot be parsed \(JSON\): /,
    );
    expect(validateDefinitionFile(path.join(scratch, 'missing.yaml'), 'en')).toEqual({
      exitCode: 2,
      stdout: [],
      stderr: [`gapura: cannot read ${path.join(scratch, 'missing.yaml')} (ENOENT)`],
    });
  });

  it('refuses duplicate keys in YAML rather than keeping the last', () => {
    const file = path.join(scratch, 'dup.yaml');
    writeFileSync(file, 'slug: a\nslug: b\n');
    expect(validateDefinitionFile(file, 'en').stdout[0]).toMatch(/Map keys must be unique/);
  });

  it('formats a problem about the whole file with "(file)"', () => {
    expect(formatProblems([{ path: '', code: 'x', message: { id: 'satu', en: 'one' } }], 'id')).toEqual([
      '(file): satu',
    ]);
  });
});

describe.each(ENGINES)('gapura services import and export (as a process)', (engine) => {
  let fresh: FreshDatabase;
  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    expect(runCli(['seed', '--demo'], fresh.env).status).toBe(0);
  });
  afterAll(() => fresh.cleanup());

  it(onEngine(engine, 'a broken file prints every problem and imports nothing'), () => {
    const result = runCli(['services', 'import', BROKEN, '--lang', 'en'], fresh.env);
    expect(result.status).toBe(1);
    expect(result.stdout.trim().split('\n')).toHaveLength(BROKEN_PATHS.length);
    const exported = runCli(['services', 'export', 'layanan-rusak'], fresh.env);
    expect(exported.status).toBe(1);
    expect(exported.stderr).toMatch(/no service layanan-rusak/);
  });

  it(onEngine(engine, 'exports a demo service and imports it back as a new draft, then publishes'), () => {
    const exported = runCli(['services', 'export', 'sktm', '--format', 'json'], fresh.env);
    expect(exported.status).toBe(0);
    const original = readDefinitionFile(path.join(DEMO_DEFINITIONS_DIR, 'sktm.yaml'));
    expect(JSON.parse(exported.stdout)).toEqual(original.ok ? original.value : undefined);
    const yamlFile = path.join(scratch, `sktm-${engine}.yaml`);
    const asYaml = runCli(['services', 'export', 'sktm'], fresh.env);
    expect(asYaml.stdout).toMatch(/^# sktm version 1 \(published\)\n/);
    writeFileSync(yamlFile, asYaml.stdout);
    const draft = runCli(['services', 'import', yamlFile], fresh.env);
    expect(draft.stdout).toBe('sktm: version 2 draft\n');
    const published = runCli(['services', 'import', yamlFile, '--publish'], fresh.env);
    expect(published.stdout).toBe('sktm: version 2 published\n');
    const first = runCli(['services', 'export', 'sktm', '--version', '1', '--format', 'json'], fresh.env);
    expect(JSON.parse(first.stdout)).toEqual(original.ok ? original.value : undefined);
  });
});
