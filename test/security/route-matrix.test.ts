import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Opened } from '../../src/app.ts';
import { type DemoAccount, seedDemo } from '../../src/demo/seed.ts';
import type { StaffRole } from '../../src/identity/roles.ts';
import { findUserIdByEmail, openSession, sessionIdOf } from '../../src/identity/service.ts';
import { csrfTokenFor } from '../../src/web/http.ts';
import { type App, buildServer, routesOf } from '../../src/web/server.ts';
import { ENGINES, type FreshDatabase, freshDatabase, onEngine, openTestContext } from '../helpers/engines.ts';

/**
 * Who may reach a route, written independently of the code's own policies. `ownAgency` limits the
 * roles to staff of the agency the URL names (the demo's disdukcapil): the others are refused.
 */
type Access = 'anyone' | 'signed_in' | 'citizen' | readonly StaffRole[] | { ownAgency: readonly StaffRole[] };

/** A well-formed application id that exists nowhere: callers who may use the route get 404. */
const UNKNOWN_ID = '0190f5a2-3c4d-7e8f-9a0b-1c2d3e4f5a6b';

/**
 * Every route of the running server and who may reach it. A route missing here fails the test,
 * so nobody adds an endpoint without deciding who may call it. `url` fills path parameters.
 */
const EXPECTED: Record<string, { access: Access; url?: string }> = {
  'GET /healthz': { access: 'anyone' },
  'GET /readyz': { access: 'anyone' },
  'GET /api/openapi.json': { access: 'anyone' },
  'GET /lang/:lang': { access: 'anyone', url: '/lang/en' },
  'GET /': { access: 'anyone' },
  'GET /static/*': { access: 'anyone', url: '/static/gapura.css' },
  'HEAD /static/*': { access: 'anyone', url: '/static/gapura.css' },
  'GET /api/v1/agencies': { access: 'anyone' },
  'POST /api/v1/agencies': { access: ['platform_admin'] },
  'PUT /api/v1/agencies/:slug/dpo': {
    access: ['platform_admin'],
    url: '/api/v1/agencies/no-such-agency/dpo',
  },
  'GET /api/v1/audit/sth': { access: 'anyone' },
  'GET /api/v1/audit/sth/:size': { access: 'anyone', url: '/api/v1/audit/sth/1' },
  'GET /api/v1/audit/heads': { access: 'anyone' },
  'GET /api/v1/audit/proof/inclusion': {
    access: 'anyone',
    url: '/api/v1/audit/proof/inclusion?leaf_index=0&tree_size=1',
  },
  'GET /api/v1/audit/proof/consistency': {
    access: 'anyone',
    url: '/api/v1/audit/proof/consistency?first=0&second=0',
  },
  'GET /api/v1/audit/leaves': { access: 'anyone', url: '/api/v1/audit/leaves?start=0&end=10' },
  'GET /api/v1/audit/keys': { access: 'anyone' },
  'GET /api/v1/holidays': { access: 'anyone', url: '/api/v1/holidays?year=2026' },
  'POST /api/v1/holidays': { access: ['platform_admin'] },
  'DELETE /api/v1/holidays/:id': { access: ['platform_admin'], url: '/api/v1/holidays/unknown-id' },
  'POST /api/v1/auth/signin': { access: 'anyone' },
  'POST /api/v1/auth/second-factor': { access: 'anyone' },
  'GET /api/v1/auth/enrolment': { access: 'anyone' },
  'POST /api/v1/auth/signout': { access: 'signed_in' },
  'GET /api/v1/me': { access: 'signed_in' },
  'GET /signin': { access: 'anyone' },
  'POST /signin': { access: 'anyone' },
  'GET /signin/code': { access: 'anyone' },
  'POST /signin/code': { access: 'anyone' },
  'GET /account': { access: 'signed_in' },
  'POST /signout': { access: 'signed_in' },
  'GET /admin/mailbox': { access: ['platform_admin'] },
  'POST /api/v1/auth/register': { access: 'anyone' },
  'POST /api/v1/auth/verify': { access: 'anyone' },
  'POST /api/v1/auth/recover': { access: 'anyone' },
  'POST /api/v1/auth/recover/confirm': { access: 'anyone' },
  'GET /register': { access: 'anyone' },
  'POST /register': { access: 'anyone' },
  'GET /register/verify': { access: 'anyone' },
  'POST /register/verify': { access: 'anyone' },
  'GET /recover': { access: 'anyone' },
  'POST /recover': { access: 'anyone' },
  'GET /recover/confirm': { access: 'anyone' },
  'POST /recover/confirm': { access: 'anyone' },
  'GET /services': { access: 'anyone' },
  'GET /services/:slug': { access: 'anyone', url: '/services/sktm' },
  'GET /admin/services': { access: ['agency_admin'] },
  'GET /admin/services/new': { access: ['agency_admin'] },
  'POST /admin/services/new': { access: ['agency_admin'] },
  'GET /admin/services/:slug': {
    access: { ownAgency: ['agency_admin'] },
    url: '/admin/services/akta-kelahiran',
  },
  'GET /admin/services/:slug/edit/:part': {
    access: { ownAgency: ['agency_admin'] },
    url: '/admin/services/akta-kelahiran/edit/identity',
  },
  'POST /admin/services/:slug/edit/:part': {
    access: { ownAgency: ['agency_admin'] },
    url: '/admin/services/akta-kelahiran/edit/identity',
  },
  'GET /admin/services/:slug/preview': {
    access: { ownAgency: ['agency_admin'] },
    url: '/admin/services/akta-kelahiran/preview',
  },
  'POST /admin/services/:slug/publish': {
    access: { ownAgency: ['agency_admin'] },
    url: '/admin/services/akta-kelahiran/publish',
  },
  'GET /admin/services/:slug/retire': {
    access: { ownAgency: ['agency_admin'] },
    url: '/admin/services/akta-kelahiran/retire',
  },
  'POST /admin/services/:slug/retire': {
    access: { ownAgency: ['agency_admin'] },
    url: '/admin/services/akta-kelahiran/retire',
  },
  'GET /admin/services/:slug/compare': {
    access: { ownAgency: ['agency_admin'] },
    url: '/admin/services/akta-kelahiran/compare?from=1&to=1',
  },
  'GET /api/v1/schemas/service-definition.json': { access: 'anyone' },
  'POST /api/v1/applications': { access: 'citizen' },
  'GET /api/v1/applications': { access: 'citizen' },
  'GET /api/v1/applications/:id': { access: 'citizen', url: `/api/v1/applications/${UNKNOWN_ID}` },
  'PATCH /api/v1/applications/:id/answers': {
    access: 'citizen',
    url: `/api/v1/applications/${UNKNOWN_ID}/answers`,
  },
  'POST /api/v1/applications/:id/submit': {
    access: 'citizen',
    url: `/api/v1/applications/${UNKNOWN_ID}/submit`,
  },
  'GET /api/v1/applications/:id/receipt': {
    access: 'citizen',
    url: `/api/v1/applications/${UNKNOWN_ID}/receipt`,
  },
  'POST /api/v1/track': { access: 'anyone' },
  'POST /api/v1/counter/applications': { access: ['counter_officer'] },
  'POST /api/v1/applications/link': { access: 'citizen' },
  'POST /api/v1/applications/:id/uploads': {
    access: 'citizen',
    url: `/api/v1/applications/${UNKNOWN_ID}/uploads?field=dok`,
  },
  'GET /api/v1/applications/:id/uploads': {
    access: 'citizen',
    url: `/api/v1/applications/${UNKNOWN_ID}/uploads`,
  },
  'GET /api/v1/applications/:id/uploads/:uploadId': {
    access: 'citizen',
    url: `/api/v1/applications/${UNKNOWN_ID}/uploads/${UNKNOWN_ID}`,
  },
  'DELETE /api/v1/applications/:id/uploads/:uploadId': {
    access: 'citizen',
    url: `/api/v1/applications/${UNKNOWN_ID}/uploads/${UNKNOWN_ID}`,
  },
  'GET /services/:slug/apply': { access: 'anyone', url: '/services/sktm/apply' },
  'POST /services/:slug/apply': { access: 'citizen', url: '/services/sktm/apply' },
  'GET /applications': { access: 'citizen' },
  'GET /applications/:id': { access: 'citizen', url: `/applications/${UNKNOWN_ID}` },
  'GET /applications/:id/sections/:n': { access: 'citizen', url: `/applications/${UNKNOWN_ID}/sections/0` },
  'POST /applications/:id/sections/:n': { access: 'citizen', url: `/applications/${UNKNOWN_ID}/sections/0` },
  'GET /applications/:id/review': { access: 'citizen', url: `/applications/${UNKNOWN_ID}/review` },
  'POST /applications/:id/submit': { access: 'citizen', url: `/applications/${UNKNOWN_ID}/submit` },
  'GET /applications/:id/receipt': { access: 'citizen', url: `/applications/${UNKNOWN_ID}/receipt` },
  'GET /applications/:id/receipt.pdf': { access: 'citizen', url: `/applications/${UNKNOWN_ID}/receipt.pdf` },
  'GET /applications/:id/revision': { access: 'citizen', url: `/applications/${UNKNOWN_ID}/revision` },
  'POST /applications/:id/revision': { access: 'citizen', url: `/applications/${UNKNOWN_ID}/revision` },
  'POST /applications/:id/resubmit': { access: 'citizen', url: `/applications/${UNKNOWN_ID}/resubmit` },
  'GET /applications/:id/withdraw': { access: 'citizen', url: `/applications/${UNKNOWN_ID}/withdraw` },
  'POST /applications/:id/withdraw': { access: 'citizen', url: `/applications/${UNKNOWN_ID}/withdraw` },
  'GET /applications/:id/documents/:documentId.pdf': {
    access: 'citizen',
    url: `/applications/${UNKNOWN_ID}/documents/${UNKNOWN_ID}.pdf`,
  },
  'GET /api/v1/applications/:id/revision': {
    access: 'citizen',
    url: `/api/v1/applications/${UNKNOWN_ID}/revision`,
  },
  'PATCH /api/v1/applications/:id/revision': {
    access: 'citizen',
    url: `/api/v1/applications/${UNKNOWN_ID}/revision`,
  },
  'GET /api/v1/applications/:id/documents': {
    access: 'citizen',
    url: `/api/v1/applications/${UNKNOWN_ID}/documents`,
  },
  'GET /api/v1/applications/:id/documents/:documentId': {
    access: 'citizen',
    url: `/api/v1/applications/${UNKNOWN_ID}/documents/${UNKNOWN_ID}`,
  },
  'GET /track': { access: 'anyone' },
  'POST /track': { access: 'anyone' },
  'GET /api/v1/inbox': { access: ['counter_officer', 'verifier', 'approver', 'supervisor'] },
  'GET /api/v1/inbox/:id': {
    access: ['counter_officer', 'verifier', 'approver', 'supervisor'],
    url: `/api/v1/inbox/${UNKNOWN_ID}`,
  },
  'POST /api/v1/applications/:id/actions': {
    access: 'signed_in',
    url: `/api/v1/applications/${UNKNOWN_ID}/actions`,
  },
  'POST /api/v1/applications/:id/claim': {
    access: ['counter_officer', 'verifier', 'approver', 'supervisor'],
    url: `/api/v1/applications/${UNKNOWN_ID}/claim`,
  },
  'POST /api/v1/applications/:id/assign': {
    access: ['supervisor'],
    url: `/api/v1/applications/${UNKNOWN_ID}/assign`,
  },
  'POST /api/v1/applications/:id/identity-verified': {
    access: ['counter_officer', 'verifier'],
    url: `/api/v1/applications/${UNKNOWN_ID}/identity-verified`,
  },
  'GET /inbox': { access: ['counter_officer', 'verifier', 'approver', 'supervisor'] },
  'GET /inbox/:id': {
    access: ['counter_officer', 'verifier', 'approver', 'supervisor'],
    url: `/inbox/${UNKNOWN_ID}`,
  },
  'POST /inbox/:id/actions': {
    access: ['counter_officer', 'verifier', 'approver', 'supervisor'],
    url: `/inbox/${UNKNOWN_ID}/actions`,
  },
  'POST /inbox/:id/claim': {
    access: ['counter_officer', 'verifier', 'approver', 'supervisor'],
    url: `/inbox/${UNKNOWN_ID}/claim`,
  },
  'POST /inbox/:id/assign': { access: ['supervisor'], url: `/inbox/${UNKNOWN_ID}/assign` },
  'POST /inbox/:id/identity': {
    access: ['counter_officer', 'verifier'],
    url: `/inbox/${UNKNOWN_ID}/identity`,
  },
  'GET /api/v1/admin/staff': { access: ['agency_admin', 'platform_admin'] },
  'POST /api/v1/admin/staff': { access: ['agency_admin', 'platform_admin'] },
  'PATCH /api/v1/admin/staff/:id': {
    access: ['agency_admin', 'platform_admin'],
    url: `/api/v1/admin/staff/${UNKNOWN_ID}`,
  },
  'DELETE /api/v1/admin/staff/:id': {
    access: ['agency_admin', 'platform_admin'],
    url: `/api/v1/admin/staff/${UNKNOWN_ID}`,
  },
  'GET /api/v1/admin/tokens': { access: ['agency_admin'] },
  'POST /api/v1/admin/tokens': { access: ['agency_admin'] },
  'DELETE /api/v1/admin/tokens/:id': { access: ['agency_admin'], url: `/api/v1/admin/tokens/${UNKNOWN_ID}` },
  'GET /admin/staff': { access: ['agency_admin', 'platform_admin'] },
  'GET /admin/staff/new': { access: ['agency_admin', 'platform_admin'] },
  'POST /admin/staff/new': { access: ['agency_admin', 'platform_admin'] },
  'GET /admin/staff/:id': { access: ['agency_admin', 'platform_admin'], url: `/admin/staff/${UNKNOWN_ID}` },
  'POST /admin/staff/:id/roles': {
    access: ['agency_admin', 'platform_admin'],
    url: `/admin/staff/${UNKNOWN_ID}/roles`,
  },
  'POST /admin/staff/:id/suspend': {
    access: ['agency_admin', 'platform_admin'],
    url: `/admin/staff/${UNKNOWN_ID}/suspend`,
  },
  'POST /admin/staff/:id/reactivate': {
    access: ['agency_admin', 'platform_admin'],
    url: `/admin/staff/${UNKNOWN_ID}/reactivate`,
  },
  'GET /admin/staff/:id/remove': {
    access: ['agency_admin', 'platform_admin'],
    url: `/admin/staff/${UNKNOWN_ID}/remove`,
  },
  'POST /admin/staff/:id/remove': {
    access: ['agency_admin', 'platform_admin'],
    url: `/admin/staff/${UNKNOWN_ID}/remove`,
  },
  'GET /admin/tokens': { access: ['agency_admin'] },
  'POST /admin/tokens': { access: ['agency_admin'] },
  'POST /admin/tokens/:id/revoke': { access: ['agency_admin'], url: `/admin/tokens/${UNKNOWN_ID}/revoke` },
  'GET /admin/platform/agencies': { access: ['platform_admin'] },
  'POST /admin/platform/agencies': { access: ['platform_admin'] },
  'POST /admin/platform/units': { access: ['platform_admin'] },
  'POST /admin/platform/dpo': { access: ['platform_admin'] },
  'GET /admin/platform/holidays': { access: ['platform_admin'] },
  'POST /admin/platform/holidays': { access: ['platform_admin'] },
  'POST /admin/platform/holidays/:id/remove': {
    access: ['platform_admin'],
    url: `/admin/platform/holidays/${UNKNOWN_ID}/remove`,
  },
  'GET /admin/platform/keys': { access: ['platform_admin'] },
  'POST /admin/platform/keys/audit/rotate': { access: ['platform_admin'] },
  'POST /admin/platform/keys/documents/:slug/rotate': {
    access: ['platform_admin'],
    url: `/admin/platform/keys/documents/unknown/rotate`,
  },
  'GET /account/privacy': { access: 'citizen' },
  'GET /account/privacy/export': { access: 'citizen' },
  'POST /account/privacy/correction': { access: 'citizen' },
  'POST /account/privacy/deletion': { access: 'citizen' },
  'POST /account/privacy/close': { access: 'citizen' },
  'POST /account/privacy/consent': { access: 'citizen' },
  'GET /api/v1/me/access-log': { access: 'citizen' },
  'GET /api/v1/me/export': { access: 'citizen' },
  'GET /admin/privacy-requests': { access: ['agency_admin'] },
  'POST /admin/privacy-requests/:id': {
    access: ['agency_admin'],
    url: `/admin/privacy-requests/${UNKNOWN_ID}`,
  },
  'GET /counter': { access: ['counter_officer'] },
  'POST /counter/:slug/start': {
    access: { ownAgency: ['counter_officer'] },
    url: '/counter/akta-kelahiran/start',
  },
  'GET /counter/applications/:id/sections/:n': {
    access: ['counter_officer'],
    url: `/counter/applications/${UNKNOWN_ID}/sections/0`,
  },
  'POST /counter/applications/:id/sections/:n': {
    access: ['counter_officer'],
    url: `/counter/applications/${UNKNOWN_ID}/sections/0`,
  },
  'GET /counter/applications/:id/review': {
    access: ['counter_officer'],
    url: `/counter/applications/${UNKNOWN_ID}/review`,
  },
  'POST /counter/applications/:id/submit': {
    access: ['counter_officer'],
    url: `/counter/applications/${UNKNOWN_ID}/submit`,
  },
  'GET /counter/applications/:id/receipt': {
    access: ['counter_officer'],
    url: `/counter/applications/${UNKNOWN_ID}/receipt`,
  },
  'GET /counter/applications/:id/receipt.pdf': {
    access: ['counter_officer'],
    url: `/counter/applications/${UNKNOWN_ID}/receipt.pdf`,
  },
  'GET /applications/link': { access: 'citizen' },
  'POST /applications/link': { access: 'citizen' },
  'GET /api/v1/inbox/:id/attachments/:attachmentId': {
    access: ['counter_officer', 'verifier', 'approver', 'supervisor'],
    url: `/api/v1/inbox/${UNKNOWN_ID}/attachments/${UNKNOWN_ID}`,
  },
  'GET /inbox/:id/attachments/:attachmentId': {
    access: ['counter_officer', 'verifier', 'approver', 'supervisor'],
    url: `/inbox/${UNKNOWN_ID}/attachments/${UNKNOWN_ID}`,
  },
  'POST /api/v1/applications/:id/action-documents': {
    access: ['counter_officer', 'verifier', 'approver', 'supervisor'],
    url: `/api/v1/applications/${UNKNOWN_ID}/action-documents?action=x`,
  },
  'GET /api/v1/me/notifications': { access: 'signed_in' },
  'POST /api/v1/me/notifications/read': { access: 'signed_in' },
  'GET /notifications': { access: 'signed_in' },
  'POST /notifications/read': { access: 'signed_in' },
  'GET /verify': { access: 'anyone' },
  'GET /verify/:id': { access: 'anyone', url: `/verify/${UNKNOWN_ID}` },
  'POST /verify': { access: 'anyone' },
  'GET /api/v1/documents/:id/verification': {
    access: 'anyone',
    url: `/api/v1/documents/${UNKNOWN_ID}/verification`,
  },
  'POST /api/v1/documents/verify': { access: 'anyone' },
  'POST /api/v1/documents/:id/revoke': {
    access: ['approver', 'supervisor', 'agency_admin'],
    url: `/api/v1/documents/${UNKNOWN_ID}/revoke`,
  },
  'GET /api/v1/agencies/:slug/document-keys': {
    access: 'anyone',
    url: '/api/v1/agencies/disdukcapil/document-keys',
  },
  'GET /api/v1/regions': { access: 'anyone', url: '/api/v1/regions?parent=32' },
  'GET /api/v1/services': { access: 'anyone' },
  'GET /api/v1/services/:slug': { access: 'anyone', url: '/api/v1/services/sktm' },
  'GET /api/v1/admin/services': { access: ['agency_admin'] },
  'POST /api/v1/admin/services/validate': { access: ['agency_admin'] },
  'POST /api/v1/admin/services': { access: ['agency_admin'] },
  'GET /api/v1/admin/services/:slug/versions': {
    access: { ownAgency: ['agency_admin'] },
    url: '/api/v1/admin/services/akta-kelahiran/versions',
  },
  'GET /api/v1/admin/services/:slug/versions/:version': {
    access: { ownAgency: ['agency_admin'] },
    url: '/api/v1/admin/services/akta-kelahiran/versions/1',
  },
  'PUT /api/v1/admin/services/:slug/draft': {
    access: { ownAgency: ['agency_admin'] },
    url: '/api/v1/admin/services/akta-kelahiran/draft',
  },
  'POST /api/v1/admin/services/:slug/publish': {
    access: { ownAgency: ['agency_admin'] },
    url: '/api/v1/admin/services/akta-kelahiran/publish',
  },
  'POST /api/v1/admin/services/:slug/retire': {
    access: { ownAgency: ['agency_admin'] },
    url: '/api/v1/admin/services/akta-kelahiran/retire',
  },
  'GET /api/v1/admin/services/:slug/diff': {
    access: { ownAgency: ['agency_admin'] },
    url: '/api/v1/admin/services/akta-kelahiran/diff?from=1&to=1',
  },
  // Complaints ---------------------------------------------------------------------------------
  'POST /api/v1/complaints': { access: 'anyone' },
  'GET /api/v1/complaints': { access: 'anyone' },
  'GET /api/v1/complaints/:number': { access: 'anyone', url: '/api/v1/complaints/ADU-26-0000-0000' },
  'POST /api/v1/complaints/track': { access: 'anyone' },
  'POST /api/v1/complaints/track/actions': { access: 'anyone' },
  'GET /api/v1/complaints/mine': { access: 'citizen' },
  'POST /api/v1/complaints/mine/:id/actions': {
    access: 'citizen',
    url: `/api/v1/complaints/mine/${UNKNOWN_ID}/actions`,
  },
  'GET /api/v1/complaints/queue': { access: ['complaint_admin', 'complaint_handler', 'supervisor'] },
  'GET /api/v1/complaints/queue/:id': {
    access: ['complaint_admin', 'complaint_handler', 'supervisor'],
    url: `/api/v1/complaints/queue/${UNKNOWN_ID}`,
  },
  'POST /api/v1/complaints/queue/:id/actions': {
    access: ['complaint_admin', 'complaint_handler', 'supervisor'],
    url: `/api/v1/complaints/queue/${UNKNOWN_ID}/actions`,
  },
  'PUT /api/v1/complaints/queue/:id/redaction': {
    access: ['complaint_admin', 'complaint_handler', 'supervisor'],
    url: `/api/v1/complaints/queue/${UNKNOWN_ID}/redaction`,
  },
  'GET /complaints': { access: 'anyone' },
  'GET /complaints/new': { access: 'anyone' },
  'POST /complaints/new': { access: 'anyone' },
  'GET /complaints/track': { access: 'anyone' },
  'POST /complaints/track': { access: 'anyone' },
  'POST /complaints/track/actions': { access: 'anyone' },
  'GET /complaints/:number': { access: 'anyone', url: '/complaints/ADU-26-0000-0000' },
  'GET /complaints/mine': { access: 'citizen' },
  'GET /complaints/mine/:id': { access: 'citizen', url: `/complaints/mine/${UNKNOWN_ID}` },
  'POST /complaints/mine/:id/actions': { access: 'citizen', url: `/complaints/mine/${UNKNOWN_ID}/actions` },
  'GET /complaints/admin': { access: ['complaint_admin'] },
  'GET /complaints/admin/settings': { access: ['complaint_admin'] },
  'POST /complaints/admin/settings': { access: ['complaint_admin'] },
  'GET /complaints/inbox': { access: ['complaint_handler', 'supervisor'] },
  'GET /complaints/staff/:id': {
    access: ['complaint_admin', 'complaint_handler', 'supervisor'],
    url: `/complaints/staff/${UNKNOWN_ID}`,
  },
  'POST /complaints/staff/:id/actions': {
    access: ['complaint_admin', 'complaint_handler', 'supervisor'],
    url: `/complaints/staff/${UNKNOWN_ID}/actions`,
  },
  'POST /complaints/staff/:id/redaction': {
    access: ['complaint_admin', 'complaint_handler', 'supervisor'],
    url: `/complaints/staff/${UNKNOWN_ID}/redaction`,
  },
  'GET /complaints/staff/:id/attachments/:attachmentId': {
    access: ['complaint_admin', 'complaint_handler', 'supervisor'],
    url: `/complaints/staff/${UNKNOWN_ID}/attachments/${UNKNOWN_ID}`,
  },
  // Satisfaction survey ------------------------------------------------------------------------
  'GET /applications/:id/survey': { access: 'citizen', url: `/applications/${UNKNOWN_ID}/survey` },
  'POST /applications/:id/survey': { access: 'citizen', url: `/applications/${UNKNOWN_ID}/survey` },
  'POST /api/v1/applications/:id/survey': {
    access: 'citizen',
    url: `/api/v1/applications/${UNKNOWN_ID}/survey`,
  },
  'GET /counter/survey': { access: ['counter_officer'] },
  'GET /counter/survey/:id': { access: ['counter_officer'], url: `/counter/survey/${UNKNOWN_ID}` },
  'POST /counter/survey/:id': { access: ['counter_officer'], url: `/counter/survey/${UNKNOWN_ID}` },
  'GET /admin/survey': {
    access: { ownAgency: ['agency_admin', 'supervisor'] },
    url: '/admin/survey?agency=disdukcapil',
  },
  'GET /admin/survey/population': {
    access: { ownAgency: ['agency_admin'] },
    url: '/admin/survey/population?agency=disdukcapil',
  },
  'POST /admin/survey/population': {
    access: { ownAgency: ['agency_admin'] },
    url: '/admin/survey/population?agency=disdukcapil',
  },
  'GET /api/v1/survey/ikm': {
    access: { ownAgency: ['agency_admin', 'supervisor'] },
    url: '/api/v1/survey/ikm?agency=disdukcapil&period=2026',
  },
  // Open data ----------------------------------------------------------------------------------
  'GET /open-data': { access: 'anyone' },
  'GET /open-data/agencies/:agency': { access: 'anyone', url: '/open-data/agencies/disdukcapil' },
  'GET /open-data/services/:service': { access: 'anyone', url: '/open-data/services/sktm' },
  'GET /api/v1/open-data': { access: 'anyone' },
  'GET /api/v1/open-data/figures.csv': { access: 'anyone' },
  'GET /api/v1/open-data/agencies/:agency': {
    access: 'anyone',
    url: '/api/v1/open-data/agencies/disdukcapil',
  },
  'GET /api/v1/open-data/agencies/:agency/figures.csv': {
    access: 'anyone',
    url: '/api/v1/open-data/agencies/disdukcapil/figures.csv',
  },
  'GET /api/v1/open-data/services/:service': { access: 'anyone', url: '/api/v1/open-data/services/sktm' },
  'GET /api/v1/open-data/services/:service/figures.csv': {
    access: 'anyone',
    url: '/api/v1/open-data/services/sktm/figures.csv',
  },
};

