import type { APIRequestContext, Browser, BrowserContext } from 'playwright-core';
import { demoDefinitionFiles, readDefinitionFile } from '../../src/catalog/files.ts';
import type { ServiceDefinition } from '../../src/catalog/schemas.ts';
import { validateDefinition } from '../../src/catalog/validate.ts';
import type { StaffRole } from '../../src/identity/roles.ts';
import type { BrowserFixture } from '../helpers/browser.ts';

/**
 * The records behind the pages with an id in their path (applications in each stage, a document,
 * a counter filing, a staff member, a complaint), made through the real server's API by the demo
 * accounts, as people would make them.
 */

export type SignedInRole = 'citizen' | StaffRole;

/** The first bytes of a PNG file: uploads are checked by content. */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
export const KK = 'pembaruan-kartu-keluarga';
/** A Family Card application for a lost card: its one file is the police report. */
const KK_ANSWERS = {
  pemohon_nik: '3373046804900002',
  pemohon_nama: 'Dewi Kartika',
  pemohon_hp: '0813-2222-3333',
  nomor_kk: '3373040101200001',
  alasan: 'hilang',
};

export interface Records {
  services: ServiceDefinition[];
  /** One empty draft per demo service, for every section page of every form. */
  drafts: Array<{ slug: string; id: string; sections: number }>;
  /** A Family Card draft with every answer and its upload, for the review page. */
  filledDraft: string;
  submitted: string;
  revision: string;
  issued: string;
  documentId: string;
  rejected: string;
  withdrawn: string;
  counterDraft: { id: string; sections: number };
  counterFiled: string;
  staffMember: string;
  /** A named complaint the citizen filed about the Family Card service. */
  complaint: { id: string; number: string };
}

/** Reads a path out of a JSON answer. */
function field(value: unknown, ...names: Array<string | number>): unknown {
  let current = value;
  for (const name of names) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Reflect.get(current, name);
  }
  return current;
}

function text(value: unknown, ...names: Array<string | number>): string {
  const found = field(value, ...names);
  if (typeof found !== 'string') throw new Error(`no text at ${names.join('.')}`);
  return found;
}

function integer(value: unknown, ...names: Array<string | number>): number {
  const found = field(value, ...names);
  if (typeof found !== 'number') throw new Error(`no number at ${names.join('.')}`);
  return found;
}

/** A signed-in visitor: their browser context, and JSON calls to the real server with its cookies. */
export class Session {
  constructor(
    readonly context: BrowserContext,
    readonly base: string,
    readonly csrf: string,
  ) {}

  private async answer(response: Awaited<ReturnType<APIRequestContext['get']>>, what: string) {
    if (!response.ok()) throw new Error(`${what}: ${response.status()} ${await response.text()}`);
    return (response.headers()['content-type'] ?? '').startsWith('application/json') ? response.json() : {};
  }

  async get(path: string): Promise<unknown> {
    return this.answer(await this.context.request.get(`${this.base}${path}`), `GET ${path}`);
  }

  async send(method: 'POST' | 'PATCH', path: string, data: unknown, headers: Record<string, string> = {}) {
    const response = await this.context.request.fetch(`${this.base}${path}`, {
      method,
      data,
      headers: { 'x-csrf-token': this.csrf, ...headers },
    });
    return this.answer(response, `${method} ${path}`);
  }

  async upload(applicationId: string, fieldKey: string): Promise<string> {
    const response = await this.context.request.post(
      `${this.base}/api/v1/applications/${applicationId}/uploads?field=${fieldKey}`,
      {
        headers: { 'x-csrf-token': this.csrf },
        multipart: { file: { name: 'berkas.png', mimeType: 'image/png', buffer: PNG } },
      },
    );
    return text(await this.answer(response, 'upload'), 'id');
  }

  /** A page form (the CSRF token in the body), following the redirect; returns where it ended. */
  async form(path: string): Promise<string> {
    const response = await this.context.request.post(`${this.base}${path}`, { form: { _csrf: this.csrf } });
    await this.answer(response, `POST ${path}`);
    return new URL(response.url()).pathname;
  }
}

function staffAccount(fixture: BrowserFixture, role: StaffRole) {
  return role === 'platform_admin' || role === 'complaint_admin'
    ? fixture.account(role)
    : fixture.account(role, 'disdukcapil');
}

/** Signs in through the JSON API (password, then the TOTP code for staff) in a context of its own. */
export async function signIn(
  browser: Browser,
  fixture: BrowserFixture,
  role: SignedInRole,
): Promise<Session> {
  const account = role === 'citizen' ? fixture.account('citizen') : staffAccount(fixture, role);
  const context = await browser.newContext();
  const first = await context.request.post(`${fixture.url}/api/v1/auth/signin`, {
    data: { contact: account.email, password: account.password },
  });
  let answer: unknown = await first.json();
  if (text(answer, 'stage') === 'second_factor') {
    const second = await context.request.post(`${fixture.url}/api/v1/auth/second-factor`, {
      data: { code: await fixture.totp(account.email) },
    });
    answer = await second.json();
  }
  return new Session(context, fixture.url, text(answer, 'csrfToken'));
}

