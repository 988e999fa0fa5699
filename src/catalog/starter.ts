/**
 * The document a new service starts from in the designer. Its identity comes from the create form;
 * the form has one valid section so the preview works at once; the workflow is a skeleton
 * (submitted → approved, no actions yet) to complete. The standard's texts are left empty on
 * purpose: the designer's problem list then walks the admin through every required component.
 */
import { DEFINITION_SCHEMA_VERSION } from './schemas.ts';

export interface StarterIdentity {
  agency: string;
  slug: string;
  name: { id: string; en: string };
  category: string;
}

const empty = () => ({ id: '', en: '' });

export function starterDefinition(identity: StarterIdentity): Record<string, unknown> {
  return {
    schemaVersion: DEFINITION_SCHEMA_VERSION,
    agency: identity.agency,
    slug: identity.slug,
    name: { ...identity.name },
    description: empty(),
    category: identity.category,
    standard: {
      requirements: [],
      procedure: empty(),
      fee: { kind: 'free' },
      product: empty(),
      complaintHandling: empty(),
    },
    form: {
      sections: [
        {
          key: 'pemohon',
          title: { id: 'Data pemohon', en: 'Applicant' },
          describesSubject: true,
          fields: [
            {
              type: 'text',
              key: 'nama_lengkap',
              label: { id: 'Nama lengkap', en: 'Full name' },
              maxLength: 100,
              required: true,
              classification: 'personal',
            },
          ],
        },
      ],
    },
    workflow: {
      startState: 'diajukan',
      states: [
        {
          key: 'diajukan',
          label: { id: 'Diajukan', en: 'Submitted' },
          applicantCanEdit: false,
          slaRuns: true,
        },
        {
          key: 'disetujui',
          label: { id: 'Disetujui', en: 'Approved' },
          applicantCanEdit: false,
          slaRuns: false,
          terminal: 'approved',
        },
      ],
      actions: [],
    },
    output: { documentName: empty(), printedFields: ['nama_lengkap'] },
    dataRules: {
      specificFieldRoles: [],
      retention: { basis: '' },
      identityAssurance: 'self_declared',
    },
  };
}
