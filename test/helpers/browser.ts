import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createLogger, openContext } from '../../src/app.ts';
import { type DemoAccount, seedDemo } from '../../src/demo/seed.ts';
import { findUserIdByEmail, totpSecretOf } from '../../src/identity/service.ts';
import { type FreshDatabase, freshDatabase, testConfig } from './engines.ts';
import { ROOT, type ServerProcess, startServerProcess } from './process.ts';
import { unusedTotp } from './totp.ts';

export const SCREENSHOT_DIR = path.join(ROOT, 'test-output', 'screenshots');

/** Debian's Chromium, headless, with the flags that keep it off the network. */
export function launchBrowser(): Promise<Browser> {
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

export interface BrowserFixture {
  server: ServerProcess;
  url: string;
  accounts: DemoAccount[];
  /** A TOTP code of a demo staff account that the server has not seen yet. */
  totp(email: string): Promise<string>;
  account(role: DemoAccount['role'], agencySlug?: string): DemoAccount;
  close(): Promise<void>;
}

/**
 * A real Gapura server process on a random port over a fresh SQLite database, seeded with the demo
 * data in this process first so the test knows every password and TOTP secret.
 */
export async function startBrowserFixture(): Promise<BrowserFixture> {
  const fresh: FreshDatabase = await freshDatabase('sqlite');
  const config = testConfig(fresh);
  const opened = await openContext(config, createLogger(config));
  const accounts = await seedDemo(opened.ctx);
  const secrets = new Map<string, string>();
  for (const a of accounts) {
    const userId = await findUserIdByEmail(opened.ctx, a.email);
    const secret = userId ? await totpSecretOf(opened.ctx, userId) : undefined;
    if (secret) secrets.set(a.email, secret);
  }
  await opened.handle.close();
  const server = await startServerProcess(fresh.env);
  return {
    server,
    url: server.url,
    accounts,
    totp(email) {
      const secret = secrets.get(email);
      if (!secret) throw new Error(`${email} has no TOTP secret`);
      return unusedTotp(secret);
    },
    account(role, agencySlug) {
      const found = accounts.find(
        (a) => a.role === role && (agencySlug === undefined || a.agencySlug === agencySlug),
      );
      if (!found) throw new Error(`no demo account for ${role}`);
      return found;
    },
    async close() {
      server.child.kill('SIGTERM');
      await server.exited;
      await fresh.cleanup();
    },
  };
}

/** Signs in through the real sign-in pages, with the TOTP step for staff; ends on the account page. */
export async function signInAs(page: Page, fixture: BrowserFixture, account: DemoAccount): Promise<void> {
  await page.goto(`${fixture.url}/signin`);
  await page.getByLabel(/Email atau nomor HP|Email or mobile number/).fill(account.email);
  await page.getByLabel(/Kata sandi|Password/).fill(account.password);
  const submit = page.getByRole('button', { name: /^(Masuk|Sign in)$/ });
  if (account.role !== 'citizen') {
    await Promise.all([page.waitForURL(/\/signin\/code$/), submit.click()]);
    await page.getByLabel(/Kode 6 angka|6-digit code/).fill(await fixture.totp(account.email));
    await Promise.all([
      page.waitForURL(/\/account$/),
      page.getByRole('button', { name: /Lanjutkan|Continue/ }).click(),
    ]);
  } else {
    await Promise.all([page.waitForURL(/\/account$/), submit.click()]);
  }
}

/** Saves the page at 360 px (a cheap phone) and 1280 px wide under test-output/screenshots. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
  }
}
