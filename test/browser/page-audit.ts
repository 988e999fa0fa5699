import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { catalogueKeys } from '../../src/web/i18n/index.ts';

/** What the page-wide browser test checks on one open page: transfer, text and axe. */

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const KEYS = new Set([...catalogueKeys.id, ...catalogueKeys.en]);
const NAMESPACES = new Set([...KEYS].map((k) => k.split('.')[0]));
/** A word shaped like a message key (`privacy.close_title`), not part of an address or a file name. */
const KEY_SHAPE = /(?<![\w.@/-])[a-z][a-z0-9_]*(?:\.[a-z0-9_:]+)+(?![\w@/-])/g;

/** Message keys in a text: a key of the catalogue, or a word in one of its namespaces (a missing key). */
export function rawKeysIn(text: string): string[] {
  const found = [...text.matchAll(KEY_SHAPE)].map((m) => m[0]);
  return [...new Set(found.filter((w) => KEYS.has(w) || NAMESPACES.has(w.split('.')[0])))];
}

/** Counts what the page transfers, from Chromium's own network events (nothing cached: a fresh context). */
export async function watchTransfer(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const types = new Map<string, string>();
  const pending = new Set<string>();
  const byType: Record<string, number> = {};
  let requests = 0;
  cdp.on('Network.requestWillBeSent', (e) => {
    pending.add(e.requestId);
    types.set(e.requestId, e.type ?? 'Other');
  });
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  cdp.on('Network.loadingFinished', (e) => {
    pending.delete(e.requestId);
    const type = types.get(e.requestId) ?? 'Other';
    byType[type] = (byType[type] ?? 0) + e.encodedDataLength;
    requests++;
  });
  cdp.on('Network.loadingFailed', (e) => pending.delete(e.requestId));
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  return {
    /** Waits until nothing is in flight any more (requests the page makes after `load` included). */
    async settled(): Promise<void> {
      for (let i = 0; i < 100 && pending.size > 0; i++) await page.waitForTimeout(50);
    },
    result: () => ({
      bytes: Object.values(byType).reduce((a, b) => a + b, 0),
      byType,
      requests,
    }),
  };
}

/** The visible text and the text read out instead of it (labels, titles, alternatives), in one call. */
export function readableText(page: Page): Promise<string> {
  return page.locator('html').evaluate((html) => {
    const names = ['aria-label', 'title', 'alt', 'placeholder'];
    const attributes = [...html.querySelectorAll('[aria-label], [title], [alt], [placeholder]')].flatMap(
      (el) => names.map((name) => el.getAttribute(name) ?? ''),
    );
    // The rendered text: words of neighbouring blocks stay apart, so a key next to a heading is found.
    const body = html.querySelector('body');
    // biome-ignore lint/performance/useDomNodeTextContent: the text a person sees is what is checked
    const visible = body && 'innerText' in body && typeof body.innerText === 'string' ? body.innerText : '';
    return [html.ownerDocument.title, visible, ...attributes].join('\n');
  });
}

export async function axeViolations(page: Page): Promise<string[]> {
  // Only the violations are described node by node: the passes would cost most of the run.
  // Options first: they replace the whole option set, the tags included.
  const result = await new AxeBuilder({ page })
    .options({ resultTypes: ['violations'] })
    .withTags(AXE_TAGS)
    .analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
