import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTS } from '../../src/catalog/designer/mapping.ts';
import type { Lang } from '../../src/web/i18n/index.ts';
import { buildServer, routesOf } from '../../src/web/server.ts';
import { type BrowserFixture, launchBrowser, screenshots, startBrowserFixture } from '../helpers/browser.ts';
import { freshDatabase, openTestContext } from '../helpers/engines.ts';
import { ROOT } from '../helpers/process.ts';
import { axeViolations, rawKeysIn, readableText, watchTransfer } from './page-audit.ts';
import { createRecords, KK, type Records, type Session, type SignedInRole, signIn } from './page-records.ts';

/**
 * Every page Gapura serves, opened in Chromium by everyone who can open it: no axe violations
 * (WCAG 2.1 A and AA), no message key shown instead of its text, `<html lang>` as chosen, and for
 * the pages citizens use, at most 40 KB over the wire on a first visit; each page's screenshots at
 * 360 and 1280 px go to test-output/screenshots. The pages come from the
 * server's own route list, so a new page is scanned (or its route fails the table check) at once.
 */

/** First-visit budget of a citizen-facing page: everything transferred, headers included. */
const BUDGET_BYTES = 40 * 1024;

// Visitors ---------------------------------------------------------------------------------------

type Role = 'anonymous' | SignedInRole;

/** Who opens the pages, each in the language their context chose (both languages are covered). */
const VISITORS = [
  { name: 'anonymous', role: 'anonymous', lang: 'id' },
  { name: 'anonymous (en)', role: 'anonymous', lang: 'en' },
  /** Halfway through a staff sign-in: password accepted, code pending. */
  { name: 'staff signing in', role: 'anonymous', lang: 'id' },
  { name: 'citizen', role: 'citizen', lang: 'id' },
  { name: 'citizen (en)', role: 'citizen', lang: 'en' },
  { name: 'counter_officer', role: 'counter_officer', lang: 'id' },
  { name: 'verifier', role: 'verifier', lang: 'en' },
  { name: 'approver', role: 'approver', lang: 'id' },
  { name: 'supervisor', role: 'supervisor', lang: 'en' },
  { name: 'agency_admin', role: 'agency_admin', lang: 'id' },
  { name: 'complaint_handler', role: 'complaint_handler', lang: 'en' },
  { name: 'platform_admin', role: 'platform_admin', lang: 'id' },
  { name: 'complaint_admin', role: 'complaint_admin', lang: 'en' },
] as const satisfies ReadonlyArray<{ name: string; role: Role; lang: Lang }>;

type Visitor = (typeof VISITORS)[number];
type VisitorName = Visitor['name'];

function visitorNamed(name: VisitorName): Visitor {
  const found = VISITORS.find((v) => v.name === name);
  if (!found) throw new Error(`no visitor ${name}`);
  return found;
}

const ANONYMOUS: readonly VisitorName[] = ['anonymous', 'anonymous (en)'];
const CITIZENS: readonly VisitorName[] = ['citizen', 'citizen (en)'];
const STAFF: readonly VisitorName[] = [
  'counter_officer',
  'verifier',
  'approver',
  'supervisor',
  'agency_admin',
  'complaint_handler',
  'platform_admin',
  'complaint_admin',
];
const INBOX_STAFF: readonly VisitorName[] = ['counter_officer', 'verifier', 'approver', 'supervisor'];
const STAFF_ADMINS: readonly VisitorName[] = ['agency_admin', 'platform_admin'];
const EVERYONE: readonly VisitorName[] = [...ANONYMOUS, ...CITIZENS, ...STAFF];
const SIGNED_IN: readonly VisitorName[] = [...CITIZENS, ...STAFF];
/**
 * A public page's body is the same for everyone; only the header differs by who is signed in, and
 * the home page is opened by everyone for that. Other public pages: anonymous visitors in both
 * languages and a citizen.
 */
const PUBLIC: readonly VisitorName[] = [...ANONYMOUS, 'citizen'];
/** Platform admins name the agency whose staff they manage. */
const OF_AGENCY = '?agency=disdukcapil';

// The table --------------------------------------------------------------------------------------