/** Every demo service's definition, read from the files the demo loads. */
function demoServices(): ServiceDefinition[] {
  return demoDefinitionFiles().map((file) => {
    const parsed = readDefinitionFile(file);
    const checked = parsed.ok ? validateDefinition(parsed.value) : undefined;
    if (!checked?.ok) throw new Error(`demo service ${file} does not validate`);
    return checked.definition;
  });
}

async function draftOf(citizen: Session, slug: string): Promise<string> {
  return text(await citizen.send('POST', '/api/v1/applications', { service: slug }), 'id');
}

/** A Family Card draft with every answer and the police report uploaded. */
async function filledDraft(citizen: Session): Promise<string> {
  const id = await draftOf(citizen, KK);
  const upload = await citizen.upload(id, 'dok_surat_kehilangan');
  await citizen.send('PATCH', `/api/v1/applications/${id}/answers`, {
    answers: { ...KK_ANSWERS, dok_surat_kehilangan: [upload] },
  });
  return id;
}

async function filed(citizen: Session): Promise<{ id: string; rowVersion: number }> {
  const id = await filledDraft(citizen);
  await citizen.send('POST', `/api/v1/applications/${id}/submit`, { consent: true });
  return { id, rowVersion: integer(await citizen.get(`/api/v1/applications/${id}`), 'rowVersion') };
}

/** A workflow action through the API; returns the application's new version. */
async function act(
  actor: Session,
  id: string,
  rowVersion: number,
  action: string,
  extra: { comment?: string; flaggedFields?: string[] } = {},
): Promise<number> {
  const answer = await actor.send('POST', `/api/v1/applications/${id}/actions`, {
    action,
    rowVersion,
    ...extra,
  });
  return integer(answer, 'rowVersion');
}

/** The records behind every page with an id in its path, made through the API as people would. */
export async function createRecords(sessions: Map<SignedInRole, Session>): Promise<Records> {
  const as = (role: SignedInRole): Session => {
    const session = sessions.get(role);
    if (!session) throw new Error(`no session for ${role}`);
    return session;
  };
  const citizen = as('citizen');
  const verifier = as('verifier');
  const approver = as('approver');
  const services = demoServices();
  const drafts = [];
  for (const service of services)
    drafts.push({
      slug: service.slug,
      id: await draftOf(citizen, service.slug),
      sections: service.form.sections.length,
    });

  const submitted = await filed(citizen);
  const revision = await filed(citizen);
  await act(verifier, revision.id, revision.rowVersion, 'kembalikan', {
    comment: 'Nomor KK tidak ditemukan di SIAK. Periksa lagi nomornya.',
    flaggedFields: ['nomor_kk'],
  });
  const issued = await filed(citizen);
  const verified = await verifier.send('POST', `/api/v1/applications/${issued.id}/identity-verified`, {});
  let version = await act(verifier, issued.id, integer(verified, 'rowVersion'), 'verifikasi');
  version = await act(verifier, issued.id, version, 'data_dimutakhirkan');
  await act(approver, issued.id, version, 'tandatangani');
  const documents = await citizen.get(`/api/v1/applications/${issued.id}/documents`);
  const rejected = await filed(citizen);
  await act(approver, rejected.id, rejected.rowVersion, 'tolak', {
    comment: 'Data tidak sesuai dengan SIAK.',
  });
  const withdrawn = await filed(citizen);
  await act(citizen, withdrawn.id, withdrawn.rowVersion, 'batalkan', { comment: 'Salah memilih layanan.' });

  const counter = as('counter_officer');
  const counterStart = await counter.form(`/counter/${KK}/start`);
  const counterFiled = await counter.send(
    'POST',
    '/api/v1/counter/applications',
    // The counter scans the paper later; a well-formed upload id stands in for it here.
    {
      service: KK,
      answers: { ...KK_ANSWERS, dok_surat_kehilangan: ['0190f5a2-3c4d-7e8f-9a0b-1c2d3e4f5a6d'] },
      consent: true,
    },
    { 'idempotency-key': 'all-pages-counter-1' },
  );
  const complaint = await citizen.send('POST', '/api/v1/complaints', {
    mode: 'named',
    reportType: 'pengaduan',
    category: 'service_quality',
    subject: { kind: 'service', ref: KK },
    text: 'Permohonan KK saya belum diproses lebih dari seminggu, padahal janjinya tiga hari kerja.',
    mayPublish: true,
  });
  const staff = await as('agency_admin').get('/api/v1/admin/staff');
  const members = field(staff, 'items');
  const member = Array.isArray(members)
    ? members.find((m) => text(m, 'email') === `verifikator.disdukcapil@sukamaju.example`)
    : undefined;
  return {
    services,
    drafts,
    filledDraft: await filledDraft(citizen),
    submitted: submitted.id,
    revision: revision.id,
    issued: issued.id,
    documentId: text(documents, 'items', 0, 'id'),
    rejected: rejected.id,
    withdrawn: withdrawn.id,
    counterDraft: {
      id: counterStart.split('/')[3] ?? '',
      sections: services.find((s) => s.slug === KK)?.form.sections.length ?? 0,
    },
    counterFiled: text(counterFiled, 'id'),
    staffMember: text(member, 'id'),
    complaint: { id: text(complaint, 'id'), number: text(complaint, 'number') },
  };
}
