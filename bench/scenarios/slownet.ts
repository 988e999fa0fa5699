import { type Browser, chromium } from 'playwright-core';
import { type BenchOptions, type BenchRow, quantile, type Scenario, startGapura, waitReady } from '../lib.ts';
import { apiSession, CITIZEN_EMAIL, openBench, SERVICE } from './submit.ts';

/**
 * A citizen on a cheap phone over a poor mobile connection: DOMContentLoaded of the pages of the way
 * in (home, a service, the first step of its form) with Chromium's network throttled to 400 kbit/s
 * each way and 400 ms round trips, nothing cached. Target: 3 s. The baseline is the same pages with
 * no throttling, in the same run.
 */

const TARGET_MS = 3000;
/** 400 kbit/s in bytes per second, as the DevTools protocol takes it. */
const THROUGHPUT = (400 * 1000) / 8;
const LATENCY_MS = 400;

interface Target {
  name: string;
  path: string;
  /** The signed-in citizen's cookie, for the pages behind sign-in. */
  cookie?: string;
}

/** Debian's Chromium, headless and off the network, as the browser tests run it. */
function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** One first visit in a fresh context: DOMContentLoaded after navigation start, and the bytes it took. */
async function firstVisit(
  browser: Browser,
  base: string,
  target: Target,
  throttled: boolean,
): Promise<{ ms: number; loadMs: number; bytes: number }> {
  const context = await browser.newContext({ locale: 'id-ID' });
  try {
    if (target.cookie)
      await context.addCookies([{ name: 'gapura_session', value: target.cookie, url: base }]);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e) => {
      bytes += e.encodedDataLength;
    });
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (throttled)
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: LATENCY_MS,
        downloadThroughput: THROUGHPUT,
        uploadThroughput: THROUGHPUT,
      });
    const response = await page.goto(`${base}${target.path}`, { waitUntil: 'load', timeout: 60_000 });
    if (response?.status() !== 200) throw new Error(`${target.path} answered ${response?.status()}`);
    const timing: unknown = await page.evaluate(
      '(([n]) => [n.domContentLoadedEventEnd, n.loadEventEnd])(performance.getEntriesByType("navigation"))',
    );
    const [ms, loadMs] = Array.isArray(timing) ? timing : [];
    if (typeof ms !== 'number' || typeof loadMs !== 'number') throw new Error('no navigation timing');
    return { ms, loadMs, bytes };
  } finally {
    await context.close();
  }
}

/** A draft of the service for the citizen, so its first form page exists. */
async function draftPath(base: string, session: { cookie: string; csrf: string }): Promise<string> {
  const response = await fetch(`${base}/api/v1/applications`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: `gapura_session=${session.cookie}`,
      'x-csrf-token': session.csrf,
    },
    body: JSON.stringify({ service: SERVICE }),
  });
  const body: unknown = await response.json();
  const id = typeof body === 'object' && body !== null && 'id' in body ? body.id : undefined;
  if (response.status !== 201 || typeof id !== 'string') throw new Error(`draft: ${response.status}`);
  return `/applications/${id}/sections/0`;
}

function rowsOf(
  target: Target,
  throttled: number[],
  plain: number[],
  visit: { bytes: number; loads: number[] },
): BenchRow[] {
  const sorted = [...throttled].sort((a, b) => a - b);
  const loads = [...visit.loads].sort((a, b) => a - b);
  const baseline = quantile(
    [...plain].sort((a, b) => a - b),
    0.5,
  );
  const row = (figure: string, value: number): BenchRow => ({
    scenario: 'slownet',
    engine: 'sqlite',
    figure: `${target.name}: DOMContentLoaded ${figure} at 400 kbit/s, 400 ms RTT`,
    value: Math.round(value),
    unit: 'ms',
    baseline: Math.round(baseline),
    ratio: baseline > 0 ? Math.round((value / baseline) * 10) / 10 : undefined,
    target: `≤ ${TARGET_MS} ms`,
    pass: value <= TARGET_MS,
    note: `${throttled.length} runs; ${(visit.bytes / 1024).toFixed(1)} KB on a first visit; load event (style sheet in) median ${Math.round(quantile(loads, 0.5))} ms; baseline: median unthrottled`,
  });
  return [row('median', quantile(sorted, 0.5)), row('max', sorted[sorted.length - 1] ?? 0)];
}

async function run(options: BenchOptions): Promise<BenchRow[]> {
  const runs = options.quick ? 3 : 9;
  const server = await startGapura('sqlite', undefined);
  let browser: Browser | undefined;
  try {
    await waitReady(server.url);
    const bench = await openBench(server);
    const citizen = await apiSession(bench.ctx, CITIZEN_EMAIL);
    await bench.handle.close();
    const targets: Target[] = [
      { name: 'home', path: '/' },
      { name: 'service page', path: `/services/${SERVICE}` },
      { name: 'first form page', path: await draftPath(server.url, citizen), cookie: citizen.cookie },
    ];
    browser = await launch();
    const rows: BenchRow[] = [];
    for (const target of targets) {
      const plain: number[] = [];
      const throttled: number[] = [];
      const loads: number[] = [];
      let bytes = 0;
      // Alternating turns, so a busy moment of the machine falls on both kinds alike.
      for (let i = 0; i < runs; i++) {
        plain.push((await firstVisit(browser, server.url, target, false)).ms);
        const visit = await firstVisit(browser, server.url, target, true);
        throttled.push(visit.ms);
        loads.push(visit.loadMs);
        bytes = visit.bytes;
      }
      rows.push(...rowsOf(target, throttled, plain, { bytes, loads }));
    }
    return rows;
  } finally {
    await browser?.close();
    await server.stop();
    await server.cleanup();
  }
}

export const slownetScenario: Scenario = { name: 'slownet', run };
