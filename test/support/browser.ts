import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`.ci/run` installs it), driven by playwright-core; CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Without the background-networking flags Chromium tries Google's hosts at start, which this closed network refuses. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether a request stays on this machine (data:, blob: and about: never leave it). */
export function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(protocol)) return true;
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** Launches Chromium, or fails with how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\` (.ci/run does), or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface GuardedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors and Content-Security-Policy violations: the pages run under a strict CSP, so a violation is a bug. */
  pageErrors: string[];
  /** Requests that would have left 127.0.0.1 (aborted): a page must work offline. */
  offHost: string[];
}

/** A new context and page that record page errors and CSP violations and abort every request leaving this machine. */
export async function guardedPage(browser: Browser, viewport = { width: 1100, height: 900 }): Promise<GuardedPage> {
  const context = await browser.newContext({ viewport });
  const pageErrors: string[] = [];
  const offHost: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    offHost.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && msg.text().includes('Content Security Policy')) pageErrors.push(msg.text());
  });
  return { context, page, pageErrors, offHost };
}
