import path from 'node:path';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allFieldTypesDefinition, minimalWorkflow } from '../../test/fixtures/catalog-definitions.ts';
import { AGENCY_ROLES } from '../identity/roles.ts';
import { demoDefinitionFiles, readDefinitionFile } from './files.ts';
import { isRecord } from './reader.ts';
import { LEAF_FIELD_TYPES, type ServiceDefinition, serviceDefinitionJsonSchema } from './schemas.ts';
import { type DefinitionValidation, validateDefinition } from './validate.ts';

const BROKEN = path.resolve(import.meta.dirname, '../../test/fixtures/broken-service.yaml');

function parsedFile(file: string): unknown {
  const parsed = readDefinitionFile(file);
  if (!parsed.ok) throw new Error(`${file} does not parse: ${JSON.stringify(parsed.problems)}`);
  return parsed.value;
}

function problemsOf(result: DefinitionValidation): Array<[string, string]> {
  return result.ok ? [] : result.problems.map((p) => [p.path, p.code]);
}

function validDefinition(input: unknown): ServiceDefinition {
  const result = validateDefinition(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
  return result.definition;
}

/** The fields of the repeating group `anggota` in the all-field-types definition. */
function groupFieldsOf(d: ReturnType<typeof allFieldTypesDefinition>): unknown[] {
  const group = d.form.sections[1]?.fields[4];
  return group !== undefined && 'fields' in group && Array.isArray(group.fields) ? group.fields : [];
}

/** A fresh copy of the all-field-types definition, changed by `change`. */
function changed(change: (d: ReturnType<typeof allFieldTypesDefinition>) => void): unknown {
  const definition = allFieldTypesDefinition();
  change(definition);
  return definition;
}

describe('the demo service definitions', () => {
  const files = demoDefinitionFiles();

  it('are six, one per service, for the three demo agencies', () => {
    expect(files.map((f) => path.basename(f))).toEqual([
      'akta-kelahiran.yaml',
      'izin-usaha-mikro.yaml',
      'pembaruan-kartu-keluarga.yaml',
      'persetujuan-bangunan-gedung.yaml',
      'sktm.yaml',
      'surat-keterangan-pindah.yaml',
    ]);
  });

  it.each(files.map((f) => [path.basename(f), f]))('%s passes validateDefinition', (_name, file) => {
    const result = validateDefinition(parsedFile(file));
    expect(problemsOf(result)).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it.each(files.map((f) => [path.basename(f), f]))(
    '%s has a workflow with a revision loop and agency roles',
    (_name, file) => {
      const definition = validDefinition(parsedFile(file));
      expect(['disdukcapil', 'dpmptsp', 'dinsos']).toContain(definition.agency);
      expect(definition.workflow.states.length).toBeGreaterThanOrEqual(4);
      const back = definition.workflow.actions.find((a) => a.kind === 'return_for_revision');
      expect(back).toBeDefined();
      const revision = definition.workflow.states.find((s) => s.key === back?.to);
      expect(revision?.applicantCanEdit).toBe(true);
      expect(revision?.slaRuns).toBe(false);
      const roles = new Set(definition.workflow.actions.flatMap((a) => a.roles));
      for (const role of roles) expect([...AGENCY_ROLES, 'applicant']).toContain(role);
    },
  );

  it('the largest form has at least 12 fields with a NIK, a region and a repeating group', () => {
    const forms = files.map((f) => validDefinition(parsedFile(f)).form);
    const counts = forms.map((form) => form.sections.flatMap((s) => s.fields).length);
    const largest = forms[counts.indexOf(Math.max(...counts))];
    const types = new Set(largest?.sections.flatMap((s) => s.fields.map((f) => f.type)));
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(12);
    for (const type of ['nik', 'region', 'group']) expect(types).toContain(type);
  });

  it('civil registration services are free, and the building approval is paid with a legal basis', () => {
    const byService = new Map(files.map((f) => [path.basename(f, '.yaml'), validDefinition(parsedFile(f))]));
    expect(byService.get('akta-kelahiran')?.standard.fee.kind).toBe('free');
    const pbg = byService.get('persetujuan-bangunan-gedung')?.standard.fee;
    expect(pbg?.kind).toBe('paid');
    if (pbg?.kind === 'paid') expect(pbg.legalBasis.type).toMatch(/Perda/);
  });
});

describe('the broken fixture', () => {
  it('reports every one of its problems at once, with paths', () => {
    const result = validateDefinition(parsedFile(BROKEN));
    expect(problemsOf(result)).toEqual([
      ['standard.product', 'standard.missing_delivery_component'],
      ['form.sections[0].fields[1].visibleWhen.field', 'form.rule_not_earlier'],
      ['form.sections[0].fields[2].type', 'form.unknown_field_type'],
      ['form.sections[0].fields[3].options', 'form.options_missing'],
      ['form.sections[0].fields[4].requiredWhen.field', 'form.rule_unknown_field'],
      ['form.sections[1].fields[0].key', 'form.duplicate_key'],
      ['workflow.actions[0].roles[1]', 'workflow.unknown_role'],
      ['workflow.actions[1].to', 'workflow.unknown_state'],
      ['workflow.states', 'workflow.sla_exceeds_completion_time'],
      ['workflow.states[2]', 'workflow.cannot_finish'],
      ['workflow.states[3]', 'workflow.unreachable_state'],
      ['output.printedFields[1]', 'output.unknown_field'],
      ['dataRules.specificFieldRoles[1]', 'data.unknown_role'],
    ]);
  });

  it('explains the problems in both languages', () => {
    const result = validateDefinition(parsedFile(BROKEN));
    const messages = new Map(result.ok ? [] : result.problems.map((p) => [p.code, p.message]));
    expect(messages.get('form.unknown_field_type')?.en).toBe(
      'Unknown field type "signature". The types available are: text, textarea, number, date, choice, multichoice, yesno, email, phone, nik, npwp, nib, region, file, group.',
    );
    expect(messages.get('workflow.sla_exceeds_completion_time')?.id).toContain(
      'diajukan → diverifikasi → disetujui: 3 > 2 hari kerja',
    );
    expect(messages.get('workflow.sla_exceeds_completion_time')?.en).toContain(
      'diajukan → diverifikasi → disetujui: 3 > 2 working days',
    );
    expect(messages.get('workflow.unknown_role')?.id).toContain('Peran "lurah" tidak ada');
    expect(messages.get('standard.missing_delivery_component')?.id).toContain('Produk pelayanan');
  });
});

describe('validateDefinition: structure', () => {
  it('accepts the all-field-types test definition', () => {
    expect(problemsOf(validateDefinition(allFieldTypesDefinition()))).toEqual([]);
  });

  it('reports something that is not an object at the root', () => {
    expect(problemsOf(validateDefinition('akta'))).toEqual([['', 'schema.type']]);
  });

  it('names the missing delivery components, including an empty requirements list', () => {
    const input = changed((d) => {
      const s: Record<string, unknown> = d.standard;
      delete s.fee;
      delete s.procedure;
      d.standard.requirements = [];
    });
    expect(problemsOf(validateDefinition(input))).toEqual([
      ['standard.fee', 'standard.missing_delivery_component'],
      ['standard.procedure', 'standard.missing_delivery_component'],
      ['standard.requirements', 'standard.missing_delivery_component'],
    ]);
  });

  it('accepts a definition without the eight management components ("not yet declared")', () => {
    const input = changed((d) => {
      expect(Object.keys(d.standard).sort()).toEqual(
        ['complaintHandling', 'completionDays', 'fee', 'procedure', 'product', 'requirements'].sort(),
      );
    });
    expect(validateDefinition(input).ok).toBe(true);
  });

  it('lists the known properties for a misspelt one', () => {
    const result = validateDefinition(
      changed((d) => Object.assign(d.form.sections[0] ?? {}, { titel: 'x' })),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.path).toBe('form.sections[0].titel');
    expect(result.problems[0]?.message.en).toBe(
      'Unknown property "titel". Known here: key, title, describesSubject, fields.',
    );
  });

  it('says which types exist inside a group, where groups cannot nest', () => {
    const result = validateDefinition(
      changed((d) => {
        Object.assign(groupFieldsOf(d)[0] ?? {}, { type: 'group' });
      }),
    );
    expect(problemsOf(result)).toEqual([
      ['form.sections[1].fields[4].fields[0].type', 'form.unknown_field_type'],
    ]);
    if (!result.ok)
      expect(result.problems[0]?.message.en).toContain(`inside a group are: ${LEAF_FIELD_TYPES.join(', ')}.`);
  });

  it('points into rules at the exact condition that is malformed', () => {
    const input = changed((d) => {
      Object.assign(d.form.sections[1]?.fields[1] ?? {}, {
        visibleWhen: { all: [{ field: 'punya_kis', op: 'is', value: true }, { not: { fild: 'x' } }] },
      });
    });
    expect(problemsOf(validateDefinition(input))).toEqual([
      ['form.sections[1].fields[1].visibleWhen.all[0].op', 'schema.not_allowed'],
      ['form.sections[1].fields[1].visibleWhen.all[1].not.field', 'schema.required'],
      ['form.sections[1].fields[1].visibleWhen.all[1].not.fild', 'schema.unknown_property'],
      ['form.sections[1].fields[1].visibleWhen.all[1].not.op', 'schema.required'],
      ['form.sections[1].fields[1].visibleWhen.all[1].not.value', 'schema.required'],
    ]);
  });

  it('translates a key that breaks the naming rule with an example', () => {
    const result = validateDefinition(
      changed((d) => Object.assign(d.form.sections[0]?.fields[1] ?? {}, { key: 'Catatan Umum' })),
    );
    expect(problemsOf(result)).toEqual([['form.sections[0].fields[1].key', 'schema.pattern']]);
    if (!result.ok) expect(result.problems[0]?.message.id).toContain('contoh: nama_lengkap');
  });
});

describe('validateDefinition: the form', () => {
  it('finds duplicate keys across sections and inside groups', () => {
    const input = changed((d) => {
      Object.assign(d.form.sections[1] ?? {}, { key: 'utama' });
      Object.assign(groupFieldsOf(d)[1] ?? {}, { key: 'nama' });
    });
    expect(problemsOf(validateDefinition(input))).toEqual([
      ['form.sections[1].fields[4].fields[1].key', 'form.duplicate_key'],
      // the rule that referred to the renamed field now refers to nothing
      ['form.sections[1].fields[4].fields[2].visibleWhen.all[0].field', 'form.rule_unknown_field'],
      ['form.sections[1].key', 'form.duplicate_key'],
    ]);
  });

  it('refuses rules on later fields, on itself and on fields inside another group', () => {
    const input = changed((d) => {
      Object.assign(d.form.sections[0]?.fields[0] ?? {}, {
        visibleWhen: { field: 'nama', op: 'eq', value: 'x' },
      });
      Object.assign(d.form.sections[1]?.fields[3] ?? {}, {
        visibleWhen: {
          any: [
            { field: 'anggota_anak', op: 'eq', value: true },
            { field: 'alasan', op: 'eq', value: 'kerja' },
          ],
        },
      });
    });
    expect(problemsOf(validateDefinition(input))).toEqual([
      ['form.sections[0].fields[0].visibleWhen.field', 'form.rule_not_earlier'],
      ['form.sections[1].fields[3].visibleWhen.any[0].field', 'form.rule_not_earlier'],
    ]);
  });

  it('checks that rule values can be answers of the field they look at', () => {
    const input = changed((d) => {
      Object.assign(d.form.sections[1]?.fields[1] ?? {}, {
        visibleWhen: { field: 'punya_kis', op: 'eq', value: 'ya' },
      });
      Object.assign(d.form.sections[1]?.fields[3] ?? {}, {
        requiredWhen: { field: 'alasan', op: 'in', value: ['kerja', 'libur'] },
      });
      Object.assign(d.form.sections[0]?.fields[1] ?? {}, {
        visibleWhen: { field: 'nama', op: 'gt', value: 'a' },
      });
      Object.assign(d.form.sections[0]?.fields[4] ?? {}, {
        visibleWhen: { field: 'umur', op: 'gte', value: 17 },
      });
      Object.assign(d.form.sections[1]?.fields[0] ?? {}, {
        visibleWhen: { field: 'berkas', op: 'eq', value: 'x' },
      });
    });
    expect(problemsOf(validateDefinition(input))).toEqual([
      ['form.sections[0].fields[1].visibleWhen', 'form.rule_value_mismatch'],
      ['form.sections[1].fields[0].visibleWhen', 'form.rule_unsupported_target'],
      ['form.sections[1].fields[1].visibleWhen', 'form.rule_value_mismatch'],
      ['form.sections[1].fields[3].requiredWhen', 'form.rule_value_mismatch'],
    ]);
  });

  it('finds contradictory, impossible and inverted settings', () => {
    const input = changed((d) => {
      Object.assign(d.form.sections[0]?.fields[2] ?? {}, { min: 50, max: 10 });
      Object.assign(d.form.sections[0]?.fields[4] ?? {}, { max: '2023-02-29' });
      Object.assign(d.form.sections[0]?.fields[6] ?? {}, { minItems: 5, maxItems: 6 });
      Object.assign(d.form.sections[0]?.fields[10] ?? {}, { classification: 'public' });
      Object.assign(d.form.sections[1]?.fields[1] ?? {}, {
        requiredWhen: { field: 'punya_kis', op: 'eq', value: true },
      });
      Object.assign(d.form.sections[0]?.fields[5] ?? {}, {
        options: [
          { value: 'merah', label: { id: 'Merah', en: 'Red' } },
          { value: 'merah', label: { id: 'Merah lagi', en: 'Red again' } },
        ],
      });
    });
    expect(problemsOf(validateDefinition(input))).toEqual([
      ['form.sections[0].fields[2].min', 'form.range_inverted'],
      ['form.sections[0].fields[4].max', 'form.invalid_date'],
      ['form.sections[0].fields[5].options[1].value', 'form.duplicate_option'],
      ['form.sections[0].fields[6].minItems', 'form.range_impossible'],
      ['form.sections[0].fields[10].classification', 'form.classification_too_low'],
      ['form.sections[1].fields[1].requiredWhen', 'form.required_conflict'],
    ]);
  });

  it('requires roles that may see specific data when the form has some', () => {
    const input = changed((d) => {
      d.dataRules.specificFieldRoles = [];
    });
    expect(problemsOf(validateDefinition(input))).toEqual([
      ['dataRules.specificFieldRoles', 'data.specific_without_roles'],
    ]);
  });
});

describe('validateDefinition: the workflow', () => {
  it('accepts per-state SLAs that add up to exactly the completion time', () => {
    expect(validateDefinition(changed((d) => Object.assign(d.standard, { completionDays: 3 }))).ok).toBe(
      true,
    );
  });

  it('reports every path from the start to a terminal state whose SLAs add up to more, naming it', () => {
    const result = validateDefinition(changed((d) => Object.assign(d.standard, { completionDays: 2 })));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => [p.path, p.code, p.message.id])).toEqual([
      [
        'workflow.states',
        'workflow.sla_exceeds_completion_time',
        'SLA per status melebihi jangka waktu penyelesaian: diajukan → verifikasi → disetujui: 3 > 2 hari kerja.',
      ],
      [
        'workflow.states',
        'workflow.sla_exceeds_completion_time',
        'SLA per status melebihi jangka waktu penyelesaian: diajukan → verifikasi → ditolak: 3 > 2 hari kerja.',
      ],
      [
        'workflow.states',
        'workflow.sla_exceeds_completion_time',
        // the revision state pauses the clock but the days spent before it still count
        'SLA per status melebihi jangka waktu penyelesaian: diajukan → verifikasi → perbaikan → dibatalkan: 3 > 2 hari kerja.',
      ],
    ]);
  });

  it('counts each state once along a path, so a revision loop does not add up', () => {
    const workflow = minimalWorkflow();
    // A loop back from verification to the start, with the clock running in both states.
    workflow.actions.push({
      key: 'ulang',
      label: { id: 'Ulang', en: 'Again' },
      from: 'verifikasi',
      to: 'diajukan',
      roles: ['verifier'],
    });
    expect(validateDefinition(changed((d) => Object.assign(d, { workflow }))).ok).toBe(true);
  });

  it('checks keys, references, the start state and action kinds', () => {
    const workflow = minimalWorkflow();
    const [first, second] = workflow.actions;
    Object.assign(workflow, { startState: 'mulai' });
    workflow.states.push({
      key: 'verifikasi',
      label: { id: 'Lagi', en: 'Again' },
      applicantCanEdit: false,
      slaRuns: false,
    });
    if (first !== undefined && second !== undefined) {
      Object.assign(second, { key: first.key, from: ['diajukan', 'entah'] });
    }
    Object.assign(workflow.actions[3] ?? {}, { to: 'ditolak' });
    Object.assign(workflow.actions[5] ?? {}, { roles: ['supervisor'] });
    const result = validateDefinition(changed((d) => Object.assign(d, { workflow })));
    expect(problemsOf(result)).toEqual([
      ['workflow.actions[1].from[1]', 'workflow.unknown_state'],
      ['workflow.actions[1].key', 'workflow.duplicate_key'],
      ['workflow.actions[3].to', 'workflow.action_kind_mismatch'],
      ['workflow.actions[5].roles', 'workflow.action_kind_mismatch'],
      ['workflow.startState', 'workflow.unknown_state'],
      ['workflow.states[6].key', 'workflow.duplicate_key'],
    ]);
  });

  it('refuses actions out of a terminal state, a clock in one, and a missing approved outcome', () => {
    const workflow = minimalWorkflow();
    Object.assign(workflow.states[3] ?? {}, { terminal: 'rejected', slaRuns: true });
    Object.assign(workflow.actions[0] ?? {}, { from: 'ditolak' });
    Object.assign(workflow.actions[3] ?? {}, { kind: 'reject' });
    const result = validateDefinition(changed((d) => Object.assign(d, { workflow })));
    expect(problemsOf(result)).toEqual([
      ['workflow.actions[0].from', 'workflow.action_from_terminal'],
      ['workflow.states', 'workflow.no_approved_state'],
      ['workflow.states[3].slaRuns', 'workflow.terminal_clock_runs'],
    ]);
  });
});

describe('validateDefinition never throws', () => {
  const isWellFormed = (result: DefinitionValidation): boolean =>
    result.ok ||
    (result.problems.length > 0 &&
      result.problems.every(
        (p) =>
          typeof p.path === 'string' &&
          typeof p.code === 'string' &&
          p.message.id.length > 0 &&
          p.message.en.length > 0,
      ));

  it('on any value', () => {
    fc.assert(
      fc.property(
        fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true }),
        (value) => {
          const result = validateDefinition(value);
          expect(isWellFormed(result)).toBe(true);
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  /** Replaces, deletes or duplicates one value somewhere inside `root`, picked by `choices`. */
  function mutate(root: unknown, choices: readonly number[], replacement: unknown, mode: number): unknown {
    const copy: unknown = structuredClone(root);
    let node: unknown = copy;
    for (const choice of choices) {
      const keys = isRecord(node) || Array.isArray(node) ? Object.keys(node) : [];
      const key = keys[choice % Math.max(keys.length, 1)];
      if (key === undefined) break;
      const child: unknown = Reflect.get(Object(node), key);
      const isLast = choice === choices[choices.length - 1] || !(isRecord(child) || Array.isArray(child));
      if (isLast) {
        if (mode === 0) Reflect.set(Object(node), key, replacement);
        else if (mode === 1) Reflect.deleteProperty(Object(node), key);
        else if (Array.isArray(node)) node.push(structuredClone(child));
        else Reflect.set(Object(node), `${key}_copy`, child);
        return copy;
      }
      node = child;
    }
    return copy;
  }

  it('on mutated valid definitions', () => {
    const seeds = [...demoDefinitionFiles().map(parsedFile), allFieldTypesDefinition()];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        fc.anything(),
        fc.nat({ max: 2 }),
        (seed, choices, replacement, mode) => {
          const result = validateDefinition(mutate(seed, choices, replacement, mode));
          expect(isWellFormed(result)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('on a rule nested without end', () => {
    const deep: Record<string, unknown> = { field: 'nama', op: 'eq', value: 'x' };
    let rule: Record<string, unknown> = deep;
    for (let i = 0; i < 5000; i++) rule = { not: rule };
    const result = validateDefinition(
      changed((d) => Object.assign(d.form.sections[0]?.fields[1] ?? {}, { visibleWhen: rule })),
    );
    expect(result.ok).toBe(false);
  });
});

describe('serviceDefinitionJsonSchema', () => {
  it('is plain JSON with an $id, named $defs and the rule definition', () => {
    const schema = serviceDefinitionJsonSchema();
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    expect(schema.$id).toBe('urn:gapura:schema:service-definition:1');
    expect(Object.keys(isRecord(schema.$defs) ? schema.$defs : {})).toEqual(
      expect.arrayContaining(['Rule', 'Label', 'Regulation', 'NikField', 'GroupField', 'FormField']),
    );
  });

  it('validates the demo definitions with a fresh, strict Ajv', () => {
    const validate = new Ajv({ discriminator: true, strict: true }).compile(serviceDefinitionJsonSchema());
    for (const file of demoDefinitionFiles()) expect(validate(parsedFile(file))).toBe(true);
    expect(validate(parsedFile(BROKEN))).toBe(false);
  });
});
