import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffDefinitions, summariseChanges } from './diff.ts';
import { DEMO_DEFINITIONS_DIR, demoDefinitionFiles, readDefinitionFile } from './files.ts';
import type { FormField, ServiceDefinition } from './schemas.ts';
import { validateDefinition } from './validate.ts';

function definitionFrom(file: string): ServiceDefinition {
  const parsed = readDefinitionFile(file);
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  const result = validateDefinition(parsed.value);
  if (!result.ok) throw new Error(`${file} is not valid: ${JSON.stringify(result.problems)}`);
  return result.definition;
}

const akta = definitionFrom(`${DEMO_DEFINITIONS_DIR}/akta-kelahiran.yaml`);

/** A copy of the birth certificate definition, changed by `change`. */
function changedAkta(change: (d: ServiceDefinition) => void): ServiceDefinition {
  const copy = structuredClone(akta);
  change(copy);
  return copy;
}

function sectionAt(d: ServiceDefinition, index: number) {
  const section = d.form.sections[index];
  if (section === undefined) throw new Error(`no section ${index}`);
  return section;
}

const nicknameField: FormField = {
  key: 'pelapor_nama_panggilan',
  type: 'text',
  label: { id: 'Nama panggilan', en: 'Nickname' },
  classification: 'personal',
};

describe('diffDefinitions', () => {
  it('finds no change between a definition and its copy', () => {
    for (const file of demoDefinitionFiles()) {
      const definition = definitionFrom(file);
      expect(diffDefinitions(definition, structuredClone(definition))).toEqual([]);
    }
  });

  it('reports a changed label at its path with both values', () => {
    const after = changedAkta((d) => {
      const field = sectionAt(d, 1).fields[3];
      if (field !== undefined) field.label.id = 'Pukul kelahiran';
    });
    expect(diffDefinitions(akta, after)).toEqual([
      {
        path: 'form.sections[1].fields[3].label.id',
        kind: 'changed',
        before: 'Jam lahir',
        after: 'Pukul kelahiran',
      },
    ]);
  });

  it('reports a field inserted in the middle as one addition, not a change of every later field', () => {
    const after = changedAkta((d) => sectionAt(d, 0).fields.splice(2, 0, nicknameField));
    expect(diffDefinitions(akta, after)).toEqual([
      { path: 'form.sections[0].fields[2]', kind: 'added', after: nicknameField },
    ]);
  });

  it('points changes after an insertion at their new index', () => {
    const after = changedAkta((d) => {
      sectionAt(d, 0).fields.splice(0, 0, nicknameField);
      const field = sectionAt(d, 0).fields[1];
      if (field !== undefined) field.required = false;
    });
    expect(diffDefinitions(akta, after)).toEqual([
      { path: 'form.sections[0].fields[0]', kind: 'added', after: nicknameField },
      { path: 'form.sections[0].fields[1].required', kind: 'changed', before: true, after: false },
    ]);
  });

  it('reports a removed state at its index in the earlier version', () => {
    const removed = akta.workflow.states[5];
    const after = changedAkta((d) => d.workflow.states.splice(5, 1));
    expect(diffDefinitions(akta, after)).toEqual([
      { path: 'workflow.states[5]', kind: 'removed', before: removed },
    ]);
  });

  it('reports reordered sections once, with the order of keys before and after', () => {
    const after = changedAkta((d) => d.form.sections.reverse());
    const keys = akta.form.sections.map((section) => section.key);
    expect(diffDefinitions(akta, after)).toEqual([
      {
        path: 'form.sections',
        kind: 'changed',
        before: { order: keys },
        after: { order: [...keys].reverse() },
      },
    ]);
  });

  it('does not call an insertion or a removal a reordering', () => {
    const after = changedAkta((d) => {
      d.form.sections.splice(1, 1);
      sectionAt(d, 0).fields.push(nicknameField);
    });
    expect(diffDefinitions(akta, after).map((c) => [c.path, c.kind])).toEqual([
      ['form.sections[1]', 'removed'],
      ['form.sections[0].fields[5]', 'added'],
    ]);
  });

  it('reports a fee changed from free to paid as one replacement of the fee', () => {
    const paid = {
      kind: 'paid' as const,
      amountRupiah: 50_000,
      legalBasis: {
        type: 'Perda',
        number: '3',
        year: 2021,
        title: { id: 'Retribusi Daerah', en: 'Local Levies' },
      },
    };
    const after = changedAkta((d) => {
      d.standard.fee = paid;
    });
    expect(diffDefinitions(akta, after)).toEqual([
      { path: 'standard.fee', kind: 'changed', before: akta.standard.fee, after: paid },
    ]);
  });

  it('matches choice options by value', () => {
    const after = changedAkta((d) => {
      const field = sectionAt(d, 0).fields[2];
      if (field?.type === 'choice') field.options.splice(0, 1);
    });
    expect(diffDefinitions(akta, after).map((c) => [c.path, c.kind])).toEqual([
      ['form.sections[0].fields[2].options[0]', 'removed'],
    ]);
  });

  it('reports a renamed key as a removal and an addition', () => {
    const after = changedAkta((d) => {
      const state = d.workflow.states[1];
      if (state !== undefined) state.key = 'revisi';
    });
    expect(diffDefinitions(akta, after).map((c) => [c.path, c.kind])).toEqual([
      ['workflow.states[1]', 'removed'],
      ['workflow.states[1]', 'added'],
    ]);
  });

  it('compares lists without keys by position', () => {
    const after = changedAkta((d) => {
      d.tags = ['akta', ...(d.tags ?? [])];
    });
    expect(diffDefinitions(akta, after).map((c) => [c.path, c.kind, c.after])).toEqual([
      ['tags[0]', 'changed', 'akta'],
      ['tags[1]', 'changed', 'kelahiran'],
      ['tags[2]', 'changed', 'birth'],
      ['tags[3]', 'changed', 'anak'],
      ['tags[4]', 'added', 'akta'],
    ]);
  });

  it('does not match rule conditions by the value they compare', () => {
    const rule = (value: string) => ({ field: 'status_perkawinan', op: 'eq', value });
    const changes = diffDefinitions({ any: [rule('a'), rule('b')] }, { any: [rule('b'), rule('a')] });
    expect(changes.map((c) => [c.path, c.kind])).toEqual([
      ['any[0].value', 'changed'],
      ['any[1].value', 'changed'],
    ]);
  });

  it('reports a property added or removed, quoting names that are not identifiers', () => {
    expect(diffDefinitions({ a: 1, 'b-c': 2 }, { a: 1, d: { e: 3 } })).toEqual([
      { path: '["b-c"]', kind: 'removed', before: 2 },
      { path: 'd', kind: 'added', after: { e: 3 } },
    ]);
  });

  it('finds changes exactly when the values differ', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        expect(diffDefinitions(a, b).length === 0).toBe(isDeepStrictEqual(a, b));
        expect(diffDefinitions(a, structuredClone(a))).toEqual([]);
      }),
    );
  });
});

