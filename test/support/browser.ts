import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { REPO_DIR } from './shared.js';

/** Debian's Chromium (`apt-get install chromium fonts-wqy-microhei`), which `.ci/run` installs. */
export const CHROMIUM_PATH = process.env.XUNSHI_CHROMIUM ?? '/usr/bin/chromium';
/** Where browser tests leave their screenshots (gitignored). */
export const TEST_OUTPUT_DIR = join(REPO_DIR, 'test-output');

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** True when Chromium is installed; otherwise prints why the browser tests are skipped. */
export function hasChromium(): boolean {
  const ok = existsSync(CHROMIUM_PATH);
  if (!ok) {
    console.warn(
      `SKIPPED: ${CHROMIUM_PATH} is absent, so the HTML report's browser tests are skipped (not passed). ` +
        'Install it with `apt-get install chromium fonts-wqy-microhei` (as .ci/run does) or set XUNSHI_CHROMIUM to a Chromium binary.',
    );
  }
  return ok;
}

/** A running headless Chromium with a fresh profile, and what the pages did that a report page must never do. */
export interface BrowserSession {
  context: BrowserContext;
  /** Open a fresh page that records requests, dialogs, navigations and page errors. */
  open(): Promise<Page>;
  /** Every URL the pages requested, other than the file:// pages the test opened itself. */
  requests: string[];
  dialogs: string[];
  /** Uncaught exceptions and console errors (CSP violations among them). */
  errors: string[];
  /** Main-frame navigations other than the test's own `page.goto` calls. */
  navigations: string[];
  /** URLs the test navigates to itself (compared percent-decoded). */
  expected: Set<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<BrowserSession> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'xunshi-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    locale: 'zh-CN',
    offline: true,
  });
  const isExpected = (url: string): boolean => [...session.expected].some((u) => decodeURIComponent(u) === decodeURIComponent(url));
  const session: BrowserSession = {
    context,
    requests: [],
    dialogs: [],
    errors: [],
    navigations: [],
    expected: new Set(),
    async open() {
      const page = await context.newPage();
      page.on('dialog', (d) => {
        session.dialogs.push(`${d.type()}: ${d.message()}`);
        void d.dismiss();
      });
      page.on('pageerror', (e) => session.errors.push(e.message));
      // A CSP violation (say, the page's own script or style refused because its hash is wrong) is a console error.
      page.on('console', (m) => {
        if (m.type() === 'error') session.errors.push(`console: ${m.text()}`);
      });
      page.on('framenavigated', (f) => {
        if (f === page.mainFrame() && !isExpected(f.url())) session.navigations.push(f.url());
      });
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  // Every request goes through here: the test's own file:// pages are let through, anything else is recorded and refused.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isExpected(url)) return route.continue();
    session.requests.push(url);
    return route.abort();
  });
  context.on('request', (r) => {
    if (!isExpected(r.url())) session.requests.push(`request event: ${r.url()}`);
  });
  return session;
}

/** Make (if needed) and return the screenshot folder. */
export function testOutputDir(): string {
  mkdirSync(TEST_OUTPUT_DIR, { recursive: true });
  return TEST_OUTPUT_DIR;
}