interface Visit {
  path: string;
  visitors: readonly VisitorName[];
  /** The status the page answers with (200 unless said). */
  status?: number;
}

/**
 * A page, or why a route is none. Citizen-facing pages are held to the weight budget: every public
 * page, every page only citizens open, and the signed-in pages everyone has (account,
 * notifications). Staff pages — inbox, counter, service designer, staff and token administration,
 * the platform's pages, the demo mailbox, complaint handling, the survey's counter kiosk and
 * reports — are measured and reported but not held to it: they are used on office machines.
 */
type Entry = { audience: 'citizen' | 'staff'; visits: (r: Records) => Visit[] } | { skip: string };

const at = (p: string, visitors: readonly VisitorName[]) => () => [{ path: p, visitors }];
const citizenPages = (ids: (r: Records) => string[], suffix: string) => (r: Records) =>
  ids(r).map((id) => ({ path: `/applications/${id}${suffix}`, visitors: CITIZENS }));
const DESIGNED = '/admin/services/akta-kelahiran';

/** Routes served under these prefixes are never pages. */
const SKIP_PREFIXES: Record<string, string> = {
  '/api/': 'JSON API',
  '/static/': 'static files (measured as part of every page that loads them)',
};

/**
 * Every GET route of the server: a page with who opens it and where, or the reason it is not one.
 * A route missing here fails the test, so a new page cannot go unscanned.
 */