describe('summariseChanges', () => {
  it('describes each change in Indonesian and in English', () => {
    const after = changedAkta((d) => {
      sectionAt(d, 0).fields.splice(1, 0, nicknameField);
      d.form.sections.reverse();
      d.name.en = 'Birth Certificate (extract)';
      d.workflow.states.splice(5, 1);
    });
    const changes = diffDefinitions(akta, after);
    expect(summariseChanges(changes, 'id')).toEqual([
      'Nilai diubah: name.en: "Birth Certificate" → "Birth Certificate (extract)"',
      'Urutan bagian diubah: form.sections: pelapor, anak, ibu, ayah, saksi, dokumen → dokumen, saksi, ayah, ibu, anak, pelapor',
      'Isian ditambahkan: form.sections[5].fields[1] (pelapor_nama_panggilan): "Nama panggilan"',
      'Status dihapus: workflow.states[5] (dibatalkan): "Dibatalkan pemohon"',
    ]);
    expect(summariseChanges(changes, 'en')).toEqual([
      'Value changed: name.en: "Birth Certificate" → "Birth Certificate (extract)"',
      'Order of sections changed: form.sections: pelapor, anak, ibu, ayah, saksi, dokumen → dokumen, saksi, ayah, ibu, anak, pelapor',
      'Field added: form.sections[5].fields[1] (pelapor_nama_panggilan): "Nickname"',
      'State removed: workflow.states[5] (dibatalkan): "Withdrawn by the applicant"',
    ]);
  });

  it('shortens long values', () => {
    const [line] = summariseChanges(
      [{ path: 'description.id', kind: 'changed', before: 'a', after: 'x'.repeat(200) }],
      'en',
    );
    expect(line).toBe(`Value changed: description.id: "a" → "${'x'.repeat(57)}..."`);
  });
});
