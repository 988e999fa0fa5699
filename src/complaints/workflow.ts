/**
 * The complaint workflow (SP4N-LAPOR!), written in the service definitions' workflow format and held
 * to the same checks (structure, references, reachability, a way to finish, action kinds, SLA
 * sums). The complaint admin verifies and forwards within 3 working days — or postpones, archives
 * or marks it outside the platform's authority, each with a reason; the agency's complaint handler
 * posts the follow-up within 5 working days (an agency may set its own number); the complainant
 * accepts it or appeals once, and the agency's supervisor answers the appeal; a report closes
 * itself 10 working days after a follow-up when nobody replies.
 *
 * The engine's terminal outcomes are reused with the meaning they have here: `approved` — the
 * report was handled to the end (closed); `rejected` — the platform did not take it up.
 */
import { Ajv } from 'ajv';
import type { Problem } from '../catalog/problems.ts';
import { serviceDefinitionJsonSchema } from '../catalog/schemas.ts';
import { translateErrors } from '../catalog/structure.ts';
import { workflowProblems } from '../catalog/workflow-checks.ts';
import { type ComplaintState, ComplaintWorkflow } from './schemas.ts';

/** Working days the platform's complaint admin has to verify a report. */
export const VERIFY_DAYS = 3;
/** Working days an agency has for its follow-up unless it set its own. */
export const DEFAULT_FOLLOW_UP_DAYS = 5;
/** The range an agency may choose for its follow-up. */
export const FOLLOW_UP_DAYS_RANGE = { min: 1, max: 30 } as const;
/** Working days after a follow-up after which a report nobody replied to closes itself. */
export const AUTO_CLOSE_DAYS = 10;
/**
 * The overall completion time the per-state SLAs are checked against: verification (3), forwarding
 * (1), the follow-up (5) and the answer to an appeal (5).
 */
export const COMPLETION_DAYS = 14;

/** States whose deadline is the agency's follow-up time. */
export const AGENCY_STATES = ['disposed', 'appealed'] as const;

