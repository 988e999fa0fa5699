import type { Generated } from 'kysely';

/**
 * The one typed view of every table. Conventions on both engines: ids are UUIDv7 text,
 * timestamps are ISO-8601 UTC text (fixed width, so they sort as text), booleans are 0/1
 * integers, JSON is text, binary is BLOB/BYTEA (a Buffer in Node).
 */
export interface Database {
  gapura_migrations: { id: string; applied_at: string };
  settings: { key: string; value: string };
  agencies: {
    id: string;
    slug: string;
    code: string;
    name_id: string;
    name_en: string;
    timezone: string;
    /** The agency's data protection officer (UU 27/2022 art. 53): a work contact, shown to the public. */
    dpo_name: string | null;
    dpo_email: string | null;
    dpo_phone: string | null;
    created_at: string;
  };
  units: {
    id: string;
    agency_id: string;
    slug: string;
    name_id: string;
    name_en: string;
    created_at: string;
  };
  data_keys: {
    id: string;
    scope: string;
    purpose: string;
    wrapped: Buffer;
    is_demo: number;
    created_at: string;
    retired_at: string | null;
  };
  users: {
    id: string;
    kind: 'citizen' | 'staff';
    email_bidx: string | null;
    email_enc: string | null;
    name_enc: string;
    password_hash: string;
    totp_secret_enc: string | null;
    totp_last_step: number | null;
    /** When the staff member proved their authenticator works; until then sign-in shows the QR code. */
    totp_enrolled_at: string | null;
    phone_bidx: string | null;
    phone_enc: string | null;
    nik_bidx: string | null;
    nik_enc: string | null;
    /** Citizens start unverified until they enter the code sent to their e-mail or phone. */
    status: 'unverified' | 'active' | 'suspended' | 'closed';
    is_demo: number;
    created_at: string;
    /** When the citizen closed the account; its personal data is gone from then on. */
    closed_at: string | null;
  };
  role_grants: {
    id: string;
    user_id: string;
    role: string;
    agency_id: string | null;
    unit_id: string | null;
    granted_by: string | null;
    created_at: string;
    revoked_at: string | null;
  };
  sessions: {
    id: string;
    user_id: string;
    stage: 'second_factor' | 'active';
    created_at: string;
    last_seen_at: string;
    expires_at: string;
  };
  rate_limits: { key: string; window_start: string; hits: number };
  outbox: {
    id: string;
    topic: string;
    payload: string;
    status: 'pending' | 'done' | 'dead';
    attempts: number;
    available_at: string;
    lease_until: string | null;
    last_error: string | null;
    created_at: string;
    done_at: string | null;
  };
  audit_leaves: {
    id: string;
    seq: Generated<number | null>;
    content: Buffer;
    created_at: string;
    sequenced_at: string | null;
    /** The record the leaf is about (also in its content), for finding a record's events. */
    subject_id: string | null;
  };
  audit_salts: { leaf_id: string; salt: Buffer };
  audit_nodes: { level: number; idx: number; hash: Buffer };
  audit_heads: { tree_size: number; root_hash: Buffer; timestamp: string; signature: Buffer; key_id: string };
  signing_keys: {
    id: string;
    purpose: string;
    /** SubjectPublicKeyInfo DER. */
    public_key: Buffer;
    /** PKCS#8 DER sealed with the master key. */
    private_key_enc: Buffer;
    created_at: string;
    not_after: string;
    retired_at: string | null;
  };
  recovery_codes: {
    id: string;
    user_id: string;
    code_hash: string;
    created_at: string;
    used_at: string | null;
  };
  verification_codes: {
    id: string;
    user_id: string;
    purpose: 'verify' | 'recover';
    code_hash: string;
    expires_at: string;
    created_at: string;
    used_at: string | null;
  };
  holidays: {
    id: string;
    date: string;
    kind: 'national' | 'cuti_bersama' | 'regional';
    name_id: string;
    name_en: string;
    /** Set for a regional holiday of one agency's region; null for the whole country. */
    agency_id: string | null;
    created_by: string | null;
    created_at: string;
  };
  notifications: {
    id: string;
    user_id: string | null;
    channel: 'in_app' | 'email' | 'sms';
    template: string;
    lang: 'id' | 'en';
    recipient_enc: string | null;
    subject_enc: string;
    body_enc: string;
    status: 'pending' | 'sent';
    created_at: string;
    sent_at: string | null;
    read_at: string | null;
  };
  demo_mailbox: {
    id: string;
    notification_id: string;
    channel: 'email' | 'sms';
    recipient_enc: string;
    subject_enc: string;
    body_enc: string;
    created_at: string;
  };
  services: {
    id: string;
    agency_id: string;
    slug: string;
    created_by: string | null;
    created_at: string;
  };
  service_versions: {
    id: string;
    service_id: string;
    version: number;
    status: 'draft' | 'published' | 'retired';
    /** The whole definition as JSON text; a draft may not validate yet. */
    definition: string;
    name_id: string;
    name_en: string;
    category: string;
    completion_days: number | null;
    /** 0 for a free service; null while a draft does not say. */
    fee_rupiah: number | null;
    created_by: string | null;
    created_at: string;
    updated_by: string | null;
    updated_at: string;
    published_by: string | null;
    published_at: string | null;
    retired_by: string | null;
    retired_at: string | null;
  };
  applications: {
    id: string;
    agency_id: string;
    service_id: string;
    /** The published version the application was started (and filed) under. */
    service_version_id: string;
    /** The account that files; null for a walk-in citizen filed at a counter. */
    applicant_id: string | null;
    /** The counter officer who filed it on the citizen's behalf. */
    assisted_by: string | null;
    stage: 'draft' | 'active' | 'closed';
    /** The workflow state once submitted. */
    state: string | null;
    outcome: 'approved' | 'rejected' | 'withdrawn' | null;
    /** The answers as JSON, encrypted under the agency's key. */
    answers_enc: string;
    tracking_number: string | null;
    /** The tracking secret printed on the receipt, encrypted (the receipt can be shown again). */
    tracking_secret_enc: string | null;
    /** Who filed it and the Idempotency-Key they sent (`u:<user>:<key>`, `c:<officer>:<key>`). */
    submit_key: string | null;
    consent_version: string | null;
    row_version: number;
    created_at: string;
    updated_at: string;
    submitted_at: string | null;
    /** The overall deadline (working days from submission, the clock paused during revision). */
    due_at: string | null;
    /** The officer who claimed it in the inbox. */
    assigned_to: string | null;
    state_entered_at: string | null;
    /** The current state's own deadline; null when its clock does not run. */
    state_due_at: string | null;
    closed_at: string | null;
    /** The officer who saw the applicant's KTP-el (services requiring counter_verified identity). */
    identity_verified_by: string | null;
    identity_verified_at: string | null;
    /** 1 while the application waits in a state whose SLA clock does not run. */
    sla_paused: Generated<number>;
  };
  application_events: {
    id: string;
    application_id: string;
    kind: 'created' | 'submitted' | 'action' | 'revised' | 'identity_verified';
    action: string | null;
    from_state: string | null;
    to_state: string | null;
    actor_id: string | null;
    comment_enc: string | null;
    /** JSON array of field keys the officer asked the applicant to fix. */
    flagged_fields: string | null;
    /** The document an action required (an upload id). */
    attachment_id: string | null;
    created_at: string;
  };
  /** Every view of an application's personal data by staff: who, when, which classes and fields. */
  access_log: {
    id: string;
    application_id: string;
    viewer_id: string;
    /** Comma-separated classifications shown, e.g. `personal,specific`. */
    classes: string;
    /** JSON array of the field keys shown. */
    fields: string;
    viewed_at: string;
  };
  /** Escalations already sent to supervisors, one per application, deadline and level. */
  application_escalations: {
    application_id: string;
    deadline_kind: 'state' | 'overall';
    deadline: string;
    level: 'due_soon' | 'overdue';
    created_at: string;
  };
  // Issued documents (src/documents)
  documents: {
    id: string;
    agency_id: string;
    /** The application the document answers; no foreign key, the documents module stands alone. */
    application_id: string;
    /** Readable and unique, e.g. DKP/2026/000123. */
    number: string;
    /** The canonical content, encrypted under the agency scope (printed fields are personal data). */
    content_enc: string;
    content_sha256: string;
    key_id: string;
    /** Signature over the canonical content (the one the QR code carries). */
    signature: Buffer;
    /** The signed PDF, base64, encrypted under the agency scope. */
    pdf_enc: string;
    pdf_sha256: string;
    status: 'valid' | 'revoked';
    revoked_reason: string | null;
    revoked_by: string | null;
    revoked_at: string | null;
    issued_by: string | null;
    issued_at: string;
  };
  document_counters: { agency_id: string; year: number; last_seq: number };
  attachments: {
    id: string;
    agency_id: string;
    /** Null while staged by a counter officer before the application is filed. */
    application_id: string | null;
    uploader_id: string;
    field_key: string;
    /** HMAC of the content under the agency's key. */
    content_name: string;
    mime: string;
    size: number;
    sha256_enc: string;
    data_enc: Buffer;
    created_at: string;
  };
  // The citizen's privacy rights (src/privacy)
  /** The people an application is about, by the blind index of a NIK it carries. */
  application_subjects: { application_id: string; nik_bidx: string; field_key: string; created_at: string };
  /** Consent records: the submission statement (with its application) and optional uses. */
  consents: {
    id: string;
    /** Null for a walk-in citizen who consented at a counter. */
    user_id: string | null;
    purpose: string;
    version: string;
    application_id: string | null;
    given_at: string;
    withdrawn_at: string | null;
  };
  /** Correction and deletion requests; corrections wait for the agency admin. */
  privacy_requests: {
    id: string;
    kind: 'correction' | 'deletion';
    user_id: string;
    agency_id: string;
    application_id: string;
    /** What the citizen says is wrong, encrypted under the agency scope. */
    details_enc: string | null;
    /** For deletion: what was done (`erased`, `restricted`, `discarded`). */
    outcome: string | null;
    status: 'open' | 'handled';
    created_at: string;
    handled_by: string | null;
    handled_at: string | null;
    note_enc: string | null;
  };
  /** Restriction (under retention) or erasure (after it) of an application's personal data. */
  application_privacy: {
    application_id: string;
    restricted_at: string | null;
    restricted_until: string | null;
    erased_at: string | null;
  };
  // Staff management and API tokens (src/staff)
  /** Tokens of agency systems: shown once, only an HMAC of the secret kept; each acts as its own service account. */
  api_tokens: {
    id: string;
    agency_id: string;
    /** The token's service account: the actor of what the token does. */
    user_id: string;
    name: string;
    /** Comma-separated scopes, e.g. `applications:read,applications:act`. */
    scopes: string;
    secret_hash: string;
    created_by: string;
    created_at: string;
    expires_at: string;
    last_used_at: string | null;
    revoked_by: string | null;
    revoked_at: string | null;
  };
  // Satisfaction survey, SKM (src/survey)
  /** One response per application: the nine answers (1–4, u1–u9 in the regulation's order) and a comment. */
  survey_responses: {
    id: string;
    application_id: string;
    agency_id: string;
    service_id: string;
    channel: 'online' | 'counter';
    u1: number;
    u2: number;
    u3: number;
    u4: number;
    u5: number;
    u6: number;
    u7: number;
    u8: number;
    u9: number;
    /** The optional comment, encrypted under the agency's key (it may name people). */
    comment_enc: string | null;
    answered_at: string;
  };
  /** The population served that an agency admin entered, per service and period (`2026`, `2026-Q1`, `2026-03`). */
  survey_populations: {
    service_id: string;
    period: string;
    population: number;
    entered_by: string;
    entered_at: string;
  };
  // Complaints, SP4N-LAPOR! (src/complaints)
  /** A complaint's current state (a projection of its events); who filed it is never in clear. */
  complaints: {
    id: string;
    /** Readable and unique, e.g. ADU-26-7KQ4-M9X3 (the tracking-number scheme). */
    number: string;
    /** The tracking secret printed on the receipt, encrypted. */
    secret_enc: string;
    mode: 'named' | 'confidential' | 'anonymous';
    /** Blind index of the filing account (lists one's own complaints); null for a guest. */
    owner_bidx: string | null;
    /** The filing account's id, encrypted (for notifications). */
    owner_enc: string | null;
    /** A guest's name and contact (JSON), encrypted; null for an account or an anonymous report. */
    reporter_enc: string | null;
    /** Blind index of who filed (account, contact or address) with the normalised text: duplicates. */
    dedupe_bidx: string;
    report_type: 'aspirasi' | 'pengaduan' | 'permintaan_informasi';
    category:
      | 'service_quality'
      | 'staff_conduct'
      | 'fees'
      | 'completion_time'
      | 'requirements'
      | 'facilities'
      | 'information'
      | 'other';
    subject_kind: 'service' | 'agency' | 'application';
    service_id: string | null;
    application_id: string | null;
    /** The agency the complainant named (directly, or through the service or application). */
    target_agency_id: string | null;
    /** The agency the complaint admin disposed it to. */
    agency_id: string | null;
    /** Kemendagri region code (dotted) where it happened. */
    region_code: string | null;
    text_enc: string;
    /** The text as published, after staff removed personal data; null while unpublished. */
    public_text_enc: string | null;
    /** 1 when the complainant allows publishing. */
    may_publish: number;
    published_at: string | null;
    lang: 'id' | 'en';
    state: string;
    row_version: number;
    appeals: number;
    follow_ups: number;
    created_at: string;
    updated_at: string;
    state_entered_at: string;
    state_due_at: string | null;
    /** When an answered complaint closes itself if nobody replies. */
    auto_close_at: string | null;
    disposed_at: string | null;
    closed_at: string | null;
  };
  complaint_events: {
    id: string;
    complaint_id: string;
    kind: 'filed' | 'action' | 'redacted';
    action: string | null;
    from_state: string | null;
    to_state: string | null;
    /** Staff who acted; null for the complainant and the system. */
    actor_id: string | null;
    actor_role: 'complainant' | 'complaint_admin' | 'complaint_handler' | 'supervisor' | 'system';
    /** The agency a disposition named. */
    agency_id: string | null;
    /** Reason, answer or appeal, encrypted. */
    comment_enc: string | null;
    created_at: string;
  };
  complaint_attachments: {
    id: string;
    complaint_id: string;
    content_name: string;
    mime: string;
    size: number;
    sha256_enc: string;
    data_enc: Buffer;
    created_at: string;
  };
  complaint_escalations: {
    complaint_id: string;
    deadline: string;
    level: 'due_soon' | 'overdue';
    created_at: string;
  };
  complaint_agency_settings: {
    agency_id: string;
    follow_up_days: number;
    updated_by: string | null;
    updated_at: string;
  };
}
