import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