const PAGES: Record<string, Entry> = {
  '/healthz': { skip: 'health check (JSON)' },
  '/readyz': { skip: 'readiness check (JSON)' },
  '/lang/:lang': { skip: 'redirect back after choosing the language' },
  '/': { audience: 'citizen', visits: at('/', EVERYONE) },
  '/services': { audience: 'citizen', visits: at('/services', PUBLIC) },
  // Every demo service (their texts differ), the second language on the first.
  '/services/:slug': {
    audience: 'citizen',
    visits: (r) =>
      r.services.map((s, i) => ({ path: `/services/${s.slug}`, visitors: i === 0 ? PUBLIC : ['anonymous'] })),
  },
  // Visitors are asked to sign in, citizens to start.
  '/services/:slug/apply': {
    audience: 'citizen',
    visits: (r) =>
      r.services.map((s, i) => ({
        path: `/services/${s.slug}/apply`,
        visitors: i === 0 ? PUBLIC : ['anonymous', 'citizen'],
      })),
  },
  '/signin': { audience: 'citizen', visits: at('/signin', ANONYMOUS) },
  '/signin/code': { audience: 'citizen', visits: at('/signin/code', ['staff signing in']) },
  '/register': { audience: 'citizen', visits: at('/register', ANONYMOUS) },
  '/register/verify': {
    audience: 'citizen',
    visits: at('/register/verify?contact=warga%40contoh.id', ANONYMOUS),
  },
  '/recover': { audience: 'citizen', visits: at('/recover', ANONYMOUS) },
  '/recover/confirm': {
    audience: 'citizen',
    visits: at('/recover/confirm?contact=warga%40contoh.id', ANONYMOUS),
  },
  '/account': { audience: 'citizen', visits: at('/account', SIGNED_IN) },
  '/notifications': {
    audience: 'citizen',
    visits: at('/notifications', [...CITIZENS, 'verifier', 'platform_admin']),
  },
  '/account/privacy': { audience: 'citizen', visits: at('/account/privacy', CITIZENS) },
  '/account/privacy/export': { audience: 'citizen', visits: at('/account/privacy/export', CITIZENS) },
  '/track': { audience: 'citizen', visits: at('/track', PUBLIC) },
  '/verify': { audience: 'citizen', visits: at('/verify', PUBLIC) },
  '/verify/:id': {
    audience: 'citizen',
    visits: (r) => [{ path: `/verify/${r.documentId}`, visitors: ANONYMOUS }],
  },
  '/applications': { audience: 'citizen', visits: at('/applications', CITIZENS) },
  '/applications/link': { audience: 'citizen', visits: at('/applications/link', CITIZENS) },
  // Every section of every demo form (the field types differ); English on the Family Card form.
  '/applications/:id/sections/:n': {
    audience: 'citizen',
    visits: (r) =>
      r.drafts.flatMap((d) =>
        Array.from({ length: d.sections }, (_, n) => ({
          path: `/applications/${d.id}/sections/${n}`,
          visitors: d.slug === KK ? CITIZENS : ['citizen'],
        })),
      ),
  },
  '/applications/:id/review': {
    audience: 'citizen',
    visits: citizenPages((r) => [r.filledDraft], '/review'),
  },
  '/applications/:id/receipt': {
    audience: 'citizen',
    visits: citizenPages((r) => [r.submitted], '/receipt'),
  },
  '/applications/:id/receipt.pdf': { skip: 'PDF download' },
  '/applications/:id': {
    audience: 'citizen',
    visits: citizenPages((r) => [r.submitted, r.revision, r.issued, r.rejected, r.withdrawn], ''),
  },
  '/applications/:id/revision': {
    audience: 'citizen',
    visits: citizenPages((r) => [r.revision], '/revision'),
  },
  '/applications/:id/withdraw': {
    audience: 'citizen',
    visits: citizenPages((r) => [r.submitted], '/withdraw'),
  },
  '/applications/:id/documents/:documentId.pdf': { skip: 'PDF download' },
  '/inbox': { audience: 'staff', visits: at('/inbox', INBOX_STAFF) },
  '/inbox/:id': {
    audience: 'staff',
    visits: (r) => [
      { path: `/inbox/${r.submitted}`, visitors: INBOX_STAFF },
      { path: `/inbox/${r.revision}`, visitors: ['verifier'] },
      { path: `/inbox/${r.issued}`, visitors: ['approver'] },
    ],
  },
  '/inbox/:id/attachments/:attachmentId': { skip: 'file download' },
  '/counter': { audience: 'staff', visits: at('/counter', ['counter_officer']) },
  '/counter/applications/:id/sections/:n': {
    audience: 'staff',
    visits: (r) =>
      Array.from({ length: r.counterDraft.sections }, (_, n) => ({
        path: `/counter/applications/${r.counterDraft.id}/sections/${n}`,
        visitors: ['counter_officer'],
      })),
  },
  '/counter/applications/:id/review': {
    audience: 'staff',
    visits: (r) => [
      { path: `/counter/applications/${r.counterDraft.id}/review`, visitors: ['counter_officer'] },
    ],
  },
  '/counter/applications/:id/receipt': {
    audience: 'staff',
    visits: (r) => [
      { path: `/counter/applications/${r.counterFiled}/receipt`, visitors: ['counter_officer'] },
    ],
  },
  '/counter/applications/:id/receipt.pdf': { skip: 'PDF download' },
  '/admin/services': { audience: 'staff', visits: at('/admin/services', ['agency_admin']) },
  '/admin/services/new': { audience: 'staff', visits: at('/admin/services/new', ['agency_admin']) },
  '/admin/services/:slug': { audience: 'staff', visits: at(DESIGNED, ['agency_admin']) },
  '/admin/services/:slug/edit/:part': {
    audience: 'staff',
    visits: () => PARTS.map((part) => ({ path: `${DESIGNED}/edit/${part}`, visitors: ['agency_admin'] })),
  },
  '/admin/services/:slug/preview': { audience: 'staff', visits: at(`${DESIGNED}/preview`, ['agency_admin']) },
  '/admin/services/:slug/retire': { audience: 'staff', visits: at(`${DESIGNED}/retire`, ['agency_admin']) },
  '/admin/services/:slug/compare': {
    audience: 'staff',
    visits: at(`${DESIGNED}/compare?from=1&to=1`, ['agency_admin']),
  },
  '/admin/privacy-requests': { audience: 'staff', visits: at('/admin/privacy-requests', ['agency_admin']) },
  '/admin/tokens': { audience: 'staff', visits: at('/admin/tokens', ['agency_admin']) },
  '/admin/staff': { audience: 'staff', visits: at('/admin/staff', STAFF_ADMINS) },
  '/admin/staff/new': {
    audience: 'staff',
    visits: () => [
      { path: '/admin/staff/new', visitors: ['agency_admin'] },
      { path: `/admin/staff/new${OF_AGENCY}`, visitors: ['platform_admin'] },
    ],
  },
  '/admin/staff/:id': {
    audience: 'staff',
    visits: (r) => [
      { path: `/admin/staff/${r.staffMember}`, visitors: ['agency_admin'] },
      { path: `/admin/staff/${r.staffMember}${OF_AGENCY}`, visitors: ['platform_admin'] },
    ],
  },
  '/admin/staff/:id/remove': {
    audience: 'staff',
    visits: (r) => [
      { path: `/admin/staff/${r.staffMember}/remove`, visitors: ['agency_admin'] },
      { path: `/admin/staff/${r.staffMember}/remove${OF_AGENCY}`, visitors: ['platform_admin'] },
    ],
  },
  '/admin/platform/agencies': {
    audience: 'staff',
    visits: at('/admin/platform/agencies', ['platform_admin']),
  },
  '/admin/platform/holidays': {
    audience: 'staff',
    visits: at('/admin/platform/holidays', ['platform_admin']),
  },
  '/admin/platform/keys': { audience: 'staff', visits: at('/admin/platform/keys', ['platform_admin']) },
  '/admin/mailbox': { audience: 'staff', visits: at('/admin/mailbox', ['platform_admin']) },
  // Complaints ---------------------------------------------------------------------------------
  '/complaints/new': { audience: 'citizen', visits: at('/complaints/new', PUBLIC) },
  '/complaints/track': { audience: 'citizen', visits: at('/complaints/track', PUBLIC) },
  '/complaints': { audience: 'citizen', visits: at('/complaints', PUBLIC) },
  // No report is published in a fresh database (the demo's history is left out): the number of an
  // unpublished one gets the not-found page, which is scanned as such.
  '/complaints/:number': {
    audience: 'citizen',
    visits: (r) => [{ path: `/complaints/${r.complaint.number}`, visitors: ANONYMOUS, status: 404 }],
  },
  '/complaints/mine': { audience: 'citizen', visits: at('/complaints/mine', CITIZENS) },
  '/complaints/mine/:id': {
    audience: 'citizen',
    visits: (r) => [{ path: `/complaints/mine/${r.complaint.id}`, visitors: CITIZENS }],
  },
  '/complaints/admin': { audience: 'staff', visits: at('/complaints/admin', ['complaint_admin']) },
  '/complaints/admin/settings': {
    audience: 'staff',
    visits: at('/complaints/admin/settings', ['complaint_admin']),
  },
  '/complaints/inbox': {
    audience: 'staff',
    visits: at('/complaints/inbox', ['complaint_handler', 'supervisor']),
  },
  '/complaints/staff/:id': {
    audience: 'staff',
    visits: (r) => [{ path: `/complaints/staff/${r.complaint.id}`, visitors: ['complaint_admin'] }],
  },
  '/complaints/staff/:id/attachments/:attachmentId': { skip: 'file download' },
  // Satisfaction survey --------------------------------------------------------------------------
  '/applications/:id/survey': {
    audience: 'citizen',
    visits: (r) => [{ path: `/applications/${r.issued}/survey`, visitors: CITIZENS }],
  },
  '/counter/survey': { audience: 'staff', visits: at('/counter/survey', ['counter_officer']) },
  '/counter/survey/:id': {
    audience: 'staff',
    visits: (r) => [{ path: `/counter/survey/${r.counterFiled}`, visitors: ['counter_officer'] }],
  },
  '/admin/survey': { audience: 'staff', visits: at('/admin/survey', ['agency_admin', 'supervisor']) },
  '/admin/survey/population': { audience: 'staff', visits: at('/admin/survey/population', ['agency_admin']) },
  // Open data ------------------------------------------------------------------------------------
  '/open-data': { audience: 'citizen', visits: at('/open-data', PUBLIC) },
  '/open-data/agencies/:agency': {
    audience: 'citizen',
    visits: at('/open-data/agencies/disdukcapil', PUBLIC),
  },
  '/open-data/services/:service': { audience: 'citizen', visits: at(`/open-data/services/${KK}`, PUBLIC) },
};