export const COMPLAINT_WORKFLOW: ComplaintWorkflow = {
  startState: 'received',
  states: [
    {
      key: 'received',
      label: { id: 'Diterima, menunggu verifikasi', en: 'Received, awaiting verification' },
      applicantCanEdit: false,
      slaRuns: true,
      slaDays: VERIFY_DAYS,
    },
    {
      key: 'postponed',
      label: { id: 'Ditunda', en: 'Postponed' },
      applicantCanEdit: false,
      slaRuns: false,
    },
    {
      key: 'verified',
      label: { id: 'Terverifikasi, menunggu disposisi', en: 'Verified, awaiting forwarding' },
      applicantCanEdit: false,
      slaRuns: true,
      slaDays: 1,
    },
    {
      key: 'disposed',
      label: { id: 'Didisposisikan ke instansi', en: 'Forwarded to the agency' },
      applicantCanEdit: false,
      slaRuns: true,
      slaDays: DEFAULT_FOLLOW_UP_DAYS,
    },
    {
      key: 'answered',
      label: { id: 'Ditindaklanjuti, menunggu tanggapan pelapor', en: 'Followed up, awaiting your reply' },
      applicantCanEdit: false,
      slaRuns: false,
    },
    {
      key: 'appealed',
      label: { id: 'Keberatan, ditangani atasan', en: 'Appealed, with the supervisor' },
      applicantCanEdit: false,
      slaRuns: true,
      slaDays: DEFAULT_FOLLOW_UP_DAYS,
    },
    {
      key: 'closed',
      label: { id: 'Selesai', en: 'Closed' },
      applicantCanEdit: false,
      slaRuns: false,
      terminal: 'approved',
    },
    {
      key: 'not_authority',
      label: { id: 'Bukan kewenangan', en: 'Not within our authority' },
      applicantCanEdit: false,
      slaRuns: false,
      terminal: 'rejected',
    },
    {
      key: 'archived',
      label: { id: 'Diarsipkan', en: 'Archived' },
      applicantCanEdit: false,
      slaRuns: false,
      terminal: 'rejected',
    },
  ],
  actions: [
    {
      key: 'verify',
      label: { id: 'Verifikasi', en: 'Verify' },
      from: ['received', 'postponed'],
      to: 'verified',
      roles: ['complaint_admin'],
    },
    {
      key: 'postpone',
      label: { id: 'Tunda', en: 'Postpone' },
      from: ['received', 'verified'],
      to: 'postponed',
      roles: ['complaint_admin'],
      requiresComment: true,
    },
    {
      key: 'dispose',
      label: { id: 'Disposisikan ke instansi', en: 'Forward to the agency' },
      from: ['received', 'postponed', 'verified'],
      to: 'disposed',
      roles: ['complaint_admin'],
    },
    {
      key: 'not_authority',
      label: { id: 'Bukan kewenangan', en: 'Not within our authority' },
      from: ['received', 'postponed', 'verified'],
      to: 'not_authority',
      roles: ['complaint_admin'],
      requiresComment: true,
      kind: 'reject',
    },
    {
      key: 'archive',
      label: { id: 'Arsipkan', en: 'Archive' },
      from: ['received', 'postponed', 'verified'],
      to: 'archived',
      roles: ['complaint_admin'],
      requiresComment: true,
      kind: 'reject',
    },
    {
      key: 'return_to_admin',
      label: { id: 'Kembalikan ke admin pengaduan', en: 'Return to the complaint admin' },
      from: 'disposed',
      to: 'verified',
      roles: ['complaint_handler', 'supervisor'],
      requiresComment: true,
    },
    {
      key: 'follow_up',
      label: { id: 'Kirim tindak lanjut', en: 'Post the follow-up' },
      from: 'disposed',
      to: 'answered',
      roles: ['complaint_handler'],
      requiresComment: true,
    },
    {
      key: 'accept',
      label: { id: 'Terima tindak lanjut', en: 'Accept the follow-up' },
      from: 'answered',
      to: 'closed',
      roles: ['complainant'],
      kind: 'approve',
    },
    {
      key: 'appeal',
      label: { id: 'Ajukan keberatan', en: 'Appeal' },
      from: 'answered',
      to: 'appealed',
      roles: ['complainant'],
      requiresComment: true,
    },
    {
      key: 'answer_appeal',
      label: { id: 'Kirim tindak lanjut atas keberatan', en: 'Answer the appeal' },
      from: 'appealed',
      to: 'answered',
      roles: ['supervisor'],
      requiresComment: true,
    },
    {
      key: 'auto_close',
      label: { id: 'Ditutup otomatis', en: 'Closed automatically' },
      from: 'answered',
      to: 'closed',
      roles: ['system'],
      kind: 'approve',
    },
  ],
};

/** Actions whose comment is the agency's answer (shown to the complainant and, when public, to all). */
export const ANSWER_ACTIONS: readonly string[] = ['follow_up', 'answer_appeal'];

export function complaintState(key: string): ComplaintState | undefined {
  return COMPLAINT_WORKFLOW.states.find((s) => s.key === key);
}

/** The state as it runs for an agency: its own follow-up time in the states that are the agency's. */
export function stateForAgency(state: ComplaintState, followUpDays: number): ComplaintState {
  return (AGENCY_STATES as readonly string[]).includes(state.key)
    ? { ...state, slaDays: followUpDays }
    : state;
}

/**
 * Every problem of the complaint workflow under the service definitions' rules: its structure
 * (the definition schema's parts, complaint roles) and the workflow checks, with the completion time
 * above as the standard the SLA sums are held to.
 */
export function complaintWorkflowProblems(workflow: unknown = COMPLAINT_WORKFLOW): Problem[] {
  const json = JSON.parse(JSON.stringify(ComplaintWorkflow));
  const validate = new Ajv({ allErrors: true, discriminator: true, inlineRefs: false }).compile({
    ...json,
    $defs: serviceDefinitionJsonSchema().$defs,
  });
  const structural = validate(workflow) ? [] : translateErrors(validate.errors ?? []);
  return [...structural, ...workflowProblems({ standard: { completionDays: COMPLETION_DAYS }, workflow })];
}