interface Caller {
  name: string;
  role: DemoAccount['role'] | 'anonymous';
  agencySlug?: string | null;
  userId?: string;
}

function isOwnAgencyRoute(access: Access): boolean {
  return typeof access === 'object' && 'ownAgency' in access;
}

function isAllowed(access: Access, caller: Caller): boolean {
  if (access === 'anyone') return true;
  if (caller.role === 'anonymous') return false;
  if (access === 'signed_in') return true;
  if (access === 'citizen' || caller.role === 'citizen')
    return access === 'citizen' && caller.role === 'citizen';
  if ('ownAgency' in access)
    return caller.agencySlug === 'disdukcapil' && access.ownAgency.includes(caller.role);
  return access.includes(caller.role);
}

describe.each(ENGINES)('route × role matrix', (engine) => {
  let fresh: FreshDatabase;
  let opened: Opened;
  let app: App;
  const callers: Caller[] = [{ name: 'anonymous', role: 'anonymous' }];

  beforeAll(async () => {
    fresh = await freshDatabase(engine);
    opened = await openTestContext(fresh);
    const accounts = await seedDemo(opened.ctx);
    app = await buildServer(opened.ctx);
    const add = async (name: string, account: DemoAccount) => {
      callers.push({
        name,
        role: account.role,
        agencySlug: account.agencySlug,
        userId: await findUserIdByEmail(opened.ctx, account.email),
      });
    };
    const citizens = accounts.filter((a) => a.role === 'citizen');
    await add('citizen', citizens[0]!);
    await add('other citizen', citizens[1]!);
    for (const a of accounts.filter((x) => x.role !== 'citizen')) {
      if (a.agencySlug === 'disdukcapil' || a.agencySlug === null)
        await add(`${a.role} (${a.agencySlug ?? 'platform'})`, a);
      if (a.agencySlug === 'dinsos') await add(`${a.role} of another agency (dinsos)`, a);
    }
  });
  afterAll(async () => {
    await app.close();
    await opened.handle.close();
    await fresh.cleanup();
  });

  it(
    onEngine(
      engine,
      'every route of the running server has an expected access entry, and every entry a route',
    ),
    async () => {
      const seen = new Set<string>();
      for (const [key] of Object.entries(EXPECTED)) {
        const [method, url] = key.split(' ') as [string, string];
        expect(
          routesOf(app).some((r) => r.method === method && r.url === url),
          `${key} is in the table but not served`,
        ).toBe(true);
        seen.add(key);
      }
      const missing = routesOf(app)
        .map((r) => `${r.method} ${r.url}`)
        .filter((k) => !seen.has(k));
      expect(missing, 'routes without an entry in the access table').toEqual([]);
    },
  );

  it(onEngine(engine, 'allows and denies every route × role exactly as the table says'), async () => {
    const failures: string[] = [];
    const csrfSecret = opened.ctx.keyring.derivedSecret('csrf');
    let checked = 0;
    for (const [key, entry] of Object.entries(EXPECTED)) {
      const [method, path] = key.split(' ') as [string, string];
      for (const caller of callers) {
        // A full sign-in (password and TOTP) is tested elsewhere; here each request gets a session of
        // its own, so routes that end sessions cannot disturb the others.
        const token = caller.userId ? await openSession(opened.ctx, caller.userId, 'active') : undefined;
        const auth = token
          ? {
              cookies: { gapura_session: token },
              headers: { 'x-csrf-token': csrfTokenFor(csrfSecret, sessionIdOf(token)) },
            }
          : {};
        const response = await app.inject({
          method: method as 'GET',
          url: entry.url ?? path,
          ...auth,
          // API writes get an empty JSON body; page forms carry the session's CSRF token, so a refusal
          // can only come from the route's policy or the service's own scope check.
          ...(method === 'POST' && path.startsWith('/api/') ? { payload: {} } : {}),
          ...(method === 'POST' && !path.startsWith('/api/') && token
            ? {
                payload: `_csrf=${encodeURIComponent(csrfTokenFor(csrfSecret, sessionIdOf(token)))}`,
                headers: { ...auth.headers, 'content-type': 'application/x-www-form-urlencoded' },
              }
            : {}),
          remoteAddress: `10.20.${checked % 250}.1`,
        });
        checked++;
        const allowed = isAllowed(entry.access, caller);
        const denied =
          response.statusCode === 403 && /auth\.forbidden|tidak berhak/.test(response.body)
            ? true
            : response.statusCode === 401 &&
                /auth\.not_authenticated|Silakan masuk terlebih dahulu/.test(response.body)
              ? true
              : response.statusCode === 302 && String(response.headers.location).startsWith('/signin?next=')
                ? true
                : // Staff of another agency may also be told the record is not there: it does not leak.
                  isOwnAgencyRoute(entry.access) &&
                  caller.agencySlug !== 'disdukcapil' &&
                  response.statusCode === 404;
        if (allowed === denied)
          failures.push(
            `${key} as ${caller.name}: ${allowed ? 'denied' : 'allowed'} (${response.statusCode})`,
          );
        if (response.statusCode >= 500) failures.push(`${key} as ${caller.name}: ${response.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(Object.keys(EXPECTED).length * callers.length);
  });
});