/** Pages that no route names: the error pages every visitor may meet. */
const ERROR_PAGES: Entry = {
  audience: 'citizen',
  visits: () => [
    { path: '/no-such-page', visitors: ANONYMOUS, status: 404 },
    { path: '/inbox', visitors: ['citizen'], status: 403 },
  ],
};

// Measuring one page ---------------------------------------------------------------------------

interface PageResult {
  route: string;
  path: string;
  visitor: VisitorName;
  audience: 'citizen' | 'staff';
  status: number;
  /** Where the browser ended up (a page that redirected did not get scanned as itself). */
  finalPath: string;
  contentType: string;
  /** Bytes on the wire for everything the first visit loaded, by resource type and in all. */
  bytes: number;
  byType: Record<string, number>;
  requests: number;
  violations: string[];
  rawKeys: string[];
  lang: string;
  expectedStatus: number;
}

/**
 * The cookies each visitor's fresh contexts start with, the chosen language among them. The staff
 * member halfway through signing in types the password anew each time: that step lasts minutes.
 */
async function visitorStates(
  browser: Browser,
  fixture: BrowserFixture,
  sessions: Map<SignedInRole, Session>,
): Promise<(name: VisitorName) => Promise<State>> {
  const host = new URL(fixture.url).hostname;
  const withLang = (state: State, lang: Lang): State => ({
    origins: state.origins,
    cookies: [
      ...state.cookies.filter((c) => c.name !== 'gapura_lang'),
      {
        name: 'gapura_lang',
        value: lang,
        domain: host,
        path: '/',
        expires: -1,
        httpOnly: false,
        secure: false,
        sameSite: 'Lax',
      },
    ],
  });
  const states = new Map<VisitorName, State>();
  for (const visitor of VISITORS) {
    const session = visitor.role === 'anonymous' ? undefined : sessions.get(visitor.role);
    const state = session ? await session.context.storageState() : { cookies: [], origins: [] };
    states.set(visitor.name, withLang(state, visitor.lang));
  }
  return async (name) => {
    if (name === 'staff signing in') return withLang(await halfSignedIn(browser, fixture), 'id');
    const state = states.get(name);
    if (!state) throw new Error(`no state for ${name}`);
    return state;
  };
}

/** A staff member of another agency has typed the password; the code page waits for the second step. */
async function halfSignedIn(browser: Browser, fixture: BrowserFixture): Promise<State> {
  const context = await browser.newContext();
  const staff = fixture.account('verifier', 'dinsos');
  await context.request.post(`${fixture.url}/api/v1/auth/signin`, {
    data: { contact: staff.email, password: staff.password },
  });
  const state = await context.storageState();
  await context.close();
  return state;
}

type State = Awaited<ReturnType<BrowserContext['storageState']>>;

// Visiting ----------------------------------------------------------------------------------------

/** The name of a route's screenshots: `/applications/:id/track` → `page-applications-id-track`. */
function screenshotName(route: string): string {
  const words = route.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');
  return `page-${words || 'home'}`;
}

/**
 * Opens one page in a fresh context (nothing cached) and checks what a citizen's phone would get;
 * with `shoot`, then saves its screenshots at 360 and 1280 px.
 */
async function visit(
  browser: Browser,
  base: string,
  state: State,
  target: { route: string; audience: 'citizen' | 'staff'; visit: Visit; visitor: Visitor; shoot: boolean },
): Promise<PageResult> {
  const { visitor } = target;
  const context = await browser.newContext({
    storageState: state,
    locale: visitor.lang === 'en' ? 'en-US' : 'id-ID',
  });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const transfer = await watchTransfer(page);
    const response = await page.goto(`${base}${target.visit.path}`, { waitUntil: 'load' });
    await transfer.settled();
    const measured = transfer.result();
    const readable = await readableText(page);
    const result = {
      route: target.route,
      path: target.visit.path,
      visitor: visitor.name,
      audience: target.audience,
      status: response?.status() ?? 0,
      expectedStatus: target.visit.status ?? 200,
      finalPath: new URL(page.url()).pathname + new URL(page.url()).search,
      contentType: (await response?.headerValue('content-type')) ?? '',
      ...measured,
      violations: await axeViolations(page),
      rawKeys: rawKeysIn(readable),
      lang: (await page.getAttribute('html', 'lang')) ?? '',
    };
    if (target.shoot) await screenshots(page, screenshotName(target.route));
    return result;
  } finally {
    await context.close();
  }
}

/** The GET routes of a server built in this process (the same code the server process runs). */
async function getRoutes(): Promise<string[]> {
  const fresh = await freshDatabase('sqlite');
  const opened = await openTestContext(fresh);
  const app = await buildServer(opened.ctx);
  try {
    return routesOf(app)
      .filter((r) => r.method === 'GET')
      .map((r) => r.url);
  } finally {
    await app.close();
    await opened.handle.close();
    await fresh.cleanup();
  }
}

function skipReason(route: string): string | undefined {
  const prefix = Object.keys(SKIP_PREFIXES).find((p) => route.startsWith(p));
  if (prefix) return SKIP_PREFIXES[prefix];
  const entry = PAGES[route];
  return entry && 'skip' in entry ? entry.skip : undefined;
}

/** Runs `work` over the items, `size` at a time, keeping their order. */
async function inPool<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      if (item !== undefined) out[index] = await work(item);
    }
  };
  await Promise.all(Array.from({ length: size }, worker));
  return out;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

// The tests ---------------------------------------------------------------------------------------

describe('every page, for everyone who can open it', () => {
  let fixture: BrowserFixture;
  let browser: Browser;
  let routes: string[] = [];
  const sessions = new Map<SignedInRole, Session>();
  const results: PageResult[] = [];

  beforeAll(async () => {
    routes = await getRoutes();
    fixture = await startBrowserFixture();
    browser = await launchBrowser();
    const roles = [...new Set(VISITORS.map((v) => v.role))].filter(
      (r): r is SignedInRole => r !== 'anonymous',
    );
    for (const role of roles) sessions.set(role, await signIn(browser, fixture, role));
    const records = await createRecords(sessions);

    const stateOf = await visitorStates(browser, fixture, sessions);
    const targets = [
      ...routes.flatMap((route) => {
        const entry = PAGES[route];
        return entry && !('skip' in entry) && skipReason(route) === undefined ? [{ route, entry }] : [];
      }),
      { route: '(error pages)', entry: ERROR_PAGES },
    ].flatMap(({ route, entry }) =>
      'skip' in entry
        ? []
        : entry.visits(records).flatMap((v) =>
            v.visitors.map((name) => ({
              route,
              audience: entry.audience,
              visit: v,
              visitor: visitorNamed(name),
              shoot: false,
            })),
          ),
    );
    // Every page's screenshots, from its first visit.
    for (const route of new Set(targets.map((t) => t.route))) {
      const first = targets.find((t) => t.route === route);
      if (first) first.shoot = true;
    }
    // Weights are bytes, not times: visiting a few pages at once changes none of them.
    results.push(
      ...(await inPool(targets, 2, async (target) =>
        visit(browser, fixture.url, await stateOf(target.visitor.name), target),
      )),
    );
  }, 600_000);

  afterAll(async () => {
    for (const session of sessions.values()) await session.context.close();
    await browser?.close();
    await fixture?.close();
    if (results.length > 0) report(results);
  });

  it('every GET route is in the page table (a page, or skipped with a reason), and every entry is a route', () => {
    const missing = routes.filter((r) => skipReason(r) === undefined && PAGES[r] === undefined);
    expect(missing, 'GET routes without an entry in PAGES').toEqual([]);
    const stale = Object.keys(PAGES).filter((r) => !routes.includes(r));
    expect(stale, 'entries in PAGES that the server does not serve').toEqual([]);
  });

  it('scanned every page entry at least once, each as a page of its own (200 HTML, no redirect)', () => {
    const pageRoutes = routes.filter((r) => skipReason(r) === undefined);
    for (const route of pageRoutes)
      expect(
        results.some((r) => r.route === route),
        `${route} was not visited`,
      ).toBe(true);
    const wrong = results
      .filter(
        (r) =>
          r.status !== r.expectedStatus || r.finalPath !== r.path || !r.contentType.startsWith('text/html'),
      )
      .map((r) => `${r.path} as ${r.visitor}: ${r.status} ${r.contentType} → ${r.finalPath}`);
    expect(wrong).toEqual([]);
  });

  it('has no axe violations (WCAG 2.1 A and AA) on any page for any visitor', () => {
    const failures = results
      .filter((r) => r.violations.length > 0)
      .map((r) => `${r.path} as ${r.visitor}: ${r.violations.join('; ')}`);
    expect(failures).toEqual([]);
  });

  it('shows no message key in place of its text', () => {
    const failures = results
      .filter((r) => r.rawKeys.length > 0)
      .map((r) => `${r.path} as ${r.visitor}: ${r.rawKeys.join(', ')}`);
    expect(failures).toEqual([]);
  });

  it('marks every page with the language the visitor chose', () => {
    const failures = results
      .filter((r) => r.lang !== visitorNamed(r.visitor).lang)
      .map((r) => `${r.path} as ${r.visitor}: lang="${r.lang}"`);
    expect(failures).toEqual([]);
  });

  it(`keeps every citizen-facing page within ${BUDGET_BYTES / 1024} KB on a first visit`, () => {
    const citizenFacing = results.filter((r) => r.audience === 'citizen');
    expect(citizenFacing.length).toBeGreaterThan(0);
    const failures = citizenFacing
      .filter((r) => r.bytes > BUDGET_BYTES)
      .map((r) => `${r.path} as ${r.visitor}: ${kb(r.bytes)} ${JSON.stringify(r.byType)}`);
    expect(failures).toEqual([]);
  });

  it('the rules that find raw message keys find them', () => {
    expect(rawKeysIn('Tutup akun privacy.close_title di sini')).toEqual(['privacy.close_title']);
    expect(rawKeysIn('applications.audit_leaf.')).toEqual(['applications.audit_leaf']);
    expect(rawKeysIn('budi.santoso@warga.sukamaju.example, lokasi.png, 3.5 km')).toEqual([]);
  });
});

/** Prints the weights (page, visitor, bytes) and writes them to test-output/page-weights.json. */
function report(results: PageResult[]): void {
  const rows = [...results].sort((a, b) => b.bytes - a.bytes);
  const width = Math.max(...rows.map((r) => r.path.length));
  const lines = rows.map(
    (r) =>
      `${r.path.padEnd(width)}  ${r.visitor.padEnd(18)}  ${r.audience.padEnd(7)}  ${String(r.bytes).padStart(7)}  ${r.bytes > BUDGET_BYTES && r.audience === 'citizen' ? 'OVER' : ''}`,
  );
  const heaviestCitizen = rows.find((r) => r.audience === 'citizen');
  const summary = [
    `Page weights, first visit, bytes on the wire (budget ${BUDGET_BYTES} for citizen-facing pages):`,
    `${'page'.padEnd(width)}  ${'visitor'.padEnd(18)}  audience     bytes`,
    ...lines,
    `${results.length} page × visitor scans; heaviest: ${rows[0]?.path} as ${rows[0]?.visitor} (${kb(rows[0]?.bytes ?? 0)}); heaviest citizen-facing: ${heaviestCitizen?.path} as ${heaviestCitizen?.visitor} (${kb(heaviestCitizen?.bytes ?? 0)})`,
  ];
  console.log(summary.join('\n'));
  const out = path.join(ROOT, 'test-output');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, 'page-weights.json'),
    `${JSON.stringify(
      {
        budgetBytes: BUDGET_BYTES,
        scans: results.length,
        heaviest: rows[0],
        heaviestCitizenFacing: heaviestCitizen,
        pages: rows.map((r) => ({
          route: r.route,
          path: r.path,
          visitor: r.visitor,
          audience: r.audience,
          bytes: r.bytes,
          requests: r.requests,
          byType: r.byType,
        })),
      },
      null,
      2,
    )}\n`,
  );
}
